import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { metricIndex, metricNames, removedMetrics, type MetricName } from './model/metrics';

/** One thing wrong with an input: where (file, path inside it, or line:column) and what. */
export interface Problem {
	source: string;
	path: string;
	message: string;
}

export function formatProblem(problem: Problem): string {
	const where = problem.path ? `${problem.source}: ${problem.path}` : problem.source;
	return `${where}: ${problem.message}`;
}

/** Thrown by loaders and runners when an input is wrong; carries every problem found. */
export class InputError extends Error {
	constructor(readonly problems: Problem[]) {
		super(problems.map(formatProblem).join('\n'));
		this.name = 'InputError';
	}
}

/** 1-based line and column of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
	}
	return { line, column: offset - lineStart + 1 };
}

export function didYouMean(word: string, candidates: readonly string[]): string {
	if (candidates.length === 0) return '';
	const best = closest(word, candidates as string[]);
	return distance(word, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Whether `name` is a metric of this model (looked up as an own property: "constructor" is none). */
export function isMetricName(name: string): name is MetricName {
	return Object.hasOwn(metricIndex, name);
}

/** For a metric of an earlier model version that is gone: what happened to it and what to use instead. */
export function removedMetricMessage(name: string): string | undefined {
	return Object.hasOwn(removedMetrics, name) ? `${name}: ${removedMetrics[name]}` : undefined;
}

/**
 * What is wrong with a name that is not a metric: the removed metric's message, else "unknown
 * metric" with the nearest name and the list. Every place a user names a metric says it so.
 */
export function unknownMetricMessage(name: string): string {
	return removedMetricMessage(name) ?? `unknown metric "${name}"${didYouMean(name, metricNames)}; metrics: ${metricNames.join(', ')}`;
}

/** Whether a list of allowed values or keys is the metrics' (so a removed metric among them deserves its message). */
function namesMetrics(candidates: readonly unknown[]): boolean {
	return metricNames.every((name) => candidates.includes(name));
}

export function formatPath(path: readonly PropertyKey[]): string {
	let text = '';
	for (const key of path) {
		if (typeof key === 'number') text += `[${key}]`;
		else text += text ? `.${String(key)}` : String(key);
	}
	return text;
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
	return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
	let node: unknown = root;
	for (const key of path) {
		if (node === null || typeof node !== 'object') return undefined;
		node = (node as Record<PropertyKey, unknown>)[key];
	}
	return node;
}

/** Schema keys allowed at a path, for "did you mean" on unknown keys. */
export type KnownKeysAt = (path: readonly PropertyKey[]) => readonly string[];

/**
 * One bound per value: an integer below 2^32 fails both "at most 2^53 - 1" (zod's safe-integer
 * check) and "at most 4294967295"; only the tighter bound is worth saying.
 */
function tightestBounds(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
	const tightest = new Map<string, z.core.$ZodIssue>();
	for (const issue of issues) {
		if (issue.code !== 'too_big' && issue.code !== 'too_small') continue;
		const key = `${issue.code} ${JSON.stringify(issue.path.map(String))}`;
		const kept = tightest.get(key);
		const limit = (i: z.core.$ZodIssue) => Number(i.code === 'too_big' ? i.maximum : i.code === 'too_small' ? i.minimum : 0);
		if (!kept || (issue.code === 'too_big' ? limit(issue) < limit(kept) : limit(issue) > limit(kept))) tightest.set(key, issue);
	}
	return issues.filter(
		(issue) => (issue.code !== 'too_big' && issue.code !== 'too_small') || tightest.get(`${issue.code} ${JSON.stringify(issue.path.map(String))}`) === issue
	);
}

/** Turns zod's issues into problems that say where, what was expected and what was found. */
export function problemsFromZod(error: z.ZodError, input: unknown, source: string, knownKeysAt: KnownKeysAt): Problem[] {
	const problems: Problem[] = [];
	for (const issue of tightestBounds(error.issues)) {
		const found = valueAt(input, issue.path);
		switch (issue.code) {
			case 'unrecognized_keys':
				for (const key of issue.keys) {
					const known = knownKeysAt(issue.path);
					problems.push({
						source,
						path: formatPath([...issue.path, key]),
						message: ['__proto__', 'constructor', 'prototype'].includes(key)
							? `"${key}" is not allowed as a key`
							: ((namesMetrics(known) ? removedMetricMessage(key) : undefined) ?? `unknown key${didYouMean(key, known)}`)
					});
				}
				break;
			case 'invalid_type':
				problems.push({
					source,
					path: formatPath(issue.path),
					message: found === undefined ? `missing: expected ${issue.expected}` : `expected ${issue.expected}, found ${describeValue(found)}`
				});
				break;
			case 'invalid_union': {
				if (issue.discriminator !== undefined && issue.errors.length === 0) {
					// zod may or may not include the discriminator key in the issue's path.
					const path = issue.path.at(-1) === issue.discriminator ? issue.path : [...issue.path, issue.discriminator];
					const options = 'options' in issue && issue.options ? issue.options.map(String) : knownKeysAt(path);
					const got = valueAt(input, path);
					problems.push({
						source,
						path: formatPath(path),
						message: `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}, found ${describeValue(got)}${typeof got === 'string' ? didYouMean(got, options) : ''}`
					});
					break;
				}
				// A union such as "number or distribution": report the branch that matched the value's type.
				const branch = issue.errors.find((branchIssues) => !branchIssues.some((b) => b.code === 'invalid_type' && b.path.length === 0));
				if (branch) {
					const nested = branch.map((b) => ({ ...b, path: [...issue.path, ...b.path] })) as z.core.$ZodIssue[];
					problems.push(...problemsFromZod(new z.ZodError(nested), input, source, knownKeysAt));
				} else {
					const expected = issue.errors.flatMap((b) => b.filter((x) => x.code === 'invalid_type').map((x) => (x as { expected: string }).expected));
					problems.push({
						source,
						path: formatPath(issue.path),
						message: `expected ${[...new Set(expected)].join(' or ') || 'a different value'}, found ${describeValue(found)}`
					});
				}
				break;
			}
			case 'invalid_value':
				problems.push({
					source,
					path: formatPath(issue.path),
					message:
						(typeof found === 'string' && namesMetrics(issue.values) ? removedMetricMessage(found) : undefined) ??
						`expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeValue(found)}${typeof found === 'string' ? didYouMean(found, issue.values.map(String)) : ''}`
				});
				break;
			case 'too_small':
			case 'too_big': {
				const bound = issue.code === 'too_small' ? 'at least' : 'at most';
				const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
				const what = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
				problems.push({
					source,
					path: formatPath(issue.path),
					message: `must be ${bound} ${String(limit)}${what}, found ${describeValue(found)}`
				});
				break;
			}
			case 'invalid_format':
				problems.push({
					source,
					path: formatPath(issue.path),
					message: `expected ${issue.message}, found ${describeValue(found)}`
				});
				break;
			default:
				problems.push({ source, path: formatPath(issue.path), message: `${issue.message}; found ${describeValue(found)}` });
		}
	}
	return problems;
}

/** Walks a zod schema along a data path and lists the keys (or discriminator values) allowed there. */
export function knownKeysFromSchema(root: z.ZodType): KnownKeysAt {
	const keysOf = (schema: z.ZodType, path: readonly PropertyKey[]): string[] => {
		if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return keysOf(schema.unwrap() as z.ZodType, path);
		if (schema instanceof z.ZodUnion) return [...new Set(schema.options.flatMap((o) => keysOf(o as z.ZodType, path)))];
		if (schema instanceof z.ZodLiteral) return path.length === 0 ? [...schema.values].map(String) : [];
		if (path.length === 0) return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
		const [head, ...rest] = path;
		if (schema instanceof z.ZodObject) {
			const child = schema.shape[String(head)] as z.ZodType | undefined;
			return child ? keysOf(child, rest) : [];
		}
		if (schema instanceof z.ZodArray) return keysOf(schema.element as z.ZodType, rest);
		if (schema instanceof z.ZodRecord) return keysOf(schema.valueType as z.ZodType, rest);
		return [];
	};
	return (path) => keysOf(root, path);
}
