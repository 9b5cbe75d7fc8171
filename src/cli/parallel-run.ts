import { assembleResult, type RunResult, type RunSettings } from '../lib/engine/run';
import type { PathBlock } from '../lib/engine/simulate';
import type { MetricSummaries } from '../lib/engine/summary';
import { metricNames, type MetricName } from '../lib/model/metrics';
import { monthRange } from '../lib/time/months';
import type { Scenario } from '../lib/scenario/schema';
import type { WorkerPool } from './pool';
import { allocateSharedPaths, sharedBlock, type SharedPaths } from './pool-worker';

export type ProgressListener = (pathsDone: number, pathsTotal: number) => void;

/** Paths per simulate task: small enough for steady progress, large enough to keep overhead low. */
function chunkSize(paths: number, workers: number): number {
	return Math.max(250, Math.ceil(paths / (workers * 4)));
}

/**
 * Hands out the shared path buffers of the previous run again when the size matches. A fresh
 * 70 MB of shared memory costs ~100 ms of page faults per run; a caller that is done with a run's
 * paths before the next one starts (batch, bench) can skip that. Callers that keep blocks must not
 * use one.
 */
export class SharedPathsRecycler {
	private last: SharedPaths | undefined;
	take(pathCount: number, monthCount: number): SharedPaths {
		if (this.last?.pathCount !== pathCount || this.last.monthCount !== monthCount) this.last = allocateSharedPaths(pathCount, monthCount);
		return this.last;
	}
}

/**
 * Runs one scenario across the pool: paths are split into contiguous chunks written into shared
 * memory, then metrics are summarised in parallel. The result is byte-identical whatever the
 * number of workers, since every path depends only on (seed, path index).
 */
export async function runScenarioParallel(
	pool: WorkerPool,
	scenario: Scenario,
	settings: RunSettings,
	onProgress?: ProgressListener,
	recycler?: SharedPathsRecycler
): Promise<{ result: RunResult; block: PathBlock }> {
	const months = monthRange(scenario.start, scenario.end);
	const shared = recycler ? recycler.take(settings.paths, months.length) : allocateSharedPaths(settings.paths, months.length);
	const size = chunkSize(settings.paths, pool.size);
	let done = 0;
	const chunks: Promise<void>[] = [];
	for (let firstPath = 0; firstPath < settings.paths; firstPath += size) {
		const pathCount = Math.min(size, settings.paths - firstPath);
		chunks.push(
			pool.run({ kind: 'simulate', scenario, seed: settings.seed, firstPath, pathCount, shared }).then(() => {
				done += pathCount;
				onProgress?.(done, settings.paths);
			})
		);
	}
	await Promise.all(chunks);

	// One task per metric, so the workers finish together however the metrics' costs differ.
	const [indicators, ...parts] = await Promise.all([
		pool.run({ kind: 'indicators', months, shared }),
		...metricNames.map((metric: MetricName) => pool.run({ kind: 'summarise', metrics: [metric], shared }))
	]);
	const summaries = Object.assign({}, ...parts) as Partial<MetricSummaries>;
	const metrics = Object.fromEntries(metricNames.map((name) => [name, summaries[name]!])) as MetricSummaries;
	return { result: assembleResult(scenario, settings, months, metrics, indicators), block: sharedBlock(shared) };
}
