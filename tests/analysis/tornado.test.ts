import { describe, expect, it } from 'vitest';
import { parameterPercentile, tornado, tornadoSwings, uncertainParameters } from '../../src/lib/analysis/tornado';
import { proportionError } from '../../src/lib/stats/estimates';
import type { Scenario } from '../../src/lib/scenario/schema';
import { asyncMessageOf, scenario } from './helpers';

/** Baseline with two sliders: extra slip of the U.S. plants (wide range, 12 months set) and NdPr price volatility (narrow). */
function constructed(): Scenario {
	const base = scenario('baseline');
	return {
		...base,
		id: 'tornado-fixture',
		parameters: { ...base.parameters, capacitySlipExtra: 12 },
		controls: [
			{ param: 'ndprVolatility', label: 'NdPr price volatility', unit: '–', min: 0.055, max: 0.065, step: 0.001, group: 'price' },
			{ param: 'capacitySlipExtra', label: 'Extra slip of every U.S. plant', unit: 'months', min: 0, max: 48, step: 1, group: 'capacity' }
		]
	};
}

describe('sensitivity (tornado)', () => {
	it('ranks the dominating lever first', async () => {
		const result = await tornado(constructed(), { seed: 2, paths: 500, indicator: 'median relianceCut 2032', include: ['control'] });
		expect(result.bars.map((b) => b.param)).toEqual(['capacitySlipExtra', 'ndprVolatility']);
		const [capacity, volatility] = result.bars;
		expect(capacity.low.setting).toBe(0);
		expect(capacity.high.setting).toBe(48);
		// Less slip than set brings U.S. output forward and cuts reliance on China further; more slip delays it.
		expect(capacity.low.effect).toBeGreaterThan(0);
		expect(capacity.high.effect).toBeLessThan(0);
		expect(capacity.swing).toBeGreaterThan(10 * volatility.swing);
		expect(capacity.swing).toBeCloseTo(Math.abs(capacity.high.value - capacity.low.value), 12);
		expect(result.indicator).toEqual({ label: 'median of relianceCut (annual mean per path) in 2032', unit: 'fraction' });
	});

	it('swings uncertain parameters between their P10 and P90, holding the rest', () => {
		const base = scenario('baseline');
		const uncertain = uncertainParameters(base);
		expect(uncertain).toContain('demandGrowth');
		expect(uncertain).toContain('mpIndependenceSlip');
		expect(uncertain).not.toContain('ndprVolatility');
		const swings = tornadoSwings(base, ['parameter'], ['demandGrowth']);
		expect(swings).toHaveLength(1);
		const [growth] = swings;
		expect(growth.low.setting).toBeCloseTo(parameterPercentile(base, 'demandGrowth', 0.1), 12);
		expect(growth.low.setting).toBeLessThan(growth.baseSetting);
		expect(growth.high.setting).toBeGreaterThan(growth.baseSetting);
		expect(growth.low.scenario.parameters.demandGrowth).toBe(growth.low.setting);
		expect(growth.low.scenario.parameters.mpIndependenceSlip).toEqual(base.parameters.mpIndependenceSlip);
		// Whole-month parameters are swung to whole months.
		const review = tornadoSwings(base, ['parameter'], ['licenceReviewMonths'])[0];
		expect(Number.isInteger(review.low.setting) && Number.isInteger(review.high.setting)).toBe(true);
	});

	it('computes effects with common random numbers: a lever without effect gives exactly 0', async () => {
		const result = await tornado(scenario('baseline'), { seed: 2, paths: 300, indicator: 'P(shortfall > 0) in 2025', only: ['tariffLater', 'demandGrowth'] });
		const tariff = result.bars.find((b) => b.param === 'tariffLater')!;
		// The later tariff applies from Nov 2026: it cannot change 2025 on any path.
		expect(tariff.low.effect).toBe(0);
		expect(tariff.high.effect).toBe(0);
		// No path differs: the difference of two probabilities keeps one path's worth of uncertainty.
		expect(tariff.low.se).toBe(proportionError(0, 300));
		// demandGrowth is both a slider (moves the distribution) and uncertain (pinned at P10/P90): two bars.
		expect(result.bars.map((b) => `${b.kind}:${b.param}`).sort()).toEqual(['control:demandGrowth', 'control:tariffLater', 'parameter:demandGrowth']);
		expect(result.bars.at(-1)!.param).toBe('tariffLater');
	});

	it('reports bad input', async () => {
		expect(await asyncMessageOf(() => tornado(scenario('baseline'), { seed: 1, paths: 10, indicator: 'median usMagnetPrice 2040' }))).toBe(
			'2040 is outside the horizon 2025-01 … 2035-12'
		);
		expect(await asyncMessageOf(() => tornado(scenario('baseline'), { seed: 1, paths: 10, indicator: 'median usMagnetPrice 2030', only: ['priceVol'] }))).toBe(
			'unknown parameter "priceVol"'
		);
		expect(await asyncMessageOf(() => tornado(scenario('baseline'), { seed: 1, paths: 10, indicator: 'median cost 2030' }))).toMatch(
			/^unknown metric "cost"; metrics: demand/
		);
	});
});
