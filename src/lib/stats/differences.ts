/**
 * Standard errors of differences between two runs on the same seed and paths (common random
 * numbers, CRN): path i of one run and path i of the other share their random draws, so their
 * difference is far less noisy than two independent runs would make it.
 *
 * - pathwise statistics (a mean, a proportion): the SE of the mean of the per-path differences
 *   x_i − times·y_i; for a proportion floored at one path's worth, as `proportionError`;
 * - quantiles: no per-path form exists, so by batch means: the paths are cut into up to 20
 *   consecutive batches of at least 10 paths, the statistic's difference is taken in each, and
 *   their spread gives the SE. With fewer than 20 paths (two batches) the two SEs are combined as
 *   if the runs were independent, √(se_x² + times²·se_y²), which overstates it under CRN;
 * - min / max over paths: exact, SE 0.
 */

import { meanEstimate, proportionError, quantileEstimate, type PathStatistic } from './estimates';

/** Batches of the batch-means method, at most, and the fewest paths in one. */
const BATCHES = 20;
const PATHS_PER_BATCH = 10;

/** SE of the mean of x_i − times·y_i over paths i (`x`, `y`: per-path values, or 0/1 for a proportion). */
function pathwiseDifferenceError(x: ArrayLike<number>, y: ArrayLike<number>, times: number): number {
	const difference = new Float64Array(x.length);
	for (let i = 0; i < x.length; i++) difference[i] = x[i] - times * y[i];
	return meanEstimate(difference).se;
}

function batchOf(values: ArrayLike<number>, from: number, to: number): Float64Array {
	return Float64Array.from({ length: to - from }, (_, i) => values[from + i]);
}

/**
 * SE of statistic(x) − times·statistic(y) for path-aligned samples by batch means: the paths are
 * cut into k consecutive batches by path index; the batch differences' spread over √k is the
 * whole sample's SE. Deterministic, and independent of how the paths were simulated. NaN with
 * fewer than two batches' worth of paths.
 */
function batchDifferenceError(x: ArrayLike<number>, y: ArrayLike<number>, times: number, statistic: (values: ArrayLike<number>) => number): number {
	const n = x.length;
	const k = Math.min(BATCHES, Math.floor(n / PATHS_PER_BATCH));
	if (k < 2) return Number.NaN;
	const effects = new Float64Array(k);
	for (let j = 0; j < k; j++) {
		const from = Math.floor((j * n) / k);
		const to = Math.floor(((j + 1) * n) / k);
		const own = statistic(batchOf(x, from, to));
		const other = times * statistic(batchOf(y, from, to));
		// Two equal values (also two equal infinities) differ by nothing.
		effects[j] = own === other ? 0 : own - other;
	}
	return meanEstimate(effects).se;
}

/**
 * Standard error of statistic(x) − times·statistic(y), `x` and `y` the per-path values of two runs
 * on the same seed and paths (for a proportion, 1 where the path shows the event, else 0).
 */
export function pairedDifferenceError(statistic: PathStatistic, x: ArrayLike<number>, y: ArrayLike<number>, times = 1): number {
	switch (statistic.kind) {
		case 'mean':
			return pathwiseDifferenceError(x, y, times);
		case 'proportion':
			return Math.max(pathwiseDifferenceError(x, y, times), proportionError(0, x.length));
		case 'extreme':
			return 0;
		case 'quantile': {
			const quantile = (values: ArrayLike<number>) => quantileEstimate(values, statistic.q).value;
			const batched = batchDifferenceError(x, y, times, quantile);
			if (!Number.isNaN(batched)) return batched;
			return Math.sqrt(quantileEstimate(x, statistic.q).se ** 2 + (times * quantileEstimate(y, statistic.q).se) ** 2);
		}
	}
}
