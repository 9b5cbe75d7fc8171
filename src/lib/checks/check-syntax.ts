/** The text of a check's statistic and time, read into what the planner and the evaluation use. */

import { didYouMean } from '../problems';
import type { Scenario } from '../scenario/schema';
import { parseProbability } from '../stats/probability-syntax';
import { monthToAbsolute } from '../time/months';
import type { TimeWindow } from './plan';
import { monthText, type TimeSpec } from './schema';
import type { Statistic } from './statistics';

/** Parses a statistic ("median", "p95", "P(shortfall > 0)"); the metric, when the statistic names one. */
export function parseStatistic(text: string): { statistic?: Statistic; metric?: string; problem?: string } {
	const trimmed = text.trim();
	if (trimmed === 'mean') return { statistic: { kind: 'mean' } };
	if (trimmed === 'median') return { statistic: { kind: 'percentile', q: 0.5 } };
	if (trimmed === 'min') return { statistic: { kind: 'min' } };
	if (trimmed === 'max') return { statistic: { kind: 'max' } };
	if (trimmed === 'coverage') return { statistic: { kind: 'coverage', band: [0.05, 0.95] } };
	if (trimmed === 'pit') return { statistic: { kind: 'pit', figure: 'signTestP' } };
	const percentile = /^p(\d+(?:\.\d+)?)$/.exec(trimmed);
	if (percentile) {
		const q = Number(percentile[1]) / 100;
		if (!(q > 0 && q < 1)) return { problem: `percentile ${trimmed} is not between p0 and p100 (exclusive); use "min" or "max" for the extremes` };
		return { statistic: { kind: 'percentile', q } };
	}
	const probability = parseProbability(trimmed)?.comparison;
	// Check files give the threshold in the metric's own unit: no unit is written.
	if (probability && probability.unit === '') {
		return { statistic: { kind: 'probability', op: probability.comparison, threshold: probability.value }, metric: probability.metric };
	}
	if (trimmed.startsWith('P('))
		return { problem: `expected a probability written "P(> 0)" or "P(<metric> <op> <number>)" with op one of >, >=, <, <=, found "${trimmed}"` };
	return { problem: `expected mean, median, pNN, min, max, P(<metric> <op> <number>), coverage or pit, found "${trimmed}"` };
}

/** Parses a time; problems are messages for the "time" path. */
export function parseTime(time: TimeSpec): { time?: TimeWindow; problem?: string } {
	if (typeof time === 'number') {
		if (time < 1900 || time > 2200) return { problem: `expected a year such as 2027, found ${time}` };
		return { time: { kind: 'range', from: `${time}-01`, to: `${time}-12`, label: String(time) } };
	}
	if (typeof time === 'string') {
		const text = time.trim();
		if (text === 'every month') return { time: { kind: 'every' } };
		if (/^\d{4}$/.test(text)) return parseTime(Number(text));
		if (monthText.test(text)) return { time: { kind: 'month', month: text } };
		return {
			problem: `expected "YYYY-MM" (a month), a year such as 2027, {from: YYYY-MM, to: YYYY-MM}, {ratio: YYYY-MM, over: YYYY-MM} or "every month", found "${time}"${didYouMean(text, ['every month'])}`
		};
	}
	if ('ratio' in time) {
		if (time.ratio === time.over) return { problem: `a ratio of ${time.ratio} over itself is 1 on every path: name two different months` };
		return { time: { kind: 'ratio', numerator: time.ratio, denominator: time.over, label: `${time.ratio} / ${time.over}` } };
	}
	if (monthToAbsolute(time.from) > monthToAbsolute(time.to)) return { problem: `the range starts ${time.from}, after it ends (${time.to})` };
	return { time: { kind: 'range', from: time.from, to: time.to, label: `${time.from}…${time.to}` } };
}

export function describeTime(time: TimeWindow): string {
	return time.kind === 'every'
		? 'every month'
		: time.kind === 'month'
			? time.month
			: time.kind === 'ratio'
				? `${time.numerator} over ${time.denominator}`
				: time.label;
}

/** Problem text when the time is not inside the scenario's horizon, else undefined. */
export function outsideHorizon(time: TimeWindow, scenario: Scenario, label: string): string | undefined {
	if (time.kind === 'every') return undefined;
	const first = monthToAbsolute(scenario.start);
	const last = monthToAbsolute(scenario.end);
	if (time.kind === 'ratio') {
		const outside = [time.numerator, time.denominator].filter((m) => monthToAbsolute(m) < first || monthToAbsolute(m) > last);
		return outside.length === 0
			? undefined
			: `month ${outside.join(' and ')} of the ratio ${outside.length === 1 ? 'is' : 'are'} outside the horizon of ${label}, ${scenario.start} … ${scenario.end}`;
	}
	const from = monthToAbsolute(time.kind === 'month' ? time.month : time.from);
	const to = monthToAbsolute(time.kind === 'month' ? time.month : time.to);
	if (from >= first && to <= last) return undefined;
	const what =
		time.kind === 'month'
			? `month ${time.month} is outside`
			: /^\d{4}$/.test(time.label)
				? `year ${time.label} is not wholly inside`
				: `range ${time.label} is not wholly inside`;
	return `${what} the horizon of ${label}, ${scenario.start} … ${scenario.end}`;
}
