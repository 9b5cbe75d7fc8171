import type { AttributionResult } from '../analysis/attribution';
import type { ComparisonResult } from '../analysis/compare';
import type { RefineResult } from '../analysis/convergence';
import type { FormulaCellResult } from '../analysis/formula';
import type { ThresholdResult } from '../analysis/threshold';
import type { TornadoResult } from '../analysis/tornado';
import type { RunResult } from '../engine/run';
import type { PathTarget } from '../engine/simulate';
import type { MetricSummaries, MetricSummary } from '../engine/summary';
import type { MetricName } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import type { PointJob, SweepRecord } from '../sweep/run';
import type { SweepResult } from '../sweep/result';

/** One run the notebook asks for: a resolved scenario (slider values applied), seed and path count. */
export interface RunRequest {
	scenario: Scenario;
	seed: number;
	paths: number;
	/** Paths of the first, quick result; 0 or ≥ `paths` skips the preview. Always the prefix of the full run. */
	previewPaths: number;
	/**
	 * What the notebook shows on screen: the metrics summarised (and histograms made) for the
	 * preview and for the first full-count update. The rest, and the fingerprint, follow in the
	 * complete result.
	 */
	focus: RunFocus;
	/** The histograms the complete result carries (the focus's among them). */
	histograms: MetricName[];
}

export interface RunFocus {
	summaries: MetricName[];
	histograms: MetricName[];
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

/** A stage's result: only the focus metrics, and no fingerprint, until the run is complete. */
export type StageResult = Omit<RunResult, 'metrics' | 'fingerprint'> & { metrics: Partial<MetricSummaries>; fingerprint: string | undefined };

/** What a worker posts for a stage of a run: summaries only, never raw paths. */
export interface StageSummary {
	/** 'preview': the first `previewPaths` paths; 'full': all of them. */
	phase: 'preview' | 'full';
	/** True for the run's final result: every metric, every histogram and the fingerprint. */
	complete: boolean;
	result: StageResult;
	histograms: Partial<HistogramSet>;
	/** Wall time of the stage inside the worker pool, from the start of the run (ms). */
	elapsedMs: number;
}

/** A run's final result: every metric's summary, and the request's histograms. */
export interface RunSummary extends StageSummary {
	phase: 'full';
	complete: true;
	result: RunResult;
}

/** Progress, then the preview's focus metrics, then the full count's focus metrics (the outcome adds the other metrics and the fingerprint). */
export type RunUpdate = { kind: 'progress'; pathsDone: number; pathsTotal: number } | { kind: 'stage'; summary: StageSummary };

export type RunOutcome = { status: 'done'; summary: RunSummary } | { status: 'cancelled' };

/** Simulate paths [firstPath, firstPath + pathCount) of a run. */
export interface SimulateJob {
	runId: number;
	scenario: Scenario;
	seed: number;
	firstPath: number;
	pathCount: number;
	/** Wait this long before simulating (ms): a helper leaving the cores to the page for a while. */
	startDelayMs?: number;
}

/**
 * Summaries and histograms, each where asked, of some metrics over some consecutive months of a
 * run's block: each metric's month-major values for those months.
 */
export interface SummariseJob {
	pathCount: number;
	monthCount: number;
	metrics: { name: MetricName; values: Float32Array; summary: boolean; histogram: boolean }[];
}

/** A summarise job's answer for one metric, over the job's months. */
export interface MetricSummaryPart {
	name: MetricName;
	summary: MetricSummary | undefined;
	histogram: MonthlyHistogram | undefined;
}

/**
 * What runs a job: the coordinator's own thread, or another thread (a web worker reached over a
 * MessagePort, a Node worker thread) — see `executors/`.
 */
export interface JobExecutor {
	/** Runs in the coordinator's thread: it takes one chunk at a time and reads the coordinator's arrays without copies. */
	readonly inCoordinatorThread: boolean;
	/** Simulates the job's paths into `target` (the coordinator's block): in place here or in shared memory, else copied from the thread. */
	simulateInto(job: SimulateJob, target: PathTarget): Promise<void>;
	summarise(job: SummariseJob): Promise<MetricSummaryPart[]>;
	/** Runs one sweep point whole in the executor's thread (see sweep/point-job.ts). */
	evaluatePoint(job: PointJob): Promise<SweepRecord>;
}

// ── Analyses ─────────────────────────────────────────────────────────────────────────────────

/**
 * One analysis the notebook asks the workers for. Scenarios travel resolved (slider values
 * applied); indicators and thresholds travel as the text the user wrote and are read in the worker
 * with the same functions the CLI uses.
 */
export type AnalysisRequest =
	| { kind: 'compare'; a: Scenario; b: Scenario; seed: number; paths: number; metric: MetricName }
	| { kind: 'threshold'; scenario: Scenario; seed: number; paths: number; threshold: string }
	| { kind: 'tornado'; scenario: Scenario; seed: number; paths: number; indicator: string; include: ('control' | 'parameter')[] }
	| { kind: 'attribution'; base: Scenario; scenario: Scenario; seed: number; paths: number; indicator: string }
	| { kind: 'refine'; scenario: Scenario; seed: number; indicator: string; targetSe: number; startPaths: number; maxPaths: number }
	| { kind: 'formula'; scenario: Scenario; seed: number; paths: number; expression: string; unit: string; budgetMs?: number }
	/** A small sweep: its text as written (YAML) and its base scenario (the library's, by the text's `scenario` id). Progress is in points. */
	| { kind: 'sweep'; base: Scenario; text: string };

export type AnalysisKind = AnalysisRequest['kind'];

/** Progress in paths simulated (all variants together) out of the planned total. */
export interface AnalysisUpdate {
	kind: 'progress';
	done: number;
	total: number;
}

/** What went wrong with an analysis's input, as plain data (errors lose their fields crossing a worker boundary). */
export interface AnalysisFailure {
	message: string;
	/** A formula error's kind (syntax, unknownName, disabledFunction, timeout, …). */
	formulaKind?: string;
	/** 1-based character of a formula error, where known. */
	position?: number;
}

export type AnalysisOutcome =
	{ status: 'done'; result: AnalysisResultOf; elapsedMs: number } | { status: 'failed'; failure: AnalysisFailure; elapsedMs: number } | { status: 'cancelled' };

/** An analysis that ran to the end: its result, or the input problem that stopped it. */
export type FinishedAnalysis = Exclude<AnalysisOutcome, { status: 'cancelled' }>;

/** What the notebook receives for a finished analysis of each kind (never raw paths). */
export interface AnalysisResults {
	compare: ComparisonResult;
	threshold: ThresholdResult;
	tornado: TornadoResult;
	attribution: AttributionResult;
	refine: RefineResult;
	formula: FormulaCellResult;
	sweep: SweepResult;
}

/** A result tagged with its kind; with a kind `K`, the results of that kind. */
export type AnalysisResultOf<Kinds extends AnalysisKind = AnalysisKind> = { [K in Kinds]: { kind: K; result: AnalysisResults[K] } }[Kinds];

export type AnalysisResultFor<K extends AnalysisKind> = AnalysisResults[K];
