import { z } from 'zod';
import { loadDataText, parsePath, type Locator } from '../checks/parse';
import { parameterIds } from '../model/parameters';
import { didYouMean, knownKeysFromSchema, problemsFromZod, type Problem } from '../problems';
import {
	eventLengthFactorSchema,
	eventShiftFactorSchema,
	parameterDistributionFactorSchema,
	parameterRangeFactorSchema,
	parameterValuesFactorSchema,
	sweepFileSchema,
	type SweepFile
} from './schema';

const knownKeys = knownKeysFromSchema(sweepFileSchema);

export interface LoadedSweepFile {
	source: string;
	file?: SweepFile;
	problems: Problem[];
	locate: Locator;
}

/** The factor shape the author evidently meant, judged by its keys, so errors speak of that shape. */
function intendedFactor(value: unknown): z.ZodType | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	if ('shiftMonths' in value) return eventShiftFactorSchema;
	if ('lengthMonths' in value) return eventLengthFactorSchema;
	if ('event' in value) return eventShiftFactorSchema;
	if ('values' in value) return parameterValuesFactorSchema;
	if ('distribution' in value) return parameterDistributionFactorSchema;
	return parameterRangeFactorSchema;
}

/** Zod reports a failed union vaguely; re-validate each failed factor against the shape meant. */
function refineFactorIssues(issues: readonly z.core.$ZodIssue[], input: unknown): z.core.$ZodIssue[] {
	const refined: z.core.$ZodIssue[] = [];
	const done = new Set<number>();
	const factors = (input as { factors?: unknown })?.factors;
	for (const issue of issues) {
		const [head, index] = issue.path;
		const factor = head === 'factors' && typeof index === 'number' && Array.isArray(factors) ? factors[index] : undefined;
		const branch = issue.path.length >= 2 && head === 'factors' ? intendedFactor(factor) : undefined;
		if (!branch || typeof index !== 'number') {
			refined.push(issue);
			continue;
		}
		if (done.has(index)) continue;
		done.add(index);
		const result = branch.safeParse(factor);
		if (result.success) refined.push(issue);
		else refined.push(...result.error.issues.map((i) => ({ ...i, path: ['factors', index, ...i.path] })));
	}
	return refined;
}

/** A parameter name that is not one: said with a "did you mean", not as the list of all 76. */
function unknownParameterMessage(path: string, input: unknown): string | undefined {
	if (!/(^|\.)(param|factor)$/.test(path)) return undefined;
	const found = parsePath(path).reduce<unknown>(
		(node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
		input
	);
	if (typeof found !== 'string' || (parameterIds as readonly string[]).includes(found)) return undefined;
	return `unknown parameter "${found}"${didYouMean(found, parameterIds)}`;
}

export function validateSweepValue(value: unknown, source: string, locate: Locator): LoadedSweepFile {
	const result = sweepFileSchema.safeParse(value);
	if (result.success) return { source, file: result.data, problems: [], locate };
	const issues = refineFactorIssues(result.error.issues, value);
	const problems = problemsFromZod(new z.ZodError(issues), value, source, knownKeys).map((problem) => ({
		...problem,
		message: unknownParameterMessage(problem.path, value) ?? problem.message,
		source: locate(problem.path)
	}));
	return { source, problems, locate };
}

/** Parses and validates a sweep file (YAML, or JSON when the name ends in .json). Never throws for bad input. */
export function loadSweepText(text: string, source: string): LoadedSweepFile {
	return loadDataText(text, source, validateSweepValue, 'the file is empty: expected a sweep with scenario, paths, design, factors and outputs');
}
