
/**
 * Statistics across paths, each with its Monte Carlo standard error.
 *
 * - probability p of an event: SE = sqrt(p(1−p)/n); when no path (or every path) shows the event,
 *   p(1−p) is floored at one path's worth, (1/n)(1−1/n), so "0 of n" is not taken as certainty.
 * - mean: SE = sd/sqrt(n).
 * - percentile q: the order-statistic method, half the distance between the order statistics at
 *   ranks n·q ± sqrt(n·q(1−q)).
 * - min / max over paths: a statement about the simulated paths themselves, SE 0.
 */

import { percentileRanks } from '../engine/quantiles';

export type Comparison = '>' | '>=' | '<' | '<=';

export type Statistic =
	| { kind: 'mean' }
	| { kind: 'percentile'; q: number }
	| { kind: 'min' }
	| { kind: 'max' }
	| { kind: 'probability'; op: Comparison; threshold: number }
	/** Against observations: how many lie inside the band of percentiles [low, high] (evaluated in `observed.ts`). */
	| { kind: 'coverage'; band: [number, number] }
	/** Against observations: the sign-test p-value of their PIT values, or their mean (evaluated in `observed.ts`). */
	| { kind: 'pit'; figure: 'signTestP' | 'mean' };

export interface Estimate {
	value: number;
	se: number;
	n: number;
}

export function describeStatistic(statistic: Statistic, metric: string): string {
	switch (statistic.kind) {
		case 'mean':
			return 'mean';
		case 'percentile':
			return statistic.q === 0.5 ? 'median' : `p${+(statistic.q * 100).toFixed(4)}`;
		case 'min':
			return 'min over paths';
		case 'max':
			return 'max over paths';
		case 'probability':
			return `P(${metric} ${statistic.op} ${statistic.threshold})`;
		case 'coverage':
			return `coverage of [${statistic.band.map((q) => (q === 0.5 ? 'median' : `p${+(q * 100).toFixed(4)}`)).join(', ')}]`;
		case 'pit':
			return statistic.figure === 'mean' ? 'mean PIT' : 'PIT sign-test p';
	}
}

/** True when the statistic is a per-path average (mean, probability): differences can then be taken path by path. */
export function isPathwise(statistic: Statistic): boolean {
	return statistic.kind === 'mean' || statistic.kind === 'probability';
}

export function satisfies(value: number, op: Comparison, threshold: number): boolean {
	switch (op) {
		case '>':
			return value > threshold;
		case '>=':
			return value >= threshold;
		case '<':
			return value < threshold;
		case '<=':
			return value <= threshold;
	}
}

/** The value each path contributes to a pathwise statistic (the metric itself, or an indicator). */
export function pathwiseValues(values: ArrayLike<number>, statistic: Statistic): Float64Array {
	const n = values.length;
	const out = new Float64Array(n);
	if (statistic.kind === 'probability') {
		for (let i = 0; i < n; i++) out[i] = satisfies(values[i], statistic.op, statistic.threshold) ? 1 : 0;
	} else {
		for (let i = 0; i < n; i++) out[i] = values[i];
	}
	return out;
}

/** Mean and its standard error sd/sqrt(n), the sample sd taken with n − 1. */
export function meanWithError(values: ArrayLike<number>): Estimate {
	const n = values.length;
	let sum = 0;
	for (let i = 0; i < n; i++) sum += values[i];
	const mean = sum / n;
	// An infinite value (a ratio over a zero denominator) makes the mean infinite on these paths.
	if (!Number.isFinite(mean)) return { value: mean, se: 0, n };
	let squares = 0;
	for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
	const variance = n > 1 ? squares / (n - 1) : 0;
	return { value: mean, se: Math.sqrt(variance / n), n };
}

/** Standard error of a probability, floored at one path's worth (see the file comment). */
export function probabilityError(p: number, n: number): number {
	const floor = (1 / n) * (1 - 1 / n);
	return Math.sqrt(Math.max(p * (1 - p), floor) / n);
}

/** Ranks (0-based) of the order statistics at n·q ± sqrt(n·q(1−q)). */
export function percentileErrorRanks(n: number, q: number): [number, number] {
	const spread = Math.sqrt(n * q * (1 - q));
	const clamp = (r: number) => Math.min(n - 1, Math.max(0, r));
	return [clamp(Math.round(n * q - spread) - 1), clamp(Math.round(n * q + spread) - 1)];
}

/** The statistic across paths with its standard error. `values` holds one number per path. */
export function estimate(values: ArrayLike<number>, statistic: Statistic): Estimate {
	const n = values.length;
	switch (statistic.kind) {
		case 'mean':
			return meanWithError(values);
		case 'probability': {
			let count = 0;
			for (let i = 0; i < n; i++) if (satisfies(values[i], statistic.op, statistic.threshold)) count++;
			const p = count / n;
			return { value: p, se: probabilityError(p, n), n };
		}
		case 'min':
		case 'max': {
			let extreme = statistic.kind === 'min' ? Infinity : -Infinity;
			for (let i = 0; i < n; i++) extreme = statistic.kind === 'min' ? Math.min(extreme, values[i]) : Math.max(extreme, values[i]);
			return { value: extreme, se: 0, n };
		}
		case 'percentile': {
			const sorted = Float64Array.from(values as ArrayLike<number>).sort();
			const [low, high, weight] = percentileRanks(n, statistic.q);
			const [errorLow, errorHigh] = percentileErrorRanks(n, statistic.q);
			// Equal order statistics (also two infinities, from ratios over a zero denominator) mean no spread.
			const between = (a: number, b: number) => (a === b ? 0 : b - a);
			const value = weight === 0 ? sorted[low] : sorted[low] + weight * between(sorted[low], sorted[high]);
			return { value, se: between(sorted[errorLow], sorted[errorHigh]) / 2, n };
		}
		case 'coverage':
		case 'pit':
			throw new Error(`${statistic.kind} compares paths with observations: see observed.ts`);
	}
}

/**
 * Standard error of `x − times·y` for two scenarios run on the same seed and paths (common random
 * numbers). Means and probabilities: the SE of the per-path difference, which is what common random
 * numbers buy. Percentiles (and min/max): no per-path form exists, so the two SEs are combined
 * conservatively as sqrt(se_x² + times²·se_y²), as if the runs were independent.
 */
export function differenceError(
	statistic: Statistic,
	subject: ArrayLike<number>,
	reference: ArrayLike<number>,
	times: number,
	subjectEstimate: Estimate,
	referenceEstimate: Estimate
): number {
	if (isPathwise(statistic)) {
		const x = pathwiseValues(subject, statistic);
		const y = pathwiseValues(reference, statistic);
		const difference = new Float64Array(x.length);
		for (let i = 0; i < x.length; i++) difference[i] = x[i] - times * y[i];
		const se = meanWithError(difference).se;
		return statistic.kind === 'probability' ? Math.max(se, probabilityError(0, x.length)) : se;
	}
	return Math.sqrt(subjectEstimate.se ** 2 + (times * referenceEstimate.se) ** 2);
}
