import fc from 'fast-check';
import { describe, it } from 'vitest';
import { properties } from './properties';

/**
 * A short, deterministic fuzz run (fixed seed, few runs) in the suite; `npx tsx tests/fuzz/long.ts`
 * runs the same properties longer with a fresh seed.
 */
const runs: Record<keyof typeof properties, number> = { scenarioText: 150, checkText: 150, formula: 300, threshold: 200, indicator: 200, finiteMetrics: 40 };

describe('fuzz: every input ends in a result or a clean problem list', () => {
	for (const [name, property] of Object.entries(properties) as [keyof typeof properties, fc.IPropertyWithHooks<unknown>][]) {
		it(
			name,
			() => {
				fc.assert(property, { seed: 20251201, numRuns: runs[name], interruptAfterTimeLimit: 15_000 });
			},
			30_000
		);
	}
});
