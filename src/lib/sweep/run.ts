import { simulateScenario, throwIfCancelled, truncatedTo, type PathSource, type SimulatedPaths } from '../analysis/common';
import { estimateFrom, perPathValues } from '../analysis/indicator';
import type { Scenario } from '../scenario/schema';
import { scenarioAt, type SweepPlan } from './plan';
import type { SweepFile } from './schema';

/** One point's result: its factor values and each output's estimate with its Monte Carlo standard error. */
export interface SweepRecord {
	point: number;
	factors: Record<string, number>;
	outputs: Record<string, { value: number; se: number }>;
}

/**
 * The scenario a point simulates: the base with the factors set, cut after the last year any output
 * needs. (Here rather than in plan.ts, which the page imports to check a sweep cell's text: the
 * engine stays out of the page.)
 */
export function simulatedScenarioAt(plan: SweepPlan, values: readonly number[]): Scenario {
	return truncatedTo(scenarioAt(plan.base, plan.factors, values), plan.lastYear);
}

/**
 * One point of a sweep as a job for a thread that runs it whole (sweep/point-job.ts): its paths
 * simulated and its outputs computed there, so only the small record travels back. A sweep's
 * points are many and small (1,000 paths simulate in tens of milliseconds); splitting each over
 * every thread, and moving its raw paths to the coordinator, cost more than it saved.
 */
export interface PointJob {
	/** The sweep's hash: a thread plans each sweep once. */
	sweep: string;
	definition: SweepFile;
	base: Scenario;
	point: number;
	values: number[];
}

/** The job for point `point` with factor values `values`. */
export function pointJob(plan: SweepPlan, point: number, values: number[]): PointJob {
	return { sweep: plan.hash, definition: plan.definition, base: plan.base, point, values };
}

/** Factor values of one point (a row of the design). */
export function pointValues(design: Float64Array, factorCount: number, point: number): number[] {
	return Array.from(design.subarray(point * factorCount, (point + 1) * factorCount));
}

/**
 * Simulates one point and computes its outputs. Every point uses the sweep's seed, so its random
 * numbers depend only on (seed, path, stream): common random numbers across points, and results
 * that do not depend on which process runs the point.
 */
export async function evaluatePoint(plan: SweepPlan, values: readonly number[], point: number, source?: PathSource): Promise<SweepRecord> {
	return recordOf(plan, await simulateScenario(simulatedScenarioAt(plan, values), { seed: plan.seed, paths: plan.paths, source }), values, point);
}

/** A point's record from its simulated paths. */
export function recordOf(plan: SweepPlan, paths: SimulatedPaths, values: readonly number[], point: number): SweepRecord {
	const factors: Record<string, number> = {};
	plan.factors.forEach((factor, i) => (factors[factor.name] = values[i]));
	const outputs: Record<string, { value: number; se: number }> = {};
	for (const output of plan.outputs) {
		const { value, se } = estimateFrom(perPathValues(paths, output.indicator), output.indicator);
		outputs[output.name] = { value, se };
	}
	return { point, factors, outputs };
}

/** Runs a point whole somewhere (a thread of a runner: see sweep/point-job.ts) and gives its record. */
export type PointEvaluator = (job: PointJob) => Promise<SweepRecord>;

export interface RunPointsOptions {
	/** Where each point's paths come from when it is evaluated in this thread (default: simulated here). */
	source?: PathSource;
	/** Threads that run points whole instead, one lane each; `source` is then unused. */
	evaluators?: readonly PointEvaluator[];
	/** Points in flight per lane (default 2: one running while the last one's record comes back). */
	concurrency?: number;
	signal?: AbortSignal;
	/** Called as each point finishes (in any order), with the points done so far. */
	onPoint?: (record: SweepRecord, done: number) => void;
}

/** Runs points [first, end) of the design; the records come back in point order whatever the concurrency. */
export async function runPoints(plan: SweepPlan, design: Float64Array, first: number, end: number, options: RunPointsOptions = {}): Promise<SweepRecord[]> {
	const records: SweepRecord[] = new Array(Math.max(0, end - first));
	const k = plan.factors.length;
	let next = first;
	let done = 0;
	const here: PointEvaluator = (job) => evaluatePoint(plan, job.values, job.point, options.source);
	const lane = async (evaluate: PointEvaluator) => {
		while (next < end) {
			throwIfCancelled(options.signal);
			const point = next++;
			const record = await evaluate(pointJob(plan, point, pointValues(design, k, point)));
			records[point - first] = record;
			options.onPoint?.(record, ++done);
		}
	};
	const evaluators = options.evaluators ?? [here];
	const perLane = Math.max(1, options.concurrency ?? 2);
	await Promise.all(evaluators.flatMap((evaluate) => Array.from({ length: perLane }, () => lane(evaluate))));
	return records;
}
