import { calibratedFits } from '../model/calibrated';
import { absoluteToMonth, monthToAbsolute } from '../time/months';
import type { Scenario } from './schema';

const laterMonth = (a: string, b: string) => (a > b ? a : b);

/**
 * The first month the model has no data for: after the calibration data and after the scenario's
 * own observations. A scenario's "now", taken from data so that it never depends on the clock: no
 * default offers a figure for a year that ended before it, and "reached by" counts from it.
 */
export function firstUnknownMonth(scenario: Scenario): string {
	const observed = Object.values(scenario.observed).flatMap((points) => points?.map((point) => point.month) ?? []);
	const lastKnown = [calibratedFits.main.cutoff, ...observed].reduce(laterMonth);
	return absoluteToMonth(monthToAbsolute(lastKnown) + 1);
}

/** The first year not yet over at the scenario's "now" (see `firstUnknownMonth`). */
export function firstOpenYear(scenario: Scenario): number {
	return Number(firstUnknownMonth(scenario).slice(0, 4));
}
