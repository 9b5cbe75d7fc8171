/**
 * Checks against a scenario's observed series: `coverage` (how many observations lie inside a band
 * of percentiles across paths) and `pit` (probability integral transforms of the observations).
 *
 * The observations are the scenario's non-null `observed[metric]` values whose month lies in the
 * check's time, then the check's `observedSums`, each compared with the per-path sum over its
 * months.
 *
 * Coverage carries Monte Carlo error: each band edge is a percentile with the usual order-statistic
 * SE, and an observation is settled inside (or outside) only when it is at least factor × SE inside
 * (or outside) the edge it is nearest to crossing; otherwise it is unsettled. A predicate passes
 * when it holds whichever way the unsettled observations fall, fails when it fails whichever way
 * they fall, and is inconclusive otherwise.
 *
 * PIT figures are treated as exact (SE 0): each PIT is a share of paths with SE about
 * sqrt(PIT(1−PIT)/n), so a PIT within a few of those of 0.5 could change sides; the report shows
 * the PIT values so such cases can be seen.
 */

import type { MetricName } from '../model/metrics';
import { monthToAbsolute } from '../time/months';
import { satisfies } from '../stats/probability-syntax';
import { combine, judge, type Verdict } from '../stats/verdict';
import { formatNumber, predicateComparison, toleranceAround, valuesAt, type CaseResult, type SideResult, type SimulatedPaths } from './evaluate';
import type { PlannedCheck, PlannedPredicate, TimeWindow } from './plan';
import { estimate, type Figure } from './statistics';

export interface ObservationRow {
	/** "2024-05", or "2025-01…2025-02 (sum)". */
	label: string;
	value: number;
	status?: string;
	source?: string;
}

export interface CoverageRow extends ObservationRow {
	/** The band at this month (or of the per-path sums), each edge with its SE. */
	band: { low: Figure; high: Figure };
	/** Inside the band by the point estimates of its edges. */
	inside: boolean;
	/** Inside or outside by at least factor × SE, or neither. */
	settled: 'inside' | 'outside' | 'unsettled';
	/** Unsettled: paths that would settle this observation. */
	settlePaths?: number;
}

export interface PitRow extends ObservationRow {
	/** The share of paths at or below the observation. */
	pit: number;
}

export type ObservedDetail =
	| { kind: 'coverage'; rows: CoverageRow[]; inside: number; settledInside: number; unsettled: number; settledOutside: number }
	| { kind: 'pit'; rows: PitRow[]; mean: number; above: number; below: number; signTestP: number };

/** Two-sided exact sign test: P of a split at least as lopsided as `above` : `below` under Binomial(m, ½), at most 1. */
export function signTestP(above: number, below: number): number {
	const m = above + below;
	if (m === 0) return 1;
	const k = Math.min(above, below);
	if (2 * k + 1 >= m) return 1; // an even split, or one off it: exactly 1 (summing would leave rounding)
	let logChoose = 0; // log C(m, j)
	let tail = 0;
	for (let j = 0; j <= k; j++) {
		tail += Math.exp(logChoose - m * Math.LN2);
		logChoose += Math.log(m - j) - Math.log(j + 1);
	}
	return Math.min(1, 2 * tail);
}

/** Share of values at or below x. */
export function pitOf(values: ArrayLike<number>, x: number): number {
	let count = 0;
	for (let i = 0; i < values.length; i++) if (values[i] <= x) count++;
	return count / values.length;
}

type Window = Exclude<TimeWindow, { kind: 'every' } | { kind: 'ratio' }>;

/** A coverage or pit check's time: a window of months (planning refuses any other). */
function windowOf(time: TimeWindow): Window {
	if (time.kind === 'every' || time.kind === 'ratio') throw new Error(`coverage and pit compare observations inside a window of months, not ${time.kind}`);
	return time;
}

/** The observations a check compares with: observed months inside its time, then its observedSums. */
export function observationsOf(
	check: PlannedCheck,
	observed: readonly { month: string; value: number | null; status?: string; source?: string }[] | undefined
): { label: string; value: number; status?: string; source?: string; time: Window; reducer: 'mean' | 'sum' }[] {
	const time = windowOf(check.time);
	const from = monthToAbsolute(time.kind === 'month' ? time.month : time.from);
	const to = monthToAbsolute(time.kind === 'month' ? time.month : time.to);
	const months = (observed ?? [])
		.filter((o): o is typeof o & { value: number } => o.value !== null && monthToAbsolute(o.month) >= from && monthToAbsolute(o.month) <= to)
		.sort((a, b) => monthToAbsolute(a.month) - monthToAbsolute(b.month))
		.map((o) => {
			const month: Window = { kind: 'month', month: o.month };
			return { label: o.month, value: o.value, status: o.status, source: o.source, time: month, reducer: 'mean' as const };
		});
	const sums = check.observedSums.map((s) => {
		const range: Window = { kind: 'range', from: s.from, to: s.to, label: `${s.from}…${s.to}` };
		return {
			label: `${s.from}…${s.to} (sum)`,
			value: s.value,
			status: 'sum over months (observedSums)',
			source: s.source,
			time: range,
			reducer: 'sum' as const
		};
	});
	return [...months, ...sums];
}

/** The numeric sides of a check's predicates (coverage and pit bounds are numbers). */
function numericSides(predicates: readonly PlannedPredicate[]): { op: SideResult['op']; bound: number; text: string }[] {
	const value = (p: PlannedPredicate, i: number) => {
		const bound = p.bounds[i];
		if (bound.kind !== 'number') throw new Error('coverage and pit take number bounds');
		return bound.value;
	};
	const sides: { op: SideResult['op']; bound: number; text: string }[] = [];
	for (const p of predicates) {
		if (p.op === 'between') {
			sides.push({ op: '>=', bound: value(p, 0), text: formatNumber(value(p, 0)) }, { op: '<=', bound: value(p, 1), text: formatNumber(value(p, 1)) });
		} else if (p.op === 'approx') {
			const centre = value(p, 0);
			const tolerance = toleranceAround(p, centre);
			const about = `${formatNumber(centre)} ± ${formatNumber(tolerance)}`;
			sides.push(
				{ op: '>=', bound: centre - tolerance, text: `${formatNumber(centre - tolerance)} (${about})` },
				{ op: '<=', bound: centre + tolerance, text: `${formatNumber(centre + tolerance)} (${about})` }
			);
		} else sides.push({ op: predicateComparison[p.op], bound: value(p, 0), text: formatNumber(value(p, 0)) });
	}
	return sides;
}

const maxOf = (values: (number | undefined)[]): number | undefined => {
	const defined = values.filter((x): x is number => x !== undefined);
	return defined.length > 0 ? Math.max(...defined) : undefined;
};

/** Judges a coverage or pit check for one subject and metric. */
export function evaluateObserved(
	check: PlannedCheck,
	subject: SimulatedPaths,
	observed: Parameters<typeof observationsOf>[1],
	base: Pick<CaseResult, 'subject' | 'scenarioId' | 'metric'>,
	metric: MetricName
): CaseResult {
	const statistic = check.statistic;
	if (statistic.kind !== 'coverage' && statistic.kind !== 'pit') throw new Error(`${statistic.kind} is not judged against observations`);
	const n = check.paths;
	const observations = observationsOf(check, observed);
	const window = windowOf(check.time);
	const time = window.kind === 'month' ? window.month : window.label;
	const sideSpecs = numericSides(check.predicates);
	if (statistic.kind === 'coverage') {
		const rows = observations.map((o): CoverageRow => {
			const values = valuesAt(subject, metric, o.time, o.reducer, n);
			const low = estimate(values, { kind: 'percentile', q: statistic.band[0] });
			const high = estimate(values, { kind: 'percentile', q: statistic.band[1] });
			const above = judge('>=', o.value - low.value, low.se, check.factor, n);
			const below = judge('<=', high.value - o.value, high.se, check.factor, n);
			const verdict = combine([above.verdict, below.verdict]);
			const settled = verdict === 'pass' ? 'inside' : verdict === 'fail' ? 'outside' : 'unsettled';
			const settlePaths =
				settled === 'unsettled'
					? maxOf([above.verdict === 'inconclusive' ? above.settlePaths : undefined, below.verdict === 'inconclusive' ? below.settlePaths : undefined])
					: undefined;
			return {
				label: o.label,
				value: o.value,
				status: o.status,
				source: o.source,
				band: { low, high },
				inside: above.holds && below.holds,
				settled,
				settlePaths
			};
		});
		const inside = rows.filter((r) => r.inside).length;
		const settledInside = rows.filter((r) => r.settled === 'inside').length;
		const unsettled = rows.filter((r) => r.settled === 'unsettled').length;
		const settle = maxOf(rows.map((r) => r.settlePaths));
		const sides: SideResult[] = sideSpecs.map(({ op, bound, text }) => {
			// A count rises with the observations that turn out inside: ≥ and > hold for sure when the
			// settled-inside count satisfies them, < and ≤ when the count with every unsettled one does.
			const increasing = op === '>' || op === '>=';
			const worst = increasing ? settledInside : settledInside + unsettled;
			const best = increasing ? settledInside + unsettled : settledInside;
			const verdict: Verdict = satisfies(worst, op, bound) ? 'pass' : satisfies(best, op, bound) ? 'inconclusive' : 'fail';
			const margin = increasing ? inside - bound : bound - inside;
			return {
				op,
				bound,
				boundText: text,
				margin,
				se: 0,
				holds: satisfies(inside, op, bound),
				verdict,
				settlePaths: verdict === 'inconclusive' ? (settle ?? Infinity) : undefined
			};
		});
		const verdict = combine(sides.map((s) => s.verdict));
		return {
			...base,
			time,
			figure: { value: inside, se: 0, n },
			sides,
			verdict,
			settlePaths: verdict === 'inconclusive' ? maxOf(sides.map((s) => s.settlePaths)) : undefined,
			observations: { kind: 'coverage', rows, inside, settledInside, unsettled, settledOutside: rows.length - settledInside - unsettled }
		};
	}
	const pits = observations.map((o) => pitOf(valuesAt(subject, metric, o.time, o.reducer, n), o.value));
	const rows = observations.map((o, k): PitRow => ({ label: o.label, value: o.value, status: o.status, source: o.source, pit: pits[k] }));
	const above = pits.filter((p) => p > 0.5).length;
	const below = pits.filter((p) => p < 0.5).length;
	const mean = pits.reduce((s, p) => s + p, 0) / pits.length;
	const p = signTestP(above, below);
	const figure = statistic.figure === 'mean' ? mean : p;
	const sides: SideResult[] = sideSpecs.map(({ op, bound, text }) => {
		const margin = op === '>' || op === '>=' ? figure - bound : bound - figure;
		return { op, bound, boundText: text, margin, se: 0, ...judge(op, margin, 0, check.factor, n) };
	});
	return {
		...base,
		time,
		figure: { value: figure, se: 0, n },
		sides,
		verdict: combine(sides.map((s) => s.verdict)),
		observations: { kind: 'pit', rows, mean, above, below, signTestP: p }
	};
}
