import type { ColumnStatisticsOptions } from '../engine/column-statistics';
import { assembleResult, type RunResult, type RunSettings } from '../engine/run';
import { allocateBlock, targetIn, type PathBlock } from '../engine/simulate';
import { StreamedSummary, streamBlockPaths } from '../engine/streamed-summary';
import { metricCount } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import { nextTask } from '../tasks';
import { monthRange } from '../time/months';
import { chunkRange, runChunks } from './chunks';
import type { JobExecutor } from './protocol';

/** Where a streamed run is: paths simulated over all passes so far, out of paths × the passes expected now. */
export interface StreamProgress {
	pathsDone: number;
	pathsTotal: number;
	/** The pass under way (1-based), and the passes expected as known now (more may follow in rare columns). */
	pass: number;
	passes: number;
}

export interface StreamedRunOptions extends ColumnStatisticsOptions {
	/** Paths a block (streamBlockPaths by default); results do not depend on it. */
	blockPaths?: number;
	onProgress?: (progress: StreamProgress) => void;
	/** Checked between chunks; a stopped run returns undefined. */
	stopped?: () => boolean;
	/** Progress reaches `onProgress` at most this often (and at the end of each pass), ms. */
	progressIntervalMs?: number;
	/** Blocks in shared memory (executors in other threads write them in place). */
	sharedMemory?: boolean;
	/**
	 * Arrays for the blocks in flight: STREAM_BUFFERS sets of one array per metric, each at least
	 * `floats` long (a caller running many runs reuses them: shared memory that threads have seen
	 * is freed late). Fresh ones by default.
	 */
	buffers?: (floats: number) => Float32Array[][];
}

/** Blocks in flight: one being fed to the summary while the executors simulate the next. */
export const STREAM_BUFFERS = 2;
const BUFFERS = STREAM_BUFFERS;

/** STREAM_BUFFERS sets of `metricCount` arrays of `floats` values, in shared memory when asked. */
export function streamBuffers(floats: number, sharedMemory: boolean): Float32Array[][] {
	return Array.from({ length: BUFFERS }, () => allocateBlock(0, floats, 1, sharedMemory).metrics);
}

interface Deferred {
	promise: Promise<void>;
	resolve: () => void;
	settled: boolean;
}

function deferred(): Deferred {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	const result: Deferred = { promise, resolve: () => ((result.settled = true), resolve()), settled: false };
	return result;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A run whose paths are never all held: simulated in blocks across the executors, each block fed
 * in path order to a StreamedSummary, then simulated again for each further pass the exact
 * percentiles need (a path depends only on the seed and its index, so every pass sees the same
 * values). The result is the in-memory run's, bit for bit. Memory: BUFFERS blocks, the summary's
 * histograms and gathered keys, 8 bytes a path for the indicators. Time: about one simulation per
 * pass (two passes for the library's scenarios).
 */
export async function runStreamed(
	executors: readonly JobExecutor[],
	runId: number,
	scenario: Scenario,
	settings: RunSettings,
	options: StreamedRunOptions = {}
): Promise<{ result: RunResult; passes: number } | undefined> {
	const months = monthRange(scenario.start, scenario.end);
	const monthCount = months.length;
	const paths = settings.paths;
	const blockPaths = Math.max(1, Math.min(paths, options.blockPaths ?? streamBlockPaths(monthCount, metricCount)));
	const stopped = options.stopped ?? (() => false);
	const interval = options.progressIntervalMs ?? 100;
	const summary = new StreamedSummary(paths, months, options);
	const floats = blockPaths * monthCount;
	const buffers = options.buffers?.(floats) ?? streamBuffers(floats, options.sharedMemory ?? false);
	if (buffers.length < BUFFERS || buffers.some((arrays) => arrays.length < metricCount || arrays.some((values) => values.length < floats)))
		throw new Error('stream buffers too small for the blocks');
	const blockCount = Math.ceil(paths / blockPaths);
	/** Block j: paths [j × blockPaths, …), month-major in the first values of its buffer's arrays. */
	const blockView = (j: number): PathBlock => {
		const firstPath = j * blockPaths;
		const pathCount = Math.min(blockPaths, paths - firstPath);
		return { firstPath, pathCount, monthCount, metrics: buffers[j % BUFFERS].map((values) => values.subarray(0, pathCount * monthCount)) };
	};
	const views = Array.from({ length: Math.min(blockCount, BUFFERS) }, (_, j) => blockView(j));
	const viewOf = (j: number): PathBlock => {
		const view = views[j % BUFFERS];
		if (view.firstPath === j * blockPaths) return view;
		return (views[j % BUFFERS] = blockView(j));
	};

	let reportedAt = -Infinity;
	const report = (pathsInPass: number, force: boolean) => {
		const now = performance.now();
		if (!options.onProgress || (!force && now - reportedAt < interval)) return;
		reportedAt = now;
		const pass = summary.done ? summary.passesDone : summary.passesDone + 1;
		const passes = Math.max(pass, summary.passesExpected);
		options.onProgress({ pathsDone: summary.passesDone * paths + pathsInPass, pathsTotal: passes * paths, pass, passes });
	};

	while (!summary.done) {
		const done = Array.from({ length: blockCount }, deferred);
		const free = Array.from({ length: blockCount }, (_, j) => {
			const gate = deferred();
			if (j < BUFFERS) gate.resolve();
			return gate;
		});
		const remaining = new Int32Array(blockCount);
		const chunks = Array.from({ length: blockCount }, (_, j) => {
			const first = j * blockPaths;
			const pieces = chunkRange(first, Math.min(paths, first + blockPaths), executors.length).map((chunk) => ({ ...chunk, block: j }));
			remaining[j] = pieces.length;
			return pieces;
		}).flat();
		let pathsInPass = 0;
		let failure: { error: unknown } | undefined;
		// Chunks go out in path order; one of block j waits until block j − BUFFERS was fed and its buffer is free.
		const simulating = runChunks(
			executors,
			chunks,
			async (executor, chunk) => {
				await free[chunk.block].promise;
				if (stopped() || failure) return;
				const view = viewOf(chunk.block);
				await executor.simulateInto(
					{ runId, scenario, seed: settings.seed, firstPath: chunk.firstPath, pathCount: chunk.pathCount },
					targetIn(view, chunk.firstPath)
				);
				pathsInPass += chunk.pathCount;
				report(pathsInPass, false);
				if (--remaining[chunk.block] === 0) done[chunk.block].resolve();
			},
			() => stopped() || failure !== undefined
		).catch((error: unknown) => {
			failure = { error };
		});
		try {
			for (let j = 0; j < blockCount; j++) {
				// Wait for block j, checking now and then for a stop or a failure (chunks waiting for a buffer never end by themselves).
				while (!done[j].settled) {
					if (failure) throw failure.error;
					if (stopped()) return undefined;
					await Promise.race([done[j].promise, simulating, pause(interval)]);
				}
				const view = viewOf(j);
				// Fed metric by metric, letting the executors' answers (and their next chunks) through in between.
				for (let m = 0; m < metricCount; m++) {
					summary.addMetric(view, m);
					await nextTask();
				}
				summary.endBlock(view);
				if (j + BUFFERS < blockCount) free[j + BUFFERS].resolve();
			}
		} finally {
			// Let chunks waiting for a buffer end (they see the stop or failure and do nothing).
			for (const gate of free) gate.resolve();
			await simulating;
		}
		if (failure) throw failure.error;
		if (stopped()) return undefined;
		summary.endPass();
		report(0, true);
	}
	const { metrics, indicators } = summary.finish();
	return { result: assembleResult(scenario, settings, months, metrics, indicators), passes: summary.passesDone };
}
