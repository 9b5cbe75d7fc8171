import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { alignMonths, compareBlocks, compareScenarios, pathDifferences } from '../../src/lib/analysis/compare';
import { metricNames } from '../../src/lib/model/metrics';
import { asyncMessageOf, messageOf, scenario } from './helpers';

const settings = { seed: 5, paths: 600 };

describe('comparison with common random numbers', () => {
	it('a scenario compared with itself differs by exactly zero on every path, month and metric', async () => {
		const baseline = scenario('baseline');
		const a = await simulateScenario(baseline, settings);
		const b = await simulateScenario(baseline, settings);
		for (const metric of metricNames) {
			const difference = pathDifferences(a, b, metric);
			expect(difference.length).toBe(600 * a.months.length);
			expect(difference.every((d) => d === 0)).toBe(true);
		}
		const result = compareBlocks(a, b);
		for (const metric of metricNames) {
			const m = result.metrics[metric]!;
			for (const key of ['p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'se50', 'seMean'] as const) expect(m.difference[key].every((x) => x === 0)).toBe(true);
			expect(m.pWorse.p.every((p) => p === 0)).toBe(true);
			expect(m.pBetter.p.every((p) => p === 0)).toBe(true);
		}
		expect(result.notices).toEqual([]);
	});

	it('renewed controls change nothing before they can start (Nov 2026), then make the landed price worse on many paths', async () => {
		const result = await compareScenarios(scenario('baseline'), scenario('renewed-controls'), { ...settings, metrics: ['usMagnetPrice', 'shortfall'] });
		const start = result.months.indexOf('2026-11');
		const price = result.metrics.usMagnetPrice!;
		for (let t = 0; t < start; t++) {
			expect(price.difference.p5[t]).toBe(0);
			expect(price.difference.p95[t]).toBe(0);
			expect(price.pWorse.p[t]).toBe(0);
		}
		const may2027 = result.months.indexOf('2027-05');
		expect(price.pWorse.p[may2027]).toBeGreaterThan(0.5);
		expect(price.difference.p50[may2027]).toBeGreaterThan(0);
		expect(price.worseWhen).toBe('higher');
		expect(Object.keys(result.metrics)).toEqual(['usMagnetPrice', 'shortfall']);
		expect(result.a.id).toBe('baseline');
		expect(result.seed).toBe(5);
	});

	it('the fan chart is of per-path differences, not differences of percentiles', async () => {
		const a = await simulateScenario(scenario('baseline'), settings);
		const b = await simulateScenario(scenario('renewed-controls'), settings);
		const difference = pathDifferences(a, b, 'usMagnetPrice');
		const result = compareBlocks(a, b, { metrics: ['usMagnetPrice'] });
		const t = a.months.indexOf('2027-06');
		const column = Array.from(difference.subarray(t * 600, (t + 1) * 600)).sort((x, y) => x - y);
		const h = 599 * 0.95;
		expect(result.metrics.usMagnetPrice!.difference.p95[t]).toBeCloseTo(
			column[Math.floor(h)] + (h - Math.floor(h)) * (column[Math.ceil(h)] - column[Math.floor(h)]),
			9
		);
		expect(result.metrics.usMagnetPrice!.difference.mean[t]).toBeCloseTo(column.reduce((s, x) => s + x, 0) / 600, 9);
	});

	it('compares scenarios with different horizons over the overlap, and says so', async () => {
		const result = await compareScenarios(scenario('baseline'), scenario('export-surge-2025'), { seed: 5, paths: 200, metrics: ['chinaExports'] });
		expect(result.months[0]).toBe('2025-01');
		expect(result.months.at(-1)).toBe('2026-12');
		expect(result.notices).toEqual([
			'the scenarios cover different horizons (baseline: 2025-01 … 2035-12, export-surge-2025: 2025-01 … 2026-12); compared over the overlap 2025-01 … 2026-12'
		]);
		// export-surge-2025 only adds sliders: same draws, same paths.
		expect(result.metrics.chinaExports!.difference.p95.every((x) => x === 0)).toBe(true);
	});

	it('different start months: compared over the overlap, with a warning that draws are not aligned', async () => {
		const result = await compareScenarios(scenario('history-2025'), scenario('baseline'), { seed: 5, paths: 100, metrics: ['usMagnetPrice'] });
		expect(result.months).toHaveLength(18);
		expect(result.notices).toEqual([
			'the scenarios cover different horizons (history-2025: 2024-01 … 2026-06, baseline: 2025-01 … 2035-12); compared over the overlap 2025-01 … 2026-06',
			'the scenarios start in different months, so their monthly draws are not aligned by calendar month: the difference includes sampling noise, not only the scenario'
		]);
	});

	it('reports horizons that do not overlap, different path sets and unknown metrics', async () => {
		expect(messageOf(() => alignMonths(['2024-01', '2024-02'], ['2025-01'], ['x', 'y']))).toBe(
			'the horizons do not overlap: x covers 2024-01 … 2024-02, y covers 2025-01 … 2025-01'
		);
		const a = await simulateScenario(scenario('baseline'), { seed: 5, paths: 20 });
		const b = await simulateScenario(scenario('baseline'), { seed: 5, paths: 30 });
		expect(messageOf(() => compareBlocks(a, b))).toBe('both scenarios need the same paths for common random numbers; A has paths 0…19, B has 0…29');
		expect(await asyncMessageOf(() => compareScenarios(scenario('baseline'), scenario('baseline'), { seed: 1, paths: 10, metrics: ['usMagnetPrise'] }))).toBe(
			`unknown metric "usMagnetPrise" (did you mean "usMagnetPrice"?); metrics: ${metricNames.join(', ')}`
		);
		// A metric of model 1 says what replaced it; names are own properties only.
		expect(await asyncMessageOf(() => compareScenarios(scenario('baseline'), scenario('baseline'), { seed: 1, paths: 10, metrics: ['price'] }))).toBe(
			'price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice'
		);
		expect(await asyncMessageOf(() => compareScenarios(scenario('baseline'), scenario('baseline'), { seed: 1, paths: 10, metrics: ['constructor'] }))).toMatch(
			/^unknown metric "constructor"/
		);
	});
});
