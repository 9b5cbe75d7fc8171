import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import {
	checkThreshold,
	parseThreshold,
	thresholdProbabilities,
	thresholdOverSeries,
	checkThresholdFor,
	reachedByYearCurve
} from '../../src/lib/analysis/threshold';
import { computeIndicators } from '../../src/lib/engine/indicators';
import { metricIndex, metricNames } from '../../src/lib/model/metrics';
import { monthsOfYear } from '../../src/lib/analysis/common';
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

	it('"landed price above 2 × today" reached by the end equals the engine indicator; the curve never falls', () => {
		const result = thresholdProbabilities(paths, 'usMagnetPrice > 2 × start');
		expect(result.threshold.label).toBe('usMagnetPrice > 2 × start');
		expect(result.byYear.at(-1)!.reachedBy.value).toBeCloseTo(indicators.priceAboveMultiple.p, 12);
		const curve = reachedByYearCurve(result);
		for (let k = 1; k < curve.length; k++) expect(curve[k].p).toBeGreaterThanOrEqual(curve[k - 1].p);
		for (let t = 1; t < result.reachedByMonth.p.length; t++) expect(result.reachedByMonth.p[t]).toBeGreaterThanOrEqual(result.reachedByMonth.p[t - 1]);
	});

	it('"relianceCut at least 30 %": percent and fraction agree; a month reaches it by 2030 whenever a year\'s average does (the engine indicator)', () => {
		const percent = thresholdProbabilities(paths, 'relianceCut >= 30 %');
		const fraction = thresholdProbabilities(paths, { metric: 'relianceCut', comparison: '>=', value: 0.3, unit: 'fraction' });
		expect(fraction.inMonth).toEqual(percent.inMonth);
		// The engine counts a path once the average over a calendar year reaches the threshold.
		const cut = paths.block.metrics[metricIndex.relianceCut];
		let reached = 0;
		for (let i = 0; i < 800; i++) {
			for (let year = 2025; year <= 2030; year++) {
				const rows = monthsOfYear(paths.months, year);
				if (rows.reduce((sum, t) => sum + cut[t * 800 + i], 0) / rows.length >= 0.3) {
					reached++;
					break;
				}
			}
		}
		expect(indicators.relianceCut.by2030!.p).toBeCloseTo(reached / 800, 12);
		const by2030 = percent.byYear.find((y) => y.year === 2030)!.reachedBy.value;
		expect(by2030).toBeGreaterThanOrEqual(indicators.relianceCut.by2030!.p);
	});

	it('"dependency below 60 %" counts the months where China’s share is under 0.6', () => {
		const result = thresholdProbabilities(paths, 'chinaShare < 60%');
		const values = paths.block.metrics[metricIndex.chinaShare];
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
		expect(messageOf(() => checkThreshold({ metric: 'usMagnetPrice', comparison: '>', value: 100, unit: 't' }))).toBe(
			'"t" does not fit usMagnetPrice, measured in USD/kg; use "USD/kg" or "× start"'
		);
		expect(messageOf(() => checkThreshold({ metric: 'chinaShare', comparison: '<', value: 60, unit: 'USD/kg' }))).toBe(
			'"USD/kg" does not fit chinaShare, measured in fraction; use "fraction", "× start" or "%"'
		);
		expect(messageOf(() => checkThreshold({ metric: 'usMagnetPrice', comparison: '>', value: 50, unit: '%' }))).toBe(
			'"%" does not fit usMagnetPrice, measured in USD/kg; use "USD/kg" or "× start"'
		);
		expect(messageOf(() => checkThreshold({ metric: 'usMagnetPrice', comparison: '>', value: 'two', unit: 'USD/kg' }))).toBe(
			'the threshold must be a finite number, found the string "two"'
		);
		expect(messageOf(() => checkThreshold({ metric: 'usMagnetPrice', comparison: '=>', value: 2, unit: 'USD/kg' }))).toBe(
			'expected one of ">", ">=", "<", "<=", found the string "=>"'
		);
		expect(messageOf(() => checkThreshold({ metric: 'usMagnetPrice', comparison: '>', value: 2 }))).toBe(
			'expected a unit ("USD/kg", "× start"), found nothing'
		);
		expect(messageOf(() => checkThreshold({ metric: 'chinaShare', comparison: '<', value: 60, unit: 'fraction' }))).toBe(
			'chinaShare is a fraction between 0 and 1, so 60 fraction can never be crossed (for 60 % write the unit "%")'
		);
		expect(messageOf(() => checkThreshold({ metric: 'dependency', comparison: '<', value: 0.6, unit: 'fraction' }))).toBe(
			`unknown metric "dependency"; metrics: ${metricNames.join(', ')}`
		);
		expect(messageOf(() => checkThreshold({ metric: 'toString', comparison: '<', value: 0.6, unit: 'fraction' }))).toMatch(/^unknown metric "toString"/);
		expect(messageOf(() => checkThreshold(42))).toBe('expected a threshold {metric, comparison, value, unit}, found 42');
	});

	it('reads thresholds written as text, and says how to write them', () => {
		expect(parseThreshold('shortfall > 0')).toEqual({ metric: 'shortfall', comparison: '>', value: 0, unit: 't/month' });
		expect(parseThreshold('usMagnetPrice>2x start')).toEqual({ metric: 'usMagnetPrice', comparison: '>', value: 2, unit: 'x start' });
		expect(messageOf(() => parseThreshold('usMagnetPrice above 2'))).toMatch(
			/^cannot read "usMagnetPrice above 2": write "<metric> <comparison> <number> \[unit\]"/
		);
		expect(messageOf(() => parseThreshold('ndprPrise > 2'))).toMatch(/^unknown metric "ndprPrise" \(did you mean "ndprPrice"\?\)/);
	});

	it('says what replaced a metric removed in model 2.0, wherever a threshold names it', () => {
		const removed =
			'price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice';
		expect(messageOf(() => parseThreshold('price > 2 × start'))).toBe(removed);
		expect(messageOf(() => checkThreshold({ metric: 'price', comparison: '>', value: 100, unit: 'USD/kg' }))).toBe(removed);
		expect(messageOf(() => thresholdProbabilities(paths, 'price > 2 × start'))).toBe(removed);
	});
});
