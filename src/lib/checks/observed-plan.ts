/** What a check judged against observations (coverage, pit) accepts, checked as it is planned. */

import type { MetricName } from '../model/metrics';
import { monthToAbsolute } from '../time/months';
import { describeTime, parseStatistic } from './check-syntax';
import type { TimeWindow, Variant } from './plan';
import { predicateNames, type CheckSpec } from './schema';
import type { Statistic } from './statistics';

/**
 * Applies `band` and `pit` to a coverage or pit statistic and checks what only those accept
 * (observedSums, number bounds, a time of months with observations); refuses them elsewhere.
 */
export function observedStatistic(
	report: (path: string, message: string) => void,
	check: CheckSpec,
	statistic: Statistic,
	time: TimeWindow | undefined,
	metrics: readonly MetricName[],
	subjects: readonly Variant[],
	path: string
): Statistic | undefined {
	const kind = statistic.kind;
	const observed = kind === 'coverage' || kind === 'pit';
	if (check.band !== undefined && kind !== 'coverage')
		report(`${path}.band`, `"band" applies only to statistic: coverage; this check's statistic is ${check.statistic.trim()}`);
	if (check.pit !== undefined && kind !== 'pit')
		report(`${path}.pit`, `"pit" applies only to statistic: pit; this check's statistic is ${check.statistic.trim()}`);
	if (check.observedSums !== undefined && !observed)
		report(`${path}.observedSums`, `"observedSums" applies only to statistic: coverage or pit; this check's statistic is ${check.statistic.trim()}`);
	if (!observed) return statistic;
	let ok = true;
	const problem = (at: string, message: string) => {
		report(at, message);
		ok = false;
	};
	let result: Statistic = statistic;
	if (kind === 'coverage' && check.band) {
		const edges = check.band.map((text) => parseStatistic(text).statistic);
		const [low, high] = edges.map((e) => (e?.kind === 'percentile' ? e.q : NaN));
		if (!(low > 0 && low < 1 && high > 0 && high < 1))
			problem(`${path}.band`, `expected two percentiles between p0 and p100 (exclusive), such as [p5, p95], found [${check.band.join(', ')}]`);
		else if (!(low < high)) problem(`${path}.band`, `the low edge ${check.band[0]} is not below the high edge ${check.band[1]}`);
		else result = { kind: 'coverage', band: [low, high] };
	}
	if (kind === 'pit') result = { kind: 'pit', figure: check.pit ?? 'signTestP' };
	for (const op of predicateNames) {
		const spec = check[op];
		const bounds = op === 'between' && Array.isArray(spec) ? spec : [spec];
		bounds.forEach((bound, i) => {
			if (bound !== undefined && typeof bound !== 'number') {
				problem(
					`${path}.${op}${op === 'between' ? `[${i}]` : ''}`,
					`${kind} compares the scenario with its observations, so its bound is a number (${kind === 'coverage' ? 'a count of observations' : 'a p-value or a mean PIT'}), not another scenario`
				);
			}
		});
	}
	if (check.over !== undefined && time?.kind === 'range')
		problem(
			`${path}.over`,
			`"over" does not apply to ${kind}: each observation is compared with the paths at its own month (and each of observedSums with the per-path sum over its months)`
		);
	if (time && (time.kind === 'every' || time.kind === 'ratio')) {
		problem(`${path}.time`, `${kind} compares the observations inside a window of months: give a month, a year or {from, to}, not ${describeTime(time)}`);
		return undefined;
	}
	const sums = check.observedSums ?? [];
	if (sums.length > 0 && metrics.length > 1)
		problem(`${path}.observedSums`, `observedSums are totals of one metric, and this check has ${metrics.length} (${metrics.join(', ')}): give one metric`);
	if (!time) return undefined;
	const from = time.kind === 'month' ? time.month : time.from;
	const to = time.kind === 'month' ? time.month : time.to;
	const window = describeTime(time);
	sums.forEach((sum, i) => {
		const at = `${path}.observedSums[${i}]`;
		if (monthToAbsolute(sum.from) > monthToAbsolute(sum.to)) problem(at, `the sum starts ${sum.from}, after it ends (${sum.to})`);
		else if (monthToAbsolute(sum.from) < monthToAbsolute(from) || monthToAbsolute(sum.to) > monthToAbsolute(to))
			problem(at, `the sum over ${sum.from}…${sum.to} is not inside the check's time, ${window}`);
	});
	for (const subject of subjects) {
		for (const metric of metrics) {
			const series = subject.scenario.observed[metric] ?? [];
			const inside = series.filter(
				(o) => o.value !== null && monthToAbsolute(o.month) >= monthToAbsolute(from) && monthToAbsolute(o.month) <= monthToAbsolute(to)
			);
			if (inside.length + sums.length > 0) continue;
			const known = series.filter((o) => o.value !== null).map((o) => o.month);
			problem(
				`${path}.time`,
				`${subject.label} has no observed ${metric} value in ${window}${known.length > 0 ? ` (observed months: ${known.join(', ')})` : series.length > 0 ? ' (its observed values are all null)' : ` (it has no observed ${metric} series)`}; add observedSums or choose another time`
			);
		}
	}
	return ok ? result : undefined;
}
