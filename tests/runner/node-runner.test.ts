import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../../src/lib/analysis/common';
import { tornado } from '../../src/lib/analysis/tornado';
import { runScenario } from '../../src/lib/engine/run';
import { simulatePaths, type PathBlock } from '../../src/lib/engine/simulate';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { NodeRunner } from '../../src/lib/runner/node/runner';
import { scenario } from '../notebook/fixtures';

const baseline = scenario('baseline');
const settings = { seed: 11, paths: 700 };

function bytesOf(block: PathBlock): Buffer {
	return Buffer.concat(block.metrics.map((values) => Buffer.from(values.buffer, values.byteOffset, values.byteLength)));
}

const runners = new Map([1, 2, 3].map((workers) => [workers, new NodeRunner({ workers })]));
afterAll(() => Promise.all([...runners.values()].map((runner) => runner.close())));

describe('the Node runner (worker_threads)', () => {
	it('gives the same bytes with 1, 2 and 3 workers as one thread alone', async () => {
		const reference = runScenario(baseline, settings);
		const referencePaths = bytesOf(simulatePaths(buildTimeline(baseline), settings.seed, 0, settings.paths));
		for (const [workers, runner] of runners) {
			const progress: number[] = [];
			const { result, block } = await runner.runScenario(baseline, settings, { onProgress: (done) => progress.push(done) });
			expect(result, `${workers} workers`).toEqual(reference);
			expect(bytesOf(block).equals(referencePaths), `${workers} workers`).toBe(true);
			expect(progress.at(-1)).toBe(settings.paths);
		}
	});

	it("reuses a run's block for the next run of the same size, every value written again", async () => {
		const runner = new NodeRunner({ workers: 2, reuseRunBlocks: true });
		try {
			const first = await runner.runScenario(baseline, { ...settings, seed: 99 });
			const second = await runner.runScenario(baseline, settings);
			expect(second.block).toBe(first.block);
			expect(second.result).toEqual(runScenario(baseline, settings));
			expect(bytesOf(second.block).equals(bytesOf(simulatePaths(buildTimeline(baseline), settings.seed, 0, settings.paths)))).toBe(true);
		} finally {
			await runner.close();
		}
	});

	it('serves the analyses paths that do not depend on the split', async () => {
		const timeline = buildTimeline(baseline);
		const reference = bytesOf(simulatePaths(timeline, 5, 130, 420));
		const options = { seed: 5, paths: 120, indicator: 'median usMagnetPrice 2026', include: ['parameter' as const] };
		const tornadoReference = await tornado(baseline, options);
		for (const [workers, runner] of runners) {
			expect(bytesOf(await runner.pathSource()(baseline, 5, 130, 420)).equals(reference), `${workers} workers`).toBe(true);
			expect(await tornado(baseline, { ...options, source: runner.pathSource() }), `${workers} workers`).toEqual(tornadoReference);
		}
	});

	it('stops a run or an analysis between chunks when aborted, and runs the next one whole', async () => {
		const runner = runners.get(2)!;
		const controller = new AbortController();
		const run = runner.runScenario(baseline, { seed: 2, paths: 3_000 }, { signal: controller.signal, onProgress: () => controller.abort() });
		await expect(run).rejects.toBeInstanceOf(AnalysisCancelled);

		const analysis = new AbortController();
		const paths = runner.pathSource(analysis.signal)(baseline, 3, 0, 3_000);
		analysis.abort();
		await expect(paths).rejects.toBeInstanceOf(AnalysisCancelled);

		const { result } = await runner.runScenario(baseline, settings);
		expect(result.fingerprint).toBe(runScenario(baseline, settings).fingerprint);
	});

	it('starts each thread with its first job: a runner given none starts none', async () => {
		const started: Worker[] = [];
		const runner = new NodeRunner({
			workers: 2,
			startThread: () => {
				started.push(new Worker(new URL('../../src/lib/runner/node/thread-entry.mjs', import.meta.url)));
				return started.at(-1)!;
			}
		});
		try {
			expect(started).toHaveLength(0);
			const { result } = await runner.runScenario(baseline, settings);
			expect(result.fingerprint).toBe(runScenario(baseline, settings).fingerprint);
			expect(started).toHaveLength(2);
		} finally {
			await runner.close();
		}
	});

	it('rejects the run of a thread that fails or exits, saying which thread and why', async () => {
		for (const [fixture, message] of [
			['failing-thread.mjs', /^simulation thread [12] failed: stand-in failure$/],
			['exiting-thread.mjs', /^simulation thread [12] stopped \(exit code 3\)$/]
		] as const) {
			const runner = new NodeRunner({ workers: 2, startThread: () => new Worker(new URL(`./fixtures/${fixture}`, import.meta.url)) });
			try {
				await expect(runner.runScenario(baseline, settings)).rejects.toThrow(message);
				// The thread stays dead: the next run fails at once, with the same reason.
				await expect(runner.runScenario(baseline, settings)).rejects.toThrow(message);
			} finally {
				await runner.close();
			}
		}
	});
});
