import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadCheckText, type LoadedCheckFile } from '../lib/checks/parse';
import { planChecks, type Plan } from '../lib/checks/plan';
import { workProblem } from '../lib/limits';
import { monthRange } from '../lib/time/months';
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

/**
 * Reads, validates and plans the checks in `files` (files or directories; none means every one in
 * checks/); throws InputError before anything runs. `filterAt` names where the filter came from in
 * a "no check matches" problem (the command line's `--filter`, the API's `filter` option).
 */
export function planCheckFiles(
	files: readonly string[],
	options: { filter?: string; paths?: number },
	filterAt: Pick<Problem, 'source' | 'path'> = { source: 'command line', path: '--filter' }
): Plan {
	const found = findCheckFiles([...files]);
	if (found.problems.length > 0) throw new InputError(found.problems);
	if (found.files.length === 0) throw new InputError([{ source: filterAt.source, path: '', message: 'no check files found' }]);
	const plan = planChecks(loadCheckFiles(found.files), scenarioLibrary(), { filter: options.filter, paths: options.paths });
	const overBudget = plan.simulations.flatMap((spec) => {
		const problem = workProblem(spec.paths, monthRange(spec.scenario.start, spec.scenario.end).length, spec.label, 'paths');
		return problem ? [problem] : [];
	});
	if (overBudget.length > 0) throw new InputError(overBudget);
	if (plan.checks.length === 0 && options.filter) throw new InputError([{ ...filterAt, message: `no check matches "${options.filter}"` }]);
	return plan;
}
