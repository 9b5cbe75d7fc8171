import type { MetricName } from '../model/metrics';
import { monthToAbsolute } from '../time/months';
import { pairedDifferenceError } from '../stats/differences';
import type { Comparison } from '../stats/probability-syntax';
import { combine, judge, type Verdict } from '../stats/verdict';
import { seedFor, simulationKey, type PlannedBound, type PlannedCheck, type PlannedPredicate, type Reducer, type TimeWindow, type Variant } from './plan';
import { evaluateObserved, type ObservedDetail } from './observed';
import { estimate, pathStatisticOf, statisticValues, type Figure, type PathwiseStatistic } from './statistics';

/** The paths of one simulation that checks read: the first `n` paths of each kept metric. */
export interface SimulatedPaths {
	months: readonly string[];
	/** Paths in the stored arrays (month-major: value of path i at month t is at t * pathCount + i). */
	pathCount: number;
	metrics: ReadonlyMap<MetricName, Float32Array>;
}

/** One side of a predicate: figure op bound, with the margin in the direction that makes it hold. */
export interface SideResult {
	op: Comparison;
	bound: number;
	/** How the bound was obtained ("300", "1.2 × baseline's median (61.2) + 0"). */
	boundText: string;
	margin: number;
	/** Standard error of the margin. */
	se: number;
	holds: boolean;
	verdict: Verdict;
	/** Paths that would shrink the SE enough to decide, when inconclusive (Infinity if the margin is 0). */
	settlePaths?: number;
}

export interface CaseResult {
	subject: string;
	scenarioId: string;
	metric: MetricName;
	/** The month or window judged (for "every month": the deciding month). */
	time: string;
	figure: Figure;
	sides: SideResult[];
	verdict: Verdict;
	settlePaths?: number;
	/** For "every month": months that failed, were inconclusive, and in all. */
	months?: { failed: number; inconclusive: number; total: number };
	/** For coverage and pit: each observation with its band or PIT, and the counts. */
	observations?: ObservedDetail;
}

export interface CheckResult {
	check: PlannedCheck;
	verdict: Verdict;
	cases: CaseResult[];
	settlePaths?: number;
}

/**
 * A path's value of the metric divided by its value of the `per` metric in the same month. A zero
 * divisor gives +Infinity for a positive value, −Infinity for a negative one, and 0 for 0 (nothing
 * of either: the ratio counts as 0, not as undefined).
 */
export function perPathQuotient(value: number, divisor: number): number {
	if (divisor !== 0) return value / divisor;
	return value > 0 ? Infinity : value < 0 ? -Infinity : 0;
}

/** Reduces each path's values over months first … last; `row(t)` gives the n paths' values at month t. */
function reduce(reducer: Reducer, row: (t: number) => ArrayLike<number>, n: number, first: number, last: number): Float64Array {
	const out = new Float64Array(n);
	const months = last - first + 1;
	if (reducer === 'min') out.fill(Infinity);
	if (reducer === 'max') out.fill(-Infinity);
	for (let t = first; t <= last; t++) {
		const values = row(t);
		for (let i = 0; i < n; i++) {
			const x = values[i];
			if (reducer === 'min') out[i] = Math.min(out[i], x);
			else if (reducer === 'max') out[i] = Math.max(out[i], x);
			else out[i] += x;
		}
	}
	if (reducer === 'mean') for (let i = 0; i < n; i++) out[i] /= months;
	return out;
}

/**
 * One value per path for the metric at a month, or reduced over a window. With `per`, each monthly
 * value is first divided by the same path's value of that metric in the same month (see
 * `perPathQuotient`), so the reduction and the statistic apply to the quotients.
 */
export function valuesAt(
	paths: SimulatedPaths,
	metric: MetricName,
	time: Exclude<TimeWindow, { kind: 'every' }> | { kind: 'index'; t: number },
	reducer: Reducer,
	n: number,
	per?: MetricName
): ArrayLike<number> {
	const kept = (name: MetricName) => {
		const found = paths.metrics.get(name);
		if (!found) throw new Error(`metric ${name} was not kept for this simulation`);
		return found;
	};
	if (n > paths.pathCount) throw new Error(`asked for ${n} paths of a simulation of ${paths.pathCount}`);
	const values = kept(metric);
	const divisors = per === undefined ? undefined : kept(per);
	/** The first n paths at month index t: the metric, or its quotient by `per`. */
	const row = (t: number): ArrayLike<number> => {
		const start = t * paths.pathCount;
		const own = values.subarray(start, start + n);
		if (!divisors) return own;
		const out = new Float64Array(n);
		for (let i = 0; i < n; i++) out[i] = perPathQuotient(own[i], divisors[start + i]);
		return out;
	};
	const index = (month: string) => {
		const t = monthToAbsolute(month) - monthToAbsolute(paths.months[0]);
		if (t < 0 || t >= paths.months.length) throw new Error(`month ${month} is outside the simulation`);
		return t;
	};
	if (time.kind === 'index' || time.kind === 'month') return row(time.kind === 'index' ? time.t : index(time.month));
	if (time.kind === 'ratio') {
		const numerator = row(index(time.numerator));
		const denominator = row(index(time.denominator));
		const out = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const d = denominator[i];
			// A zero denominator gives +Infinity; so do two infinite quotients of `per` (no finite ratio exists).
			const r = d === 0 ? Infinity : numerator[i] / d;
			out[i] = Number.isNaN(r) ? Infinity : r;
		}
		return out;
	}
	return reduce(reducer, row, n, index(time.from), index(time.to));
}

/** The comparison each one-sided predicate states. */
export const predicateComparison = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** An approx predicate's tolerance around `centre`: absolute, or relative to the centre's size. */
export function toleranceAround(predicate: PlannedPredicate, centre: number): number {
	const tolerance = predicate.tolerance;
	return tolerance && 'relative' in tolerance ? tolerance.relative * Math.abs(centre) : (tolerance?.absolute ?? 0);
}

export function formatNumber(x: number): string {
	if (!Number.isFinite(x)) return String(x);
	if (x === 0) return '0';
	const magnitude = Math.abs(x);
	if (magnitude >= 1000) return Math.round(x).toLocaleString('en-US');
	if (magnitude >= 0.001) return String(Number(x.toPrecision(4)));
	return x.toExponential(2);
}

interface BoundValue {
	value: number;
	se: number;
	text: string;
}

/** Finds a simulation by its key (see `simulationKey`). */
export type Lookup = (key: string) => SimulatedPaths;
type Find = (variant: Variant) => SimulatedPaths;

/** Judges one subject × metric at one month (index) or window. */
function judgeAt(
	check: PlannedCheck,
	statistic: PathwiseStatistic,
	subject: SimulatedPaths,
	find: Find,
	metric: MetricName,
	time: Exclude<TimeWindow, { kind: 'every' }> | { kind: 'index'; t: number },
	n: number
): { figure: Figure; sides: SideResult[] } {
	const x = valuesAt(subject, metric, time, check.over, n, check.per);
	const figure = estimate(x, statistic);
	const statisticName =
		statistic.kind === 'percentile' && statistic.q === 0.5
			? 'median'
			: statistic.kind === 'percentile'
				? `p${+(statistic.q * 100).toFixed(4)}`
				: statistic.kind;
	const boundValue = (bound: PlannedBound): BoundValue => {
		if (bound.kind === 'number') return { value: bound.value, se: figure.se, text: formatNumber(bound.value) };
		// The other scenario is divided the same way, path by path (common random numbers).
		const y = valuesAt(find(bound.variant), metric, time, check.over, n, check.per);
		const reference = estimate(y, statistic);
		const value = bound.times * reference.value + bound.plus;
		const se = pairedDifferenceError(pathStatisticOf(statistic), statisticValues(x, statistic), statisticValues(y, statistic), bound.times);
		const scaled = bound.times === 1 ? '' : `${formatNumber(bound.times)} × `;
		const shifted = bound.plus === 0 ? '' : ` ${bound.plus > 0 ? '+' : '−'} ${formatNumber(Math.abs(bound.plus))}`;
		const text =
			scaled || shifted
				? `${scaled}${bound.variant.label}'s ${statisticName} (${formatNumber(reference.value)})${shifted} = ${formatNumber(value)}`
				: `${bound.variant.label}'s ${statisticName}, ${formatNumber(value)}`;
		return { value, se, text };
	};
	const side = (op: SideResult['op'], bound: BoundValue, boundText = bound.text): SideResult => {
		const margin = op === '>' || op === '>=' ? figure.value - bound.value : bound.value - figure.value;
		return { op, bound: bound.value, boundText, margin, se: bound.se, ...judge(op, margin, bound.se, check.factor, n) };
	};
	const sides: SideResult[] = [];
	for (const predicate of check.predicates) {
		if (predicate.op === 'between') {
			sides.push(side('>=', boundValue(predicate.bounds[0])), side('<=', boundValue(predicate.bounds[1])));
		} else if (predicate.op === 'approx') {
			const centre = boundValue(predicate.bounds[0]);
			const tolerance = toleranceAround(predicate, centre.value);
			const about = `${centre.text} ± ${formatNumber(tolerance)}`;
			sides.push(side('>=', { ...centre, value: centre.value - tolerance }, `${formatNumber(centre.value - tolerance)} (${about})`));
			sides.push(side('<=', { ...centre, value: centre.value + tolerance }, `${formatNumber(centre.value + tolerance)} (${about})`));
		} else {
			sides.push(side(predicateComparison[predicate.op], boundValue(predicate.bounds[0])));
		}
	}
	return { figure, sides };
}

/** How close a result is to flipping: margin in SE units (exact results rank by their margin). */
function closeness(sides: readonly SideResult[]): number {
	return Math.min(...sides.map((s) => (s.se > 0 ? s.margin / s.se : s.margin === 0 ? 0 : Math.sign(s.margin) * 1e6 + s.margin)));
}

function maxSettle(items: readonly { settlePaths?: number }[]): number | undefined {
	const values = items.map((i) => i.settlePaths).filter((x): x is number => x !== undefined);
	return values.length > 0 ? Math.max(...values) : undefined;
}

export function evaluateCase(check: PlannedCheck, subjectVariant: Variant, metric: MetricName, lookup: Lookup): CaseResult {
	const seed = seedFor(check, subjectVariant);
	const find: Find = (variant) => lookup(simulationKey(variant, seed));
	const subject = find(subjectVariant);
	const n = check.paths;
	const base = { subject: subjectVariant.label, scenarioId: subjectVariant.scenario.id, metric };
	const statistic = check.statistic;
	if (statistic.kind === 'coverage' || statistic.kind === 'pit')
		return evaluateObserved(check, subject, subjectVariant.scenario.observed[metric], base, metric);
	const judgeMonth = (t: number) => {
		const judged = judgeAt(check, statistic, subject, find, metric, { kind: 'month', month: subject.months[t] }, n);
		return { ...judged, t, verdict: combine(judged.sides.map((s) => s.verdict)), score: closeness(judged.sides) };
	};
	if (check.time.kind !== 'every') {
		const { figure, sides } = judgeAt(check, statistic, subject, find, metric, check.time, n);
		const verdict = combine(sides.map((s) => s.verdict));
		return {
			...base,
			time: check.time.kind === 'month' ? check.time.month : check.time.label,
			figure,
			sides,
			verdict,
			settlePaths: verdict === 'inconclusive' ? maxSettle(sides) : undefined
		};
	}
	// Every month: the case fails if any month fails, else is inconclusive if any month is; the
	// month shown is the first failure, else the least settled month, else the closest call.
	let shown = judgeMonth(0);
	let failed = 0;
	let inconclusive = 0;
	let settlePaths: number | undefined;
	const rank = { fail: 2, inconclusive: 1, pass: 0 } as const;
	for (let t = 0; t < subject.months.length; t++) {
		const judged = t === 0 ? shown : judgeMonth(t);
		const verdict = judged.verdict;
		if (verdict === 'fail') failed++;
		if (verdict === 'inconclusive') {
			inconclusive++;
			settlePaths = Math.max(settlePaths ?? 0, maxSettle(judged.sides) ?? 0);
		}
		const better = rank[verdict] > rank[shown.verdict] || (rank[verdict] === rank[shown.verdict] && verdict !== 'fail' && judged.score < shown.score);
		if (better) shown = judged;
	}
	const verdict: Verdict = failed > 0 ? 'fail' : inconclusive > 0 ? 'inconclusive' : 'pass';
	return {
		...base,
		time: subject.months[shown.t],
		figure: shown.figure,
		sides: shown.sides,
		verdict,
		settlePaths: verdict === 'inconclusive' ? settlePaths : undefined,
		months: { failed, inconclusive, total: subject.months.length }
	};
}

/** A check's result from its cases: failed if any failed, else inconclusive if any is, with the paths that would settle it. */
export function checkResultOf(check: PlannedCheck, cases: CaseResult[]): CheckResult {
	const verdict = combine(cases.map((c) => c.verdict));
	return { check, verdict, cases, settlePaths: verdict === 'inconclusive' ? maxSettle(cases) : undefined };
}
