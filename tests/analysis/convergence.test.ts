import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { refineUntilPrecise, standardErrors } from '../../src/lib/analysis/convergence';
import { evaluateIndicator } from '../../src/lib/analysis/indicator';
import { runScenario } from '../../src/lib/engine/run';
import { asyncMessageOf, scenario } from './helpers';

describe('convergence', () => {
	it('lists a standard error for every indicator of a run', () => {
		const result = runScenario(scenario('baseline'), { seed: 1, paths: 400 });
		const { indicators, metrics } = standardErrors(result);
		expect(indicators.map((r) => r.key)).toContain('shortfallByYear.2030.byYear');
		expect(indicators.map((r) => r.key)).toEqual(
			expect.arrayContaining(['cumulativeShortfall', 'dependency2030.p50', 'relianceCut2030.p50', 'priceAboveMultiple', 'relianceCut.by2030'])
		);
		expect(indicators).toHaveLength(11 * 2 + 5);
		for (const row of indicators) expect(row.se).toBeGreaterThanOrEqual(0);
		const price = indicators.find((r) => r.key === 'priceAboveMultiple')!;
		expect(price.se).toBeCloseTo(Math.sqrt((price.value * (1 - price.value)) / 400), 12);
		expect(metrics.map((m) => m.metric)).toContain('usMagnetPrice');
	});

	it('refines until the standard error is at or below the target, adding paths in prefix-stable chunks', async () => {
		const result = await refineUntilPrecise(scenario('baseline'), {
			seed: 7,
			indicator: 'P(shortfall > 0) in 2027',
			targetSe: 0.012,
			startPaths: 500,
			step: 250,
			maxPaths: 5000
		});
		expect(result.met).toBe(true);
		expect(result.se).toBeLessThanOrEqual(0.012);
		expect(result.steps.length).toBeGreaterThan(1);
		expect(result.steps[0].se).toBeGreaterThan(0.012);
		expect(result.pathsUsed).toBe(result.steps.at(-1)!.paths);
		// Path i is always the same path: the estimate equals a direct run over as many paths.
		const direct = evaluateIndicator(await simulateScenario(scenario('baseline'), { seed: 7, paths: result.pathsUsed }), {
			kind: 'probability',
			threshold: { metric: 'shortfall', comparison: '>', value: 0, unit: 't/month' },
			within: 'year',
			year: 2027
		});
		expect(direct.value).toBe(result.value);
		expect(direct.se).toBe(result.se);
	});

	it('stops at the cap when the target is out of reach, and says so', async () => {
		const result = await refineUntilPrecise(scenario('baseline'), {
			seed: 7,
			indicator: 'median usMagnetPrice 2027',
			targetSe: 0.001,
			startPaths: 200,
			step: 100,
			maxPaths: 600
		});
		expect(result.met).toBe(false);
		expect(result.pathsUsed).toBe(600);
		expect(result.notices[0]).toMatch(/^stopped at the cap of 600 paths with a standard error of [\d.]+ USD\/kg, above the target 0\.001 USD\/kg$/);
	});

	it('from a single path, whose standard error is unknown, takes one step more', async () => {
		const result = await refineUntilPrecise(scenario('baseline'), {
			seed: 7,
			indicator: 'mean usMagnetPrice 2025',
			targetSe: 1000,
			startPaths: 1,
			step: 10,
			maxPaths: 100
		});
		expect(result.steps.map((step) => step.paths)).toEqual([1, 11]);
		expect(result.steps[0].se).toBeNaN();
		expect(result.met).toBe(true);
	});

	it('a probability no path reaches keeps one path’s worth of standard error, and says why', async () => {
		const result = await refineUntilPrecise(scenario('baseline'), {
			seed: 7,
			indicator: 'P(shortfall > 1000000) in 2027',
			targetSe: 0.01,
			startPaths: 50,
			step: 50,
			maxPaths: 1000
		});
		expect(result.value).toBe(0);
		expect(result.se).toBeGreaterThan(0);
		expect(result.se).toBeLessThanOrEqual(0.01);
		expect(result.notices.at(-1)).toMatch(
			/^every path gives the same answer \(p = 0\); the true probability may still differ from 0, so its standard error counts one path in [\d,]+ as if it had differed$/
		);
	});

	it('rejects a target that is not a positive number', async () => {
		expect(await asyncMessageOf(() => refineUntilPrecise(scenario('baseline'), { seed: 7, indicator: 'median usMagnetPrice 2027', targetSe: 0 }))).toBe(
			'the target standard error must be a positive number in USD/kg, found 0'
		);
	});
});
