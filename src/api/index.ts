/**
 * magnet-scenarios as a library: load and validate scenarios, run them on every core through the
 * same runner as the command-line tools, compare two on common random numbers, evaluate an
 * indicator or a threshold, and run a check file. Each function gives what the matching CLI prints
 * (`npm run batch`, `npm run analyse`, `npm run check:scenarios`) for the same input, seed and paths.
 *
 * Bad input (a scenario, a check file, an expression, an option) throws {@link ScenarioInputError}
 * carrying the same problem list the CLI prints. An aborted call rejects with an error named
 * `AbortError` and leaves no thread running.
 *
 * @packageDocumentation
 */

import { simulateScenario, truncatedTo } from '../lib/analysis/common';
import { compareScenarios as compareOnCommonNumbers, type ComparisonResult } from '../lib/analysis/compare';
import { evaluateIndicator as indicatorOf, toIndicator, type IndicatorSpec, type IndicatorValue } from '../lib/analysis/indicator';
import { checkThreshold, parseThreshold, thresholdProbabilities, type ThresholdResult } from '../lib/analysis/threshold';
import { executePlan, keepMetrics } from '../lib/checks/execute';
import type { CheckResult } from '../lib/checks/evaluate';
import { formatCheckResult, formatReport, summarise } from '../lib/checks/report';
import type { RunResult } from '../lib/engine/run';
import { workProblem } from '../lib/limits';
import { modelVersion as currentModelVersion } from '../lib/model/version';
import type { Problem } from '../lib/problems';
import { firstUnknownMonth } from '../lib/scenario/now';
import { buildLibrary } from '../lib/scenario/resolve';
import type { Scenario } from '../lib/scenario/schema';
import { monthRange } from '../lib/time/months';
import { planCheckFiles } from '../cli/check-files';
import { readScenarioDirectory, scenariosDirectory } from '../cli/scenario-files';
import { checkOptions, guarded, loadScenarioFrom, ScenarioInputError, simulate, withRunner, type LoadOptions, type SimulationOptions } from './internal';

export { ScenarioInputError };
export type { LoadOptions, SimulationOptions };
export type { Problem, Scenario, RunResult, ComparisonResult, IndicatorSpec, IndicatorValue, ThresholdResult, CheckResult };

/**
 * The version of the model behind every number (results carry it as `modelVersion`). It changes
 * when the model's numbers change; the package's own semver covers the API.
 */
export const modelVersion: string = currentModelVersion;

/** The ids of the scenario library (the package's `scenarios/*.json`), sorted. */
export function libraryIds(): string[] {
	const { library } = buildLibrary(readScenarioDirectory(scenariosDirectory));
	return [...library.keys()].sort();
}

/** What {@link loadScenario} and the other functions accept as a scenario. */
export type ScenarioSource = string | Scenario | Record<string, unknown>;

/**
 * Loads and validates a scenario: a library id (`'baseline'`), a path to a `.json` scenario file
 * (which may `extends` a library scenario), or a scenario-file object (the JSON of such a file).
 * `extends` is resolved and defaults filled, as the CLIs do.
 *
 * @throws {@link ScenarioInputError} with the problems `npm run batch` prints for the same input.
 */
export function loadScenario(source: ScenarioSource, options?: LoadOptions): Scenario {
	return loadScenarioFrom(source, options);
}

/** Options of {@link runScenario}. */
export interface RunOptions extends SimulationOptions {
	/** Called as paths complete, with paths done and the total. */
	onProgress?: (done: number, total: number) => void;
}

/**
 * Runs a scenario and returns exactly the result object `npm run -s batch -- <id>` prints (same
 * JSON, same `fingerprint` for the same seed and paths). Defaults: the scenario's own `seed` and
 * `paths`; every core (`workers: 1` runs in this thread).
 *
 * @throws {@link ScenarioInputError} for a bad scenario or option; rejects with an `AbortError` when `signal` aborts.
 */
export async function runScenario(scenario: ScenarioSource, options: RunOptions = {}): Promise<RunResult> {
	const checked = checkOptions(options);
	const resolved = loadScenarioFrom(scenario);
	return (await simulate(resolved, checked, { onProgress: options.onProgress, signal: options.signal })).result;
}

/** Options of the analyses: paths default to 2,000 and the seed to the (first) scenario's, as `npm run analyse`. */
export type AnalysisOptions = SimulationOptions;

/** Paths and seed of an analysis, with its budget checked before anything runs. */
function analysisSettings(scenarios: readonly Scenario[], options: AnalysisOptions | undefined, minPaths = 1) {
	const checked = checkOptions(options, minPaths);
	const paths = checked.paths ?? 2000;
	for (const scenario of scenarios) {
		const problem = workProblem(paths, monthRange(scenario.start, scenario.end).length, 'options', 'paths');
		if (problem) throw new ScenarioInputError([{ ...problem, message: `${scenario.id}: ${problem.message}` }]);
	}
	return { paths, seed: checked.seed ?? scenarios[0].seed, workers: checked.workers };
}

/** Options of {@link compareScenarios}. */
export interface CompareOptions extends AnalysisOptions {
	/** Metrics to compare (default: every metric). */
	metrics?: string[];
}

/**
 * Scenario `b` against scenario `a` on common random numbers (path i of both uses the same
 * draws), as `npm run analyse -- compare a b`: per metric, the fan chart of the per-path
 * difference b − a and P(b worse / better than a) by month.
 */
export async function compareScenarios(a: ScenarioSource, b: ScenarioSource, options: CompareOptions = {}): Promise<ComparisonResult> {
	const first = loadScenarioFrom(a);
	const second = loadScenarioFrom(b);
	const settings = analysisSettings([first, second], options);
	const metrics = options.metrics;
	return withRunner(settings.workers, options.signal, (runner) =>
		compareOnCommonNumbers(first, second, {
			seed: settings.seed,
			paths: settings.paths,
			metrics,
			source: runner.pathSource(options.signal),
			signal: options.signal
		})
	);
}

/**
 * An indicator's estimate and Monte Carlo standard error: `'median usMagnetPrice 2030'`,
 * `'mean chinaShare 2030'`, `'total shortfall 2030'`, `'P(shortfall > 0) in 2027'`,
 * `'P(relianceCut >= 30 %) by 2030'` (or the same as an {@link IndicatorSpec} object).
 * Gives `{ label, value, se, unit, paths }`, the numbers `npm run analyse` works with.
 */
export async function evaluateIndicator(scenario: ScenarioSource, indicator: string | IndicatorSpec, options: AnalysisOptions = {}): Promise<IndicatorValue> {
	const resolved = loadScenarioFrom(scenario);
	const settings = analysisSettings([resolved], options);
	// Checked before simulating: a mistake costs nothing.
	const spec = guarded(() => toIndicator(indicator, monthRange(resolved.start, resolved.end)));
	return withRunner(settings.workers, options.signal, async (runner) => {
		const paths = await simulateScenario(truncatedTo(resolved, spec.year), { ...settings, source: runner.pathSource(options.signal), signal: options.signal });
		return indicatorOf(paths, spec);
	});
}

/**
 * Probabilities over time of meeting a threshold (`'shortfall > 0'`, `'usMagnetPrice > 2 × start'`,
 * `'chinaShare < 60 %'`), as `npm run analyse -- threshold`: in each month, per year, and reached
 * by each month (counted from the scenario's first month not yet known).
 */
export async function evaluateThreshold(scenario: ScenarioSource, threshold: string, options: AnalysisOptions = {}): Promise<ThresholdResult> {
	const resolved = loadScenarioFrom(scenario);
	const settings = analysisSettings([resolved], options);
	const spec = guarded(() => {
		const parsed = parseThreshold(threshold);
		checkThreshold(parsed);
		return parsed;
	});
	return withRunner(settings.workers, options.signal, async (runner) => {
		const paths = await simulateScenario(resolved, { ...settings, source: runner.pathSource(options.signal), signal: options.signal });
		return thresholdProbabilities(paths, spec, firstUnknownMonth(resolved));
	});
}

/** Options of {@link runCheckFile}, as `npm run check:scenarios`'s. */
export interface CheckFileOptions {
	/** Only checks whose "file › group › it" contains this text (case-insensitive). */
	filter?: string;
	/** Paths per run, replacing each file's default (a check's own `paths` still win); at least 10. */
	paths?: number;
	/** Threads simulating (default: every core). */
	workers?: number;
	/** Refuse, before starting, a plan needing more distinct runs than this (default 80). */
	maxRuns?: number;
	/** Print every case of every check in `lines` (as `--verbose`). */
	verbose?: boolean;
	signal?: AbortSignal;
}

/** One claim of a check file and its verdict. */
export interface CheckClaim {
	/** The check file, group and the claim's `it`. */
	file: string;
	group: string;
	it: string;
	verdict: 'pass' | 'fail' | 'inconclusive';
	/** When inconclusive: about how many paths would settle it (Infinity when a figure equals its bound). */
	settlePaths?: number;
	/** The report's lines for this claim (figure, bound, margin in SE; why and where when not passed). */
	lines: string[];
}

/** What `npm run check:scenarios <file>` reports. */
export interface CheckReport {
	claims: CheckClaim[];
	passed: number;
	failed: number;
	inconclusive: number;
	/** Notes of the plan (e.g. matrices expanded), as the CLI prints them first. */
	notes: string[];
	/** The report as the CLI prints it, line by line. */
	lines: string[];
	/** The check engine's full results (cases, figures, margins). */
	results: CheckResult[];
	/** The CLI's exit status: 0 when nothing failed (inconclusive claims do not fail the run), else 1. */
	exitCode: 0 | 1;
}

/**
 * Runs a check file (YAML or JSON, or a directory of them) as `npm run check:scenarios` does:
 * same plan, runner, verdicts (margin ≥ factor × SE) and report. Scenarios the checks name come
 * from the library.
 *
 * @throws {@link ScenarioInputError} with the CLI's problems for a bad file or option.
 */
export async function runCheckFile(path: string | string[], options: CheckFileOptions = {}): Promise<CheckReport> {
	const checked = checkOptions({ paths: options.paths, workers: options.workers, signal: options.signal }, 10);
	const problems: Problem[] = [];
	const maxRuns = options.maxRuns ?? 80;
	if (!Number.isSafeInteger(maxRuns) || maxRuns < 1)
		problems.push({ source: 'options', path: 'maxRuns', message: `expected a whole number from 1, found ${String(maxRuns)}` });
	if (options.filter !== undefined && (typeof options.filter !== 'string' || options.filter.trim() === ''))
		problems.push({ source: 'options', path: 'filter', message: 'expected some text' });
	const files = typeof path === 'string' ? [path] : path;
	if (!Array.isArray(files) || files.length === 0 || files.some((file) => typeof file !== 'string'))
		problems.push({ source: 'options', path: 'path', message: 'expected a check file or directory (or a list of them)' });
	if (problems.length > 0) throw new ScenarioInputError(problems);
	const plan = guarded(() => {
		const planned = planCheckFiles(files, { filter: options.filter, paths: checked.paths }, { source: 'options', path: 'filter' });
		if (planned.simulations.length > maxRuns) {
			throw new ScenarioInputError([
				{
					source: 'options',
					path: 'maxRuns',
					message: `the checks need ${planned.simulations.length} runs, more than the limit of ${maxRuns}; narrow them with filter or raise maxRuns`
				}
			]);
		}
		return planned;
	});
	const signal = options.signal;
	const results = await withRunner(
		checked.workers,
		signal,
		(runner) =>
			executePlan(
				plan,
				async (spec) => {
					const { result, block } = await runner.runScenario(spec.scenario, { seed: spec.seed, paths: spec.paths }, { signal });
					return keepMetrics(block, result.months, spec.metrics);
				},
				{ concurrency: 2 }
			),
		// The checks keep the metrics they need of each run's paths: no cache (as the CLI).
		{ blockCacheFloats: 0 }
	);
	const summary = summarise(results);
	return {
		claims: results.map((result) => ({
			file: result.check.source,
			group: result.check.group,
			it: result.check.name,
			verdict: result.verdict,
			...(result.settlePaths === undefined ? {} : { settlePaths: result.settlePaths }),
			lines: formatCheckResult(result, { verbose: options.verbose })
		})),
		...summary,
		notes: plan.notes,
		lines: formatReport(results, { verbose: options.verbose }),
		results,
		exitCode: summary.failed > 0 ? 1 : 0
	};
}
