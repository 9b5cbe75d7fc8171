import type { MetricName } from '../model/metrics';
import { analysisError, checkMetric, checkYear, unitOf } from './input';
import type { Estimate } from '../stats/estimates';
import { parseProbability } from '../stats/probability-syntax';
import { checkThreshold, thresholdOf, type CheckedThreshold, type ThresholdSpec } from './threshold-spec';

/**
 * "Indicator at year" functions: one number per path, then one statistic across paths. They are
 * what tornado charts, attribution and refine-until-precise look at.
 *
 * - `median` / `mean`: each path's average of `metric` over the months of `year`, then the median
 *   (or mean) across paths. Unit: the metric's.
 * - `probability`: the share of paths where the threshold is met in some month of `year`
 *   (`within: 'year'`, the default), of the years `from`…`year` (`"in 2027–2030"`), or in some
 *   month from the start through `year` (`'by'`).
 * - `total`: each path's sum of `metric` from the first month through December of `year`, then the
 *   mean across paths (e.g. expected cumulative shortfall, t).
 */
export type IndicatorSpec =
	| { kind: 'median' | 'mean' | 'total'; metric: string; year: number }
	| { kind: 'probability'; threshold: ThresholdSpec; year: number; within?: 'year' | 'by'; from?: number };

export const indicatorKinds = ['median', 'mean', 'total', 'probability'] as const;

function isIndicatorKind(kind: unknown): kind is (typeof indicatorKinds)[number] {
	return indicatorKinds.some((known) => known === kind);
}

export type CheckedIndicator =
	| { kind: 'median' | 'mean' | 'total'; metric: MetricName; year: number; label: string; unit: string }
	| { kind: 'probability'; threshold: CheckedThreshold; year: number; within: 'year' | 'by'; from?: number; label: string; unit: 'probability' };

/** An indicator's estimate over a set of paths. */
export interface IndicatorValue extends Estimate {
	label: string;
	unit: string;
	paths: number;
}

function totalUnit(unit: string): string {
	return unit.endsWith('/month') ? unit.slice(0, -'/month'.length) : `${unit}·month`;
}

/** Checks an indicator; the year must lie in `months` when given. */
export function checkIndicator(spec: unknown, months?: readonly string[], source = 'indicator'): CheckedIndicator {
	if (spec === null || typeof spec !== 'object') throw analysisError(source, '', `expected an indicator {kind, metric, year}, found ${JSON.stringify(spec)}`);
	const { kind, year } = spec as Record<string, unknown>;
	if (!isIndicatorKind(kind)) {
		throw analysisError(source, 'kind', `expected one of ${indicatorKinds.map((k) => `"${k}"`).join(', ')}, found ${JSON.stringify(kind)}`);
	}
	if (typeof year !== 'number' || !Number.isInteger(year))
		throw analysisError(source, 'year', `expected a calendar year such as 2030, found ${JSON.stringify(year)}`);
	const checkedYear = months ? checkYear(year, months, source) : year;
	if (kind === 'probability') {
		const { threshold, within = 'year', from } = spec as { threshold: unknown; within?: unknown; from?: unknown };
		if (within !== 'year' && within !== 'by') throw analysisError(source, 'within', `expected "year" or "by", found ${JSON.stringify(within)}`);
		const checked = checkThreshold(threshold, source);
		if (from === undefined) {
			const label = `P(${checked.label}) ${within === 'by' ? 'by' : 'in'} ${checkedYear}`;
			return { kind, threshold: checked, year: checkedYear, within, label, unit: 'probability' };
		}
		if (typeof from !== 'number' || !Number.isInteger(from) || within !== 'year')
			throw analysisError(source, 'from', `expected the first calendar year of a span "in 2027–2030", found ${JSON.stringify(from)}`);
		if (from >= checkedYear) throw analysisError(source, 'from', `the span ${from}–${checkedYear} must start before it ends`);
		const checkedFrom = months ? checkYear(from, months, source, 'from') : from;
		const label = `P(${checked.label}) in ${checkedFrom}–${checkedYear}`;
		return { kind, threshold: checked, year: checkedYear, within, from: checkedFrom, label, unit: 'probability' };
	}
	const metric = checkMetric((spec as Record<string, unknown>).metric, source);
	const unit = kind === 'total' ? totalUnit(unitOf(metric)) : unitOf(metric);
	const label = kind === 'total' ? `total ${metric} through ${checkedYear}` : `${kind} of ${metric} (annual mean per path) in ${checkedYear}`;
	return { kind, metric, year: checkedYear, label, unit };
}

const simplePattern = /^\s*(median|mean|total)\s+([A-Za-z_]\w*)\s+(?:in\s+|through\s+)?(\d{4})\s*$/i;
const yearPattern = /^(.*?)\s+(in|by)\s+(?:(\d{4})\s*[-–]\s*)?(\d{4})\s*$/is;

/**
 * Reads an indicator written as text: `median usMagnetPrice 2030`, `mean chinaShare 2030`,
 * `total shortfall 2030`, `P(shortfall > 0) in 2027`, `P(relianceCut >= 30 %) by 2030`.
 */
export function parseIndicator(text: string, source = 'indicator'): IndicatorSpec {
	const simple = simplePattern.exec(text);
	const kind = simple?.[1].toLowerCase();
	if (simple && (kind === 'median' || kind === 'mean' || kind === 'total')) return { kind, metric: simple[2], year: Number(simple[3]) };
	const dated = yearPattern.exec(text);
	const probability = dated ? parseProbability(dated[1]) : undefined;
	if (dated && probability) {
		const within = dated[2].toLowerCase() === 'by' ? 'by' : 'year';
		const threshold = thresholdOf(probability.comparison, probability.inside, source);
		if (dated[3] === undefined) return { kind: 'probability', threshold, within, year: Number(dated[4]) };
		if (within === 'by') throw analysisError(source, '', `a span of years is written "in ${dated[3]}–${dated[4]}"; "by ${dated[4]}" counts from the start`);
		return { kind: 'probability', threshold, within, from: Number(dated[3]), year: Number(dated[4]) };
	}
	throw analysisError(
		source,
		'',
		`cannot read ${JSON.stringify(text)}: write "median <metric> <year>", "mean <metric> <year>", "total <metric> <year>" or "P(<metric> <comparison> <value> [unit]) in|by <year>" (or in <year>–<year>), e.g. "median usMagnetPrice 2030", "P(shortfall > 0) by 2030" or "P(shortfall > 0) in 2027–2030"`
	);
}

/** Reads an indicator from text or checks an object. */
export function toIndicator(spec: IndicatorSpec | string, months?: readonly string[], source = 'indicator'): CheckedIndicator {
	return checkIndicator(typeof spec === 'string' ? parseIndicator(spec, source) : spec, months, source);
}
