import { metricCount } from './model/metrics';
import type { Problem } from './problems';
import type { Scenario } from './scenario/schema';

/**
 * Bounds and identities every entry point shares: scenario and check files, the CLIs, the
 * notebook and the runner. One place, so a bound cannot drift between them.
 */
export const runLimits = {
	/** Paths of one run that holds them all (scenario `paths`, `--paths`, a check's `paths`). */
	maxPaths: 200_000,
	/** Paths of one `batch` run (`--paths`): above `streamAboveBytes` of paths it is streamed, never holding them all. */
	maxStreamedPaths: 10_000_000,
	/** Seeds are unsigned 32-bit integers. */
	maxSeed: 2 ** 32 - 1
} as const;

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

/**
 * `batch` streams a run whose paths would take more than this many bytes (`pathBytes`): blocks of
 * paths, simulated again for each pass of the exact percentiles (about twice the time), in memory
 * that does not grow with the paths but for 16 bytes a path (the indicators).
 */
export const streamAboveBytes = 2 ** 28;

/** Keys that would reach Object.prototype when a parsed object is used as a plain record. */
export const forbiddenKeys: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Bytes the simulated paths of a run take: every metric, every month, every path, as float32. */
export function pathBytes(paths: number, months: number): number {
	return paths * months * metricCount * Float32Array.BYTES_PER_ELEMENT;
}

/** The most paths whose metrics fit in the memory budget over `months` months. */
export function maxPathsFor(months: number, budgetBytes: number = inputLimits.maxPathBytes): number {
	return Math.floor(budgetBytes / pathBytes(1, Math.max(1, months)));
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
 * `batch`'s check: any run fits, in memory or streamed (above `streamAboveBytes`), up to
 * `runLimits.maxStreamedPaths` paths; a problem beyond that, saying what fits.
 */
export function streamedWorkProblem(paths: number, months: number, source: string, path: string): Problem | undefined {
	if (paths <= runLimits.maxStreamedPaths) return undefined;
	return {
		source,
		path,
		message: `${paths.toLocaleString('en-US')} paths over ${months.toLocaleString('en-US')} months are more than batch runs, even streamed (in blocks, never all held): at most ${runLimits.maxStreamedPaths.toLocaleString('en-US')} paths`
	};
}

/**
 * A scenario's identity as text: equal for scenarios that simulate the same paths (with equal
 * `context`, e.g. a seed). Keys are sorted, so the order a scenario's fields were written in (a
 * file, a link, an `extends`) does not matter.
 */
export function scenarioKey(scenario: Scenario, context: Record<string, unknown> = {}): string {
	return canonicalJson({ scenario, ...context });
}

/** JSON with object keys sorted at every level; `undefined` fields left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner
	);
}
