/**
 * The statistics a check can state, and their estimates across paths: each is one of the core's
 * (`../stats/estimates.ts`, where the standard errors and their edge cases are defined), taken of
 * the metric's per-path values or, for a probability, of 1 where a path satisfies it and 0
 * elsewhere.
 */

import { estimateOf, type Estimate, type PathStatistic } from '../stats/estimates';
import { satisfies, type Comparison } from '../stats/probability-syntax';

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

/** The statistics judged on the paths alone (not against observations). */
export type PathwiseStatistic = Exclude<Statistic, { kind: 'coverage' } | { kind: 'pit' }>;

/** A check's figure: an estimate over `n` paths. */
export interface Figure extends Estimate {
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

/** The core's name for a check's statistic. */
export function pathStatisticOf(statistic: PathwiseStatistic): PathStatistic {
	switch (statistic.kind) {
		case 'mean':
			return { kind: 'mean' };
		case 'percentile':
			return { kind: 'quantile', q: statistic.q };
		case 'min':
		case 'max':
			return { kind: 'extreme', which: statistic.kind };
		case 'probability':
			return { kind: 'proportion' };
	}
}

/** The values the statistic is taken of: the metric's, or for a probability 1 where a path satisfies it, else 0. */
export function statisticValues(values: ArrayLike<number>, statistic: PathwiseStatistic): ArrayLike<number> {
	if (statistic.kind !== 'probability') return values;
	const flags = new Float64Array(values.length);
	for (let i = 0; i < values.length; i++) flags[i] = satisfies(values[i], statistic.op, statistic.threshold) ? 1 : 0;
	return flags;
}

/** The statistic across paths with its standard error. `values` holds one number per path. */
export function estimate(values: ArrayLike<number>, statistic: PathwiseStatistic): Figure {
	return { ...estimateOf(pathStatisticOf(statistic), statisticValues(values, statistic)), n: values.length };
}
