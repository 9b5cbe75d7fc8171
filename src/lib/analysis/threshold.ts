import { metricNames } from '../model/metrics';
import { analysisError, checkMetric, metricValues, unitOf, type SimulatedPaths } from './common';
import { proportionEstimate, type Estimate } from '../stats/estimates';
import { comparisons, isComparison, parseComparison, satisfies, type Comparison, type ComparisonText } from '../stats/probability-syntax';

/** Unit of a threshold given as a multiple of the path's own first-month value. */
export const START_MULTIPLE_UNIT = '× start';

/**
 * "metric comparison value unit", e.g. usMagnetPrice > 2 × start, shortfall > 0 t/month,
 * chinaShare < 60 %, relianceCut >= 0.3 fraction. The unit must be the metric's own, "× start" (a multiple of the
 * path's first month), or "%" for fractions.
 */
export interface ThresholdSpec {
	metric: string;
	comparison: Comparison;
	value: number;
	unit: string;
}

/** A threshold checked against its series: ready to test values. */
export interface CheckedThreshold {
	series: string;
	seriesUnit: string;
	comparison: Comparison;
	/** As given. */
	value: number;
	unit: string;
	/** The value in the series' unit, or the multiple of the first month when `relativeToStart`. */
	level: number;
	relativeToStart: boolean;
	/** Human-readable, e.g. "usMagnetPrice > 2 × start". */
	label: string;
}

const startUnitSpellings = new Set(['× start', 'x start', 'xstart', '×start', 'times start']);

function describe(value: unknown): string {
	return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Checks a threshold against a series with a known unit (a metric, or a formula with the unit its
 * author gave). Throws an InputError that says what is wrong and what would be accepted.
 */
export function checkThresholdFor(spec: unknown, series: string, seriesUnit: string, source = 'threshold'): CheckedThreshold {
	if (spec === null || typeof spec !== 'object') throw analysisError(source, '', `expected a threshold {metric, comparison, value, unit}, found ${describe(spec)}`);
	const { comparison, value, unit } = spec as Record<string, unknown>;
	if (!isComparison(comparison)) {
		throw analysisError(source, 'comparison', `expected one of ${comparisons.map((c) => `"${c}"`).join(', ')}, found ${describe(comparison)}`);
	}
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw analysisError(source, 'value', `the threshold must be a finite number, found ${describe(value)}`);
	}
	const accepted = [seriesUnit, START_MULTIPLE_UNIT, ...(seriesUnit === 'fraction' ? ['%'] : [])];
	const acceptedText = accepted.map((u) => `"${u}"`).join(', ');
	if (typeof unit !== 'string') {
		throw analysisError(source, 'unit', `expected a unit (${acceptedText}), found ${describe(unit)}`);
	}
	const trimmed = unit.trim();
	let level = value;
	let relativeToStart = false;
	let shownUnit = trimmed;
	if (startUnitSpellings.has(trimmed.toLowerCase())) {
		relativeToStart = true;
		shownUnit = START_MULTIPLE_UNIT;
		if (value < 0) throw analysisError(source, 'value', `a multiple of the first month must not be negative, found ${value}`);
	} else if (trimmed === '%' && seriesUnit === 'fraction') {
		level = value / 100;
	} else if (trimmed !== seriesUnit) {
		throw analysisError(source, 'unit', `"${unit}" does not fit ${series}, measured in ${seriesUnit}; use ${acceptedText.replace(/, ([^,]*)$/, ' or $1')}`);
	}
	if (seriesUnit === 'fraction' && !relativeToStart && (level < 0 || level > 1)) {
		const hint = shownUnit === 'fraction' && value > 1 && value <= 100 ? ` (for ${value} % write the unit "%")` : '';
		throw analysisError(source, 'value', `${series} is a fraction between 0 and 1, so ${value} ${shownUnit} can never be crossed${hint}`);
	}
	return {
		series,
		seriesUnit,
		comparison,
		value,
		unit: shownUnit,
		level,
		relativeToStart,
		label: `${series} ${comparison} ${value} ${shownUnit}`
	};
}

/** Checks a threshold on a model metric (unknown names are reported with the valid list). */
export function checkThreshold(spec: unknown, source = 'threshold'): CheckedThreshold {
	if (spec === null || typeof spec !== 'object') throw analysisError(source, '', `expected a threshold {metric, comparison, value, unit}, found ${describe(spec)}`);
	const metric = checkMetric((spec as Record<string, unknown>).metric, source);
	return checkThresholdFor(spec, metric, unitOf(metric), source);
}

/**
 * Reads a threshold written as text: `usMagnetPrice > 2x start`, `shortfall > 0`, `chinaShare < 60%`,
 * `relianceCut >= 0.3`. A missing unit means the metric's own.
 */
export function parseThreshold(text: string, source = 'threshold'): ThresholdSpec {
	return thresholdOf(parseComparison(text), text, source);
}

/** A threshold from its text as read (`parsed`), or the problem with `text` when it did not read or names no metric. */
export function thresholdOf(parsed: ComparisonText | undefined, text: string, source = 'threshold'): ThresholdSpec {
	if (!parsed?.metric) {
		throw analysisError(
			source,
			'',
			`cannot read ${JSON.stringify(text)}: write "<metric> <comparison> <number> [unit]", e.g. "usMagnetPrice > 2 × start", "shortfall > 0", "chinaShare < 60 %"; metrics: ${metricNames.join(', ')}`
		);
	}
	const metricName = checkMetric(parsed.metric, source);
	return { metric: metricName, comparison: parsed.comparison, value: parsed.value, unit: parsed.unit === '' ? unitOf(metricName) : parsed.unit };
}

/** Whether `value` meets the threshold on a path whose first month was `startValue`. */
export function meets(threshold: CheckedThreshold, value: number, startValue: number): boolean {
	return satisfies(value, threshold.comparison, threshold.relativeToStart ? threshold.level * startValue : threshold.level);
}

/** Month-major 0/1 flags: does path i meet the threshold in month t? */
export function thresholdFlags(values: Float32Array | Float64Array, pathCount: number, monthCount: number, threshold: CheckedThreshold): Uint8Array {
	const flags = new Uint8Array(pathCount * monthCount);
	for (let t = 0; t < monthCount; t++) {
		const row = t * pathCount;
		for (let i = 0; i < pathCount; i++) flags[row + i] = meets(threshold, values[row + i], values[i]) ? 1 : 0;
	}
	return flags;
}

export interface ThresholdResult {
	threshold: CheckedThreshold;
	paths: number;
	months: string[];
	/** P(the threshold is met in month t), with its standard error. */
	inMonth: { p: number[]; se: number[] };
	/** P(the threshold has been met in some month from the start through month t). */
	reachedByMonth: { p: number[]; se: number[] };
	/** Per calendar year: P(met in some month of the year) and P(met by the end of the year). */
	byYear: { year: number; inYear: Estimate; reachedBy: Estimate }[];
}

/** Probabilities over time of meeting a threshold, for any month-major series. */
export function thresholdOverSeries(values: Float32Array | Float64Array, pathCount: number, months: readonly string[], threshold: CheckedThreshold): ThresholdResult {
	const monthCount = months.length;
	const flags = thresholdFlags(values, pathCount, monthCount, threshold);
	const reached = new Uint8Array(pathCount);
	const inYear = new Uint8Array(pathCount);
	const inMonth = { p: [] as number[], se: [] as number[] };
	const reachedByMonth = { p: [] as number[], se: [] as number[] };
	const byYear: ThresholdResult['byYear'] = [];
	let reachedCount = 0;
	let inYearCount = 0;
	for (let t = 0; t < monthCount; t++) {
		const row = t * pathCount;
		let count = 0;
		for (let i = 0; i < pathCount; i++) {
			if (flags[row + i] === 0) continue;
			count++;
			if (reached[i] === 0) {
				reached[i] = 1;
				reachedCount++;
			}
			if (inYear[i] === 0) {
				inYear[i] = 1;
				inYearCount++;
			}
		}
		const month = proportionEstimate(count, pathCount);
		inMonth.p.push(month.value);
		inMonth.se.push(month.se);
		const soFar = proportionEstimate(reachedCount, pathCount);
		reachedByMonth.p.push(soFar.value);
		reachedByMonth.se.push(soFar.se);
		const year = Number(months[t].slice(0, 4));
		if (t === monthCount - 1 || Number(months[t + 1].slice(0, 4)) !== year) {
			byYear.push({ year, inYear: proportionEstimate(inYearCount, pathCount), reachedBy: soFar });
			inYear.fill(0);
			inYearCount = 0;
		}
	}
	return { threshold, paths: pathCount, months: [...months], inMonth, reachedByMonth, byYear };
}

/** Threshold probabilities of a metric over simulated paths. */
export function thresholdProbabilities(paths: SimulatedPaths, spec: ThresholdSpec | string): ThresholdResult {
	const checked = checkThreshold(typeof spec === 'string' ? parseThreshold(spec) : spec);
	return thresholdOverSeries(metricValues(paths, checkMetric(checked.series, 'threshold')), paths.block.pathCount, paths.months, checked);
}

/** P(reached by year Y) as a curve over the horizon's years. */
export function reachedByYearCurve(result: ThresholdResult): { year: number; p: number; se: number }[] {
	return result.byYear.map(({ year, reachedBy }) => ({ year, p: reachedBy.value, se: reachedBy.se }));
}
