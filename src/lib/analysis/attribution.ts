import { parameterById, parameterIds, type ParameterId } from '../model/parameters';
import { parameterValueOf } from '../scenario/controls';
import type { Scenario, ScenarioEvent } from '../scenario/schema';
import { monthRange, monthToAbsolute, absoluteToMonth } from '../time/months';
import { analysisError, horizonOf, throwIfCancelled, type SimulationSettings } from './common';
import { pairedDifferenceError } from '../stats/differences';
import type { Estimate } from '../stats/estimates';
import { estimateFrom, indicatorStatistic, scenarioIndicatorValues, toIndicator, type IndicatorSpec } from './indicator';

/**
 * Splits "scenario minus base" of an indicator into the contributions of each changed lever. A
 * lever is one parameter whose value differs (an *assumption*), or one event that was changed,
 * added or removed, or a different initial regime (*policy/events*). With up to
 * `maxShapleyLevers` levers the split is the exact Shapley value over all 2^k combinations; beyond,
 * it is sequential: levers switched on one at a time in a stated order (assumptions in catalogue
 * order, then policy/events in the scenario's order), each credited with the change it makes.
 * Either way the contributions add up to the total difference (up to float rounding), and every
 * combination is simulated with the same seed and paths (common random numbers).
 */

export type LeverGroup = 'assumptions' | 'policyEvents';

export interface Lever {
	/** `parameters.<id>`, `events.<id or index>` or `initialRegime`. */
	id: string;
	group: LeverGroup;
	change: 'changed' | 'added' | 'removed';
	label: string;
	/** The base's and the scenario's values (parameter value, event, or regime); absent when added/removed. */
	from?: unknown;
	to?: unknown;
}

export interface Contribution extends Lever {
	contribution: number;
}

export interface AttributionResult {
	scenario: { id: string; title: string; horizon: string };
	base: { id: string; title: string; horizon: string };
	indicator: { label: string; unit: string };
	seed: number;
	paths: number;
	method: 'none' | 'shapley' | 'sequential';
	/** For the sequential method: the order the levers were switched on. */
	order?: string[];
	baseValue: Estimate;
	scenarioValue: Estimate;
	/** Scenario minus base, with the standard error of the paired difference. */
	total: Estimate;
	contributions: Contribution[];
	groups: Record<LeverGroup, { contribution: number; levers: number }>;
	/** total − Σ contributions: float rounding only. */
	residual: number;
	/** Scenario variants simulated. */
	evaluations: number;
	notices: string[];
}

export interface AttributionOptions extends SimulationSettings {
	indicator: IndicatorSpec | string;
	/** Exact Shapley up to this many levers (default 8); sequential beyond. */
	maxShapleyLevers?: number;
	method?: 'auto' | 'shapley' | 'sequential';
}

function eventKey(event: ScenarioEvent): string {
	return event.id !== undefined ? `id:${event.id}` : `json:${JSON.stringify(event)}`;
}

function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

function describeValue(value: unknown): string {
	if (typeof value === 'number') return String(value);
	if (value && typeof value === 'object') {
		const { dist, ...rest } = value as Record<string, unknown>;
		return `${dist}(${Object.entries(rest)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => `${k} ${v}`)
			.join(', ')})`;
	}
	return JSON.stringify(value);
}

/** What differs between a scenario and its comparison base, as levers (assumptions first). */
export function scenarioLevers(base: Scenario, scenario: Scenario): Lever[] {
	const levers: Lever[] = [];
	for (const id of parameterIds) {
		const from = parameterValueOf(base, id);
		const to = parameterValueOf(scenario, id);
		if (sameValue(from, to)) continue;
		const definition = parameterById[id];
		levers.push({
			id: `parameters.${id}`,
			group: 'assumptions',
			change: 'changed',
			label: `${definition.label}: ${describeValue(from)} → ${describeValue(to)} ${definition.unit}`,
			from,
			to
		});
	}
	if (base.initialRegime !== scenario.initialRegime) {
		levers.push({
			id: 'initialRegime',
			group: 'policyEvents',
			change: 'changed',
			label: `initial regime: ${base.initialRegime} → ${scenario.initialRegime}`,
			from: base.initialRegime,
			to: scenario.initialRegime
		});
	}
	const modelled = (events: ScenarioEvent[]) => events.filter((e) => e.type !== 'note');
	const baseEvents = new Map(modelled(base.events).map((e) => [eventKey(e), e]));
	const scenarioEvents = new Map(modelled(scenario.events).map((e) => [eventKey(e), e]));
	for (const [key, event] of baseEvents) {
		if (!scenarioEvents.has(key))
			levers.push({ id: leverId(key, event), group: 'policyEvents', change: 'removed', label: `removed: ${event.label}`, from: event });
	}
	for (const [key, event] of scenarioEvents) {
		const before = baseEvents.get(key);
		if (!before) levers.push({ id: leverId(key, event), group: 'policyEvents', change: 'added', label: `added: ${event.label}`, to: event });
		else if (!sameValue(before, event))
			levers.push({ id: leverId(key, event), group: 'policyEvents', change: 'changed', label: `changed: ${event.label}`, from: before, to: event });
	}
	return levers;
}

function leverId(key: string, event: ScenarioEvent): string {
	return key.startsWith('id:') ? `events.${key.slice(3)}` : `events.${event.type}@${event.start}:${event.label}`;
}

/**
 * The base with some levers switched to the scenario's setting. Untouched base events keep their
 * order; events the applied levers change or add follow, in the scenario's order (as `extends` does).
 */
export function composeScenario(base: Scenario, scenario: Scenario, levers: readonly Lever[], applied: readonly boolean[], end: string): Scenario {
	const parameters = { ...base.parameters };
	let initialRegime = base.initialRegime;
	const touched = new Set<string>();
	levers.forEach((lever, k) => {
		if (!applied[k]) return;
		if (lever.id.startsWith('parameters.')) {
			const id = lever.id.slice('parameters.'.length) as ParameterId;
			if (scenario.parameters[id] === undefined) delete parameters[id];
			else parameters[id] = scenario.parameters[id];
		} else if (lever.id === 'initialRegime') {
			initialRegime = scenario.initialRegime;
		} else {
			touched.add(eventKey((lever.to ?? lever.from) as ScenarioEvent));
		}
	});
	const events = [...base.events.filter((e) => !touched.has(eventKey(e))), ...scenario.events.filter((e) => e.type !== 'note' && touched.has(eventKey(e)))];
	return { ...base, id: `${scenario.id}~${base.id}`, parameters, initialRegime, events, end };
}

function factorial(n: number): number {
	let f = 1;
	for (let i = 2; i <= n; i++) f *= i;
	return f;
}

/** A game over levers: the indicator's value with the levers flagged in `applied` switched on. */
export type CoalitionValue = (applied: readonly boolean[]) => number | Promise<number>;

function flagsOf(mask: number, k: number): boolean[] {
	return Array.from({ length: k }, (_, j) => (mask & (1 << j)) !== 0);
}

/**
 * Exact Shapley values: each lever's change to the value averaged over every order in which the
 * levers can be switched on. Evaluates all 2^k coalitions, in increasing bit order.
 */
export async function shapleyValues(k: number, value: CoalitionValue): Promise<number[]> {
	const count = 2 ** k;
	const v = new Float64Array(count);
	for (let mask = 0; mask < count; mask++) v[mask] = await value(flagsOf(mask, k));
	const weights = Array.from({ length: k }, (_, s) => (factorial(s) * factorial(k - s - 1)) / factorial(k));
	return Array.from({ length: k }, (_, i) => {
		const bit = 1 << i;
		let phi = 0;
		for (let mask = 0; mask < count; mask++) {
			if (mask & bit) continue;
			phi += weights[popCount(mask)] * (v[mask | bit] - v[mask]);
		}
		return phi;
	});
}

/** Sequential contributions: levers switched on one at a time in index order, each credited with the change it makes. */
export async function sequentialContributions(k: number, value: CoalitionValue): Promise<number[]> {
	const contributions: number[] = [];
	let previous = await value(Array.from({ length: k }, () => false));
	for (let i = 0; i < k; i++) {
		const current = await value(Array.from({ length: k }, (_, j) => j <= i));
		contributions.push(current - previous);
		previous = current;
	}
	return contributions;
}

export async function attribute(base: Scenario, scenario: Scenario, options: AttributionOptions): Promise<AttributionResult> {
	const notices: string[] = [];
	if (base.start !== scenario.start) {
		throw analysisError(
			'attribution',
			'start',
			`the scenarios start in different months (${base.id}: ${base.start}, ${scenario.id}: ${scenario.start}); attribution needs the same start so that their draws line up`
		);
	}
	const end = absoluteToMonth(Math.min(monthToAbsolute(base.end), monthToAbsolute(scenario.end)));
	if (base.end !== scenario.end) {
		notices.push(
			`the scenarios cover different horizons (${base.id}: ${horizonOf(base)}, ${scenario.id}: ${horizonOf(scenario)}); attributed over the overlap ${base.start} … ${end}`
		);
	}
	const indicator = toIndicator(options.indicator, monthRange(base.start, end), 'attribution');
	const levers = scenarioLevers(base, scenario);
	const k = levers.length;
	const maxShapley = options.maxShapleyLevers ?? 8;
	const method = k === 0 ? 'none' : options.method === 'sequential' || (options.method !== 'shapley' && k > maxShapley) ? 'sequential' : 'shapley';
	if (method === 'shapley' && k > 16)
		throw analysisError('attribution', 'method', `exact Shapley over ${k} levers needs 2^${k} runs; use the sequential method`);
	if (method === 'sequential' && k > maxShapley)
		notices.push(`${k} levers: more than ${maxShapley}, so contributions are sequential (one lever at a time, in the order given), not Shapley values`);

	const evaluationsPlanned = method === 'shapley' ? 2 ** k : k + 1;
	const total = evaluationsPlanned * options.paths;
	let done = 0;
	const cache = new Map<string, Float64Array>();
	/** Per-path indicator values with the levers flagged in `applied` switched to the scenario. */
	const valuesWith = async (applied: readonly boolean[]): Promise<Float64Array> => {
		const key = applied.map((on) => (on ? '1' : '0')).join('');
		const cached = cache.get(key);
		if (cached) return cached;
		throwIfCancelled(options.signal);
		const variant = applied.every((on) => !on)
			? { ...base, end }
			: applied.every((on) => on)
				? { ...scenario, end }
				: composeScenario(base, scenario, levers, applied, end);
		const values = await scenarioIndicatorValues(variant, indicator, options);
		cache.set(key, values);
		done += options.paths;
		options.onProgress?.(done, total);
		return values;
	};
	const statistic = (values: Float64Array) => estimateFrom(values, indicator).value;

	const baseValues = await valuesWith(levers.map(() => false));
	const scenarioValues = await valuesWith(levers.map(() => true));
	const baseValue = estimateFrom(baseValues, indicator);
	const scenarioValue = estimateFrom(scenarioValues, indicator);
	const contributions: Contribution[] = [];
	let order: string[] | undefined;

	const coalitionValue = async (applied: readonly boolean[]) => statistic(await valuesWith(applied));
	if (method === 'shapley') {
		const phis = await shapleyValues(k, coalitionValue);
		levers.forEach((lever, i) => contributions.push({ ...lever, contribution: phis[i] }));
	} else if (method === 'sequential') {
		order = levers.map((l) => l.id);
		const steps = await sequentialContributions(k, coalitionValue);
		levers.forEach((lever, i) => contributions.push({ ...lever, contribution: steps[i] }));
	}

	const totalValue = scenarioValue.value - baseValue.value;
	const sum = contributions.reduce((s, c) => s + c.contribution, 0);
	const groups: AttributionResult['groups'] = {
		assumptions: { contribution: 0, levers: 0 },
		policyEvents: { contribution: 0, levers: 0 }
	};
	for (const c of contributions) {
		groups[c.group].contribution += c.contribution;
		groups[c.group].levers++;
	}
	return {
		scenario: { id: scenario.id, title: scenario.title, horizon: horizonOf(scenario) },
		base: { id: base.id, title: base.title, horizon: horizonOf(base) },
		indicator: { label: indicator.label, unit: indicator.unit },
		seed: options.seed,
		paths: options.paths,
		method,
		...(order ? { order } : {}),
		baseValue,
		scenarioValue,
		total: { value: totalValue, se: k === 0 ? 0 : pairedDifferenceError(indicatorStatistic(indicator), scenarioValues, baseValues) },
		contributions,
		groups,
		residual: totalValue - sum,
		evaluations: method === 'shapley' ? 2 ** k : method === 'sequential' ? k + 1 : 1,
		notices
	};
}

function popCount(mask: number): number {
	let count = 0;
	while (mask) {
		mask &= mask - 1;
		count++;
	}
	return count;
}
