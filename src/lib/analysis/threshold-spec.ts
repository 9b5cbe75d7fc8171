import { metricNames } from '../model/metrics';
import { analysisError, checkMetric, unitOf } from './input';
import { comparisons, isComparison, parseComparison, type Comparison, type ComparisonText } from '../stats/probability-syntax';

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
	if (spec === null || typeof spec !== 'object')
		throw analysisError(source, '', `expected a threshold {metric, comparison, value, unit}, found ${describe(spec)}`);
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
	if (spec === null || typeof spec !== 'object')
		throw analysisError(source, '', `expected a threshold {metric, comparison, value, unit}, found ${describe(spec)}`);
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
