/**
 * Summaries of month-major series (`values[t * pathCount + i]`, path i at month t) month by month,
 * by selecting the order statistics they need rather than sorting: percentiles by type-7
 * interpolation as the engine's summaries, with the SEs of `estimates.ts`.
 */

import { percentileRanks } from './ranks';
import type { MetricSummary } from '../engine/summary';
import { meanEstimate, quantileErrorRanks } from './estimates';

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

/** Per month, across paths, of a month-major series (like the engine's MetricSummary, plus the SE of the mean). */
export interface SeriesSummary extends MetricSummary {
	/** Monte Carlo standard error of the mean. */
	seMean: number[];
}

const summaryLevels = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** A summary of `monthCount` months with every series at zero, for a summariser to fill month by month. */
export function emptySummary(unit: string, monthCount: number): MetricSummary {
	const series = () => new Array<number>(monthCount).fill(0);
	return { unit, p5: series(), p25: series(), p50: series(), p75: series(), p95: series(), mean: series(), se50: series(), shareAboveZero: series() };
}

/** Summarises a month-major series (`values[t * pathCount + i]`) month by month. */
export function summariseSeries(values: Float64Array | Float32Array, pathCount: number, monthCount: number, unit: string): SeriesSummary {
	const summary: SeriesSummary = { ...emptySummary(unit, monthCount), seMean: new Array<number>(monthCount).fill(0) };
	const scratch = new Float64Array(pathCount);
	const plans = summaryLevels.map((p) => percentileRanks(pathCount, p));
	const [errorLow, errorHigh] = quantileErrorRanks(pathCount, 0.5);
	const ranks = [...new Set([...plans.flatMap(([low, high]) => [low, high]), errorLow, errorHigh])].sort((a, b) => a - b);
	for (let t = 0; t < monthCount; t++) {
		const column = values.subarray(t * pathCount, (t + 1) * pathCount);
		const { value, se } = meanEstimate(column);
		summary.mean[t] = value;
		summary.seMean[t] = se;
		let aboveZero = 0;
		for (const x of column) if (x > 0) aboveZero++;
		summary.shareAboveZero[t] = aboveZero / pathCount;
		scratch.set(column);
		selectRanks(scratch, ranks);
		const [p5, p25, p50, p75, p95] = plans.map(([low, high, weight]) => scratch[low] + weight * (scratch[high] - scratch[low]));
		summary.p5[t] = p5;
		summary.p25[t] = p25;
		summary.p50[t] = p50;
		summary.p75[t] = p75;
		summary.p95[t] = p95;
		summary.se50[t] = pathCount === 1 ? Number.NaN : (scratch[errorHigh] - scratch[errorLow]) / 2;
	}
	return summary;
}
