import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import { chunkRange, HELPER_QUEUE_DEPTH, MAX_CHUNK_PATHS, runChunks, splitMonths } from '../../src/lib/runner/chunks';
import { RunCoordinator } from '../../src/lib/runner/coordinator';
import { createLocalExecutor } from '../../src/lib/runner/executors/local';
import type { JobExecutor, RunUpdate, StageSummary } from '../../src/lib/runner/protocol';
import type { MetricName } from '../../src/lib/model/metrics';
import { scenario } from './fixtures';

/**
 * Coordinators over one executor, three, and two sharing the page's cores (helpers pause after the
 * preview and the last stage runs in one).
 */
function splitCoordinators(): RunCoordinator[] {
	const splits = [
		[1, false],
		[3, false],
		[2, true]
	] as const;
	return splits.map(
		([executorCount, sharesCoresWithPage]) =>
			new RunCoordinator(
				Array.from({ length: executorCount }, () => createLocalExecutor()),
				{ sharesCoresWithPage }
			)
	);
}

describe('RunCoordinator', () => {
	const baseline = scenario('baseline');
	const settings = { seed: 7, paths: 240 };

	const focus = { summaries: ['usMagnetPrice', 'chinaExports'] as MetricName[], histograms: ['shortfall'] as MetricName[] };
	// The complete result also carries histograms of figures off screen.
	const histograms: MetricName[] = ['shortfall', 'coverMonths'];

	it('gives the fingerprint of the single-thread reference run, however the paths and summaries are split', async () => {
		const reference = runScenario(baseline, settings);
		for (const coordinator of splitCoordinators()) {
			const updates: RunUpdate[] = [];
			const outcome = await coordinator.run(1, { scenario: baseline, ...settings, previewPaths: 60, focus, histograms }, (u) => updates.push(u));
			expect(outcome.status).toBe('done');
			if (outcome.status !== 'done') return;
			expect(outcome.summary).toMatchObject({ phase: 'full', complete: true });
			expect(outcome.summary.result.fingerprint).toBe(reference.fingerprint);
			expect(outcome.summary.result).toEqual(reference);
			expect(Object.keys(outcome.summary.histograms).sort()).toEqual(['coverMonths', 'shortfall']);
			const progress = updates.flatMap((u) => (u.kind === 'progress' ? [u.pathsDone] : []));
			expect(progress.at(-1)).toBe(240);
			expect([...progress].sort((a, b) => a - b)).toEqual(progress);
		}
	});

	it('posts the preview, then the full count, of the focus metrics only, before the complete result', async () => {
		const reference = runScenario(baseline, settings);
		const previewReference = runScenario(baseline, { seed: 7, paths: 60 });
		const coordinator = new RunCoordinator([createLocalExecutor(), createLocalExecutor()]);
		const stages: StageSummary[] = [];
		await coordinator.run(1, { scenario: baseline, ...settings, previewPaths: 60, focus, histograms }, (u) => u.kind === 'stage' && stages.push(u.summary));
		expect(stages.map((s) => [s.phase, s.complete, s.result.paths, s.result.fingerprint])).toEqual([
			['preview', false, 60, undefined],
			['full', false, 240, undefined]
		]);
		for (const [stage, expected] of [
			[stages[0], previewReference],
			[stages[1], reference]
		] as const) {
			expect(Object.keys(stage.result.metrics).sort()).toEqual(['chinaExports', 'usMagnetPrice']);
			expect(stage.result.metrics.usMagnetPrice).toEqual(expected.metrics.usMagnetPrice);
			expect(stage.result.metrics.chinaExports).toEqual(expected.metrics.chinaExports);
			expect(stage.result.indicators).toEqual(expected.indicators);
			expect(Object.keys(stage.histograms)).toEqual(['shortfall']);
		}
	});

	it('posts no progress before the preview: the preview stage is the first update', async () => {
		for (const coordinator of splitCoordinators()) {
			const updates: RunUpdate[] = [];
			await coordinator.run(1, { scenario: baseline, ...settings, previewPaths: 60, focus, histograms }, (u) => updates.push(u));
			expect(updates[0]).toMatchObject({ kind: 'stage', summary: { phase: 'preview' } });
			expect(updates.filter((u) => u.kind === 'progress').length).toBeGreaterThan(0);
		}
	});

	it('histograms, made in stages or with the complete result, count every path in every month', async () => {
		for (const coordinator of splitCoordinators()) {
			const outcome = await coordinator.run(1, { scenario: baseline, seed: 3, paths: 50, previewPaths: 0, focus, histograms }, () => undefined);
			if (outcome.status !== 'done') throw new Error('run did not finish');
			for (const name of histograms) {
				const { counts, binCount, low, high } = outcome.summary.histograms[name]!;
				expect(low).toHaveLength(outcome.summary.result.months.length);
				expect(counts).toHaveLength(low.length * binCount);
				for (let t = 0; t < low.length; t++) {
					expect(counts.slice(t * binCount, (t + 1) * binCount).reduce((a, b) => a + b, 0)).toBe(50);
					expect(high[t]).toBeGreaterThanOrEqual(low[t]);
				}
			}
		}
	});

	it('stops at the next chunk when cancelled', async () => {
		const coordinator = new RunCoordinator([createLocalExecutor()]);
		const outcome = coordinator.run(5, { scenario: baseline, seed: 1, paths: 5_000, previewPaths: 1_000, focus, histograms }, (update) => {
			if (update.kind === 'progress') coordinator.cancel(5);
		});
		await expect(outcome).resolves.toEqual({ status: 'cancelled' });
	});
});

describe('splitting work', () => {
	it('chunks cover the range exactly, in order', () => {
		const chunks = chunkRange(1_000, 10_000, 3);
		expect(chunks[0].firstPath).toBe(1_000);
		expect(chunks.reduce((sum, c) => sum + c.pathCount, 0)).toBe(9_000);
		chunks.slice(1).forEach((c, i) => expect(c.firstPath).toBe(chunks[i].firstPath + chunks[i].pathCount));
		expect(Math.max(...chunks.map((c) => c.pathCount))).toBeLessThanOrEqual(MAX_CHUNK_PATHS);
	});

	it('months are split into consecutive ranges that cover them once, the coordinator taking fewer for the indicators', () => {
		for (const [months, executors, metrics, load] of [
			[132, 2, 4, 2],
			[132, 4, 13, 2],
			[132, 3, 1, 2],
			[7, 4, 5, 0],
			[132, 1, 6, 2],
			[132, 2, 0, 2]
		]) {
			const ranges = splitMonths(months, executors, metrics, load);
			expect(ranges).toHaveLength(executors);
			expect(ranges[0].firstMonth).toBe(0);
			expect(ranges.at(-1)!.endMonth).toBe(months);
			ranges.slice(1).forEach((range, k) => expect(range.firstMonth).toBe(ranges[k].endMonth));
			ranges.forEach((range) => expect(range.endMonth).toBeGreaterThanOrEqual(range.firstMonth));
		}
		// 4 metrics and the indicators (2 metrics' worth) on 2 executors: 3 metrics' worth each.
		expect(splitMonths(132, 2, 4, 2)).toEqual([
			{ firstMonth: 0, endMonth: 33 },
			{ firstMonth: 33, endMonth: 132 }
		]);
		// The indicators alone outweigh one metric: the coordinator summarises nothing.
		expect(splitMonths(132, 2, 1, 2)[0]).toEqual({ firstMonth: 0, endMonth: 0 });
		expect(splitMonths(132, 4, 13, 0).map((r) => r.endMonth - r.firstMonth)).toEqual([33, 33, 33, 33]);
	});

	it('runs every chunk once, keeps helpers one chunk ahead, and stops when asked', async () => {
		const inFlight = [0, 0];
		const most = [0, 0];
		const ran: number[] = [];
		const executors = [0, 1].map((k) => ({ k, inCoordinatorThread: k === 0 }) as unknown as JobExecutor);
		const chunks = Array.from({ length: 20 }, (_, i) => i);
		await runChunks(
			executors,
			chunks,
			async (executor, chunk) => {
				const k = (executor as unknown as { k: number }).k;
				most[k] = Math.max(most[k], ++inFlight[k]);
				await new Promise((resolve) => setTimeout(resolve, 1));
				ran.push(chunk);
				inFlight[k]--;
			},
			() => false
		);
		expect([...ran].sort((a, b) => a - b)).toEqual(chunks);
		expect(most).toEqual([1, HELPER_QUEUE_DEPTH]);

		const started: number[] = [];
		await runChunks(
			executors,
			chunks,
			async (_, chunk) => void started.push(chunk),
			() => started.length >= 5
		);
		expect(started.length).toBeLessThan(chunks.length);
	});
});
