import { parameterById, type ParameterId } from '../model/parameters';

import { locationOf, withLocation, type ParameterValue } from '../model/parameter-values';
import { type Problem } from '../problems';
import { type ResolvedControl, type Scenario } from './schema';

/** Sliders: a scenario's parameter values as the controls see them, and slider values applied. */

export function parameterValueOf(scenario: Scenario, id: ParameterId): ParameterValue {
	return scenario.parameters[id] ?? parameterById[id].default;
}

/** The slider positions of a scenario as written: the location of each controlled parameter. */
export function controlDefaults(scenario: Scenario): Record<string, number> {
	return Object.fromEntries(scenario.controls.map((c) => [c.param, locationOf(parameterValueOf(scenario, c.param))]));
}

/** A number as the decimal it stands for: float noise such as 0.14300000000000002 becomes 0.143. */
export function cleanDecimal(x: number): number {
	return Number(x.toPrecision(12));
}

/**
 * The values a slider can take: `start + k × step` inside [`min`, `max`], and `min` and `max`
 * themselves. (A range input takes `start` as its `min` attribute, so its steps fall on the grid.)
 */
export interface SliderGrid {
	min: number;
	max: number;
	start: number;
	step: number;
}

/** A grid finer than this is no longer a slider's: the value is then a grid point of its own. */
const MAX_SLIDER_POSITIONS = 100_000;

function onGrid(value: number, start: number, step: number): boolean {
	const positions = (value - start) / step;
	return Math.abs(positions - Math.round(positions)) < 1e-6;
}

/**
 * The grid a slider moves on, holding the scenario's own value so the slider can show its
 * default: the control's step when its grid from `min` holds it; else the largest step ÷ n
 * (n = 2, 4, 5, 10, 20, …) that does (demand growth's 0.087 on a 0.005 grid from −0.15 gives
 * 0.001); past 100,000 positions, the control's step counted from the value itself. Typed round
 * values stay on a fine grid; a keyboard may still move by the control's own step.
 */
export function sliderGrid(control: Pick<ResolvedControl, 'min' | 'max' | 'step'>, scenarioValue: number): SliderGrid {
	const { min, max } = control;
	for (let scale = 1; scale <= 1e6; scale *= 10) {
		for (const divisor of [1, 2, 4, 5]) {
			const step = cleanDecimal(control.step / (divisor * scale));
			if ((max - min) / step > MAX_SLIDER_POSITIONS) break;
			if (onGrid(scenarioValue, min, step)) return { min, max, start: min, step };
		}
	}
	const below = Math.floor((scenarioValue - min) / control.step + 1e-9);
	return { min, max, start: cleanDecimal(scenarioValue - below * control.step), step: control.step };
}

/** The most positions the arrow keys step through on a range input. */
const MAX_KEYBOARD_POSITIONS = 1_000;

/**
 * What a range input steps through: the grid itself when it has few enough positions for the
 * arrow keys; else the control's own step counted from the scenario's value (demand growth's
 * 0.020325 would otherwise move by 0.000025 a key press). Either way each position is on the
 * grid, so a value set by the slider is kept as it is.
 */
export function rangeSteps(grid: SliderGrid, control: Pick<ResolvedControl, 'step'>, scenarioValue: number): { min: number; step: number } {
	if ((grid.max - grid.start) / grid.step <= MAX_KEYBOARD_POSITIONS) return { min: grid.start, step: grid.step };
	const below = Math.floor((scenarioValue - grid.min) / control.step + 1e-9);
	return { min: cleanDecimal(scenarioValue - below * control.step), step: control.step };
}

/** A value set on a slider, put on the nearest of its grid's values and held as a clean decimal. */
export function snapToSlider(grid: SliderGrid, value: number): number {
	const clamped = Math.min(grid.max, Math.max(grid.min, value));
	const onStep = Math.min(grid.max, Math.max(grid.min, grid.start + Math.round((clamped - grid.start) / grid.step) * grid.step));
	const nearest = [onStep, grid.min, grid.max].reduce((best, x) => (Math.abs(x - clamped) < Math.abs(best - clamped) ? x : best));
	return cleanDecimal(nearest);
}

/** A parameter value with float noise taken out of every number (a shifted distribution's bounds and values). */
function cleanValue(value: ParameterValue): ParameterValue {
	if (typeof value === 'number') return cleanDecimal(value);
	return Object.fromEntries(
		Object.entries(value).map(([key, field]) => [key, typeof field === 'number' ? cleanDecimal(field) : Array.isArray(field) ? field.map(cleanDecimal) : field])
	) as ParameterValue;
}

export interface ControlAdjustment {
	param: string;
	requested: number;
	applied: number;
}

/**
 * Sets slider values on a scenario. Values must name a control; out-of-range values are either
 * problems (`strict`, for files and the CLI) or clamped and reported (`clamp`, for the notebook).
 * In `clamp` mode a value is also put on the slider's step grid (`sliderStep`) and the moved
 * distribution held as clean decimals, so what the notebook simulates is what it exports.
 */
export function applyControlValues(
	scenario: Scenario,
	values: Readonly<Record<string, number>>,
	mode: 'strict' | 'clamp',
	source = scenario.id
): { scenario: Scenario; problems: Problem[]; clamped: ControlAdjustment[] } {
	const problems: Problem[] = [];
	const clamped: ControlAdjustment[] = [];
	const parameters = { ...scenario.parameters };
	for (const [param, requested] of Object.entries(values)) {
		const control = scenario.controls.find((c) => c.param === param);
		if (!control) {
			const known = scenario.controls.map((c) => c.param);
			problems.push({ source, path: `controls.${param}`, message: `no slider sets "${param}" in ${scenario.id}; sliders: ${known.join(', ') || 'none'}` });
			continue;
		}
		if (typeof requested !== 'number' || !Number.isFinite(requested)) {
			problems.push({ source, path: `controls.${param}`, message: `expected a number, found ${JSON.stringify(requested)}` });
			continue;
		}
		let applied = requested;
		if (requested < control.min || requested > control.max) {
			if (mode === 'strict') {
				problems.push({
					source,
					path: `controls.${param}`,
					message: `${requested} ${control.unit} is outside the slider range [${control.min}, ${control.max}] ${control.unit}`
				});
				continue;
			}
			applied = Math.min(control.max, Math.max(control.min, requested));
			clamped.push({ param, requested, applied });
		}
		const value = parameterValueOf(scenario, control.param);
		if (mode === 'clamp') {
			applied = snapToSlider(sliderGrid(control, locationOf(value)), applied);
			parameters[control.param] = cleanValue(withLocation(value, applied));
		} else parameters[control.param] = withLocation(value, applied);
	}
	return { scenario: { ...scenario, parameters }, problems, clamped };
}
