import { parse as parseJsonc, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { metricCount } from '../model/metrics';
import { parameterById, type ParameterId } from '../model/parameters';
import { monthToAbsolute } from '../time/months';
import { locationOf, supportOf, withLocation, type ParameterValue } from '../model/parameter-values';
import { formatPath, InputError, knownKeysFromSchema, lineAndColumn, problemsFromZod, type Problem } from '../problems';
import {
	scenarioDefaults,
	scenarioFileSchema,
	type ResolvedControl,
	type Scenario,
	type ScenarioEvent,
	type ScenarioFile
} from './schema';

const knownKeys = knownKeysFromSchema(scenarioFileSchema);

/** A scenario file as read: its parsed content, or what is wrong with it. */
export interface LoadedScenarioFile {
	source: string;
	file?: ScenarioFile;
	problems: Problem[];
}


const jsonErrorText: Record<string, string> = {
	InvalidSymbol: 'unexpected character',
	InvalidNumberFormat: 'malformed number',
	PropertyNameExpected: 'expected a property name in double quotes',
	ValueExpected: 'expected a value',
	ColonExpected: 'expected ":"',
	CommaExpected: 'expected "," between items',
	CloseBraceExpected: 'expected "}"',
	CloseBracketExpected: 'expected "]"',
	EndOfFileExpected: 'unexpected text after the end of the JSON value',
	InvalidCommentToken: 'comments are not allowed in JSON',
	UnexpectedEndOfComment: 'unterminated comment',
	UnexpectedEndOfString: 'unterminated string',
	UnexpectedEndOfNumber: 'unexpected end of number',
	InvalidUnicode: 'invalid \\u escape',
	InvalidEscapeCharacter: 'invalid escape character',
	InvalidCharacter: 'invalid character in string'
};

/** Limits on what the loaders read and what a run may cost (see README, "Limits"). */
export const inputLimits = {
	/** Bytes of a scenario, check or baseline file. */
	maxFileBytes: 1_000_000,
	/** Nesting of objects and arrays in a JSON or YAML file. */
	maxNesting: 64,
	/** Months of a horizon (50 years). */
	maxHorizonMonths: 600,
	/** Earliest and latest month a scenario may name. */
	firstMonth: '1900-01',
	lastMonth: '2200-12',
	/** Bytes of simulated paths held at once: paths × months × metrics × 4 bytes (Float32). */
	maxPathBytes: 2 ** 31
} as const;

/** Keys that would reach Object.prototype when a parsed object is used as a plain record. */
export const forbiddenKeys: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Bytes the simulated paths of a run take: every metric, every month, every path, as float32. */
export function pathBytes(paths: number, months: number): number {
	return paths * months * metricCount * Float32Array.BYTES_PER_ELEMENT;
}

/** The most paths whose metrics fit in the memory budget over `months` months. */
export function maxPathsFor(months: number): number {
	return Math.floor(inputLimits.maxPathBytes / (Math.max(1, months) * metricCount * Float32Array.BYTES_PER_ELEMENT));
}

function megabytes(bytes: number): string {
	return `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
}

/** A problem when `paths` paths over `months` months would take more memory than the budget; says what fits. */
export function workProblem(paths: number, months: number, source: string, path: string): Problem | undefined {
	if (pathBytes(paths, months) <= inputLimits.maxPathBytes) return undefined;
	return {
		source,
		path,
		message: `${paths.toLocaleString('en-US')} paths over ${months.toLocaleString('en-US')} months would hold ${megabytes(pathBytes(paths, months))} of results, more than the limit of ${megabytes(inputLimits.maxPathBytes)}; at most ${maxPathsFor(months).toLocaleString('en-US')} paths fit over this horizon`
	};
}

/**
 * The deepest nesting of objects and arrays in a JSON or YAML text (brackets outside strings), or
 * the offset where it first exceeds `limit`. Parsers recurse per level, so a deep text is refused
 * before parsing rather than overflowing the stack.
 */
export function nestingBeyond(text: string, limit: number = inputLimits.maxNesting): number | undefined {
	let depth = 0;
	let quote = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote || (c === '\n' && quote !== '"')) quote = '';
			continue;
		}
		if (c === '"') quote = c;
		else if (c === '[' || c === '{') {
			if (++depth > limit) return i;
		} else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
	}
	return undefined;
}

export function nestingProblem(text: string, source: string, offset: number): Problem {
	const { line, column } = lineAndColumn(text, offset);
	return { source: `${source}:${line}:${column}`, path: '', message: `objects and arrays are nested more than ${inputLimits.maxNesting} levels deep` };
}

/** Duplicate keys and keys such as "__proto__" anywhere in a parsed JSON tree, with their JSON paths. */
function keyProblems(root: JsonNode, text: string, source: string): Problem[] {
	const problems: Problem[] = [];
	const walk = (node: JsonNode, path: (string | number)[]) => {
		if (node.type === 'array') node.children?.forEach((child, index) => walk(child, [...path, index]));
		if (node.type !== 'object') return;
		const seen = new Set<string>();
		for (const property of node.children ?? []) {
			const [keyNode, valueNode] = property.children ?? [];
			if (!keyNode) continue;
			const key = String(keyNode.value);
			const where = formatPath([...path, key]);
			const { line, column } = lineAndColumn(text, keyNode.offset);
			if (forbiddenKeys.includes(key)) {
				problems.push({ source: `${source}:${line}:${column}`, path: where, message: `"${key}" is not allowed as a key` });
				continue;
			}
			if (seen.has(key)) problems.push({ source: `${source}:${line}:${column}`, path: where, message: `the key "${key}" appears more than once in this object` });
			seen.add(key);
			if (valueNode) walk(valueNode, [...path, key]);
		}
	};
	walk(root, []);
	return problems;
}

/**
 * Parses JSON text. A syntax error is reported once, at the first place the text goes wrong (later
 * errors follow from it); text nested too deep, duplicate keys and keys such as "__proto__" are
 * refused with where they are.
 */
export function parseJson(text: string, source: string): { value?: unknown; problems: Problem[] } {
	const deep = nestingBeyond(text);
	if (deep !== undefined) return { problems: [nestingProblem(text, source, deep)] };
	const errors: ParseError[] = [];
	const options = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
	const root = parseTree(text, errors, options);
	if (errors.length > 0) {
		const [error] = errors;
		const { line, column } = lineAndColumn(text, error.offset);
		const code = printParseErrorCode(error.error);
		const atEnd = text.slice(error.offset + error.length).trim() === '' && ['UnexpectedEndOfString', 'CloseBraceExpected', 'CloseBracketExpected', 'ValueExpected', 'UnexpectedEndOfNumber', 'ColonExpected'].includes(code);
		const truncated = atEnd && text.trim() !== '' ? ' (the text ends too early: is the file cut short?)' : '';
		return { problems: [{ source: `${source}:${line}:${column}`, path: '', message: `not valid JSON: ${jsonErrorText[code] ?? code}${truncated}` }] };
	}
	if (root) {
		const problems = keyProblems(root, text, source);
		if (problems.length > 0) return { problems };
	}
	return { value: parseJsonc(text, [], options), problems: [] };
}

export function validateScenarioFile(value: unknown, source: string): LoadedScenarioFile {
	const result = scenarioFileSchema.safeParse(value);
	if (result.success) return { source, file: result.data, problems: [] };
	return { source, problems: problemsFromZod(result.error, value, source, knownKeys) };
}

export function loadScenarioText(text: string, source: string): LoadedScenarioFile {
	const parsed = parseJson(text, source);
	if (parsed.problems.length > 0) return { source, problems: parsed.problems };
	return validateScenarioFile(parsed.value, source);
}

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
			observed: { ...scenario.observed, ...file.observed }
		};
	}
	const problems = checkScenario(scenario, chain.at(-1)!.source);
	if (problems.length > 0) throw new InputError(problems);
	return scenario;
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
			: Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && ['value', 'mean', 'median', 'mode', 'min', 'max'].includes(entry[0]));
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
			? [{ source, path: `parameters.${first}`, message: `${first} + ${second} can reach ${Number(total.toPrecision(6))}: the chances of leaving the ${regime} regime in a month must add up to at most 1` }]
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
		problems.push({ source, path: 'end', message: `the horizon ${scenario.start} … ${scenario.end} is ${months.toLocaleString('en-US')} months long; the limit is ${inputLimits.maxHorizonMonths} months (${inputLimits.maxHorizonMonths / 12} years)` });
	} else if (months > 0) {
		const work = workProblem(scenario.paths, months, source, 'paths');
		if (work) problems.push(work);
	}
	for (const [id, value] of Object.entries(scenario.parameters)) {
		if (value !== undefined) problems.push(...checkParameterValue(id as ParameterId, value, source));
	}
	problems.push(...checkTransitionRows(scenario, source));
	scenario.events.forEach((event, index) => problems.push(...checkEvent(event, index, first, last, scenario, source)));
	scenario.controls.forEach((control, index) => {
		const definition = parameterById[control.param as ParameterId];
		const path = `controls[${index}]`;
		if (control.unit !== definition.unit) {
			problems.push({ source, path: `${path}.unit`, message: `"${control.unit}" differs from the unit of ${control.param}, "${definition.unit}"` });
		}
		if (control.min >= control.max) problems.push({ source, path: `${path}.max`, message: `max ${control.max} must be above min ${control.min}` });
		const [low, high] = definition.bounds;
		if (control.min < low || control.max > high) {
			problems.push({ source, path, message: `slider range [${control.min}, ${control.max}] leaves the bounds of ${control.param}, ${describeRange(definition.bounds)} ${definition.unit}` });
		}
		const location = locationOf(parameterValueOf(scenario, control.param as ParameterId));
		if (location < control.min || location > control.max) {
			problems.push({ source, path, message: `the current value of ${control.param}, ${location}, is outside the slider range [${control.min}, ${control.max}]` });
		}
	});
	const duplicates = scenario.controls.map((c) => c.param).filter((p, i, all) => all.indexOf(p) !== i);
	for (const param of new Set(duplicates)) problems.push({ source, path: 'controls', message: `two sliders set ${param}` });
	return problems;
}

export function parameterValueOf(scenario: Scenario, id: ParameterId): ParameterValue {
	return scenario.parameters[id] ?? parameterById[id].default;
}

/** The slider positions of a scenario as written: the location of each controlled parameter. */
export function controlDefaults(scenario: Scenario): Record<string, number> {
	return Object.fromEntries(scenario.controls.map((c) => [c.param, locationOf(parameterValueOf(scenario, c.param as ParameterId))]));
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
				problems.push({ source, path: `controls.${param}`, message: `${requested} ${control.unit} is outside the slider range [${control.min}, ${control.max}] ${control.unit}` });
				continue;
			}
			applied = Math.min(control.max, Math.max(control.min, requested));
			clamped.push({ param, requested, applied });
		}
		parameters[param as ParameterId] = withLocation(parameterValueOf(scenario, param as ParameterId), applied);
	}
	return { scenario: { ...scenario, parameters }, problems, clamped };
}


/** Builds a library from scenario texts; files with problems are returned apart, with their problems. */
export function buildLibrary(texts: readonly { source: string; text: string }[]): { library: Map<string, LoadedScenarioFile & { file: ScenarioFile }>; problems: Problem[] } {
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
