import { compileSampler } from '../engine/distributions';
import { parameterById, parameterIds, type ParameterId } from '../model/parameters';
import { applyControlValues, parameterValueOf } from '../scenario/controls';
import { InputError } from '../problems';
import { locationOf } from '../model/parameter-values';
import type { Scenario } from '../scenario/schema';
import { monthRange } from '../time/months';
import { analysisError, horizonOf, throwIfCancelled, type SimulationSettings } from './common';
import { pairedDifferenceError } from '../stats/differences';
import type { Estimate } from '../stats/estimates';
import { estimateFrom, indicatorStatistic, scenarioIndicatorValues, toIndicator, type IndicatorSpec } from './indicator';

/**
 * Sensitivity (tornado) of one indicator at one year. Each control is swung to its slider's min and
 * max; each uncertain parameter (one drawn from a distribution) is pinned at its P10 and P90; the
 * rest stays as in the scenario. Every run uses the same seed and paths (common random numbers),
 * so an effect is the lever's, not noise. Bars are sorted by swing, largest first.
 */

export type LeverKind = 'control' | 'parameter';

export interface TornadoSide {
	/** The lever's setting (in its unit). */
	setting: number;
	/** The indicator with the lever at that setting. */
	value: number;
	/** value − base. */
	effect: number;
	/** Monte Carlo standard error of the effect (paired paths). */
	se: number;
}

export interface TornadoBar {
	kind: LeverKind;
	param: string;
	label: string;
	unit: string;
	/** The lever's setting in the scenario: the slider position, or the distribution's median for a parameter. */
	baseSetting: number;
	low: TornadoSide;
	high: TornadoSide;
	/** |high.value − low.value|: the length of the bar. */
	swing: number;
}

export interface TornadoResult {
	scenario: { id: string; title: string; horizon: string };
	indicator: { label: string; unit: string };
	seed: number;
	paths: number;
	base: Estimate;
	bars: TornadoBar[];
}

export interface TornadoOptions extends SimulationSettings {
	indicator: IndicatorSpec | string;
	/** Which levers to swing; default both. */
	include?: readonly LeverKind[];
	/** Restrict to these parameter ids (controls and uncertain parameters alike). */
	only?: readonly string[];
}

/** Percentiles of a parameter's distribution in the scenario, truncated to its bounds (whole months rounded). */
export function parameterPercentile(scenario: Scenario, id: ParameterId, p: number): number {
	const definition = parameterById[id];
	const spec = parameterValueOf(scenario, id);
	// An empirical sample is drawn by position (its rows are joint), so its percentile needs sorting.
	const value =
		typeof spec === 'object' && spec.dist === 'empirical'
			? sortedQuantile(spec.values, p, definition.bounds)
			: compileSampler(spec, definition.bounds[0], definition.bounds[1])(p);
	return definition.integer ? Math.round(value) : value;
}

function sortedQuantile(values: readonly number[], p: number, [low, high]: readonly [number, number]): number {
	const sorted = values.map((x) => Math.min(high, Math.max(low, x))).sort((a, b) => a - b);
	const h = (sorted.length - 1) * p;
	const below = Math.floor(h);
	return sorted[below] + (h - below) * (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]);
}

/** Parameters drawn from a distribution with some spread in this scenario. */
export function uncertainParameters(scenario: Scenario): ParameterId[] {
	return parameterIds.filter((id) => {
		const value = parameterValueOf(scenario, id);
		if (typeof value === 'number' || value.dist === 'fixed') return false;
		return parameterPercentile(scenario, id, 0.1) !== parameterPercentile(scenario, id, 0.9);
	});
}

interface Swing {
	kind: LeverKind;
	param: ParameterId;
	label: string;
	unit: string;
	baseSetting: number;
	low: { setting: number; scenario: Scenario };
	high: { setting: number; scenario: Scenario };
}

function pinned(scenario: Scenario, id: ParameterId, value: number): Scenario {
	return { ...scenario, parameters: { ...scenario.parameters, [id]: value } };
}

function withControl(scenario: Scenario, param: string, value: number): Scenario {
	const { scenario: changed, problems } = applyControlValues(scenario, { [param]: value }, 'strict');
	if (problems.length > 0) throw new InputError(problems);
	return changed;
}

/** The swings a tornado runs, in catalogue order (controls first). */
export function tornadoSwings(scenario: Scenario, include: readonly LeverKind[] = ['control', 'parameter'], only?: readonly string[]): Swing[] {
	const swings: Swing[] = [];
	if (only) {
		const known = new Set<string>(parameterIds);
		const unknown = only.filter((id) => !known.has(id));
		if (unknown.length > 0)
			throw analysisError('tornado', 'only', `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`);
	}
	const wanted = (id: string) => !only || only.includes(id);
	if (include.includes('control')) {
		for (const control of scenario.controls) {
			if (!wanted(control.param)) continue;
			const id = control.param;
			swings.push({
				kind: 'control',
				param: id,
				label: control.label,
				unit: control.unit,
				baseSetting: locationOf(parameterValueOf(scenario, id)),
				low: { setting: control.min, scenario: withControl(scenario, id, control.min) },
				high: { setting: control.max, scenario: withControl(scenario, id, control.max) }
			});
		}
	}
	if (include.includes('parameter')) {
		for (const id of uncertainParameters(scenario)) {
			if (!wanted(id)) continue;
			const definition = parameterById[id];
			const low = parameterPercentile(scenario, id, 0.1);
			const high = parameterPercentile(scenario, id, 0.9);
			swings.push({
				kind: 'parameter',
				param: id,
				label: `${definition.label} (P10–P90)`,
				unit: definition.unit,
				baseSetting: parameterPercentile(scenario, id, 0.5),
				low: { setting: low, scenario: pinned(scenario, id, low) },
				high: { setting: high, scenario: pinned(scenario, id, high) }
			});
		}
	}
	return swings;
}

export async function tornado(scenario: Scenario, options: TornadoOptions): Promise<TornadoResult> {
	const indicator = toIndicator(options.indicator, monthRange(scenario.start, scenario.end), 'tornado');
	const swings = tornadoSwings(scenario, options.include, options.only);
	if (swings.length === 0) throw analysisError('tornado', '', `${scenario.id} has no sliders or uncertain parameters to swing`);
	const total = (1 + 2 * swings.length) * options.paths;
	let done = 0;
	const run = async (variant: Scenario) => {
		throwIfCancelled(options.signal);
		const values = await scenarioIndicatorValues(variant, indicator, options);
		done += options.paths;
		options.onProgress?.(done, total);
		return values;
	};
	const baseValues = await run(scenario);
	const base = estimateFrom(baseValues, indicator);
	const bars: TornadoBar[] = [];
	for (const swing of swings) {
		const side = async ({ setting, scenario: variant }: Swing['low']): Promise<TornadoSide> => {
			const values = await run(variant);
			const value = estimateFrom(values, indicator).value;
			return { setting, value, effect: value - base.value, se: pairedDifferenceError(indicatorStatistic(indicator), values, baseValues) };
		};
		const low = await side(swing.low);
		const high = await side(swing.high);
		bars.push({
			kind: swing.kind,
			param: swing.param,
			label: swing.label,
			unit: swing.unit,
			baseSetting: swing.baseSetting,
			low,
			high,
			swing: Math.abs(high.value - low.value)
		});
	}
	// Stable sort: equal swings keep catalogue order, so the result does not depend on the engine.
	bars.sort((x, y) => y.swing - x.swing);
	return {
		scenario: { id: scenario.id, title: scenario.title, horizon: horizonOf(scenario) },
		indicator: { label: indicator.label, unit: indicator.unit },
		seed: options.seed,
		paths: options.paths,
		base,
		bars
	};
}
