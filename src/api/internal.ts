/**
 * The API's plumbing, shared by `index.ts` and `vitest.ts` but not part of the public surface:
 * option checking, the typed error, scenario loading and one run through the CLIs' runner.
 * Everything here composes existing modules; nothing is computed a second time.
 */

import { availableParallelism } from 'node:os';
import { AnalysisCancelled } from '../lib/analysis/common';
import type { RunResult } from '../lib/engine/run';
import { settingsFor } from '../lib/engine/run';
import type { PathBlock } from '../lib/engine/simulate';
import { runLimits, workProblem } from '../lib/limits';
import { formatProblem, InputError, type Problem } from '../lib/problems';
import { validateScenarioFile } from '../lib/scenario/read';
import { buildLibrary, resolveScenario } from '../lib/scenario/resolve';
import type { Scenario } from '../lib/scenario/schema';
import { NodeRunner } from '../lib/runner/node/runner';
import { monthRange } from '../lib/time/months';
import { readScenarioDirectory, resolveScenarioArguments, scenariosDirectory } from '../cli/scenario-files';

/**
 * Bad input given to the API: a scenario, a check file, an expression or an option. `problems`
 * is the list the command-line tools print for the same input (one `Problem` per mistake, all of
 * them at once); `message` is that list formatted, one problem a line.
 */
export class ScenarioInputError extends Error {
	/** Every problem found, as the CLI reports them. */
	readonly problems: Problem[];
	constructor(problems: Problem[]) {
		super(problems.map(formatProblem).join('\n'));
		this.name = 'ScenarioInputError';
		this.problems = problems;
	}
}

/** Runs `action`, turning the library's InputError into the API's ScenarioInputError. */
export function guarded<T>(action: () => T): T {
	try {
		return action();
	} catch (error) {
		throw error instanceof InputError ? new ScenarioInputError(error.problems) : error;
	}
}

/** The async form of `guarded`. */
export async function guardedAsync<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (error) {
		throw error instanceof InputError ? new ScenarioInputError(error.problems) : error;
	}
}

/** Where an option's problem is reported: the source "options", the path its name. */
function optionProblem(name: string, message: string): Problem {
	return { source: 'options', path: name, message };
}

function describe(value: unknown): string {
	return typeof value === 'string'
		? JSON.stringify(value)
		: typeof value === 'number' || typeof value === 'boolean'
			? String(value)
			: value === null
				? 'null'
				: typeof value;
}

/** A whole-number option within [min, max] (as the CLIs' --paths, --seed, --workers); undefined stays undefined. */
function wholeNumber(value: unknown, name: string, min: number, max: number, problems: Problem[]): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
		problems.push(optionProblem(name, `expected a whole number, found ${describe(value)}`));
		return undefined;
	}
	if (value < min || value > max) {
		problems.push(optionProblem(name, `must be between ${min} and ${max}, found ${value}`));
		return undefined;
	}
	return value;
}

/** Options every simulating call takes. */
export interface SimulationOptions {
	/** Paths to simulate (a whole number ≥ 1, at most 200,000). */
	paths?: number;
	/** Seed of the random streams (a whole number from 0 to 2³² − 1). */
	seed?: number;
	/** Threads simulating: 1 runs in this thread; default every core (more than the cores are clamped to them, as the CLIs do). */
	workers?: number;
	/** Stops the work: the call rejects with an error named `AbortError` and every thread it started is ended. */
	signal?: AbortSignal;
}

export interface CheckedOptions {
	paths?: number;
	seed?: number;
	workers: number;
}

/** Checks paths, seed and workers, reporting every bad one at once; `minPaths` as the matching CLI's. */
export function checkOptions(options: unknown, minPaths = 1): CheckedOptions {
	if (options !== undefined && (options === null || typeof options !== 'object')) {
		throw new ScenarioInputError([optionProblem('', `expected an object of options, found ${describe(options)}`)]);
	}
	const given = (options ?? {}) as Record<string, unknown>;
	const own = (key: string) => (Object.hasOwn(given, key) ? given[key] : undefined);
	const problems: Problem[] = [];
	const paths = wholeNumber(own('paths'), 'paths', minPaths, runLimits.maxPaths, problems);
	const seed = wholeNumber(own('seed'), 'seed', 0, runLimits.maxSeed, problems);
	const workers = wholeNumber(own('workers'), 'workers', 1, Number.MAX_SAFE_INTEGER, problems);
	const signal = own('signal');
	if (signal !== undefined && !(signal instanceof AbortSignal)) problems.push(optionProblem('signal', `expected an AbortSignal, found ${describe(signal)}`));
	const onProgress = own('onProgress');
	if (onProgress !== undefined && typeof onProgress !== 'function')
		problems.push(optionProblem('onProgress', `expected a function, found ${describe(onProgress)}`));
	if (problems.length > 0) throw new ScenarioInputError(problems);
	return { paths, seed, workers: Math.min(workers ?? availableParallelism(), availableParallelism()) };
}

/** The error an aborted call rejects with (named `AbortError`, as fetch's), the signal's reason as its cause. */
export function abortError(signal: AbortSignal): Error {
	const error = new Error('the run was aborted', { cause: signal.reason });
	error.name = 'AbortError';
	return error;
}

/** Scenarios `loadScenario` returned: passed back in, they are used as they are. */
const loaded = new WeakSet<object>();

/** Marks a resolved scenario as loaded (so passing it back in skips loading). */
export function remember(scenario: Scenario): Scenario {
	loaded.add(scenario);
	return scenario;
}

/** Options of `loadScenario`. */
export interface LoadOptions {
	/** What problems of a scenario object name as their source (default "scenario object"); a file's problems name the file. */
	source?: string;
}

/**
 * A scenario from a library id, a `.json` file (which may extend a library scenario) or a
 * scenario-file object, resolved and validated as the CLIs do it.
 */
export function loadScenarioFrom(source: unknown, options: LoadOptions = {}): Scenario {
	if (typeof source === 'object' && source !== null && loaded.has(source)) return source as Scenario;
	if (typeof source === 'string') return guarded(() => remember(resolveScenarioArguments([source], scenariosDirectory)[0]));
	const label = options.source ?? 'scenario object';
	if (typeof source !== 'object' || source === null || Array.isArray(source)) {
		throw new ScenarioInputError([
			{
				source: label,
				path: '',
				message: `expected a scenario id, a file path or a scenario object, found ${Array.isArray(source) ? 'an array' : describe(source)}`
			}
		]);
	}
	return guarded(() => {
		// As the CLI does for a file: the object joins the library (over a scenario of the same id) and is resolved there.
		const { library, problems } = buildLibrary(readScenarioDirectory(scenariosDirectory));
		const file = validateScenarioFile(source, label);
		if (!file.file) throw new InputError(file.problems);
		library.set(file.file.id, { ...file, file: file.file });
		try {
			return remember(resolveScenario(file.file.id, library));
		} catch (error) {
			// Problems in unrelated library files matter only when this scenario could not be resolved.
			if (error instanceof InputError) throw new InputError([...problems, ...error.problems]);
			throw error;
		}
	});
}

/** Runs `work` on a fresh NodeRunner and closes it (ending its threads) whatever happens; an abort becomes an AbortError. */
export async function withRunner<T>(
	workers: number,
	signal: AbortSignal | undefined,
	work: (runner: NodeRunner) => Promise<T>,
	runnerOptions: { reuseRunBlocks?: boolean; blockCacheFloats?: number } = {}
): Promise<T> {
	if (signal?.aborted) throw abortError(signal);
	const runner = new NodeRunner({ workers, ...runnerOptions });
	try {
		return await work(runner);
	} catch (error) {
		if (signal?.aborted || error instanceof AnalysisCancelled) throw signal ? abortError(signal) : error;
		throw error instanceof InputError ? new ScenarioInputError(error.problems) : error;
	} finally {
		await runner.close();
	}
}

/** What one run gives: the batch result and the raw paths behind it. */
export interface Simulated {
	scenario: Scenario;
	result: RunResult;
	block: PathBlock;
}

/** One run as `npm run batch` does it: the same settings, budget check and runner. */
export async function simulate(
	scenario: Scenario,
	options: CheckedOptions,
	extra: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}
): Promise<Simulated> {
	const settings = settingsFor(scenario, { seed: options.seed, paths: options.paths });
	const overBudget = workProblem(
		settings.paths,
		monthRange(scenario.start, scenario.end).length,
		options.paths !== undefined ? 'options' : scenario.id,
		'paths'
	);
	if (overBudget) throw new ScenarioInputError([{ ...overBudget, message: `${scenario.id}: ${overBudget.message}` }]);
	return withRunner(options.workers, extra.signal, async (runner) => {
		const { result, block } = await runner.runScenario(scenario, settings, { onProgress: extra.onProgress, signal: extra.signal });
		return { scenario, result, block };
	});
}
