import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InputError, type Problem } from '../lib/problems';
import { buildLibrary, resolveScenario } from '../lib/scenario/resolve';
import { loadScenarioText } from '../lib/scenario/read';
import type { Scenario } from '../lib/scenario/schema';
import { readInputFile } from './input-files';
import { packageRoot } from './package-root';

export const scenariosDirectory = join(packageRoot, 'scenarios');
const SCHEMA_FILE = 'scenario.schema.json';

function display(path: string): string {
	const shown = relative(process.cwd(), path);
	return shown.startsWith('..') ? path : shown;
}

export function readScenarioDirectory(directory = scenariosDirectory): { source: string; text: string }[] {
	const problems: Problem[] = [];
	const texts = readdirSync(directory)
		.filter((name) => name.endsWith('.json') && name !== SCHEMA_FILE)
		.sort()
		.flatMap((name) => {
			const source = display(join(directory, name));
			const read = readInputFile(join(directory, name), source);
			if (read.problem) problems.push(read.problem);
			return read.text === undefined ? [] : [{ source, text: read.text }];
		});
	if (problems.length > 0) throw new InputError(problems);
	return texts;
}

const looksLikeId = (argument: string) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(argument);

/**
 * Resolves command-line arguments (scenario ids from `scenarios/`, or paths to scenario files
 * that may extend them) into scenarios. Collects every problem before throwing.
 */
export function resolveScenarioArguments(argumentsList: readonly string[], directory = scenariosDirectory): Scenario[] {
	const { library, problems } = buildLibrary(readScenarioDirectory(directory));
	const ids: string[] = [];
	const found: Problem[] = [];
	const fromFiles = new Map<string, string>();
	for (const argument of argumentsList) {
		// A scenario id names a scenario of the library; anything else that exists on disk is read as a file.
		const looksLikeFile = argument.endsWith('.json') || argument.includes('/') || (!(looksLikeId(argument) && library.has(argument)) && existsSync(argument));
		if (!looksLikeFile) {
			ids.push(argument);
			continue;
		}
		const source = display(resolve(argument));
		const read = readInputFile(argument, source);
		if (read.problem) {
			found.push({
				...read.problem,
				message:
					read.problem.message === 'is a directory, not a file' ? 'is a directory; expected a scenario id or a scenario file (.json)' : read.problem.message
			});
			continue;
		}
		const loaded = loadScenarioText(read.text, source);
		if (!loaded.file) {
			found.push(...loaded.problems);
			continue;
		}
		const earlier = fromFiles.get(loaded.file.id);
		if (earlier !== undefined) {
			found.push({ source, path: 'id', message: `id "${loaded.file.id}" is also the id of ${earlier}; scenario files given together need distinct ids` });
			continue;
		}
		fromFiles.set(loaded.file.id, source);
		library.set(loaded.file.id, { ...loaded, file: loaded.file });
		ids.push(loaded.file.id);
	}
	const scenarios: Scenario[] = [];
	for (const id of ids) {
		try {
			scenarios.push(resolveScenario(id, library));
		} catch (error) {
			if (error instanceof InputError) found.push(...error.problems);
			else throw error;
		}
	}
	// Problems in unrelated library files matter only when a requested scenario could not be found.
	const relevant = found.length > 0 && scenarios.length < ids.length ? [...problems, ...found] : found;
	if (relevant.length > 0) throw new InputError(relevant);
	return scenarios;
}
