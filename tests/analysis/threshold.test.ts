import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { checkThreshold, parseThreshold, thresholdProbabilities, thresholdOverSeries, checkThresholdFor, reachedByYearCurve } from '../../src/lib/analysis/threshold';
import { computeIndicators } from '../../src/lib/engine/indicators';
import { messageOf, scenario } from './helpers';

const paths = await simulateScenario(scenario('baseline'), { seed: 9, paths: 800 });
const indicators = computeIndicators(paths.block, paths.months);

describe('threshold probabilities over time', () => {
	it('"any shortfall" by year agrees with the engine indicators', () => {
		const result = thresholdProbabilities(paths, { metric: 'shortfall', comparison: '>', value: 0, unit: 't/month' });
		expect(result.byYear.map((y) => y.year)).toEqual(indicators.shortfallByYear.map((y) => y.year));
		result.byYear.forEach((entry, k) => {
			expect(entry.inYear.value).toBeCloseTo(indicators.shortfallByYear[k].inYear.p, 12);
			expect(entry.reachedBy.value).toBeCloseTo(indicators.shortfallByYear[k].byYear.p, 12);
		});
		expect(result.inMonth.p).toHaveLength(paths.months.length);
	});

	it('"price above 2 × today" reached by the end equals the engine indicator; the curve never falls', () => {
		const result = thresholdProbabilities(paths, 'price > 2 × start');
		expect(result.threshold.label).toBe('price > 2 × start');
		expect(result.byYear.at(-1)!.reachedBy.value).toBeCloseTo(indicators.priceAboveMultiple.p, 12);
		const curve = reachedByYearCurve(result);
		for (let k = 1; k < curve.length; k++) expect(curve[k].p).toBeGreaterThanOrEqual(curve[k - 1].p);
		for (let t = 1; t < result.reachedByMonth.p.length; t++) expect(result.reachedByMonth.p[t]).toBeGreaterThanOrEqual(result.reachedByMonth.p[t - 1]);
	});

	it('"replacement at least 30 %" by 2030 equals the engine indicator; percent and fraction agree', () => {
		const percent = thresholdProbabilities(paths, 'replacement >= 30 %');
		const fraction = thresholdProbabilities(paths, { metric: 'replacement', comparison: '>=', value: 0.3, unit: 'fraction' });
		const by2030 = percent.byYear.find((y) => y.year === 2030)!.reachedBy.value;
		expect(by2030).toBeCloseTo(indicators.replacement.by2030!.p, 12);
		expect(fraction.inMonth).toEqual(percent.inMonth);
	});

	it('"dependency below 60 %" counts the months where China’s share is under 0.6', () => {
		const result = thresholdProbabilities(paths, 'chinaShare < 60%');
		const values = paths.block.metrics[8];
		const t = paths.months.indexOf('2031-06');
		let count = 0;
		for (let i = 0; i < 800; i++) if (values[t * 800 + i] < 0.6) count++;
		expect(result.inMonth.p[t]).toBe(count / 800);
		expect(result.threshold.level).toBe(0.6);
	});

	it('works on any series with a unit (e.g. a formula)', () => {
		const values = new Float64Array([1, 3, 5, 7]);
		const threshold = checkThresholdFor({ comparison: '>', value: 4, unit: 'USD' }, 'bill', 'USD');
		const result = thresholdOverSeries(values, 2, ['2025-12', '2026-01'], threshold);
		expect(result.inMonth.p).toEqual([0, 1]);
		expect(result.byYear.map((y) => [y.year, y.inYear.value, y.reachedBy.value])).toEqual([
			[2025, 0, 0],
			[2026, 1, 1]
		]);
	});

	it('rejects a threshold of the wrong unit or type, saying what would fit', () => {
		expect(messageOf(() => checkThreshold({ metric: 'price', comparison: '>', value: 100, unit: 't' }))).toBe('"t" does not fit price, measured in USD/kg; use "USD/kg" or "× start"');
		expect(messageOf(() => checkThreshold({ metric: 'chinaShare', comparison: '<', value: 60, unit: 'USD/kg' }))).toBe(
			'"USD/kg" does not fit chinaShare, measured in fraction; use "fraction", "× start" or "%"'
		);
		expect(messageOf(() => checkThreshold({ metric: 'price', comparison: '>', value: 50, unit: '%' }))).toBe('"%" does not fit price, measured in USD/kg; use "USD/kg" or "× start"');
		expect(messageOf(() => checkThreshold({ metric: 'price', comparison: '>', value: 'two', unit: 'USD/kg' }))).toBe('the threshold must be a finite number, found the string "two"');
		expect(messageOf(() => checkThreshold({ metric: 'price', comparison: '=>', value: 2, unit: 'USD/kg' }))).toBe('expected one of ">", ">=", "<", "<=", found the string "=>"');
		expect(messageOf(() => checkThreshold({ metric: 'price', comparison: '>', value: 2 }))).toBe('expected a unit ("USD/kg", "× start"), found nothing');
		expect(messageOf(() => checkThreshold({ metric: 'chinaShare', comparison: '<', value: 60, unit: 'fraction' }))).toBe(
			'chinaShare is a fraction between 0 and 1, so 60 fraction can never be crossed (for 60 % write the unit "%")'
		);
		expect(messageOf(() => checkThreshold({ metric: 'dependency', comparison: '<', value: 0.6, unit: 'fraction' }))).toBe(
			'unknown metric "dependency"; metrics: demand, chinaExports, domesticSupply, alliedSupply, inventory, coverMonths, shortfall, price, chinaShare, replacement, importBill, backlog, regime'
		);
		expect(messageOf(() => checkThreshold(42))).toBe('expected a threshold {metric, comparison, value, unit}, found 42');
	});

	it('reads thresholds written as text, and says how to write them', () => {
		expect(parseThreshold('shortfall > 0')).toEqual({ metric: 'shortfall', comparison: '>', value: 0, unit: 't/month' });
		expect(parseThreshold('price>2x start')).toEqual({ metric: 'price', comparison: '>', value: 2, unit: 'x start' });
		expect(messageOf(() => parseThreshold('price above 2'))).toMatch(/^cannot read "price above 2": write "<metric> <comparison> <number> \[unit\]"/);
		expect(messageOf(() => parseThreshold('prise > 2'))).toMatch(/^unknown metric "prise" \(did you mean "price"\?\)/);
	});
});
