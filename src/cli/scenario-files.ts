import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InputError, type Problem } from '../lib/scenario/problems';
import { buildLibrary, loadScenarioText, resolveScenario } from '../lib/scenario/load';
import type { Scenario } from '../lib/scenario/schema';

export const scenariosDirectory = resolve(import.meta.dirname, '../../scenarios');
const SCHEMA_FILE = 'scenario.schema.json';

function display(path: string): string {
	const shown = relative(process.cwd(), path);
	return shown.startsWith('..') ? path : shown;
}

export function readScenarioDirectory(directory = scenariosDirectory): { source: string; text: string }[] {
	return readdirSync(directory)
		.filter((name) => name.endsWith('.json') && name !== SCHEMA_FILE)
		.sort()
		.map((name) => ({ source: display(join(directory, name)), text: readFileSync(join(directory, name), 'utf8') }));
}

/**
 * Resolves command-line arguments (scenario ids from `scenarios/`, or paths to scenario files
 * that may extend them) into scenarios. Collects every problem before throwing.
 */
export function resolveScenarioArguments(argumentsList: readonly string[], directory = scenariosDirectory): Scenario[] {
	const { library, problems } = buildLibrary(readScenarioDirectory(directory));
	const ids: string[] = [];
	const found: Problem[] = [];
	for (const argument of argumentsList) {
		const looksLikeFile = argument.endsWith('.json') || argument.includes('/');
		if (!looksLikeFile) {
			ids.push(argument);
			continue;
		}
		if (!existsSync(argument)) {
			found.push({ source: argument, path: '', message: 'no such file' });
			continue;
		}
		const loaded = loadScenarioText(readFileSync(argument, 'utf8'), display(resolve(argument)));
		if (!loaded.file) {
			found.push(...loaded.problems);
			continue;
		}
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
