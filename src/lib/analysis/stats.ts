/**
 * Small statistics over per-path values, by sorting copies or selecting order statistics;
 * percentiles use the engine's rank definitions:
 * linear interpolation between order statistics (type 7), and the median's standard error as half
 * the distance between the order statistics at ranks n/2 ± √n/2.
 */

import { medianErrorRanks, percentileRanks } from '../engine/quantiles';
import type { MetricSummary } from '../engine/summary';

function sortedCopy(values: ArrayLike<number>): Float64Array {
	return Float64Array.from(values).sort();
}

/** Below this many values, insertion sort finishes a selection. */
const INSERTION_SORT_BELOW = 16;

/**
 * Reorders `values` so that each of `ranks` (0-based, ascending) holds the value a sort would put
 * there: several order statistics by one quickselect (Hoare partitions, median-of-three pivots),
 * a fraction of the cost of sorting 10,000 values for the seven ranks of a summary. Values must
 * not be NaN.
 */
export function selectRanks(values: Float64Array, ranks: readonly number[]): void {
	if (ranks.length > 0) selectWithin(values, 0, values.length - 1, ranks, 0, ranks.length - 1);
}

function selectWithin(a: Float64Array, left: number, right: number, ranks: readonly number[], first: number, last: number): void {
	while (first <= last) {
		if (right - left < INSERTION_SORT_BELOW) {
			insertionSort(a, left, right);
			return;
		}
		const x = a[left];
		const y = a[(left + right) >>> 1];
		const z = a[right];
		const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
		let i = left;
		let j = right;
		while (i <= j) {
			while (a[i] < pivot) i++;
			while (a[j] > pivot) j--;
			if (i <= j) {
				const swap = a[i];
				a[i++] = a[j];
				a[j--] = swap;
			}
		}
		// Now a[left..j] ≤ pivot ≤ a[i..right], and anything between equals the pivot.
		let leftEnd = first;
		while (leftEnd <= last && ranks[leftEnd] <= j) leftEnd++;
		let rightStart = leftEnd;
		while (rightStart <= last && ranks[rightStart] < i) rightStart++;
		if (leftEnd > first) selectWithin(a, left, j, ranks, first, leftEnd - 1);
		first = rightStart;
		left = i;
	}
}

function insertionSort(a: Float64Array, left: number, right: number): void {
	for (let k = left + 1; k <= right; k++) {
		const value = a[k];
		let m = k - 1;
		while (m >= left && a[m] > value) {
			a[m + 1] = a[m];
			m--;
		}
		a[m + 1] = value;
	}
}

/** A Monte Carlo estimate and its standard error. */
export interface Estimate {
	value: number;
	se: number;
}

/** Mean and the standard error of the mean, sd / √n. */
export function meanEstimate(values: ArrayLike<number>): Estimate {
	const n = values.length;
	if (n === 0) return { value: Number.NaN, se: Number.NaN };
	let sum = 0;
	for (let i = 0; i < n; i++) sum += values[i];
	const mean = sum / n;
	let squares = 0;
	for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
	return { value: mean, se: n > 1 ? Math.sqrt(squares / (n - 1) / n) : Number.NaN };
}

/** A share of paths, with the binomial standard error √(p(1−p)/n). */
export function proportionEstimate(count: number, n: number): Estimate {
	const p = count / n;
	return { value: p, se: Math.sqrt((p * (1 - p)) / n) };
}

/**
 * Median (type-7 interpolation, as the engine's summaries) and its standard error from the order
 * statistics at ranks n/2 ± √n/2, as in the engine. `values` is not modified.
 */
export function medianEstimate(values: ArrayLike<number>): Estimate {
	const n = values.length;
	if (n === 0) return { value: Number.NaN, se: Number.NaN };
	const scratch = sortedCopy(values);
	const [low, high, weight] = percentileRanks(n, 0.5);
	const [errorLow, errorHigh] = medianErrorRanks(n);
	return { value: scratch[low] + weight * (scratch[high] - scratch[low]), se: (scratch[errorHigh] - scratch[errorLow]) / 2 };
}

/** Type-7 percentiles of `values` (not modified). */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
	const n = values.length;
	if (n === 0) return ps.map(() => Number.NaN);
	const scratch = sortedCopy(values);
	const plans = ps.map((p) => percentileRanks(n, p));
	return plans.map(([low, high, weight]) => scratch[low] + weight * (scratch[high] - scratch[low]));
}

/** Per month, across paths, of a month-major series (like the engine's MetricSummary, plus the SE of the mean). */
export interface SeriesSummary extends MetricSummary {
	/** Monte Carlo standard error of the mean. */
	seMean: number[];
}

const summaryLevels = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Summarises a month-major series (`values[t * pathCount + i]`) month by month. */
export function summariseSeries(values: Float64Array | Float32Array, pathCount: number, monthCount: number, unit: string): SeriesSummary {
	const series = () => new Array<number>(monthCount).fill(0);
	const summary: SeriesSummary = { unit, p5: series(), p25: series(), p50: series(), p75: series(), p95: series(), mean: series(), se50: series(), seMean: series() };
	const scratch = new Float64Array(pathCount);
	const plans = summaryLevels.map((p) => percentileRanks(pathCount, p));
	const [errorLow, errorHigh] = medianErrorRanks(pathCount);
	const ranks = [...new Set([...plans.flatMap(([low, high]) => [low, high]), errorLow, errorHigh])].sort((a, b) => a - b);
	for (let t = 0; t < monthCount; t++) {
		const column = values.subarray(t * pathCount, (t + 1) * pathCount);
		const { value, se } = meanEstimate(column);
		summary.mean[t] = value;
		summary.seMean[t] = pathCount > 1 ? se : 0;
		scratch.set(column);
		selectRanks(scratch, ranks);
		const [p5, p25, p50, p75, p95] = plans.map(([low, high, weight]) => scratch[low] + weight * (scratch[high] - scratch[low]));
		summary.p5[t] = p5;
		summary.p25[t] = p25;
		summary.p50[t] = p50;
		summary.p75[t] = p75;
		summary.p95[t] = p95;
		summary.se50[t] = (scratch[errorHigh] - scratch[errorLow]) / 2;
	}
	return summary;
}

/**
 * Standard error of a statistic of paired (common-random-number) samples by batch means: the
 * paths are cut into `batches` consecutive groups by path index, the statistic's difference is
 * computed in each, and their spread gives the error. Deterministic, and independent of how the
 * paths were simulated.
 */
export function batchDifferenceError(
	a: Float64Array,
	b: Float64Array,
	statistic: (values: Float64Array) => number,
	batches = 20
): number {
	const n = a.length;
	const k = Math.min(batches, Math.floor(n / 10));
	if (k < 2) return Number.NaN;
	const effects = new Float64Array(k);
	for (let j = 0; j < k; j++) {
		const from = Math.floor((j * n) / k);
		const to = Math.floor(((j + 1) * n) / k);
		effects[j] = statistic(b.subarray(from, to)) - statistic(a.subarray(from, to));
	}
	// Each batch holds n/k paths: the whole-sample error is the batch spread divided by √k.
	return meanEstimate(effects).se;
}
