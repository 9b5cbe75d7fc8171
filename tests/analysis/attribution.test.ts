import { describe, expect, it } from 'vitest';
import { attribute, composeScenario, scenarioLevers, sequentialContributions, shapleyValues } from '../../src/lib/analysis/attribution';
import type { Scenario } from '../../src/lib/scenario/schema';
import { asyncMessageOf, scenario } from './helpers';

const settings = { seed: 4, paths: 500 };

function sum(values: number[]): number {
	return values.reduce((s, x) => s + x, 0);
}

describe('attribution of a scenario’s difference', () => {
	it('finds the levers: assumptions (parameters) apart from policy/events', () => {
		const levers = scenarioLevers(scenario('baseline'), scenario('controls-and-delays'));
		expect(levers.map((l) => [l.id, l.group, l.change])).toEqual([
			['parameters.capacitySlipExtra', 'assumptions', 'changed'],
			['events.renewed-restrictions', 'policyEvents', 'added'],
			['events.plant-outage-2027', 'policyEvents', 'added']
		]);
		expect(levers[0].label).toBe('Extra slip of every U.S. plant: 0 → pert(min 6, mode 18, max 36) months');
		const reverse = scenarioLevers(scenario('controls-and-delays'), scenario('baseline'));
		expect(reverse.filter((l) => l.group === 'policyEvents').map((l) => l.change)).toEqual(['removed', 'removed']);
	});

	it('Shapley contributions add up to the total difference', async () => {
		const result = await attribute(scenario('baseline'), scenario('controls-and-delays'), { ...settings, indicator: 'median usMagnetPrice 2028' });
		expect(result.method).toBe('shapley');
		expect(result.evaluations).toBe(8);
		const total = result.scenarioValue.value - result.baseValue.value;
		expect(result.total.value).toBe(total);
		expect(Math.abs(sum(result.contributions.map((c) => c.contribution)) - total)).toBeLessThan(1e-9);
		expect(Math.abs(result.residual)).toBeLessThan(1e-9);
		expect(result.groups.assumptions.contribution + result.groups.policyEvents.contribution).toBeCloseTo(total, 9);
		expect(result.groups.assumptions.levers).toBe(1);
		// Renewed restrictions, not the capacity assumptions, drive the 2028 landed price.
		const restrictions = result.contributions.find((c) => c.id === 'events.renewed-restrictions')!;
		expect(Math.abs(restrictions.contribution)).toBeGreaterThan(Math.abs(result.groups.assumptions.contribution));
	});

	it('Shapley splits an interaction evenly where sequential credits it to the lever switched on last', async () => {
		// y = a·b, with the levers moving a from 1 to 2 and b from 1 to 3: y goes from 1 to 6.
		// Alone, a adds 1 and b adds 2; the interaction (2 − 1)·(3 − 1) = 2 is shared half and half.
		const product = ([a, b]: readonly boolean[]) => (a ? 2 : 1) * (b ? 3 : 1);
		expect(await shapleyValues(2, product)).toEqual([2, 3]);
		expect(await sequentialContributions(2, product)).toEqual([1, 4]);
		// Listing b first changes each lever's sequential credit, not its Shapley value.
		const bFirst = ([b, a]: readonly boolean[]) => product([a, b]);
		expect(await shapleyValues(2, bFirst)).toEqual([3, 2]);
		expect(await sequentialContributions(2, bFirst)).toEqual([2, 3]);
	});

	it('Shapley shares a three-way interaction in thirds and gives a lever that changes nothing zero', async () => {
		// y = a·b·c, each lever moving its factor from 0 to 1; the fourth lever moves nothing.
		const allThree = ([a, b, c]: readonly boolean[]) => (a && b && c ? 1 : 0);
		const shapley = await shapleyValues(4, allThree);
		for (const [lever, expected] of [1 / 3, 1 / 3, 1 / 3, 0].entries()) expect(shapley[lever]).toBeCloseTo(expected, 12);
		expect(await sequentialContributions(4, allThree)).toEqual([0, 0, 1, 0]);
	});

	it('with interacting levers the two methods split the same total differently', async () => {
		const options = { ...settings, indicator: 'median usMagnetPrice 2028' };
		const shapley = await attribute(scenario('baseline'), scenario('controls-and-delays'), { ...options, method: 'shapley' });
		const sequential = await attribute(scenario('baseline'), scenario('controls-and-delays'), { ...options, method: 'sequential' });
		expect(sequential.contributions.map((c) => c.contribution)).not.toEqual(shapley.contributions.map((c) => c.contribution));
		expect(sum(sequential.contributions.map((c) => c.contribution))).toBeCloseTo(sum(shapley.contributions.map((c) => c.contribution)), 9);
	});

	it('sequential beyond the Shapley limit: in the stated order, still adding up to the total', async () => {
		const result = await attribute(scenario('baseline'), scenario('controls-and-delays'), {
			...settings,
			indicator: 'P(shortfall > 0) by 2028',
			maxShapleyLevers: 2
		});
		expect(result.method).toBe('sequential');
		expect(result.order).toEqual(['parameters.capacitySlipExtra', 'events.renewed-restrictions', 'events.plant-outage-2027']);
		expect(result.evaluations).toBe(4);
		expect(Math.abs(sum(result.contributions.map((c) => c.contribution)) - result.total.value)).toBeLessThan(1e-12);
		expect(result.notices).toEqual(['3 levers: more than 2, so contributions are sequential (one lever at a time, in the order given), not Shapley values']);
	});

	it('a single lever gets the whole difference; no lever, no difference', async () => {
		const one = await attribute(scenario('baseline'), scenario('renewed-controls'), { ...settings, indicator: 'mean usMagnetPrice 2027' });
		expect(one.contributions).toHaveLength(1);
		expect(one.contributions[0].contribution).toBe(one.total.value);
		expect(one.total.value).toBeGreaterThan(0);
		const none = await attribute(scenario('baseline'), scenario('baseline'), { ...settings, indicator: 'mean usMagnetPrice 2027' });
		expect(none.method).toBe('none');
		expect(none.total.value).toBe(0);
		expect(none.contributions).toEqual([]);
	});

	it('composes partial scenarios: none of the levers is the base, all of them the scenario', () => {
		const base = scenario('baseline');
		const target = scenario('controls-and-delays');
		const levers = scenarioLevers(base, target);
		const none = composeScenario(
			base,
			target,
			levers,
			levers.map(() => false),
			base.end
		);
		expect(none.parameters).toEqual(base.parameters);
		expect(none.events).toEqual(base.events);
		const all = composeScenario(
			base,
			target,
			levers,
			levers.map(() => true),
			base.end
		);
		expect(all.parameters).toEqual(target.parameters);
		expect(new Set(all.events.map((e) => JSON.stringify(e)))).toEqual(new Set(target.events.map((e) => JSON.stringify(e))));
	});

	it('different horizons: attributed over the overlap, and said; different starts are refused', async () => {
		const short: Scenario = { ...scenario('renewed-controls'), end: '2028-12' };
		const result = await attribute(scenario('baseline'), short, { seed: 4, paths: 100, indicator: 'mean usMagnetPrice 2027' });
		expect(result.notices).toEqual([
			'the scenarios cover different horizons (baseline: 2025-01 … 2035-12, renewed-controls: 2025-01 … 2028-12); attributed over the overlap 2025-01 … 2028-12'
		]);
		expect(await asyncMessageOf(() => attribute(scenario('baseline'), short, { seed: 4, paths: 100, indicator: 'mean usMagnetPrice 2030' }))).toBe(
			'2030 is outside the horizon 2025-01 … 2028-12'
		);
		expect(
			await asyncMessageOf(() => attribute(scenario('baseline'), scenario('history-2025'), { seed: 4, paths: 100, indicator: 'mean usMagnetPrice 2025' }))
		).toBe('the scenarios start in different months (baseline: 2025-01, history-2025: 2024-01); attribution needs the same start so that their draws line up');
	});
});
