import { parameterById, parameterIds, type ParameterId } from '../model/parameters';
import { monthToAbsolute } from '../time/months';
import { locationOf, supportOf, type ParameterValue } from '../model/parameter-values';
import { InputError, type Problem } from '../problems';
import { scenarioDefaults, type ResolvedControl, type Scenario, type ScenarioEvent, type ScenarioFile } from './schema';
import { inputLimits, workProblem } from '../limits';
import { parameterValueOf } from './controls';
import { loadScenarioText, type LoadedScenarioFile } from './read';

/** A library of scenario files: `extends` chains resolved, defaults filled, the whole scenario checked. */

/** Scenario files known to the program, by id (from `scenarios/` or imported by the user). */
export type ScenarioLibrary = ReadonlyMap<string, LoadedScenarioFile & { file: ScenarioFile }>;

function mergeEvents(inherited: ScenarioEvent[], own: ScenarioEvent[], removed: readonly string[]): ScenarioEvent[] {
	const ownIds = new Set(own.map((e) => e.id).filter((id) => id !== undefined));
	const kept = inherited.filter((e) => e.id === undefined || (!ownIds.has(e.id) && !removed.includes(e.id)));
	return [...kept, ...own];
}

function mergeControls(inherited: ResolvedControl[], own: ResolvedControl[]): ResolvedControl[] {
	const result = [...inherited];
	for (const control of own) {
		const at = result.findIndex((c) => c.param === control.param);
		if (at >= 0) result[at] = control;
		else result.push(control);
	}
	return result;
}

function resolveControl(control: NonNullable<ScenarioFile['controls']>[number]): ResolvedControl {
	const definition = parameterById[control.param];
	return {
		param: control.param,
		label: control.label ?? definition.label,
		unit: control.unit ?? definition.unit,
		min: control.min,
		max: control.max,
		step: control.step,
		group: control.group ?? definition.area
	};
}

/** Resolves `extends` chains and fills defaults, then checks what only the whole scenario can show. */
export function resolveScenario(id: string, library: ScenarioLibrary): Scenario {
	const chain: (LoadedScenarioFile & { file: ScenarioFile })[] = [];
	const seen: string[] = [];
	let currentId: string | undefined = id;
	while (currentId !== undefined) {
		if (seen.includes(currentId)) {
			throw new InputError([
				{
					source: chain[0]?.source ?? id,
					path: 'extends',
					message: `"extends" forms a cycle: ${[...seen, currentId].join(' → ')}`
				}
			]);
		}
		const entry = library.get(currentId);
		if (!entry) {
			const child = chain.at(-1);
			const known = [...library.keys()];
			throw new InputError([
				child
					? { source: child.source, path: 'extends', message: `unknown parent scenario "${currentId}"; known: ${known.join(', ')}` }
					: { source: id, path: '', message: `unknown scenario "${id}"; known: ${known.join(', ')}` }
			]);
		}
		seen.push(currentId);
		chain.push(entry);
		currentId = entry.file.extends;
	}

	let scenario: Scenario = {
		id,
		title: '',
		description: '',
		...scenarioDefaults,
		parameters: {},
		controls: [],
		events: [],
		observed: {}
	};
	for (const { file } of chain.reverse()) {
		scenario = {
			id: file.id,
			title: file.title,
			description: file.description,
			start: file.start ?? scenario.start,
			end: file.end ?? scenario.end,
			seed: file.seed ?? scenario.seed,
			paths: file.paths ?? scenario.paths,
			initialRegime: file.initialRegime ?? scenario.initialRegime,
			parameters: { ...scenario.parameters, ...file.parameters },
			controls: mergeControls(scenario.controls, (file.controls ?? []).map(resolveControl)),
			events: mergeEvents(scenario.events, file.events ?? [], file.removeEvents ?? []),
			observed: { ...scenario.observed, ...file.observed },
			opensWith: file.opensWith ?? scenario.opensWith
		};
	}
	const problems = [...checkScenario(scenario, chain.at(-1)!.source), ...checkOpeningView(chain, library)];
	if (problems.length > 0) throw new InputError(problems);
	return scenario;
}

/** The scenarios an opening comparison names must exist, and not be the scenario itself; checked in the file that gives the view. */
function checkOpeningView(chain: readonly (LoadedScenarioFile & { file: ScenarioFile })[], library: ScenarioLibrary): Problem[] {
	const declaring = chain.findLast((entry) => entry.file.opensWith !== undefined);
	if (!declaring) return [];
	return declaring.file.opensWith!.flatMap((view, index) => {
		if (view.kind !== 'comparison' || view.against === undefined) return [];
		const path = `opensWith[${index}].against`;
		if (view.against === declaring.file.id) return [{ source: declaring.source, path, message: `"${view.against}" would compare the scenario with itself` }];
		if (!library.has(view.against)) {
			return [{ source: declaring.source, path, message: `unknown scenario "${view.against}"; known: ${[...library.keys()].join(', ')}` }];
		}
		return [];
	});
}

function describeRange([low, high]: readonly [number, number]): string {
	return `[${low}, ${high}]`;
}

function checkParameterValue(id: ParameterId, value: ParameterValue, source: string): Problem[] {
	const definition = parameterById[id];
	const [low, high] = definition.bounds;
	const path = `parameters.${id}`;
	const problems: Problem[] = [];
	const within = (x: number) => x >= low && x <= high;
	const numbers: [string, number][] =
		typeof value === 'number'
			? [['', value]]
			: Object.entries(value).filter(
					(entry): entry is [string, number] => typeof entry[1] === 'number' && ['value', 'mean', 'median', 'mode', 'min', 'max'].includes(entry[0])
				);
	for (const [key, x] of numbers) {
		if (!within(x)) {
			problems.push({
				source,
				path: key ? `${path}.${key}` : path,
				message: `${x} ${definition.unit} is outside the bounds of ${definition.label}, ${describeRange(definition.bounds)} ${definition.unit}`
			});
		}
	}
	if (typeof value !== 'number' && 'min' in value && 'max' in value && value.min !== undefined && value.max !== undefined) {
		if (value.min > value.max) problems.push({ source, path, message: `min ${value.min} is above max ${value.max}` });
		if ('mode' in value && (value.mode < value.min || value.mode > value.max)) {
			problems.push({ source, path: `${path}.mode`, message: `mode ${value.mode} is not between min ${value.min} and max ${value.max}` });
		}
	}
	return problems;
}

function checkEvent(event: ScenarioEvent, index: number, first: number, last: number, scenario: Scenario, source: string): Problem[] {
	const problems: Problem[] = [];
	const path = `events[${index}]`;
	const start = monthToAbsolute(event.start);
	const horizon = `the horizon ${scenario.start} … ${scenario.end}`;
	if (start < first || start > last) {
		problems.push({ source, path: `${path}.start`, message: `"${event.label}" starts ${event.start}, outside ${horizon}` });
	}
	if ('end' in event && event.end !== undefined) {
		const end = monthToAbsolute(event.end);
		// An event running past the horizon is cut at its end (a child scenario may be shorter).
		if (end < start) problems.push({ source, path: `${path}.end`, message: `"${event.label}" ends ${event.end}, before it starts (${event.start})` });
	}
	if (event.type === 'regime') {
		if (event.end !== undefined && event.durationMonths !== undefined) {
			problems.push({ source, path: `${path}.durationMonths`, message: 'give either "end" or "durationMonths", not both' });
		}
		for (const key of ['durationMonths', 'startJitterMonths'] as const) {
			const range = event[key];
			if (typeof range === 'object' && range.min > range.max) {
				problems.push({ source, path: `${path}.${key}`, message: `min ${range.min} is above max ${range.max}` });
			}
		}
	}
	return problems;
}

const transitionRows: [string, ParameterId, ParameterId][] = [
	['open', 'pOpenToLicensing', 'pOpenToRestricted'],
	['licensing', 'pLicensingToOpen', 'pLicensingToRestricted'],
	['restricted', 'pRestrictedToLicensing', 'pRestrictedToOpen']
];

/** The monthly probabilities of leaving a regime cannot add up to more than 1. */
function checkTransitionRows(scenario: Scenario, source: string): Problem[] {
	return transitionRows.flatMap(([regime, first, second]) => {
		const total = supportOf(parameterValueOf(scenario, first))[1] + supportOf(parameterValueOf(scenario, second))[1];
		return total > 1
			? [
					{
						source,
						path: `parameters.${first}`,
						message: `${first} + ${second} can reach ${Number(total.toPrecision(6))}: the chances of leaving the ${regime} regime in a month must add up to at most 1`
					}
				]
			: [];
	});
}

/** Checks the whole resolved scenario: horizon, events inside it, parameters and controls within bounds. */
export function checkScenario(scenario: Scenario, source: string): Problem[] {
	const problems: Problem[] = [];
	const first = monthToAbsolute(scenario.start);
	const last = monthToAbsolute(scenario.end);
	if (last < first) problems.push({ source, path: 'end', message: `end ${scenario.end} is before start ${scenario.start}` });
	const months = last - first + 1;
	if (months > inputLimits.maxHorizonMonths) {
		problems.push({
			source,
			path: 'end',
			message: `the horizon ${scenario.start} … ${scenario.end} is ${months.toLocaleString('en-US')} months long; the limit is ${inputLimits.maxHorizonMonths} months (${inputLimits.maxHorizonMonths / 12} years)`
		});
	} else if (months > 0) {
		const work = workProblem(scenario.paths, months, source, 'paths');
		if (work) problems.push(work);
	}
	for (const id of parameterIds) {
		const value = scenario.parameters[id];
		if (value !== undefined) problems.push(...checkParameterValue(id, value, source));
	}
	problems.push(...checkTransitionRows(scenario, source));
	scenario.events.forEach((event, index) => problems.push(...checkEvent(event, index, first, last, scenario, source)));
	scenario.controls.forEach((control, index) => {
		const definition = parameterById[control.param];
		const path = `controls[${index}]`;
		if (control.unit !== definition.unit) {
			problems.push({ source, path: `${path}.unit`, message: `"${control.unit}" differs from the unit of ${control.param}, "${definition.unit}"` });
		}
		if (control.min >= control.max) problems.push({ source, path: `${path}.max`, message: `max ${control.max} must be above min ${control.min}` });
		const [low, high] = definition.bounds;
		if (control.min < low || control.max > high) {
			problems.push({
				source,
				path,
				message: `slider range [${control.min}, ${control.max}] leaves the bounds of ${control.param}, ${describeRange(definition.bounds)} ${definition.unit}`
			});
		}
		const location = locationOf(parameterValueOf(scenario, control.param));
		if (location < control.min || location > control.max) {
			problems.push({
				source,
				path,
				message: `the current value of ${control.param}, ${location}, is outside the slider range [${control.min}, ${control.max}]`
			});
		}
	});
	const duplicates = scenario.controls.map((c) => c.param).filter((p, i, all) => all.indexOf(p) !== i);
	for (const param of new Set(duplicates)) problems.push({ source, path: 'controls', message: `two sliders set ${param}` });
	return problems;
}

/** Builds a library from scenario texts; files with problems are returned apart, with their problems. */
export function buildLibrary(texts: readonly { source: string; text: string }[]): {
	library: Map<string, LoadedScenarioFile & { file: ScenarioFile }>;
	problems: Problem[];
} {
	const library = new Map<string, LoadedScenarioFile & { file: ScenarioFile }>();
	const problems: Problem[] = [];
	for (const { source, text } of texts) {
		const loaded = loadScenarioText(text, source);
		if (!loaded.file) {
			problems.push(...loaded.problems);
			continue;
		}
		const existing = library.get(loaded.file.id);
		if (existing) {
			problems.push({ source, path: 'id', message: `id "${loaded.file.id}" is already used by ${existing.source}` });
			continue;
		}
		library.set(loaded.file.id, loaded as LoadedScenarioFile & { file: ScenarioFile });
	}
	return { library, problems };
}
