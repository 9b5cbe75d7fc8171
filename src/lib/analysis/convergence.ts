import type { RunResult } from '../engine/run';
import type { Scenario } from '../scenario/schema';
import { monthRange } from '../time/months';
import { analysisError, horizonOf, localPaths, throwIfCancelled, truncatedTo, type PathSource } from './common';
import { estimateFrom, perPathValues, toIndicator, type IndicatorSpec } from './indicator';
import { proportionError, type Estimate } from '../stats/estimates';
import { pathsForError } from '../stats/verdict';

/**
 * Convergence control. `standardErrors` lists the Monte Carlo standard error of every indicator of
 * a run; `refineUntilPrecise` adds paths in prefix-stable chunks (path i is always the same path)
 * until the standard error of one indicator is at or below a target, or a path cap is reached.
 */

export interface StandardErrorRow {
	/** Stable key, e.g. `shortfallByYear.2030.inYear`. */
	key: string;
	label: string;
	unit: string;
	value: number;
	se: number;
	/** se / |value| (null when the value is 0). */
	relativeSe: number | null;
}

function row(key: string, label: string, unit: string, estimate: { value: number; se: number }): StandardErrorRow {
	return { key, label, unit, value: estimate.value, se: estimate.se, relativeSe: estimate.value === 0 ? null : Math.abs(estimate.se / estimate.value) };
}

/** The standard error of every indicator of a run, and the largest median error of each metric. */
export function standardErrors(result: RunResult): {
	indicators: StandardErrorRow[];
	metrics: { metric: string; unit: string; maxSe50: number; month: string }[];
} {
	const { indicators } = result;
	const rows: StandardErrorRow[] = [];
	/** A share of the run's paths, with the statistics core's SE. */
	const share = (probability: { p: number }): Estimate => ({ value: probability.p, se: proportionError(probability.p, result.paths) });
	for (const { year, inYear, byYear } of indicators.shortfallByYear) {
		rows.push(row(`shortfallByYear.${year}.inYear`, `P(any shortfall in ${year})`, 'probability', share(inYear)));
		rows.push(row(`shortfallByYear.${year}.byYear`, `P(any shortfall by ${year})`, 'probability', share(byYear)));
	}
	rows.push(
		row('cumulativeShortfall', 'expected cumulative shortfall', indicators.cumulativeShortfall.unit, {
			value: indicators.cumulativeShortfall.mean,
			se: indicators.cumulativeShortfall.se
		})
	);
	if (indicators.dependency2030) {
		rows.push(
			row('dependency2030.p50', 'median dependency on China in 2030', 'fraction', { value: indicators.dependency2030.p50, se: indicators.dependency2030.se50 })
		);
	}
	if (indicators.relianceCut2030) {
		rows.push(
			row('relianceCut2030.p50', 'median cut in reliance on China in 2030 (vs 2024)', 'fraction', {
				value: indicators.relianceCut2030.p50,
				se: indicators.relianceCut2030.se50
			})
		);
	}
	const price = indicators.priceAboveMultiple;
	rows.push(row('priceAboveMultiple', `P(usMagnetPrice > ${price.multiple} × start)`, 'probability', share(price)));
	const relianceCut = indicators.relianceCut;
	if (relianceCut.by2030) {
		rows.push(
			row('relianceCut.by2030', `P(relianceCut ≥ ${relianceCut.threshold * 100} %, a year's average, by 2030)`, 'probability', share(relianceCut.by2030))
		);
	}
	const metrics = Object.entries(result.metrics).map(([metric, summary]) => {
		let worst = 0;
		for (let t = 1; t < summary.se50.length; t++) if (summary.se50[t] > summary.se50[worst]) worst = t;
		return { metric, unit: summary.unit, maxSe50: summary.se50[worst], month: result.months[worst] };
	});
	return { indicators: rows, metrics };
}

export interface RefineOptions {
	indicator: IndicatorSpec | string;
	/** Stop once the standard error is at or below this (in the indicator's unit). */
	targetSe: number;
	seed: number;
	/** Paths of the first estimate (default 1,000, at most `maxPaths`). */
	startPaths?: number;
	/** The cap (default 50,000). */
	maxPaths?: number;
	/** Paths are added in multiples of this (default 500). */
	step?: number;
	source?: PathSource;
	onProgress?: (done: number, total: number) => void;
	signal?: AbortSignal;
}

export interface RefineStep extends Estimate {
	paths: number;
}

export interface RefineResult {
	scenario: { id: string; title: string; horizon: string };
	indicator: { label: string; unit: string };
	seed: number;
	targetSe: number;
	maxPaths: number;
	met: boolean;
	pathsUsed: number;
	/** The final estimate. */
	value: number;
	se: number;
	steps: RefineStep[];
	notices: string[];
}

export async function refineUntilPrecise(scenario: Scenario, options: RefineOptions): Promise<RefineResult> {
	const indicator = toIndicator(options.indicator, monthRange(scenario.start, scenario.end), 'refine');
	const { targetSe } = options;
	if (typeof targetSe !== 'number' || !Number.isFinite(targetSe) || targetSe <= 0) {
		throw analysisError('refine', 'targetSe', `the target standard error must be a positive number in ${indicator.unit}, found ${JSON.stringify(targetSe)}`);
	}
	const maxPaths = options.maxPaths ?? 50_000;
	const step = options.step ?? 500;
	for (const [name, value] of [
		['maxPaths', maxPaths],
		['step', step],
		['startPaths', options.startPaths ?? 1]
	] as const) {
		if (!Number.isInteger(value) || value < 1) throw analysisError('refine', name, `expected a whole number of paths ≥ 1, found ${JSON.stringify(value)}`);
	}
	const source = options.source ?? localPaths;
	const truncated = truncatedTo(scenario, indicator.year);
	const months = monthRange(truncated.start, truncated.end);
	let values = new Float64Array(0);
	const steps: RefineStep[] = [];
	const notices: string[] = [];
	let target = Math.min(maxPaths, options.startPaths ?? 1000);
	let estimate: Estimate;
	for (;;) {
		throwIfCancelled(options.signal);
		const first = values.length;
		const block = await source(truncated, options.seed, first, target - first);
		const added = perPathValues({ months, block }, indicator);
		const joined = new Float64Array(target);
		joined.set(values);
		joined.set(added, first);
		values = joined;
		estimate = estimateFrom(values, indicator);
		steps.push({ paths: values.length, ...estimate });
		options.onProgress?.(values.length, maxPaths);
		if (estimate.se <= targetSe || values.length >= maxPaths) break;
		// Paths needed if the error falls as 1/√n, with 10 % to spare; at most 4× and at least one step
		// more (just one while the SE is unknown, on a single path).
		const projected = Math.ceil((pathsForError(values.length, estimate.se, targetSe) * 1.1) / step) * step;
		target = Math.min(maxPaths, Number.isNaN(projected) ? values.length + step : Math.max(values.length + step, Math.min(projected, values.length * 4)));
	}
	const met = estimate.se <= targetSe;
	if (!met)
		notices.push(
			`stopped at the cap of ${maxPaths.toLocaleString('en-US')} paths with a standard error of ${estimate.se.toPrecision(3)} ${indicator.unit}, above the target ${targetSe} ${indicator.unit}`
		);
	if (indicator.kind === 'probability' && (estimate.value === 0 || estimate.value === 1)) {
		notices.push(
			`every path gives the same answer (p = ${estimate.value}); the true probability may still differ from ${estimate.value}, so its standard error counts one path in ${values.length.toLocaleString('en-US')} as if it had differed`
		);
	}
	return {
		scenario: { id: scenario.id, title: scenario.title, horizon: horizonOf(scenario) },
		indicator: { label: indicator.label, unit: indicator.unit },
		seed: options.seed,
		targetSe,
		maxPaths,
		met,
		pathsUsed: values.length,
		value: estimate.value,
		se: estimate.se,
		steps,
		notices
	};
}
