import { metricNames, metricUnit, type MetricName } from '../model/metrics';
import { InputError, isMetricName, unknownMetricMessage } from '../problems';

/**
 * The analyses' readers of what a user wrote (metric names, years): pure, so the page can check
 * its input with them without loading the engine.
 */

/** One problem as an InputError, with the analysis as its source. */
export function analysisError(source: string, path: string, message: string): InputError {
	return new InputError([{ source, path, message }]);
}

/** Checks a metric name, or says which names exist (and the nearest one), or what replaced a removed one. */
export function checkMetric(name: unknown, source: string, path = 'metric'): MetricName {
	if (typeof name !== 'string') throw analysisError(source, path, `expected a metric name, found ${JSON.stringify(name)}; metrics: ${metricNames.join(', ')}`);
	if (!isMetricName(name)) throw analysisError(source, path, unknownMetricMessage(name));
	return name;
}

export function unitOf(metric: MetricName): string {
	return metricUnit[metric];
}

export function yearsOf(months: readonly string[]): number[] {
	return [...new Set(months.map((m) => Number(m.slice(0, 4))))];
}

/** Checks that a year lies inside the horizon of `months`. */
export function checkYear(year: unknown, months: readonly string[], source: string, path = 'year'): number {
	const years = yearsOf(months);
	if (typeof year !== 'number' || !Number.isInteger(year)) {
		throw analysisError(source, path, `expected a calendar year such as ${years[0]}, found ${JSON.stringify(year)}`);
	}
	if (!years.includes(year)) {
		throw analysisError(source, path, `${year} is outside the horizon ${months[0]} … ${months.at(-1)}`);
	}
	return year;
}
