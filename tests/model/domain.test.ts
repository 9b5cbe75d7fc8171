import { describe, expect, it } from 'vitest';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { runScenario, type RunResult } from '../../src/lib/engine/run';

const PATHS = 4_000;
const results = new Map<string, RunResult>();
function run(id: string): RunResult {
	if (!results.has(id)) {
		const [scenario] = resolveScenarioArguments([id]);
		results.set(id, runScenario(scenario, { seed: scenario.seed, paths: PATHS }));
	}
	return results.get(id)!;
}
function at(result: RunResult, month: string): number {
	const t = result.months.indexOf(month);
	if (t < 0) throw new Error(`${month} is not in ${result.scenario.id}`);
	return t;
}

describe('the 2025 episode', () => {
	it('export-surge-2025: U.S.-bound exports jump from May to June 2025 by a factor of 4 or more, of the order of 46 t → 353 t', () => {
		const result = run('export-surge-2025');
		const may = result.metrics.chinaExports.p50[at(result, '2025-05')];
		const june = result.metrics.chinaExports.p50[at(result, '2025-06')];
		expect(june / may).toBeGreaterThanOrEqual(4);
		expect(may).toBeGreaterThan(46 / 3);
		expect(may).toBeLessThan(46 * 3);
		expect(june).toBeGreaterThan(353 / 2);
		expect(june).toBeLessThan(353 * 2);
	});

	it('the surge comes from the backlog: it builds up under licensing and drains when licences flow', () => {
		const result = run('export-surge-2025');
		const backlog = result.metrics.backlog.p50;
		expect(backlog[at(result, '2025-03')]).toBe(0);
		expect(backlog[at(result, '2025-05')]).toBeGreaterThan(1_000);
	});
});

describe('renewed controls against the baseline', () => {
	it('raise the median landed price and the probability of shortfall over the control window', () => {
		const controls = run('renewed-controls');
		const baseline = run('baseline');
		for (const month of ['2027-03', '2027-06']) {
			const t = at(baseline, month);
			expect(controls.metrics.usMagnetPrice.p50[t]).toBeGreaterThan(baseline.metrics.usMagnetPrice.p50[t] * 1.05);
		}
		const shortfall2027 = (r: RunResult) => r.indicators.shortfallByYear.find((y) => y.year === 2027)!.inYear;
		expect(shortfall2027(controls).p - shortfall2027(baseline).p).toBeGreaterThan(5 * Math.hypot(shortfall2027(controls).se, shortfall2027(baseline).se));
	});
});

describe('U.S. capacity', () => {
	it('us-capacity-30pct-2030 cuts reliance on China by about 30 % in 2030 at the median; the baseline less', () => {
		const target = run('us-capacity-30pct-2030');
		expect(target.indicators.relianceCut2030!.p50).toBeGreaterThan(0.27);
		expect(target.indicators.relianceCut2030!.p50).toBeLessThan(0.33);
		const baseline = run('baseline').indicators.relianceCut2030!;
		const gap = target.indicators.relianceCut2030!.p50 - baseline.p50;
		expect(gap).toBeGreaterThan(3 * Math.hypot(target.indicators.relianceCut2030!.se50, baseline.se50));
		expect(target.indicators.relianceCut.by2030!.p).toBeGreaterThan(0.4);
	});

	it('more U.S. capacity lowers dependency on China in 2030', () => {
		expect(run('us-capacity-30pct-2030').indicators.dependency2030!.p50).toBeLessThan(run('baseline').indicators.dependency2030!.p50);
	});
});

describe('allied stockpiling', () => {
	it('diverts allied supply from the U.S. while Japan refills its reserves', () => {
		const stockpiling = run('allied-stockpiling');
		const baseline = run('baseline');
		const t = at(baseline, '2026-06');
		expect(stockpiling.metrics.alliedSupply.p50[t]).toBeLessThan(baseline.metrics.alliedSupply.p50[t] * 0.8);
	});
});
