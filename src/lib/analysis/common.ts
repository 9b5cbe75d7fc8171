import { simulatePaths, concatBlocks, type PathBlock } from '../engine/simulate';
import { metricIndex, type MetricName } from '../model/metrics';
import { buildTimeline } from '../engine/timeline';
import { InputError } from '../problems';
import { workProblem } from '../limits';
import type { Scenario } from '../scenario/schema';
import { monthRange, monthToAbsolute } from '../time/months';

export { analysisError, checkMetric, checkYear, unitOf, yearsOf } from './input';

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

/** Month-major values of one metric. */
export function metricValues(paths: SimulatedPaths, metric: MetricName): Float32Array {
	return paths.block.metrics[metricIndex[metric]];
}

/** Row indices of the months of a calendar year. */
export function monthsOfYear(months: readonly string[], year: number): number[] {
	const prefix = `${year}-`;
	return months.flatMap((m, t) => (m.startsWith(prefix) ? [t] : []));
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
