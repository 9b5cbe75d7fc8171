import { simulatePaths, type PathBlock, type PathTarget } from '../engine/simulate';
import { summariseBlock } from '../engine/summary';
import { metricCount, metricIndex } from '../model/metrics';
import { buildTimeline } from '../engine/timeline';
import { type Timeline } from '../model/timeline';
import type { MetricSummaryPart, MonthlyHistogram, SimulateJob, SummariseJob } from './protocol';

export const HISTOGRAM_BINS = 40;

/** Timelines an executor keeps: check:scenarios interleaves the chunks of two runs at a time. */
const TIMELINES_KEPT = 4;

/** Simulates a job's paths (into `target` when given), building each run's timeline once per executor. */
export function createSimulator(): (job: SimulateJob, target?: PathTarget) => PathBlock {
	const timelines = new Map<number, Timeline>();
	return (job, target) => {
		let timeline = timelines.get(job.runId);
		if (!timeline) {
			timeline = buildTimeline(job.scenario);
			timelines.set(job.runId, timeline);
			if (timelines.size > TIMELINES_KEPT) timelines.delete(timelines.keys().next().value!);
		}
		return simulatePaths(timeline, job.seed, job.firstPath, job.pathCount, target);
	};
}

/** Resolves when a job may start: after its `startDelayMs`, if any. */
export function jobStart(job: SimulateJob): Promise<void> {
	const delay = job.startDelayMs ?? 0;
	return delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay)) : Promise.resolve();
}

/** Equal-width bins between each month's smallest and largest value. */
export function monthlyHistogram(values: Float32Array, pathCount: number, monthCount: number, binCount = HISTOGRAM_BINS): MonthlyHistogram {
	const low = new Array<number>(monthCount);
	const high = new Array<number>(monthCount);
	const counts = new Array<number>(monthCount * binCount).fill(0);
	for (let t = 0; t < monthCount; t++) {
		const row = t * pathCount;
		let min = Infinity;
		let max = -Infinity;
		for (let i = 0; i < pathCount; i++) {
			const v = values[row + i];
			if (v < min) min = v;
			if (v > max) max = v;
		}
		low[t] = min;
		high[t] = max;
		const width = (max - min) / binCount;
		const offset = t * binCount;
		for (let i = 0; i < pathCount; i++) {
			const bin = width > 0 ? Math.min(binCount - 1, Math.floor((values[row + i] - min) / width)) : 0;
			counts[offset + bin]++;
		}
	}
	return { binCount, low, high, counts };
}

/** One histogram from histograms of consecutive month ranges, in order. */
export function joinHistograms(parts: readonly MonthlyHistogram[]): MonthlyHistogram {
	if (parts.length === 1) return parts[0];
	return {
		binCount: parts[0].binCount,
		low: parts.flatMap((part) => part.low),
		high: parts.flatMap((part) => part.high),
		counts: parts.flatMap((part) => part.counts)
	};
}

/** Summaries of the job's metrics (and histograms where asked), with the engine's own summary code. */
export function runSummariseJob(job: SummariseJob): MetricSummaryPart[] {
	const block: PathBlock = {
		firstPath: 0,
		pathCount: job.pathCount,
		monthCount: job.monthCount,
		metrics: Array.from({ length: metricCount }, () => new Float32Array(0))
	};
	for (const { name, values } of job.metrics) block.metrics[metricIndex[name]] = values;
	const summaries = summariseBlock(
		block,
		job.metrics.filter((m) => m.summary).map((m) => m.name)
	);
	return job.metrics.map(({ name, values, histogram }) => ({
		name,
		summary: summaries[name],
		histogram: histogram ? monthlyHistogram(values, job.pathCount, job.monthCount) : undefined
	}));
}
