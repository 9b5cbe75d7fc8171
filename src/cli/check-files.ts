import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadCheckText, type LoadedCheckFile } from '../lib/checks/parse';
import { buildLibrary, type ScenarioLibrary } from '../lib/scenario/resolve';
import { InputError, type Problem } from '../lib/problems';
import { readInputFile } from './input-files';
import { packageRoot } from './package-root';
import { readScenarioDirectory } from './scenario-files';

export const checksDirectory = join(packageRoot, 'checks');
export const checkSchemaFile = 'check.schema.json';

const isCheckFile = (name: string) => /\.(ya?ml|json)$/i.test(name) && name !== checkSchemaFile;

function display(path: string): string {
	const shown = relative(process.cwd(), path);
	return shown.startsWith('..') ? path : shown;
}

/** Check files named on the command line (files or directories), or every one in checks/. */
export function findCheckFiles(argumentsList: readonly string[]): { files: string[]; problems: Problem[] } {
	const problems: Problem[] = [];
	const files: string[] = [];
	const fromDirectory = (directory: string) =>
		readdirSync(directory)
			.filter(isCheckFile)
			.sort()
			.map((name) => join(directory, name));
	if (argumentsList.length === 0) {
		// The installed package ships no checks/: there, check files must be named.
		if (!existsSync(checksDirectory))
			return { files, problems: [{ source: 'command line', path: '', message: 'no check files given; name check files or directories' }] };
		return { files: fromDirectory(checksDirectory), problems };
	}
	for (const argument of argumentsList) {
		if (!existsSync(argument)) {
			problems.push({ source: argument, path: '', message: 'no such file or directory' });
			continue;
		}
		if (statSync(argument).isDirectory()) {
			files.push(...fromDirectory(argument));
			continue;
		}
		if (!/\.(ya?ml|json)$/i.test(argument)) {
			problems.push({ source: argument, path: '', message: 'expected a check file ending in .yaml, .yml or .json' });
			continue;
		}
		files.push(argument);
	}
	return { files, problems };
}

export function loadCheckFiles(files: readonly string[]): LoadedCheckFile[] {
	return files.map((file) => {
		const source = display(resolve(file));
		const read = readInputFile(file, source);
		if (read.problem) return { source, problems: [read.problem], locate: () => source };
		return loadCheckText(read.text, source);
	});
}

/** The scenario library from scenarios/; a broken scenario file is an input error. */
export function scenarioLibrary(): ScenarioLibrary {
	const { library, problems } = buildLibrary(readScenarioDirectory());
	if (problems.length > 0) throw new InputError(problems);
	return library;
}
