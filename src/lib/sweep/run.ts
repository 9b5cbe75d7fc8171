import { simulateScenario, throwIfCancelled, truncatedTo, type PathSource } from '../analysis/common';
import { estimateFrom, perPathValues } from '../analysis/indicator';
import type { Scenario } from '../scenario/schema';
import { scenarioAt, type SweepPlan } from './plan';

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
	const paths = await simulateScenario(simulatedScenarioAt(plan, values), { seed: plan.seed, paths: plan.paths, source });
	const factors: Record<string, number> = {};
	plan.factors.forEach((factor, i) => (factors[factor.name] = values[i]));
	const outputs: Record<string, { value: number; se: number }> = {};
	for (const output of plan.outputs) {
		const { value, se } = estimateFrom(perPathValues(paths, output.indicator), output.indicator);
		outputs[output.name] = { value, se };
	}
	return { point, factors, outputs };
}

export interface RunPointsOptions {
	source?: PathSource;
	/** Points simulated at once (default 2: one simulating while the last one's outputs are computed). */
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
	const worker = async () => {
		while (next < end) {
			throwIfCancelled(options.signal);
			const point = next++;
			const record = await evaluatePoint(plan, pointValues(design, k, point), point, options.source);
			records[point - first] = record;
			options.onPoint?.(record, ++done);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
	return records;
}
