import type { Scenario } from './scenario/schema';

/**
 * Bounds and identities every entry point shares: scenario and check files, the CLIs, the
 * notebook and the runner. One place, so a bound cannot drift between them.
 */
export const runLimits = {
	/** Paths of one run (scenario `paths`, `--paths`, a check's `paths`). */
	maxPaths: 200_000,
	/** Seeds are unsigned 32-bit integers. */
	maxSeed: 2 ** 32 - 1
} as const;

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
