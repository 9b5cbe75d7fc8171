import { parameterById, type ParameterId } from '../model/parameters';

import { locationOf, withLocation, type ParameterValue } from '../model/parameter-values';
import { type Problem } from '../problems';
import { type Scenario } from './schema';

/** Sliders: a scenario's parameter values as the controls see them, and slider values applied. */

export function parameterValueOf(scenario: Scenario, id: ParameterId): ParameterValue {
	return scenario.parameters[id] ?? parameterById[id].default;
}

/** The slider positions of a scenario as written: the location of each controlled parameter. */
export function controlDefaults(scenario: Scenario): Record<string, number> {
	return Object.fromEntries(scenario.controls.map((c) => [c.param, locationOf(parameterValueOf(scenario, c.param))]));
}

export interface ControlAdjustment {
	param: string;
	requested: number;
	applied: number;
}

/**
 * Sets slider values on a scenario. Values must name a control; out-of-range values are either
 * problems (`strict`, for files and the CLI) or clamped and reported (`clamp`, for the notebook).
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
		parameters[control.param] = withLocation(parameterValueOf(scenario, control.param), applied);
	}
	return { scenario: { ...scenario, parameters }, problems, clamped };
}
