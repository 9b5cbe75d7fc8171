import { compileSampler, type Sampler } from '../engine/distributions';
import { fingerprintOf } from '../engine/fingerprint';
import { parameterById, type ParameterId } from '../model/parameters';
import { modelVersion } from '../model/version';
import { InputError, type Problem } from '../problems';
import { applyControlValues } from '../scenario/controls';
import { checkScenario } from '../scenario/resolve';
import type { Scenario, ScenarioEvent } from '../scenario/schema';
import { absoluteToMonth, monthRange, monthToAbsolute } from '../time/months';
import { checkIndicator, parseIndicator, type CheckedIndicator } from '../analysis/indicator-spec';
import { workProblem } from '../limits';
import { MAX_SWEEP_POINTS, type FactorSpec, type SweepFile } from './schema';

/**
 * A sweep file checked against its base scenario: each factor knows how to turn a number of the
 * unit cube (or a grid level) into a setting and how to set it on a scenario; each output is a
 * checked indicator. Everything a point needs is here, so a point's scenario depends only on the
 * plan and the point's factor values.
 */

/** How a factor acts on the scenario. */
export type FactorKind = 'slider' | 'parameter' | 'shift' | 'length';

export interface PlannedFactor {
	name: string;
	kind: FactorKind;
	/** The parameter a slider or parameter factor sets. */
	param?: ParameterId;
	/** The id of the event a shift or length factor moves. */
	event?: string;
	unit: string;
	/** Lowest and highest value it can take. */
	min: number;
	max: number;
	/** A value from a number u in [0, 1): uniform over the range, a listed value, or a quantile. */
	fromUnit: (u: number) => number;
	/** The values a grid takes, given the design's levels. */
	levels: (count: number) => number[];
}

export interface PlannedOutput {
	/** The indicator as written in the file: the key of its value in every record. */
	name: string;
	indicator: CheckedIndicator;
}

export interface SweepPlan {
	definition: SweepFile;
	/** The base scenario, resolved. */
	base: Scenario;
	seed: number;
	paths: number;
	factors: PlannedFactor[];
	outputs: PlannedOutput[];
	/** Points over all shards. */
	pointCount: number;
	/** Digest of the definition, the base scenario and the model version: parts of one sweep share it. */
	hash: string;
	/** The last year any output looks at: points simulate no further. */
	lastYear: number;
}

function fail(path: string, message: string): Problem {
	return { source: '', path, message };
}

function rounder(id: ParameterId): (x: number) => number {
	return parameterById[id].integer ? Math.round : (x) => x;
}

function evenLevels(min: number, max: number, count: number, round: (x: number) => number): number[] {
	const values = Array.from({ length: count }, (_, i) => round(count === 1 ? min : min + ((max - min) * i) / (count - 1)));
	return [...new Set(values)];
}

function planFactor(spec: FactorSpec, index: number, base: Scenario, problems: Problem[]): PlannedFactor | undefined {
	const path = `factors[${index}]`;
	if ('event' in spec) {
		const event = base.events.find((e) => e.id === spec.event);
		if (!event) {
			const ids = base.events.flatMap((e) => (e.id ? [e.id] : []));
			problems.push(fail(`${path}.event`, `no event "${spec.event}" in ${base.id}; its events with ids: ${ids.join(', ') || 'none'}`));
			return undefined;
		}
		const range = 'shiftMonths' in spec ? spec.shiftMonths : spec.lengthMonths;
		const key = 'shiftMonths' in spec ? 'shiftMonths' : 'lengthMonths';
		if (range.min > range.max) problems.push(fail(`${path}.${key}.max`, `max ${range.max} is below min ${range.min}`));
		if (key === 'lengthMonths' && event.type === 'regime' && event.durationFrom)
			problems.push(fail(`${path}.event`, `"${spec.event}" takes its length from the parameter ${event.durationFrom}: sweep that parameter instead`));
		const kind: FactorKind = key === 'shiftMonths' ? 'shift' : 'length';
		return {
			name: spec.name ?? `${spec.event}.${kind}`,
			kind,
			event: spec.event,
			unit: 'months',
			min: range.min,
			max: range.max,
			fromUnit: (u) => range.min + Math.min(range.max - range.min, Math.floor(u * (range.max - range.min + 1))),
			levels: (count) => evenLevels(range.min, range.max, count, Math.round)
		};
	}
	const definition = parameterById[spec.param];
	const [low, high] = definition.bounds;
	const round = rounder(spec.param);
	const control = base.controls.find((c) => c.param === spec.param);
	const [allowedLow, allowedHigh] = control ? [control.min, control.max] : [low, high];
	const within = control ? `the slider range [${control.min}, ${control.max}]` : `the bounds of ${spec.param}, [${low}, ${high}]`;
	const common = { name: spec.name ?? spec.param, kind: (control ? 'slider' : 'parameter') as FactorKind, param: spec.param, unit: definition.unit };
	const outside = (value: number) => value < allowedLow || value > allowedHigh;
	if ('values' in spec) {
		spec.values.forEach((value, i) => {
			if (outside(value)) problems.push(fail(`${path}.values[${i}]`, `${value} ${definition.unit} is outside ${within}`));
		});
		const values = spec.values.map(round);
		return {
			...common,
			min: Math.min(...values),
			max: Math.max(...values),
			fromUnit: (u) => values[Math.min(values.length - 1, Math.floor(u * values.length))],
			levels: () => values
		};
	}
	if ('distribution' in spec) {
		const distribution = spec.distribution;
		if ('min' in distribution && 'max' in distribution && distribution.min !== undefined && distribution.max !== undefined) {
			if (distribution.min > distribution.max) problems.push(fail(`${path}.distribution.max`, `max ${distribution.max} is below min ${distribution.min}`));
			if ('mode' in distribution && (distribution.mode < distribution.min || distribution.mode > distribution.max))
				problems.push(fail(`${path}.distribution.mode`, `mode ${distribution.mode} is not between min ${distribution.min} and max ${distribution.max}`));
		}
		const sampler: Sampler = compileSampler(spec.distribution, allowedLow, allowedHigh);
		return {
			...common,
			min: round(sampler(0)),
			max: round(sampler(1)),
			fromUnit: (u) => round(sampler(u)),
			levels: (count) => Array.from({ length: count }, (_, i) => round(sampler((i + 0.5) / count)))
		};
	}
	if (spec.min > spec.max) problems.push(fail(`${path}.max`, `max ${spec.max} is below min ${spec.min}`));
	for (const key of ['min', 'max'] as const)
		if (outside(spec[key])) problems.push(fail(`${path}.${key}`, `${spec[key]} ${definition.unit} is outside ${within}`));
	return {
		...common,
		min: spec.min,
		max: spec.max,
		fromUnit: (u) => round(spec.min + u * (spec.max - spec.min)),
		levels: (count) => evenLevels(spec.min, spec.max, count, round)
	};
}

function shiftedMonth(month: string, months: number): string {
	return absoluteToMonth(monthToAbsolute(month) + months);
}

function eventAt(event: ScenarioEvent, kind: 'shift' | 'length', value: number): ScenarioEvent {
	if (kind === 'shift') {
		const moved = { ...event, start: shiftedMonth(event.start, value) };
		if ('end' in event && event.end !== undefined) return { ...moved, end: shiftedMonth(event.end, value) } as ScenarioEvent;
		return moved;
	}
	if (event.type === 'regime') {
		const { end: _end, ...rest } = event;
		return { ...rest, durationMonths: value };
	}
	return { ...event, end: shiftedMonth(event.start, value - 1) } as ScenarioEvent;
}

/** The base scenario with the factors set to `values` (one per factor, in plan order): sliders, fixed parameters, then event shifts, then lengths. */
export function scenarioAt(base: Scenario, factors: readonly Pick<PlannedFactor, 'kind' | 'param' | 'event'>[], values: readonly number[]): Scenario {
	const sliders: Record<string, number> = Object.create(null);
	const parameters = { ...base.parameters };
	factors.forEach((factor, i) => {
		if (factor.kind === 'slider') sliders[factor.param!] = values[i];
		else if (factor.kind === 'parameter') parameters[factor.param!] = values[i];
	});
	let scenario: Scenario = { ...base, parameters };
	if (Object.keys(sliders).length > 0) {
		const applied = applyControlValues(scenario, sliders, 'strict');
		if (applied.problems.length > 0) throw new InputError(applied.problems);
		scenario = applied.scenario;
	}
	for (const kind of ['shift', 'length'] as const) {
		factors.forEach((factor, i) => {
			if (factor.kind !== kind) return;
			scenario = { ...scenario, events: scenario.events.map((event) => (event.id === factor.event ? eventAt(event, kind, values[i]) : event)) };
		});
	}
	return scenario;
}

function pointCountOf(file: SweepFile, factors: readonly PlannedFactor[]): number {
	const design = file.design;
	if (design.kind === 'latin-hypercube') return design.points;
	if (design.kind === 'sobol') return design.rows * (factors.length + 2);
	return factors.reduce((count, factor) => count * factor.levels(design.levels ?? 5).length, 1);
}

/** Values (points × factors) a design may hold in memory at once. */
export const MAX_DESIGN_VALUES = 8_000_000;

/**
 * Checks a sweep file against its base scenario and plans it. Throws an InputError listing every
 * problem, each with its path in the file (the caller points them at lines).
 */
export function planSweep(file: SweepFile, base: Scenario): SweepPlan {
	const problems: Problem[] = [];
	const factors = file.factors.flatMap((spec, i) => planFactor(spec, i, base, problems) ?? []);
	const names = new Map<string, number>();
	const settings = new Map<string, number>();
	factors.forEach((factor, i) => {
		const earlier = names.get(factor.name);
		if (earlier !== undefined) problems.push(fail(`factors[${i}]`, `two factors are named "${factor.name}" (factors[${earlier}] too): give one a "name"`));
		names.set(factor.name, i);
		// The same parameter or event setting twice: the last would win, and the first would be analysed for nothing.
		const setting = `${factor.kind === 'slider' || factor.kind === 'parameter' ? 'parameter' : factor.kind} ${factor.param ?? factor.event}`;
		const before = settings.get(setting);
		if (before !== undefined)
			problems.push(fail(`factors[${i}]`, `factors[${before}] sets the same ${setting.replace(' ', ' "')}" already: one factor per setting`));
		settings.set(setting, i);
	});
	const months = monthRange(base.start, base.end);
	const outputs: PlannedOutput[] = [];
	file.outputs.forEach((text, i) => {
		if (file.outputs.indexOf(text) !== i) {
			problems.push(fail(`outputs[${i}]`, `"${text}" is listed twice`));
			return;
		}
		let indicator: CheckedIndicator;
		try {
			indicator = checkIndicator(parseIndicator(text), months);
		} catch (error) {
			if (!(error instanceof InputError)) throw error;
			problems.push(...error.problems.map((p) => fail(`outputs[${i}]`, p.message)));
			return;
		}
		const same = outputs.find((o) => o.indicator.label === indicator.label);
		if (same) problems.push(fail(`outputs[${i}]`, `"${text}" is "${same.name}" written another way`));
		outputs.push({ name: text, indicator });
	});
	if (file.discover) {
		const { output, above, below } = file.discover;
		if (!file.outputs.includes(output))
			problems.push(fail('discover.output', `"${output}" is not one of the outputs: ${file.outputs.map((o) => `"${o}"`).join(', ')}`));
		if ((above === undefined) === (below === undefined))
			problems.push(fail('discover', 'give one of "above" and "below": the level that makes a point a case of interest'));
	}
	if (file.seek) {
		const { factor, low, high, atMost, atLeast, output } = file.seek;
		const control = base.controls.find((c) => c.param === factor);
		const [lowest, highest] = control ? [control.min, control.max] : parameterById[factor].bounds;
		if (!(low < high)) problems.push(fail('seek.high', `high ${high} must be above low ${low}`));
		for (const [key, value] of [
			['low', low],
			['high', high]
		] as const)
			if (value < lowest || value > highest)
				problems.push(fail(`seek.${key}`, `${value} is outside ${control ? 'the slider range' : `the bounds of ${factor}`} [${lowest}, ${highest}]`));
		if ((atMost === undefined) === (atLeast === undefined)) problems.push(fail('seek', 'give one of "atMost" and "atLeast": the target the output must meet'));
		try {
			checkIndicator(parseIndicator(output), months);
		} catch (error) {
			if (!(error instanceof InputError)) throw error;
			problems.push(...error.problems.map((p) => fail('seek.output', p.message)));
		}
	}
	const work = workProblem(file.paths, months.length, '', 'paths');
	if (work) problems.push(work);
	if (problems.length > 0) throw new InputError(problems);

	const pointCount = pointCountOf(file, factors);
	if (pointCount > MAX_SWEEP_POINTS)
		problems.push(fail('design', `the design has ${pointCount.toLocaleString('en-US')} points; the limit is ${MAX_SWEEP_POINTS.toLocaleString('en-US')}`));
	else if (pointCount * factors.length > MAX_DESIGN_VALUES)
		problems.push(
			fail(
				'design',
				`${pointCount.toLocaleString('en-US')} points × ${factors.length} factors is over the limit of ${MAX_DESIGN_VALUES.toLocaleString('en-US')} values`
			)
		);
	// Every factor at its low end, then at its high end: the extremes an event can reach must stay inside the horizon.
	for (const [end, values] of [
		['low', factors.map((f) => f.min)],
		['high', factors.map((f) => f.max)]
	] as const) {
		try {
			const found = checkScenario(scenarioAt(base, factors, values), base.id);
			// Only the events: a slider's distribution may reach past the parameter's bounds, and draws are clamped to them, as in the notebook.
			const events = found.filter((p) => p.path.startsWith('events'));
			problems.push(...events.map((p) => fail('factors', `with every factor at its ${end} end: ${p.message}`)));
		} catch (error) {
			if (!(error instanceof InputError)) throw error;
			problems.push(...error.problems.map((p) => fail('factors', p.message)));
		}
	}
	if (problems.length > 0) throw new InputError(problems);
	const lastYear = Math.max(...outputs.map((o) => o.indicator.year));
	return {
		definition: file,
		base,
		seed: file.seed ?? base.seed,
		paths: file.paths,
		factors,
		outputs,
		pointCount,
		hash: fingerprintOf({ definition: file, base, modelVersion }),
		lastYear
	};
}

/** The base with one parameter set as a factor sets it: a slider's position, or else fixed on every path. */
export function withParameter(base: Scenario, param: ParameterId, value: number): Scenario {
	const kind: FactorKind = base.controls.some((c) => c.param === param) ? 'slider' : 'parameter';
	return scenarioAt(base, [{ kind, param }], [value]);
}
