import { afterAll, describe, expect, it } from 'vitest';
import { IndicatorAccumulator, computeIndicators } from '../../src/lib/engine/indicators';
import { runScenario } from '../../src/lib/engine/run';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { runScenarioStreamed, streamBlockPaths } from '../../src/lib/engine/streamed-summary';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { NodeRunner } from '../../src/lib/runner/node/runner';
import type { StreamProgress } from '../../src/lib/runner/streamed';
import { scenario } from '../notebook/fixtures';

const baseline = scenario('baseline');
const settings = { seed: 20260101, paths: 5000 };
const inMemory = runScenario(baseline, settings);

const runners = new Map([1, 2].map((workers) => [workers, new NodeRunner({ workers })]));
afterAll(() => Promise.all([...runners.values()].map((runner) => runner.close())));

describe('a streamed run (blocks of paths, several passes)', { timeout: 300_000 }, () => {
	it('gives the in-memory result bit for bit in this thread, blocks dividing the paths or not', () => {
		for (const blockPaths of [1000, 1777]) {
			const streamed = runScenarioStreamed(baseline, settings, blockPaths);
			expect(streamed.fingerprint, `blocks of ${blockPaths}`).toBe(inMemory.fingerprint);
			expect(streamed, `blocks of ${blockPaths}`).toEqual(inMemory);
		}
	});

	it('gives the in-memory result with 1 and 2 workers, and reports progress by pass', async () => {
		for (const [workers, runner] of runners) {
			for (const blockPaths of [1000, 1777]) {
				const progress: StreamProgress[] = [];
				const { result, passes } = await runner.runStreamed(baseline, settings, { blockPaths, onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
				expect(result, `${workers} workers, blocks of ${blockPaths}`).toEqual(inMemory);
				expect(passes).toBeGreaterThanOrEqual(2);
				const last = progress.at(-1)!;
				expect(last).toEqual({ pathsDone: passes * settings.paths, pathsTotal: passes * settings.paths, pass: passes, passes });
				for (let k = 1; k < progress.length; k++) expect(progress[k].pathsDone).toBeGreaterThanOrEqual(progress[k - 1].pathsDone);
				expect(new Set(progress.map((p) => p.pass))).toEqual(new Set(Array.from({ length: passes }, (_, k) => k + 1)));
			}
		}
	});

	it('is exact when a tiny memory budget forces more passes', () => {
		const small = { seed: 7, paths: 3001 };
		expect(runScenarioStreamed(scenario('history-2025'), small, 640, { refineBudgetBytes: 64 * 1024 })).toEqual(runScenario(scenario('history-2025'), small));
	});

	it('indicators accumulated block by block equal those of one block', () => {
		const timeline = buildTimeline(baseline);
		const whole = simulatePaths(timeline, 3, 0, 2000);
		const accumulator = new IndicatorAccumulator(timeline.months, 2000);
		for (const [first, count] of [
			[0, 1],
			[1, 700],
			[701, 1299]
		])
			accumulator.add(simulatePaths(timeline, 3, first, count));
		expect(accumulator.finish()).toEqual(computeIndicators(whole, timeline.months));
	});

	it('cancels between chunks', async () => {
		const controller = new AbortController();
		const run = runners.get(2)!.runStreamed(baseline, settings, {
			blockPaths: 1000,
			signal: controller.signal,
			onProgress: () => controller.abort()
		});
		await expect(run).rejects.toThrow('cancelled');
		// The runner is still usable.
		const small = { seed: 1, paths: 300 };
		expect((await runners.get(2)!.runStreamed(baseline, small, { blockPaths: 128 })).result).toEqual(runScenario(baseline, small));
	});

	it('sizes blocks to the horizon', () => {
		expect(streamBlockPaths(132)).toBe(6656);
		expect(streamBlockPaths(600)).toBe(1280);
		expect(streamBlockPaths(100_000)).toBe(256);
	});
});
