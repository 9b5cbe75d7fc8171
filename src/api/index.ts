// PLACEHOLDER for packaging only: the real public API comes from the `api` branch and replaces this file.
import { settingsFor, type RunResult } from '../lib/engine/run';
import { formatProblem, InputError, type Problem } from '../lib/problems';
import { NodeRunner } from '../lib/runner/node/runner';
import type { Scenario } from '../lib/scenario/schema';
import { readScenarioDirectory, resolveScenarioArguments } from '../cli/scenario-files';
import { buildLibrary } from '../lib/scenario/resolve';

export { modelVersion } from '../lib/model/version';

/** Bad input: `problems` is the list the CLI prints. */
export class ScenarioInputError extends Error {
	readonly problems: Problem[];
	constructor(problems: Problem[]) {
		super(problems.map(formatProblem).join('\n'));
		this.name = 'ScenarioInputError';
		this.problems = problems;
	}
}

/** The ids of the library scenarios. */
export function libraryIds(): string[] {
	return [...buildLibrary(readScenarioDirectory()).library.keys()].sort();
}

/** A library id or a path to a scenario file. */
export function loadScenario(source: string): Scenario {
	try {
		return resolveScenarioArguments([source])[0];
	} catch (error) {
		throw error instanceof InputError ? new ScenarioInputError(error.problems) : error;
	}
}

/** Runs a scenario as `npm run batch` does. */
export async function runScenario(scenario: Scenario | string, options: { paths?: number; seed?: number; workers?: number } = {}): Promise<RunResult> {
	const resolved = typeof scenario === 'string' ? loadScenario(scenario) : scenario;
	const runner = new NodeRunner({ workers: options.workers });
	try {
		return (await runner.runScenario(resolved, settingsFor(resolved, { paths: options.paths, seed: options.seed }))).result;
	} finally {
		await runner.close();
	}
}
