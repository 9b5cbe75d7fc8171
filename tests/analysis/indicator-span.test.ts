import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { checkIndicator, evaluateIndicator, parseIndicator, perPathValues } from '../../src/lib/analysis/indicator';
import { describeIndicator } from '../../src/lib/notebook/cell-titles';
import { messageOf, scenario } from './helpers';

const paths = await simulateScenario(scenario('baseline'), { seed: 9, paths: 600 });
const perPath = (text: string) => perPathValues(paths, checkIndicator(parseIndicator(text), paths.months));

describe('probability over a span of years: "P(shortfall > 0) in 2027–2030"', () => {
	it('a path counts when the threshold is met in some month of any year of the span', () => {
		const span = perPath('P(shortfall > 0) in 2027–2030');
		const years = [2027, 2028, 2029, 2030].map((year) => perPath(`P(shortfall > 0) in ${year}`));
		const byEnd = perPath('P(shortfall > 0) by 2030');
		for (let i = 0; i < span.length; i++) {
			expect(span[i]).toBe(Math.max(...years.map((year) => year[i])));
			expect(span[i]).toBeLessThanOrEqual(byEnd[i]);
		}
		const value = evaluateIndicator(paths, parseIndicator('P(shortfall > 0) in 2027-2030'));
		expect(value.label).toBe('P(shortfall > 0 t/month) in 2027–2030');
		expect(value.value).toBeGreaterThan(0);
		expect(describeIndicator('P(shortfall > 0) in 2027–2030')).toBe('chance unmet demand (shortfall) above 0 tonnes per month at some point in 2027–2030');
	});

	it('says what is wrong with a span', () => {
		expect(messageOf(() => checkIndicator(parseIndicator('P(shortfall > 0) in 2030–2027'), paths.months))).toMatch(
			/the span 2030–2027 must start before it ends/
		);
		expect(messageOf(() => checkIndicator(parseIndicator('P(shortfall > 0) in 2020–2027'), paths.months))).toMatch(/2020 is outside/);
		expect(messageOf(() => parseIndicator('P(shortfall > 0) by 2027–2030'))).toMatch(/a span of years is written "in 2027–2030"/);
	});
});
