import { checkMetric } from './input';
import { metricValues, type SimulatedPaths } from './common';
import { proportionEstimate, type Estimate } from '../stats/estimates';
import { satisfies } from '../stats/probability-syntax';
import { checkThreshold, parseThreshold, type CheckedThreshold, type ThresholdSpec } from './threshold-spec';

export * from './threshold-spec';

/** Whether `value` meets the threshold on a path whose first month was `startValue`. */
export function meets(threshold: CheckedThreshold, value: number, startValue: number): boolean {
	return satisfies(value, threshold.comparison, threshold.relativeToStart ? threshold.level * startValue : threshold.level);
}

/** Month-major 0/1 flags: does path i meet the threshold in month t? */
export function thresholdFlags(values: Float32Array | Float64Array, pathCount: number, monthCount: number, threshold: CheckedThreshold): Uint8Array {
	const flags = new Uint8Array(pathCount * monthCount);
	for (let t = 0; t < monthCount; t++) {
		const row = t * pathCount;
		for (let i = 0; i < pathCount; i++) flags[row + i] = meets(threshold, values[row + i], values[i]) ? 1 : 0;
	}
	return flags;
}

export interface ThresholdResult {
	threshold: CheckedThreshold;
	paths: number;
	months: string[];
	/** P(the threshold is met in month t), with its standard error. */
	inMonth: { p: number[]; se: number[] };
	/** The first month "reached" counts: the scenario's "now" (see `firstUnknownMonth`), or the first month. */
	reachedFrom: string;
	/** P(the threshold has been met in some month from `reachedFrom` through month t); NaN before `reachedFrom`. */
	reachedByMonth: { p: number[]; se: number[] };
	/** Per calendar year: P(met in some month of the year) and P(met from `reachedFrom` to the end of the year). */
	byYear: { year: number; inYear: Estimate; reachedBy: Estimate }[];
}

/**
 * Probabilities over time of meeting a threshold, for any month-major series. "Reached" counts from
 * `reachedFrom` (default: the first month): a level met only in months already known is not a
 * forecast of reaching it.
 */
export function thresholdOverSeries(
	values: Float32Array | Float64Array,
	pathCount: number,
	months: readonly string[],
	threshold: CheckedThreshold,
	reachedFrom: string = months[0]
): ThresholdResult {
	const monthCount = months.length;
	const notCounted = { value: Number.NaN, se: Number.NaN };
	const flags = thresholdFlags(values, pathCount, monthCount, threshold);
	const reached = new Uint8Array(pathCount);
	const inYear = new Uint8Array(pathCount);
	const inMonth = { p: [] as number[], se: [] as number[] };
	const reachedByMonth = { p: [] as number[], se: [] as number[] };
	const byYear: ThresholdResult['byYear'] = [];
	let reachedCount = 0;
	let inYearCount = 0;
	for (let t = 0; t < monthCount; t++) {
		const row = t * pathCount;
		let count = 0;
		for (let i = 0; i < pathCount; i++) {
			if (flags[row + i] === 0) continue;
			count++;
			if (reached[i] === 0 && months[t] >= reachedFrom) {
				reached[i] = 1;
				reachedCount++;
			}
			if (inYear[i] === 0) {
				inYear[i] = 1;
				inYearCount++;
			}
		}
		const month = proportionEstimate(count, pathCount);
		inMonth.p.push(month.value);
		inMonth.se.push(month.se);
		const soFar = months[t] >= reachedFrom ? proportionEstimate(reachedCount, pathCount) : notCounted;
		reachedByMonth.p.push(soFar.value);
		reachedByMonth.se.push(soFar.se);
		const year = Number(months[t].slice(0, 4));
		if (t === monthCount - 1 || Number(months[t + 1].slice(0, 4)) !== year) {
			byYear.push({ year, inYear: proportionEstimate(inYearCount, pathCount), reachedBy: soFar });
			inYear.fill(0);
			inYearCount = 0;
		}
	}
	return { threshold, paths: pathCount, months: [...months], inMonth, reachedFrom: reachedFrom > months[0] ? reachedFrom : months[0], reachedByMonth, byYear };
}

/** Threshold probabilities of a metric over simulated paths; "reached" counts from `reachedFrom` (default: the first month). */
export function thresholdProbabilities(paths: SimulatedPaths, spec: ThresholdSpec | string, reachedFrom?: string): ThresholdResult {
	const checked = checkThreshold(typeof spec === 'string' ? parseThreshold(spec) : spec);
	return thresholdOverSeries(metricValues(paths, checkMetric(checked.series, 'threshold')), paths.block.pathCount, paths.months, checked, reachedFrom);
}

/** P(reached by year Y) as a curve over the horizon's years. */
export function reachedByYearCurve(result: ThresholdResult): { year: number; p: number; se: number }[] {
	return result.byYear.map(({ year, reachedBy }) => ({ year, p: reachedBy.value, se: reachedBy.se }));
}
