import { describe, expect, it } from 'vitest';
import { simulateScenario, truncatedTo } from '../../src/lib/analysis/common';
import { compareScenarios } from '../../src/lib/analysis/compare';
import { tornado } from '../../src/lib/analysis/tornado';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { runAnalysis } from '../../src/lib/runner/analysis-jobs';
import { BLOCK_CACHE_FLOATS, BlockCache, sliceBlock } from '../../src/lib/runner/block-cache';
import { metricCount } from '../../src/lib/model/metrics';
import { RunCoordinator } from '../../src/lib/runner/coordinator';
import { createLocalExecutor } from '../../src/lib/runner/executors/local';
import type { AnalysisUpdate, JobExecutor, SimulateJob } from '../../src/lib/runner/protocol';
import { scenario } from './fixtures';

const baseline = scenario('baseline');
const renewed = scenario('renewed-controls');

/** Local executors that count the paths they simulate. */
function countingExecutors(count: number) {
	const jobs: SimulateJob[] = [];
	const executors: JobExecutor[] = Array.from({ length: count }, () => {
		const local = createLocalExecutor();
		return {
			inCoordinatorThread: true,
			simulateInto: (job, target) => {
				jobs.push(job);
				return local.simulateInto(job, target);
			},
			summarise: (job) => local.summarise(job),
			evaluatePoint: (job) => local.evaluatePoint(job)
		};
	});
	return { executors, jobs };
}

describe('analyses in the coordinating worker', () => {
	it('give the same result as in this thread, however the paths are split across executors', async () => {
		const request = { kind: 'compare' as const, a: baseline, b: renewed, seed: 4, paths: 300, metric: 'usMagnetPrice' as const };
		const reference = await compareScenarios(baseline, renewed, { seed: 4, paths: 300, metrics: ['usMagnetPrice'] });
		for (const executorCount of [1, 3]) {
			const { executors } = countingExecutors(executorCount);
			const updates: AnalysisUpdate[] = [];
			const outcome = await new RunCoordinator(executors).analyse(1, request, (u) => updates.push(u));
			expect(outcome).toMatchObject({ status: 'done', result: { kind: 'compare', result: reference } });
			expect(updates.at(-1)).toEqual({ kind: 'progress', done: 600, total: 600 });
		}
	});

	it('reuse the paths of the notebook’s run: a threshold or formula on it simulates nothing more', async () => {
		const { executors, jobs } = countingExecutors(2);
		const coordinator = new RunCoordinator(executors);
		await coordinator.run(
			1,
			{ scenario: baseline, seed: 4, paths: 300, previewPaths: 100, focus: { summaries: ['usMagnetPrice'], histograms: [] }, histograms: [] },
			() => undefined
		);
		const simulated = jobs.length;
		const threshold = await coordinator.analyse(2, { kind: 'threshold', scenario: baseline, seed: 4, paths: 300, threshold: 'shortfall > 0' }, () => undefined);
		const formula = await coordinator.analyse(
			3,
			{ kind: 'formula', scenario: baseline, seed: 4, paths: 300, expression: 'usMagnetPrice * 2', unit: 'USD/kg' },
			() => undefined
		);
		expect(jobs.length).toBe(simulated);
		expect(threshold).toMatchObject({
			status: 'done',
			result: await runAnalysis({ kind: 'threshold', scenario: baseline, seed: 4, paths: 300, threshold: 'shortfall > 0' })
		});
		expect(formula.status).toBe('done');
		// A tornado's base run through 2026 is the prefix of the cached run: only the swings are simulated.
		const before = jobs.length;
		const result = await coordinator.analyse(
			4,
			{ kind: 'tornado', scenario: baseline, seed: 4, paths: 300, indicator: 'median usMagnetPrice 2026', include: ['control'] },
			() => undefined
		);
		expect(result).toMatchObject({
			status: 'done',
			result: { kind: 'tornado', result: await tornado(baseline, { seed: 4, paths: 300, indicator: 'median usMagnetPrice 2026', include: ['control'] }) }
		});
		const swingPaths = jobs.slice(before).reduce((sum, job) => sum + job.pathCount, 0);
		expect(swingPaths).toBe(2 * baseline.controls.length * 300);
	});

	it('report bad input as a failure to show, with a formula’s position', async () => {
		const coordinator = new RunCoordinator([createLocalExecutor()]);
		const formula = await coordinator.analyse(
			1,
			{ kind: 'formula', scenario: baseline, seed: 1, paths: 50, expression: 'usMagnetPrice * (2 +', unit: '' },
			() => undefined
		);
		expect(formula).toMatchObject({
			status: 'failed',
			failure: { formulaKind: 'syntax', position: expect.any(Number), message: expect.stringContaining('does not parse at character') }
		});
		const unknown = await coordinator.analyse(
			2,
			{ kind: 'formula', scenario: baseline, seed: 1, paths: 50, expression: 'usMagnetPrise', unit: '' },
			() => undefined
		);
		expect(unknown).toMatchObject({
			status: 'failed',
			failure: { formulaKind: 'unknownName', message: expect.stringContaining('valid names: demand, chinaExports') }
		});
		const slow = await coordinator.analyse(
			4,
			{ kind: 'formula', scenario: baseline, seed: 1, paths: 2_000, expression: 'sqrt(usMagnetPrice) * log(demand + 1)', unit: '', budgetMs: 0 },
			() => undefined
		);
		expect(slow).toMatchObject({
			status: 'failed',
			failure: { formulaKind: 'timeout', message: expect.stringContaining('ran past its time budget of 0 ms and was stopped') }
		});
		const threshold = await coordinator.analyse(
			3,
			{ kind: 'threshold', scenario: baseline, seed: 1, paths: 50, threshold: 'usMagnetPrice > 2 t' },
			() => undefined
		);
		expect(threshold).toMatchObject({ status: 'failed', failure: { message: expect.stringContaining('"t" does not fit usMagnetPrice') } });
		const removed = await coordinator.analyse(
			5,
			{ kind: 'threshold', scenario: baseline, seed: 1, paths: 50, threshold: 'price > 2 × start' },
			() => undefined
		);
		expect(removed).toMatchObject({
			status: 'failed',
			failure: { message: expect.stringContaining('price: the delivered "price" was removed in model 2.0: use usMagnetPrice') }
		});
	});

	it('stop when cancelled, between chunks', async () => {
		const coordinator = new RunCoordinator([createLocalExecutor()]);
		const pending = coordinator.analyse(
			7,
			{ kind: 'tornado', scenario: baseline, seed: 1, paths: 200, indicator: 'median usMagnetPrice 2030', include: ['control', 'parameter'] },
			() => undefined
		);
		setTimeout(() => coordinator.cancel(7), 5);
		expect(await pending).toEqual({ status: 'cancelled' });
	});
});

describe('the path-block cache', () => {
	it('serves paths and the first months of a longer run exactly as simulating them would', () => {
		const cache = new BlockCache();
		const full = simulatePaths(buildTimeline(baseline), 9, 0, 120);
		cache.put(baseline, 9, full);
		const short = truncatedTo(baseline, 2027);
		const served = cache.get(short, 9, 40, 50)!;
		const direct = simulatePaths(buildTimeline(short), 9, 40, 50);
		expect(served.monthCount).toBe(36);
		expect(served.metrics).toEqual(direct.metrics);
		expect(cache.get(baseline, 10, 0, 10)).toBeUndefined();
		expect(cache.get(baseline, 9, 100, 40)).toBeUndefined();
		expect(cache.get(renewed, 9, 0, 10)).toBeUndefined();
		expect(sliceBlock(full, 0, 120, full.monthCount)).toBe(full);
	});

	it('holds the run on screen and a comparison scenario at the default 10,000 paths together', () => {
		const months = buildTimeline(baseline).months.length;
		const runFloats = baseline.paths * months * metricCount;
		expect(baseline.paths).toBe(10_000);
		expect(BLOCK_CACHE_FLOATS).toBeGreaterThanOrEqual(2 * runFloats);
	});

	it('keeps within its budget, newest first', async () => {
		const one = (await simulateScenario(baseline, { seed: 1, paths: 20 })).block;
		const floats = one.pathCount * one.monthCount * one.metrics.length;
		const cache = new BlockCache(floats * 2);
		cache.put(baseline, 1, one);
		cache.put(baseline, 2, one);
		cache.put(baseline, 3, one);
		expect(cache.get(baseline, 1, 0, 20)).toBeUndefined();
		expect(cache.get(baseline, 3, 0, 20)).toBe(one);
	});
});
