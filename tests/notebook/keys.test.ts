import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/lib/limits';
import { canonicalJsonWithScenarios } from '../../src/lib/notebook/keys';
import { runKey } from '../../src/lib/notebook/run-store.svelte';
import { scenarioKey } from '../../src/lib/limits';
import { resolveChoice } from '../../src/lib/notebook/state';
import { testLibrary } from './fixtures';

const library = testLibrary();

describe('keys with scenarios written once per object', () => {
	const a = resolveChoice({ id: 'baseline', values: {} }, library).scenario;
	const b = resolveChoice({ id: 'baseline', values: { demandGrowth: 0.1 } }, library).scenario;

	it('equal canonical JSON of the whole request', () => {
		const compare = { kind: 'compare', a, b, seed: 5, paths: 2000, metric: 'chinaExports' };
		expect(canonicalJsonWithScenarios(compare, ['scenario', 'a', 'b', 'base'])).toBe(canonicalJson(compare));
		// Asked again: the same text from the scenarios' kept JSON.
		expect(canonicalJsonWithScenarios(compare, ['scenario', 'a', 'b', 'base'])).toBe(canonicalJson(compare));
		const formula = { kind: 'formula', scenario: b, seed: 1, paths: 100, expression: '"$&" + a $1 \u0000scenario\u0000', unit: '$' };
		expect(canonicalJsonWithScenarios(formula, ['scenario'])).toBe(canonicalJson(formula));
	});

	it('equal scenarioKey for a run', () => {
		expect(runKey({ scenario: b, seed: 7, paths: 10_000 })).toBe(scenarioKey(b, { seed: 7, paths: 10_000 }));
	});
});
