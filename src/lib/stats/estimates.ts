/**
 * Monte Carlo estimates across paths, each with its standard error (SE): the one place every
 * analysis, check, notebook view and command line takes an SE from.
 *
 * - mean: SE = s/√n, the sample standard deviation s taken with n − 1.
 * - proportion p = k/n of paths showing an event: SE = √(max(p(1−p), (1/n)(1−1/n))/n). The floor
 *   counts one path's worth of uncertainty when no path, or every path, shows the event: "0 of n"
 *   means the chance is small, of order 1/n, not that it is zero (Hanley & Lippman-Hand, "If nothing
 *   goes wrong, is everything all right?", JAMA 249:1743, 1983, give 3/n as its 95 % bound). Without
 *   the floor the SE would be 0 and a verdict "margin ≥ k × SE" would take 0 of 4,000 as certainty.
 * - quantile q (type-7 interpolation, as the engine's summaries): SE = half the distance between
 *   the order statistics at ranks n·q ± √(n·q(1−q)), a binomial standard deviation either side.
 *   Two equal order statistics, also two equal infinities, mean no spread.
 * - min / max over paths: a statement about the simulated paths themselves, SE 0.
 *
 * Edge cases, the same for every caller:
 * - no path: value NaN, SE NaN;
 * - one path: the value, SE NaN: one path says nothing about the spread (0 would claim certainty);
 * - an infinite mean (a ratio over a zero denominator on some path): the mean is infinite whatever
 *   the spread of the other paths, SE 0.
 */

import { percentileRanks } from '../engine/quantiles';

/** A Monte Carlo estimate and its standard error. */
export interface Estimate {
	value: number;
	se: number;
}

/** Mean and its standard error s/√n (see the file comment for n ≤ 1 and infinite means). */
export function meanEstimate(values: ArrayLike<number>): Estimate {
	const n = values.length;
	if (n === 0) return { value: Number.NaN, se: Number.NaN };
	let sum = 0;
	for (let i = 0; i < n; i++) sum += values[i];
	const mean = sum / n;
	if (!Number.isFinite(mean)) return { value: mean, se: 0 };
	if (n === 1) return { value: mean, se: Number.NaN };
	let squares = 0;
	for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
	return { value: mean, se: Math.sqrt(squares / (n - 1) / n) };
}

/** Standard error of a share p of n paths, floored at one path's worth (see the file comment). */
export function proportionError(p: number, n: number): number {
	if (n < 2) return Number.NaN;
	const floor = (1 / n) * (1 - 1 / n);
	return Math.sqrt(Math.max(p * (1 - p), floor) / n);
}

/** The share of n paths that show an event, `count` of them, with its floored binomial SE. */
export function proportionEstimate(count: number, n: number): Estimate {
	const p = count / n;
	return { value: p, se: proportionError(p, n) };
}

/** Ranks (0-based) of the order statistics at n·q ± √(n·q(1−q)), whose half-distance is a quantile's SE. */
export function quantileErrorRanks(n: number, q: number): [number, number] {
	const spread = Math.sqrt(n * q * (1 - q));
	const clamp = (rank: number) => Math.min(n - 1, Math.max(0, rank));
	return [clamp(Math.round(n * q - spread) - 1), clamp(Math.round(n * q + spread) - 1)];
}

/** b − a, but 0 for two equal values (also two equal infinities, whose difference would be NaN). */
function spreadBetween(a: number, b: number): number {
	return a === b ? 0 : b - a;
}

/** The type-7 quantile of ascending `sorted` values. */
function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
	const [low, high, weight] = percentileRanks(sorted.length, q);
	return weight === 0 ? sorted[low] : sorted[low] + weight * spreadBetween(sorted[low], sorted[high]);
}

/** Quantile q and its order-statistic SE; `values` is not modified. */
export function quantileEstimate(values: ArrayLike<number>, q: number): Estimate {
	const n = values.length;
	if (n === 0) return { value: Number.NaN, se: Number.NaN };
	const sorted = Float64Array.from(values).sort();
	const [errorLow, errorHigh] = quantileErrorRanks(n, q);
	return { value: quantileOfSorted(sorted, q), se: n === 1 ? Number.NaN : spreadBetween(sorted[errorLow], sorted[errorHigh]) / 2 };
}

/** The median and its SE (the quantile at ½). */
export function medianEstimate(values: ArrayLike<number>): Estimate {
	return quantileEstimate(values, 0.5);
}

/** Type-7 quantiles of `values` (not modified). */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
	if (values.length === 0) return ps.map(() => Number.NaN);
	const sorted = Float64Array.from(values).sort();
	return ps.map((p) => quantileOfSorted(sorted, p));
}

/** The smallest or largest value over the paths: exact, SE 0. */
function extremeEstimate(values: ArrayLike<number>, which: 'min' | 'max'): Estimate {
	let extreme = which === 'min' ? Infinity : -Infinity;
	for (let i = 0; i < values.length; i++) extreme = which === 'min' ? Math.min(extreme, values[i]) : Math.max(extreme, values[i]);
	return { value: values.length === 0 ? Number.NaN : extreme, se: 0 };
}

/** A statistic across paths, as the estimates and paired differences of this room know it. */
export type PathStatistic = { kind: 'mean' } | { kind: 'proportion' } | { kind: 'quantile'; q: number } | { kind: 'extreme'; which: 'min' | 'max' };

/** The statistic across paths with its SE; for a proportion, `values` hold 1 where a path shows the event, else 0. */
export function estimateOf(statistic: PathStatistic, values: ArrayLike<number>): Estimate {
	switch (statistic.kind) {
		case 'mean':
			return meanEstimate(values);
		case 'proportion': {
			let count = 0;
			for (let i = 0; i < values.length; i++) if (values[i] !== 0) count++;
			return proportionEstimate(count, values.length);
		}
		case 'quantile':
			return quantileEstimate(values, statistic.q);
		case 'extreme':
			return extremeEstimate(values, statistic.which);
	}
}
