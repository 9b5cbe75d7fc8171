import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import YAML, { isMap, isNode, isPair, isScalar, type Document } from 'yaml';
import { z } from 'zod';
import { nestingBeyond, nestingProblem, parseJson } from '../scenario/read';
import { knownKeysFromSchema, lineAndColumn, problemsFromZod, type Problem } from '../problems';
import {
	allPresetSchema,
	checkFileSchema,
	checkSchema,
	matrixPresetSchema,
	predicateNames,
	scenarioBoundSchema,
	scenarioVariantSchema,
	timeRangeSchema,
	timeRatioSchema,
	toleranceSchema,
	type CheckFile,
	type CheckSpec
} from './schema';

const knownKeys = knownKeysFromSchema(checkFileSchema);

/** Maps a path inside the file ("groups[0].checks[2].metrics[0]") to "file:line:column". */
export type Locator = (path: string) => string;

/**
 * An invalid file's settings and groups, each check kept where it is valid on its own and null
 * where it is not, so that the indices stay those of the file.
 */
export type PartialCheckFile = Pick<CheckFile, 'seed' | 'paths' | 'factor'> & { groups: { describe: string; checks: (CheckSpec | null)[] }[] };

export interface LoadedCheckFile {
	source: string;
	file?: CheckFile;
	problems: Problem[];
	locate: Locator;
	/**
	 * When the file as a whole is invalid: its groups with only the checks that are valid on their
	 * own, so their remaining problems (unknown scenario, time outside the horizon…) are reported
	 * in the same run.
	 */
	partial?: PartialCheckFile;
}

/** "groups[0].checks[2].metrics" → ['groups', 0, 'checks', 2, 'metrics']. */
export function parsePath(path: string): (string | number)[] {
	const keys: (string | number)[] = [];
	for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(match[2] !== undefined ? Number(match[2]) : match[1]);
	return keys;
}

export function yamlLocator(text: string, source: string, document: Document): Locator {
	return (path) => {
		const keys = parsePath(path);
		// Walk down as far as the path exists; point at the key of the last pair found when possible.
		for (let depth = keys.length; depth >= 0; depth--) {
			const parentKeys = keys.slice(0, Math.max(0, depth - 1));
			const last = keys[depth - 1];
			const parent = depth === 0 ? document.contents : document.getIn(parentKeys, true);
			if (depth > 0 && isMap(parent)) {
				const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
				if (pair && isNode(pair.key) && pair.key.range) {
					const { line, column } = lineAndColumn(text, pair.key.range[0]);
					return `${source}:${line}:${column}`;
				}
				continue;
			}
			const node = depth === 0 ? document.contents : document.getIn(keys.slice(0, depth), true);
			if (isNode(node) && node.range) {
				const { line, column } = lineAndColumn(text, node.range[0]);
				return `${source}:${line}:${column}`;
			}
		}
		return source;
	};
}

export function jsonLocator(text: string, source: string): Locator {
	const root = parseTree(text);
	return (path) => {
		if (!root) return source;
		const keys = parsePath(path);
		for (let depth = keys.length; depth >= 0; depth--) {
			const node: JsonNode | undefined = findNodeAtLocation(root, keys.slice(0, depth));
			if (!node) continue;
			const at = node.parent?.type === 'property' ? node.parent.offset : node.offset;
			const { line, column } = lineAndColumn(text, at);
			return `${source}:${line}:${column}`;
		}
		return source;
	};
}

/** Aliases a YAML file may expand (a few anchors are handy; thousands are an "alias bomb"). */
const MAX_YAML_ALIASES = 100;

export function parseYaml(text: string, source: string): { value?: unknown; problems: Problem[]; document?: Document } {
	const deep = nestingBeyond(text);
	if (deep !== undefined) return { problems: [nestingProblem(text, source, deep)] };
	let document: Document;
	try {
		document = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
	} catch (error) {
		if (error instanceof RangeError) return { problems: [{ source, path: '', message: 'the YAML is nested too deeply to read' }] };
		throw error;
	}
	if (document.errors.length === 0) {
		try {
			return { value: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }), problems: [], document };
		} catch (error) {
			if (error instanceof ReferenceError && /alias/i.test(error.message)) {
				return {
					problems: [{ source, path: '', message: `aliases (*name) expand to too much data: at most ${MAX_YAML_ALIASES} alias expansions are allowed` }]
				};
			}
			if (error instanceof RangeError) return { problems: [{ source, path: '', message: 'the YAML is nested too deeply' }] };
			throw error;
		}
	}
	const [error] = document.errors;
	const { line, column } = lineAndColumn(text, error.pos[0]);
	// One problem: later errors follow from the first.
	return {
		problems: [{ source: `${source}:${line}:${column}`, path: '', message: `not valid YAML: ${error.message.replace(/ at line \d+, column \d+.*$/s, '')}` }]
	};
}

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
	path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);

const isPredicateName = (key: PropertyKey | undefined): boolean => predicateNames.some((name) => name === key);

/**
 * For a union that failed, the branch the author evidently meant, judged by the value's shape, so
 * the error speaks of that branch ("unknown key" in a matrix, not "expected a string").
 */
function intendedBranch(path: readonly PropertyKey[], value: unknown): z.ZodType | undefined {
	const last = path.at(-1);
	const parent = path.at(-2);
	const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
	if (parent === 'scenarios' && typeof last === 'number' && isObject) {
		const preset = valueAt(value, ['preset']);
		if (preset === undefined) return scenarioVariantSchema;
		if (preset === 'all') return allPresetSchema;
		if (preset === 'matrix') return matrixPresetSchema;
		return z.object({ preset: z.enum(['matrix', 'all']) });
	}
	if ((isPredicateName(last) || (parent === 'between' && typeof last === 'number')) && isObject) return scenarioBoundSchema;
	if (last === 'time' && isObject) return 'ratio' in value || 'over' in value ? timeRatioSchema : timeRangeSchema;
	if (last === 'tolerance' && typeof value === 'string') return toleranceSchema.options[1];
	return undefined;
}

/** The prefix of an issue's path that ends at a union-typed value (scenario item, bound, time, tolerance). */
function unionSite(path: readonly PropertyKey[]): PropertyKey[] | undefined {
	for (let depth = path.length; depth >= 1; depth--) {
		const last = path[depth - 1];
		const parent = path[depth - 2];
		const insideCheck = path[0] === 'groups' && path[2] === 'checks' && depth >= 5;
		if (!insideCheck) continue;
		if (depth === 6 && parent === 'scenarios' && typeof last === 'number') return path.slice(0, depth);
		if (depth === 5 && isPredicateName(last)) return path.slice(0, depth);
		if (depth === 6 && parent === 'between' && typeof last === 'number') return path.slice(0, depth);
		if (depth === 5 && (last === 'time' || last === 'tolerance')) return path.slice(0, depth);
	}
	return undefined;
}

/**
 * Zod reports a failed union either as one issue or as the issues of whichever branch it found
 * closest. Re-validate such values against the branch the author evidently meant, so that every
 * message speaks of that branch.
 */
function refineUnionIssues(issues: readonly z.core.$ZodIssue[], input: unknown): z.core.$ZodIssue[] {
	const refined: z.core.$ZodIssue[] = [];
	const done = new Set<string>();
	for (const issue of issues) {
		const site = unionSite(issue.path);
		const value = site ? valueAt(input, site) : undefined;
		const branch = site ? intendedBranch(site, value) : undefined;
		if (!site || !branch) {
			refined.push(issue);
			continue;
		}
		const key = JSON.stringify(site);
		if (done.has(key)) continue;
		done.add(key);
		const result = branch.safeParse(value);
		if (result.success) refined.push(issue);
		else refined.push(...result.error.issues.map((i) => ({ ...i, path: [...site, ...i.path] })));
	}
	return refined;
}

export function validateCheckValue(value: unknown, source: string, locate: Locator): LoadedCheckFile {
	const result = checkFileSchema.safeParse(value);
	if (result.success) return { source, file: result.data, problems: [], locate };
	const issues = refineUnionIssues(result.error.issues, value);
	const partial = validChecksOf(value);
	const problems = problemsFromZod(new z.ZodError(issues), value, source, knownKeys).map((problem) => ({
		...problem,
		source: locate(problem.path)
	}));
	return { source, problems, locate, partial };
}

/** The checks of an invalid file that are valid by themselves, kept at their indices (others become null and are skipped). */
function validChecksOf(value: unknown): PartialCheckFile | undefined {
	const groups = valueAt(value, ['groups']);
	if (!Array.isArray(groups)) return undefined;
	return {
		groups: groups.map((group) => {
			const describe = valueAt(group, ['describe']);
			const checks = valueAt(group, ['checks']);
			return {
				describe: typeof describe === 'string' ? describe : '',
				checks: Array.isArray(checks)
					? checks.map((check) => {
							const parsed = checkSchema.safeParse(check);
							return parsed.success ? parsed.data : null;
						})
					: []
			};
		})
	};
}

/**
 * Parses a data file (YAML, or JSON when the name ends in .json) and hands its value to `validate`
 * with a locator of paths in the text; problems of the text itself come back as they are. Never
 * throws for bad input. Check files and sweep files are both read this way.
 */
export function loadDataText<T extends { source: string; problems: Problem[]; locate: Locator }>(
	text: string,
	source: string,
	validate: (value: unknown, source: string, locate: Locator) => T,
	emptyMessage: string
): T | { source: string; problems: Problem[]; locate: Locator } {
	if (source.toLowerCase().endsWith('.json')) {
		const parsed = parseJson(text, source);
		// The locator parses the text again: only once parseJson has found it sound (not nested too deep).
		if (parsed.problems.length > 0) return { source, problems: parsed.problems, locate: () => source };
		return validate(parsed.value, source, jsonLocator(text, source));
	}
	const parsed = parseYaml(text, source);
	if (!parsed.document) return { source, problems: parsed.problems, locate: () => source };
	const locate = yamlLocator(text, source, parsed.document);
	if (parsed.value === null || parsed.value === undefined) return { source, problems: [{ source, path: '', message: emptyMessage }], locate };
	return validate(parsed.value, source, locate);
}

/** Parses and validates a check file (YAML, or JSON when the name ends in .json). */
export function loadCheckText(text: string, source: string): LoadedCheckFile {
	return loadDataText(text, source, validateCheckValue, 'the file is empty: expected an object with "groups"');
}
