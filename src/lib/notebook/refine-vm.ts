import type { RefineResult } from '../analysis/convergence';
import { toIndicator } from '../analysis/indicator-spec';
import type { Scenario } from '../scenario/schema';
import { monthRange } from '../time/months';
import { refineLimits, type RefineSetting } from './cells';
import { capitalised, describeIndicator } from './cell-titles';
import { displayUnit, estimateParts, formatEstimate, formatQuantity } from './format';

/**
 * "Refine until the standard error of <indicator> is at most <target>": paths are added in
 * prefix-stable steps (path i is always the same path) until the error is there, or the cap is.
 */

/** The refine form's starting target (0.5 percentage points for the default probability) and cap. */
export const DEFAULT_REFINE = { target: 0.005, maxPaths: 20_000 } as const;

export interface RefineStepRow {
	paths: string;
	estimate: string;
	se: string;
}

export function refineSteps(result: RefineResult): RefineStepRow[] {
	const unit = result.indicator.unit;
	return result.steps.map((step) => {
		const shown = estimateParts(step.value, step.se, unit);
		return { paths: step.paths.toLocaleString('en-US'), estimate: shown.value, se: `± ${shown.se}` };
	});
}

export function refineVerdict(result: RefineResult): string {
	const unit = result.indicator.unit;
	const estimate = `${capitalised(describeIndicator(result.indicator.label))} = ${formatEstimate(result.value, result.se, unit)}`;
	const paths = `${result.pathsUsed.toLocaleString('en-US')} paths`;
	return result.met
		? `Reached: ${estimate} with ${paths}; the target was ≤ ${formatQuantity(result.targetSe, unit)}.`
		: `Not reached: ${estimate} at the cap of ${paths}; the target was ≤ ${formatQuantity(result.targetSe, unit)}.`;
}

/** The target as the user typed it, in the indicator's displayed unit (percent for probabilities and fractions). */
export function targetFromDisplay(value: number, unit: string): number {
	return unit === 'probability' || unit === 'fraction' ? value / 100 : value;
}

export function targetToDisplay(value: number, unit: string): number {
	return unit === 'probability' || unit === 'fraction' ? Number((value * 100).toPrecision(6)) : value;
}

/** An indicator's unit over a scenario's horizon (for the target), or '' while its text cannot be read. */
export function indicatorUnit(text: string, scenario: Scenario): string {
	try {
		return toIndicator(text, monthRange(scenario.start, scenario.end)).unit;
	} catch {
		return '';
	}
}

/** What the user typed into the refine form. */
export interface RefineDraft {
	indicator: string;
	/** In the indicator's displayed unit. */
	target: number;
	maxPaths: number;
}

/** The setting a draft asks for, or what is wrong with it. `unit`: the indicator's, '' while unknown. */
export function refineSettingOf(draft: RefineDraft, unit: string): RefineSetting | { problem: string } {
	if (!Number.isFinite(draft.target) || draft.target <= 0) {
		return { problem: `The target standard error must be a positive number${unit ? ` in ${displayUnit(unit)}` : ''}.` };
	}
	if (!Number.isInteger(draft.maxPaths) || draft.maxPaths < refineLimits.minPaths || draft.maxPaths > refineLimits.maxPaths) {
		return {
			problem: `The path cap must be a whole number of paths from ${refineLimits.minPaths.toLocaleString('en-US')} to ${refineLimits.maxPaths.toLocaleString('en-US')}.`
		};
	}
	return { indicator: draft.indicator, target: targetFromDisplay(draft.target, unit), maxPaths: draft.maxPaths };
}
