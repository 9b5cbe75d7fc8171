import type { Scenario } from '../scenario/schema';
import { analysisError, metricValues, monthsOfYear, simulateScenario, truncatedTo, type SimulatedPaths, type SimulationSettings } from './common';
import { checkMetric } from './input';
import { checkIndicator, type CheckedIndicator, type IndicatorSpec, type IndicatorValue } from './indicator-spec';
import { estimateOf, type Estimate, type PathStatistic } from '../stats/estimates';
import { meets } from './threshold';

export * from './indicator-spec';

/** The last calendar year an indicator looks at (later months need not be simulated). */
export function lastYearOf(spec: CheckedIndicator): number {
	return spec.year;
}

/** One value per path: the annual mean, the total, or 1/0 for "threshold met". */
export function perPathValues(paths: SimulatedPaths, spec: CheckedIndicator): Float64Array {
	const n = paths.block.pathCount;
	const out = new Float64Array(n);
	const metric = spec.kind === 'probability' ? checkMetric(spec.threshold.series, 'indicator') : spec.metric;
	const values = metricValues(paths, metric);
	const yearMonths = monthsOfYear(paths.months, spec.year);
	if (yearMonths.length === 0) throw analysisError('indicator', 'year', `${spec.year} is outside the horizon ${paths.months[0]} … ${paths.months.at(-1)}`);
	const lastMonth = yearMonths[yearMonths.length - 1];
	if (spec.kind === 'probability') {
		const from = spec.within === 'by' ? 0 : spec.from !== undefined ? monthsOfYear(paths.months, spec.from)[0] : yearMonths[0];
		for (let t = from; t <= lastMonth; t++) {
			const row = t * n;
			for (let i = 0; i < n; i++) if (out[i] === 0 && meets(spec.threshold, values[row + i], values[i])) out[i] = 1;
		}
	} else if (spec.kind === 'total') {
		for (let t = 0; t <= lastMonth; t++) {
			const row = t * n;
			for (let i = 0; i < n; i++) out[i] += values[row + i];
		}
	} else {
		for (const t of yearMonths) {
			const row = t * n;
			for (let i = 0; i < n; i++) out[i] += values[row + i];
		}
		for (let i = 0; i < n; i++) out[i] /= yearMonths.length;
	}
	return out;
}

/** The statistic an indicator takes across its per-path values. */
export function indicatorStatistic(spec: CheckedIndicator): PathStatistic {
	return spec.kind === 'median' ? { kind: 'quantile', q: 0.5 } : spec.kind === 'probability' ? { kind: 'proportion' } : { kind: 'mean' };
}

/** The estimate and its Monte Carlo standard error. */
export function estimateFrom(values: Float64Array, spec: CheckedIndicator): Estimate {
	return estimateOf(indicatorStatistic(spec), values);
}

export function evaluateIndicator(paths: SimulatedPaths, spec: IndicatorSpec | CheckedIndicator): IndicatorValue {
	const checked = 'label' in spec ? spec : checkIndicator(spec, paths.months);
	const estimate = estimateFrom(perPathValues(paths, checked), checked);
	return { label: checked.label, unit: checked.unit, paths: paths.block.pathCount, ...estimate };
}

/**
 * Per-path values of an indicator for a scenario: simulates only through the indicator's year
 * (months are simulated in order, so the values are those of the full horizon).
 */
export async function scenarioIndicatorValues(scenario: Scenario, spec: CheckedIndicator, settings: SimulationSettings): Promise<Float64Array> {
	const paths = await simulateScenario(truncatedTo(scenario, lastYearOf(spec)), { ...settings, onProgress: undefined });
	return perPathValues(paths, spec);
}
