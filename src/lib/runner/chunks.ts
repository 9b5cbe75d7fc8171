import type { JobExecutor } from './protocol';

/**
 * The one rule every runner splits work by (the notebook's workers, the command line's threads,
 * the analyses' paths): chunks of paths for the executors, consecutive months for their summaries.
 * Path i depends only on (seed, i), so no split ever changes a number.
 */

/** Largest chunk of paths one executor simulates between cancellation checks. */
export const MAX_CHUNK_PATHS = 250;
const MIN_CHUNK_PATHS = 50;

/** Splits [from, to) into chunks small enough to balance executors and to notice a cancel quickly. */
export function chunkRange(from: number, to: number, executorCount: number): { firstPath: number; pathCount: number }[] {
	const total = to - from;
	if (total <= 0) return [];
	const size = Math.min(MAX_CHUNK_PATHS, Math.max(MIN_CHUNK_PATHS, Math.ceil(total / (executorCount * 2))));
	const chunks = [];
	for (let first = from; first < to; first += size) chunks.push({ firstPath: first, pathCount: Math.min(size, to - first) });
	return chunks;
}

/**
 * An executor in another thread is given its next chunk while it works on the current one: the
 * coordinator hands out chunks only between its own, and a thread waiting for its next chunk would
 * otherwise idle for up to one of them (measured: helpers idle ~40 % of a run on two cores).
 */
export const HELPER_QUEUE_DEPTH = 2;

/**
 * Runs `work` on every chunk, spread over the executors until none is left or `stopped()`: an
 * executor in the coordinator's thread takes one chunk at a time, one in another thread up to
 * HELPER_QUEUE_DEPTH. The first failure rejects, and no more chunks are handed out.
 */
export async function runChunks<Chunk>(
	executors: readonly JobExecutor[],
	chunks: readonly Chunk[],
	work: (executor: JobExecutor, chunk: Chunk) => Promise<void>,
	stopped: () => boolean
): Promise<void> {
	let next = 0;
	let failed = false;
	const lanes = executors.flatMap((executor) => Array.from({ length: executor.inCoordinatorThread ? 1 : HELPER_QUEUE_DEPTH }, () => executor));
	await Promise.all(
		lanes.map(async (executor) => {
			try {
				while (next < chunks.length && !failed && !stopped()) await work(executor, chunks[next++]);
			} catch (error) {
				failed = true;
				throw error;
			}
		})
	);
}

/** Consecutive months [firstMonth, endMonth). */
export interface MonthRange {
	firstMonth: number;
	endMonth: number;
}

/**
 * Splits months [0, monthCount) into one consecutive range per executor (some may be empty) so
 * that each summarises about as much: `metricCount` metrics every month, and the first executor
 * also `firstLoad` metrics' worth of other work (the coordinator computes the indicators, about
 * one metric's summaries).
 */
export function splitMonths(monthCount: number, executorCount: number, metricCount: number, firstLoad = 0): MonthRange[] {
	const share = (metricCount + firstLoad) / executorCount;
	const firstMonths = metricCount > 0 ? Math.round((monthCount * Math.max(0, share - firstLoad)) / metricCount) : monthCount;
	const ranges: MonthRange[] = [{ firstMonth: 0, endMonth: Math.min(monthCount, firstMonths) }];
	const rest = monthCount - ranges[0].endMonth;
	for (let k = 1; k < executorCount; k++) {
		const firstMonth = ranges[k - 1].endMonth;
		ranges.push({ firstMonth, endMonth: ranges[0].endMonth + Math.round((rest * k) / (executorCount - 1)) });
	}
	return ranges;
}
