import type { RunResult } from '../engine/run';
import type { PathBlock } from '../engine/simulate';
import type { MetricSummary } from '../engine/summary';
import type { MetricName } from '../model/metrics';
import type { Scenario } from '../scenario/schema';

/** One run the notebook asks for: a resolved scenario (slider values applied), seed and path count. */
export interface RunRequest {
	scenario: Scenario;
	seed: number;
	paths: number;
	/** Paths of the first, quick result; 0 or ≥ `paths` skips the preview. Always the prefix of the full run. */
	previewPaths: number;
}

/** Share of paths in each of `binCount` equal bins between `low[t]` and `high[t]`, for every month t. */
export interface MonthlyHistogram {
	binCount: number;
	low: number[];
	high: number[];
	/** `counts[t * binCount + b]`: paths in bin b of month t. */
	counts: number[];
}

export type HistogramSet = Record<MetricName, MonthlyHistogram>;

/** What a worker posts for a finished stage: summaries only, never raw paths. */
export interface RunSummary {
	phase: 'preview' | 'full';
	result: RunResult;
	histograms: HistogramSet;
	/** Wall time of the stage inside the worker pool, from the start of the run (ms). */
	elapsedMs: number;
}

export type RunUpdate = { kind: 'progress'; pathsDone: number; pathsTotal: number } | { kind: 'preview'; summary: RunSummary };

export type RunOutcome = { status: 'done'; summary: RunSummary } | { status: 'cancelled' };

/** Simulate paths [firstPath, firstPath + pathCount) of a run. */
export interface SimulateJob {
	runId: number;
	scenario: Scenario;
	seed: number;
	firstPath: number;
	pathCount: number;
}

/** Summarise some metrics of a (whole-run) block: month-major values of each. */
export interface SummariseJob {
	pathCount: number;
	monthCount: number;
	metrics: { name: MetricName; values: Float32Array }[];
}

export interface MetricSummaryPart {
	name: MetricName;
	summary: MetricSummary;
	histogram: MonthlyHistogram;
}

/** What runs a job: the coordinating worker itself, or a helper worker reached over a MessagePort. */
export interface JobExecutor {
	simulate(job: SimulateJob): Promise<PathBlock>;
	summarise(job: SummariseJob): Promise<MetricSummaryPart[]>;
}
