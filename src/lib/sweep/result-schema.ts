import { z } from 'zod';
import { formatPath } from '../problems';
import { designSchema, MAX_FACTORS, MAX_OUTPUTS } from './schema';
import { resultFormat } from './result-format';
import type { SweepResult } from './result';
import type { SweepRecord } from './run';

/**
 * Reading a sweep result file (`magnet-sweep/1`, written by `npm run sweep` or its merge) in the
 * page: a size cap before parsing, keys that could reach an object's prototype refused, a zod
 * schema for the shape, then the cross-checks zod cannot make (every point names exactly the
 * result's factors and outputs, the analyses name only them). Every failure is one clear message.
 */

/** Characters of a result file the page reads (about 100,000 points of a few factors and outputs). */
export const MAX_RESULT_CHARS = 40_000_000;
/** Points of a result file the page reads. */
export const MAX_RESULT_POINTS = 200_000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON writes a non-finite number as null: read back as NaN. */
const number = z.union([z.number(), z.null().transform(() => Number.NaN)]);
const label = z.string().min(1).max(200);
const estimate = z.strictObject({ estimate: number, low: number, high: number });

const recordSchema = z.strictObject({
	point: z.number().int().nonnegative(),
	factors: z.record(label, number),
	outputs: z.record(label, z.strictObject({ value: number, se: number }))
});

export const sweepResultSchema = z.strictObject({
	format: z.literal(resultFormat),
	title: z.string().max(200),
	sweep: z.string().max(200),
	modelVersion: z.string().max(50),
	scenario: z.strictObject({ id: z.string().max(100), title: z.string().max(200) }),
	seed: z.number().int().nonnegative(),
	pathsPerPoint: z.number().int().positive(),
	design: designSchema,
	factors: z
		.array(
			z.strictObject({
				name: label,
				kind: z.string().max(20),
				param: z.string().max(100).optional(),
				event: z.string().max(200).optional(),
				unit: z.string().max(60),
				min: z.number(),
				max: z.number()
			})
		)
		.min(1)
		.max(MAX_FACTORS),
	outputs: z
		.array(z.strictObject({ name: label, label: z.string().max(300), unit: z.string().max(60) }))
		.min(1)
		.max(MAX_OUTPUTS),
	analyses: z.strictObject({
		sobol: z
			.array(
				z.strictObject({
					output: label,
					variance: number.optional(),
					factors: z
						.array(z.strictObject({ name: label, first: estimate, total: estimate }))
						.max(MAX_FACTORS)
						.optional(),
					unavailable: z.string().max(1000).optional()
				})
			)
			.max(MAX_OUTPUTS)
			.optional(),
		discovery: z
			.strictObject({
				output: label,
				criterion: z.string().max(400),
				cases: z.number().int().nonnegative(),
				points: z.number().int().nonnegative(),
				box: z
					.strictObject({
						limits: z.array(z.strictObject({ name: label, unit: z.string().max(60), low: z.number(), high: z.number() })).max(MAX_FACTORS),
						points: z.number().int().nonnegative(),
						cases: z.number().int().nonnegative(),
						coverage: z.number().min(0).max(1),
						density: z.number().min(0).max(1)
					})
					.optional(),
				minimumDensity: z.number().min(0).max(1),
				trajectory: z
					.array(z.strictObject({ coverage: z.number(), density: z.number(), points: z.number() }))
					.max(10_000)
					.optional(),
				unavailable: z.string().max(1000).optional()
			})
			.optional()
	}),
	points: z.array(recordSchema).min(1).max(MAX_RESULT_POINTS)
});

export type ReadSweepResult = { ok: true; result: SweepResult } | { ok: false; problem: string };

/** The first key anywhere in a parsed value that could reach a prototype, with its path. */
function forbiddenKey(value: unknown, path: (string | number)[] = []): string | undefined {
	if (value === null || typeof value !== 'object') return undefined;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const found = forbiddenKey(value[i], [...path, i]);
			if (found) return found;
		}
		return undefined;
	}
	for (const key of Object.keys(value)) {
		if (FORBIDDEN_KEYS.has(key)) return formatPath([...path, key]) || key;
		const found = forbiddenKey((value as Record<string, unknown>)[key], [...path, key]);
		if (found) return found;
	}
	return undefined;
}

/** A record with exactly these keys, as own properties, in a prototype-free object; undefined when the keys differ. */
function exactly<T>(record: Record<string, T>, names: readonly string[]): Record<string, T> | undefined {
	const keys = Object.keys(record);
	if (keys.length !== names.length || !names.every((name) => Object.hasOwn(record, name))) return undefined;
	const copy = Object.create(null) as Record<string, T>;
	for (const name of names) copy[name] = record[name];
	return copy;
}

/** Reads and checks a result file's text; never throws. `name` is the file's name, for messages. */
export function readSweepResult(text: string, name = 'the file'): ReadSweepResult {
	const fail = (problem: string): ReadSweepResult => ({ ok: false, problem: `${name} was not loaded: ${problem}` });
	if (text.length > MAX_RESULT_CHARS)
		return fail(
			`it has ${text.length.toLocaleString('en-US')} characters; the page reads result files of at most ${MAX_RESULT_CHARS.toLocaleString('en-US')} characters`
		);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return fail(`it is not JSON (${error instanceof Error ? error.message : String(error)}); expected the sweep.json that npm run sweep writes`);
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('expected a JSON object, the sweep.json that npm run sweep writes');
	const format = (value as { format?: unknown }).format;
	if (format !== resultFormat)
		return fail(
			`its format is ${format === undefined ? 'not given' : JSON.stringify(format).slice(0, 60)}; expected "${resultFormat}" (a part file of a sharded run is merged first: npm run sweep -- merge)`
		);
	const forbidden = forbiddenKey(value);
	if (forbidden) return fail(`the key at ${forbidden} is not allowed`);
	const parsed = sweepResultSchema.safeParse(value);
	if (!parsed.success) {
		const issues = parsed.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path) || 'its top level'}: ${issue.message}`);
		const more = parsed.error.issues.length > 5 ? `\n… and ${parsed.error.issues.length - 5} more` : '';
		return fail(`it is not a valid sweep result:\n${issues.join('\n')}${more}`);
	}
	const data = parsed.data;
	const factorNames = data.factors.map((f) => f.name);
	const outputNames = data.outputs.map((o) => o.name);
	for (const [what, names] of [
		['factor', factorNames],
		['output', outputNames]
	] as const) {
		const twice = names.find((n, i) => names.indexOf(n) !== i);
		if (twice !== undefined) return fail(`the ${what} "${twice}" is listed twice`);
	}
	const points: SweepRecord[] = [];
	for (let i = 0; i < data.points.length; i++) {
		const record = data.points[i];
		const factors = exactly(record.factors, factorNames);
		const outputs = exactly(record.outputs, outputNames);
		if (!factors) return fail(`point ${record.point} (points[${i}]) does not give exactly the factors ${factorNames.map((n) => `"${n}"`).join(', ')}`);
		if (!outputs) return fail(`point ${record.point} (points[${i}]) does not give exactly the outputs ${outputNames.map((n) => `"${n}"`).join(', ')}`);
		points.push({ point: record.point, factors, outputs });
	}
	const { sobol, discovery } = data.analyses;
	for (const entry of sobol ?? []) {
		if (!outputNames.includes(entry.output)) return fail(`the Sobol' indices name an output "${entry.output}" the result does not have`);
		const unknown = entry.factors?.find((f) => !factorNames.includes(f.name));
		if (unknown) return fail(`the Sobol' indices name a factor "${unknown.name}" the result does not have`);
	}
	if (discovery) {
		if (!outputNames.includes(discovery.output)) return fail(`the discovery names an output "${discovery.output}" the result does not have`);
		const unknown = discovery.box?.limits.find((l) => !factorNames.includes(l.name));
		if (unknown) return fail(`the discovered box names a factor "${unknown.name}" the result does not have`);
	}
	return { ok: true, result: { ...data, points } as SweepResult };
}
