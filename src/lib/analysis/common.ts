import { simulatePaths, concatBlocks, type PathBlock } from '../engine/simulate';
import { metricIndex, metricNames, metricUnit, type MetricName } from '../model/metrics';
import { buildTimeline } from '../model/timeline';
import { InputError, isMetricName, unknownMetricMessage } from '../problems';
import { workProblem } from '../scenario/load';
import type { Scenario } from '../scenario/schema';
import { monthRange, monthToAbsolute } from '../time/months';

/**
 * Shared pieces of the analyses. Everything under `src/lib/analysis/` is pure TypeScript over
 * engine data (no `node:` imports), so it runs the same in a browser worker and in Node.
 */

/** Simulated paths together with the calendar months of their rows. */
export interface SimulatedPaths {
	months: readonly string[];
	block: PathBlock;
}

/** Where an analysis gets paths from: in this thread by default; a worker pool can stand in. */
export type PathSource = (scenario: Scenario, seed: number, firstPath: number, pathCount: number) => PathBlock | Promise<PathBlock>;

export const localPaths: PathSource = (scenario, seed, firstPath, pathCount) => simulatePaths(buildTimeline(scenario), seed, firstPath, pathCount);

/** Settings shared by the analyses that simulate: seed, path count, and how to get paths. */
export interface SimulationSettings {
	seed: number;
	paths: number;
	/** Paths simulated per call to `source`; results never depend on it. Default: all at once. */
	chunkPaths?: number;
	source?: PathSource;
	/** Called after each simulated scenario or chunk, with work done and total (in paths). */
	onProgress?: (done: number, total: number) => void;
	/** Stops the analysis between chunks (throws `AnalysisCancelled`). */
	signal?: AbortSignal;
}

export class AnalysisCancelled extends Error {
	constructor() {
		super('the analysis was cancelled');
		this.name = 'AnalysisCancelled';
	}
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new AnalysisCancelled();
}

/** Paths [0, paths) of a scenario, simulated in chunks; the bytes do not depend on the chunking. */
export async function simulateScenario(scenario: Scenario, settings: SimulationSettings): Promise<SimulatedPaths> {
	const source = settings.source ?? localPaths;
	const chunk = Math.max(1, settings.chunkPaths ?? settings.paths);
	const months = monthRange(scenario.start, scenario.end);
	const overBudget = workProblem(settings.paths, months.length, scenario.id, 'paths');
	if (overBudget) throw new InputError([overBudget]);
	const blocks: PathBlock[] = [];
	for (let first = 0; first < settings.paths; first += chunk) {
		throwIfCancelled(settings.signal);
		blocks.push(await source(scenario, settings.seed, first, Math.min(chunk, settings.paths - first)));
	}
	return { months, block: concatBlocks(blocks) };
}

/** One problem as an InputError, with the analysis as its source. */
export function analysisError(source: string, path: string, message: string): InputError {
	return new InputError([{ source, path, message }]);
}

/** Checks a metric name, or says which names exist (and the nearest one), or what replaced a removed one. */
export function checkMetric(name: unknown, source: string, path = 'metric'): MetricName {
	if (typeof name !== 'string') throw analysisError(source, path, `expected a metric name, found ${JSON.stringify(name)}; metrics: ${metricNames.join(', ')}`);
	if (!isMetricName(name)) throw analysisError(source, path, unknownMetricMessage(name));
	return name;
}

export function unitOf(metric: MetricName): string {
	return metricUnit[metric];
}

/** Month-major values of one metric. */
export function metricValues(paths: SimulatedPaths, metric: MetricName): Float32Array {
	return paths.block.metrics[metricIndex[metric]];
}

/** Row indices of the months of a calendar year. */
export function monthsOfYear(months: readonly string[], year: number): number[] {
	const prefix = `${year}-`;
	return months.flatMap((m, t) => (m.startsWith(prefix) ? [t] : []));
}

export function yearsOf(months: readonly string[]): number[] {
	return [...new Set(months.map((m) => Number(m.slice(0, 4))))];
}

/** Checks that a year lies inside the horizon of `months`. */
export function checkYear(year: unknown, months: readonly string[], source: string, path = 'year'): number {
	const years = yearsOf(months);
	if (typeof year !== 'number' || !Number.isInteger(year)) {
		throw analysisError(source, path, `expected a calendar year such as ${years[0]}, found ${JSON.stringify(year)}`);
	}
	if (!years.includes(year)) {
		throw analysisError(source, path, `${year} is outside the horizon ${months[0]} … ${months.at(-1)}`);
	}
	return year;
}

/**
 * The scenario cut at the end of `year` (or kept as is when it ends earlier). Months are simulated
 * in order from the start, so earlier months are identical: analyses that look at one year save
 * the cost of simulating the rest.
 */
export function truncatedTo(scenario: Scenario, year: number): Scenario {
	const end = `${year}-12`;
	if (monthToAbsolute(end) >= monthToAbsolute(scenario.end)) return scenario;
	return { ...scenario, end };
}

/** The scenario's horizon as text. */
export function horizonOf(scenario: Pick<Scenario, 'start' | 'end'>): string {
	return `${scenario.start} … ${scenario.end}`;
}
