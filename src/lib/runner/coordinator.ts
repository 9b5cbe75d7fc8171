import { assembleResult, type RunResult, type RunSettings } from '../engine/run';
import { allocateBlock, copyBlockInto, inSharedMemory, targetIn, type PathBlock } from '../engine/simulate';
import { computeIndicators, type Indicators } from '../engine/indicators';
import { joinSummaries, type MetricSummaries } from '../engine/summary';
import { metricIndex, metricNames, type MetricName } from '../model/metrics';
import { modelVersion } from '../model/version';
import { monthRange } from '../time/months';
import { AnalysisCancelled, type PathSource } from '../analysis/common';
import type { Scenario } from '../scenario/schema';
import type { PointJob, SweepRecord } from '../sweep/run';
import { analysisFailure, isCancellation, runAnalysis } from './analysis-jobs';
import { runStreamed, streamBuffers, type StreamedRunOptions } from './streamed';
import { BLOCK_CACHE_FLOATS, BlockCache } from './block-cache';
import { chunkRange, runChunks, splitMonths, type MonthRange } from './chunks';
import { joinHistograms } from './jobs';
import type {
	AnalysisOutcome,
	AnalysisRequest,
	AnalysisUpdate,
	HistogramSet,
	JobExecutor,
	MetricSummaryPart,
	RunFocus,
	RunOutcome,
	RunRequest,
	RunUpdate,
	StageSummary
} from './protocol';

/** Progress reaches the page at most this often (and at the end): each update costs the page a render. */
export const PROGRESS_INTERVAL_MS = 100;
/** The indicators' cost in metrics' worth of summaries (measured in the browser: ~23 ms against ~24 ms a metric at 10,000 paths). */
const INDICATORS_LOAD = 1;
/**
 * When the pool has as many workers as the machine has cores, helpers wait this long after the
 * preview is posted, leaving a core to the page while it draws the preview chart: on two cores,
 * two busy workers double the time of each Plotly draw on the page's thread.
 */
export const PREVIEW_DRAW_ALLOWANCE_MS = 70;

export interface CoordinatorOptions {
	/**
	 * The pool has a worker per core, so the page's thread competes with them: helpers then pause
	 * while the page draws the preview, and the last stage (drawn meanwhile on the page) runs in the
	 * coordinating worker alone.
	 */
	sharesCoresWithPage?: boolean;
	/**
	 * Blocks in shared memory (SharedArrayBuffer): executors in other threads simulate into the
	 * run's block and summarise it in place, with no copies either way. A page has it only when
	 * cross-origin isolated (the default here); Node always.
	 */
	sharedMemory?: boolean;
	/** Floats of raw paths kept for analyses (BLOCK_CACHE_FLOATS by default); 0 keeps none. */
	blockCacheFloats?: number;
	/**
	 * A run's block is reused by the next run of the same size, and no block is cached: for callers
	 * done with a run's paths before the next starts (batch, compare). A fresh block of 10,000 paths
	 * (100 MB) costs ~0.1–1 s of page faults (measured on this 2-core machine), a reused one none.
	 */
	reuseRunBlocks?: boolean;
}

/**
 * A metric's values for some months: a view for this worker or of shared memory, else a copy (a
 * view sent to a helper would send the whole array).
 */
function monthsOf(values: Float32Array, pathCount: number, range: MonthRange, inCoordinatorThread: boolean): Float32Array {
	const from = range.firstMonth * pathCount;
	const to = range.endMonth * pathCount;
	return inCoordinatorThread || inSharedMemory(values) || (from === 0 && to === values.length) ? values.subarray(from, to) : values.slice(from, to);
}

/**
 * Runs requests across executors, in the page's coordinating worker and in Node alike: simulates
 * the preview prefix, summarises it, then the rest, and summarises all paths; or serves paths to
 * analyses. Path i depends only on (seed, i), so the split never changes a number. Cancellation is
 * checked between chunks.
 */
export class RunCoordinator {
	private readonly active = new Set<number>();
	private readonly cancelled = new Set<number>();
	private readonly analyses = new Map<number, AbortController>();
	/** Raw paths of recent runs, so analyses of the scenario on screen do not simulate it again. */
	readonly blocks: BlockCache;
	/** Ids of simulate jobs for analyses and command-line runs: apart from the page's run ids, since executors cache a timeline per id. */
	private nextJobId = 2 ** 30;
	private readonly sharesCoresWithPage: boolean;
	private readonly sharedMemory: boolean;
	private readonly reuseRunBlocks: boolean;
	private lastRunBlock: PathBlock | undefined;
	/** Streamed runs' block arrays, reused by the next streamed run when large enough. */
	private lastStreamBuffers: Float32Array[][] | undefined;

	constructor(
		private readonly executors: readonly JobExecutor[],
		options: CoordinatorOptions = {}
	) {
		this.sharesCoresWithPage = options.sharesCoresWithPage ?? false;
		this.sharedMemory = options.sharedMemory ?? globalThis.crossOriginIsolated === true;
		this.reuseRunBlocks = options.reuseRunBlocks ?? false;
		this.blocks = new BlockCache(this.reuseRunBlocks ? 0 : (options.blockCacheFloats ?? BLOCK_CACHE_FLOATS));
	}

	/** A block for a run's paths: fresh, or the last run's when reused (every value is written again). */
	private runBlock(pathCount: number, monthCount: number): PathBlock {
		if (!this.reuseRunBlocks) return allocateBlock(0, pathCount, monthCount, this.sharedMemory);
		if (this.lastRunBlock?.pathCount !== pathCount || this.lastRunBlock.monthCount !== monthCount)
			this.lastRunBlock = allocateBlock(0, pathCount, monthCount, this.sharedMemory);
		return this.lastRunBlock;
	}

	/** Cancels a run or analysis in progress; one already finished is left alone. */
	cancel(runId: number): void {
		if (this.active.has(runId)) this.cancelled.add(runId);
		this.analyses.get(runId)?.abort();
	}

	/**
	 * Runs an analysis in this worker with paths from the pool (or the cache). Input errors come
	 * back as a failure with the message to show; a cancel between chunks as 'cancelled'.
	 */
	async analyse(runId: number, request: AnalysisRequest, onUpdate: (update: AnalysisUpdate) => void): Promise<AnalysisOutcome> {
		const started = performance.now();
		const controller = new AbortController();
		this.analyses.set(runId, controller);
		try {
			const result = await runAnalysis(request, {
				source: this.pathSource(controller.signal),
				// A sweep's points run whole in the executors, never through the path cache (each point is simulated once).
				pointEvaluators: this.pointEvaluators(controller.signal),
				signal: controller.signal,
				onProgress: (done, total) => onUpdate({ kind: 'progress', done, total })
			});
			if (controller.signal.aborted) return { status: 'cancelled' };
			return { status: 'done', result, elapsedMs: performance.now() - started };
		} catch (error) {
			if (isCancellation(error)) return { status: 'cancelled' };
			return { status: 'failed', failure: analysisFailure(error), elapsedMs: performance.now() - started };
		} finally {
			this.analyses.delete(runId);
		}
	}

	/** Runs sweep points whole, one lane per executor; a cancel stops before the next point. */
	pointEvaluators(signal?: AbortSignal): ((job: PointJob) => Promise<SweepRecord>)[] {
		return this.executors.map((executor) => async (job: PointJob) => {
			if (signal?.aborted) throw new AnalysisCancelled();
			return executor.evaluatePoint(job);
		});
	}

	/** Paths for analyses: from the cache, else simulated across the executors in chunks (the split never changes a number). */
	pathSource(signal?: AbortSignal): PathSource {
		return async (scenario: Scenario, seed: number, firstPath: number, pathCount: number) => {
			const cached = this.blocks.get(scenario, seed, firstPath, pathCount);
			if (cached) return cached;
			const runId = this.nextJobId++;
			const block = allocateBlock(firstPath, pathCount, monthRange(scenario.start, scenario.end).length, this.sharedMemory);
			await runChunks(
				this.executors,
				chunkRange(firstPath, firstPath + pathCount, this.executors.length),
				(executor, chunk) => executor.simulateInto({ runId, scenario, seed, ...chunk }, targetIn(block, chunk.firstPath)),
				() => signal?.aborted === true
			);
			if (signal?.aborted) throw new AnalysisCancelled();
			this.blocks.put(scenario, seed, block);
			return block;
		};
	}

	/**
	 * Runs a request in stages, posting each as an update: the preview's focus metrics, then the
	 * full count's focus metrics; the outcome completes them (every metric's summary, and the
	 * fingerprint, and the request's histograms).
	 */
	async run(runId: number, request: RunRequest, onUpdate: (update: RunUpdate) => void): Promise<RunOutcome> {
		return (await this.runKeepingBlock(runId, request, onUpdate)).outcome;
	}

	/**
	 * A whole run for the command line, with no preview or histograms: its result, and its raw paths
	 * (check:scenarios evaluates its checks on them; with `reuseRunBlocks`, valid until the next
	 * run). An abort stops it between chunks and throws `AnalysisCancelled`.
	 */
	async runScenario(
		scenario: Scenario,
		settings: RunSettings,
		options: { onProgress?: (pathsDone: number, pathsTotal: number) => void; signal?: AbortSignal } = {}
	): Promise<{ result: RunResult; block: PathBlock }> {
		const runId = this.nextJobId++;
		const cancel = () => this.cancel(runId);
		options.signal?.addEventListener('abort', cancel);
		try {
			const request: RunRequest = { scenario, ...settings, previewPaths: 0, focus: { summaries: [], histograms: [] }, histograms: [] };
			const { outcome, block } = await this.runKeepingBlock(runId, request, (update) => {
				if (update.kind === 'progress') options.onProgress?.(update.pathsDone, update.pathsTotal);
			});
			if (outcome.status === 'cancelled' || options.signal?.aborted) throw new AnalysisCancelled();
			return { result: outcome.summary.result, block };
		} finally {
			options.signal?.removeEventListener('abort', cancel);
		}
	}

	/**
	 * A whole run for the command line that never holds all its paths: blocks of paths simulated
	 * across the executors and summarised in path order, again for each pass the exact percentiles
	 * need (see runStreamed). The same result as `runScenario`, bit for bit, with the passes it took.
	 * An abort stops it between chunks and throws `AnalysisCancelled`.
	 */
	async runStreamed(
		scenario: Scenario,
		settings: RunSettings,
		options: Omit<StreamedRunOptions, 'stopped' | 'sharedMemory'> & { signal?: AbortSignal } = {}
	): Promise<{ result: RunResult; passes: number }> {
		const runId = this.nextJobId++;
		const { signal, ...rest } = options;
		const outcome = await runStreamed(this.executors, runId, scenario, settings, {
			...rest,
			sharedMemory: this.sharedMemory,
			stopped: () => signal?.aborted === true,
			buffers: (floats) => {
				if (!this.lastStreamBuffers || this.lastStreamBuffers[0][0].length < floats) this.lastStreamBuffers = streamBuffers(floats, this.sharedMemory);
				return this.lastStreamBuffers;
			}
		});
		if (!outcome || signal?.aborted) throw new AnalysisCancelled();
		return outcome;
	}

	/** `run`, and the block the paths were simulated straight into (no joining of chunks). */
	private async runKeepingBlock(runId: number, request: RunRequest, onUpdate: (update: RunUpdate) => void): Promise<{ outcome: RunOutcome; block: PathBlock }> {
		const started = performance.now();
		this.active.add(runId);
		const cancelled = () => this.cancelled.has(runId);
		try {
			const months = monthRange(request.scenario.start, request.scenario.end);
			const focus = canonicalFocus(request.focus);
			const previewPaths = request.previewPaths > 0 && request.previewPaths < request.paths ? request.previewPaths : 0;
			let pathsDone = 0;
			// No progress before the preview: its stage reports its paths, and each progress update costs
			// the page a render while the preview's paths need both cores.
			let progressPostedAt = previewPaths > 0 ? Infinity : -Infinity;
			let helpersWaitUntil = 0;
			const simulateRange = (block: PathBlock, from: number, to: number) =>
				runChunks(
					this.executors,
					chunkRange(from, to, this.executors.length),
					async (executor, chunk) => {
						// The helper waits in its own thread: this one, busy with its own chunks, would be late.
						const startDelayMs = executor.inCoordinatorThread ? 0 : Math.max(0, helpersWaitUntil - performance.now());
						await executor.simulateInto({ runId, scenario: request.scenario, seed: request.seed, ...chunk, startDelayMs }, targetIn(block, chunk.firstPath));
						pathsDone += chunk.pathCount;
						const now = performance.now();
						if (now - progressPostedAt >= PROGRESS_INTERVAL_MS || pathsDone === request.paths) {
							progressPostedAt = now;
							onUpdate({ kind: 'progress', pathsDone, pathsTotal: request.paths });
						}
					},
					cancelled
				);
			const stage = async (phase: StageSummary['phase'], block: PathBlock): Promise<StageSummary> => {
				const [parts, indicators] = await this.summarise(block, months, focus.summaries, focus.histograms, true);
				const result = { ...resultHeader(request, block.pathCount), fingerprint: undefined, months, metrics: metricsOf(parts), indicators: indicators! };
				return { phase, complete: false, result, histograms: histogramsOf(parts), elapsedMs: performance.now() - started };
			};

			const block = this.runBlock(request.paths, months.length);
			const cancelledRun = { outcome: { status: 'cancelled' } as const, block };
			if (previewPaths > 0) {
				const preview = allocateBlock(0, previewPaths, months.length, this.sharedMemory);
				await simulateRange(preview, 0, previewPaths);
				if (cancelled()) return cancelledRun;
				copyBlockInto(preview, targetIn(block, 0));
				onUpdate({ kind: 'stage', summary: await stage('preview', preview) });
				progressPostedAt = performance.now();
				if (this.sharesCoresWithPage) helpersWaitUntil = performance.now() + PREVIEW_DRAW_ALLOWANCE_MS;
			}
			await simulateRange(block, previewPaths, request.paths);
			if (cancelled()) return cancelledRun;
			this.blocks.put(request.scenario, request.seed, block);
			if (previewPaths === 0 && focus.summaries.length === 0 && focus.histograms.length === 0) {
				// Nothing to show before the whole result (the command line): every summary at once, the indicators meanwhile.
				const [parts, indicators] = await this.summarise(block, months, metricNames, request.histograms, true);
				if (cancelled()) return cancelledRun;
				const result = assembleResult(request.scenario, { seed: request.seed, paths: request.paths }, months, metricsOf(parts) as MetricSummaries, indicators!);
				return {
					outcome: {
						status: 'done',
						summary: { phase: 'full', complete: true, result, histograms: histogramsOf(parts), elapsedMs: performance.now() - started }
					},
					block
				};
			}
			const shown = await stage('full', block);
			if (cancelled()) return cancelledRun;
			onUpdate({ kind: 'stage', summary: shown });

			const unsummarised = metricNames.filter((name) => !shown.result.metrics[name]);
			const histogramsLeft = request.histograms.filter((name) => !shown.histograms[name]);
			const [rest] = await this.summarise(block, months, unsummarised, histogramsLeft, false, this.sharesCoresWithPage ? 1 : this.executors.length);
			if (cancelled()) return cancelledRun;
			// The fingerprint hashes JSON, so metrics go in the engine's canonical order.
			const metrics = Object.fromEntries(metricNames.map((name) => [name, shown.result.metrics[name] ?? rest.get(name)!.summary!])) as MetricSummaries;
			const settings = { seed: request.seed, paths: request.paths };
			const result = assembleResult(request.scenario, settings, months, metrics, shown.result.indicators);
			const histograms = { ...shown.histograms, ...histogramsOf(rest) };
			return { outcome: { status: 'done', summary: { phase: 'full', complete: true, result, histograms, elapsedMs: performance.now() - started } }, block };
		} finally {
			this.active.delete(runId);
			this.cancelled.delete(runId);
		}
	}

	/**
	 * Summaries of `summaries` and histograms of `histograms`, the months split across the first
	 * `executorCount` executors, and the indicators when asked, computed here meanwhile.
	 */
	private async summarise(
		block: PathBlock,
		months: string[],
		summaries: readonly MetricName[],
		histograms: readonly MetricName[],
		withIndicators: boolean,
		executorCount = this.executors.length
	): Promise<[Map<MetricName, MetricSummaryPart>, Indicators | undefined]> {
		const names = metricNames.filter((name) => summaries.includes(name) || histograms.includes(name));
		const n = block.pathCount;
		// The indicators are computed in this thread: an executor here takes fewer months meanwhile.
		const ranges = splitMonths(block.monthCount, executorCount, names.length, withIndicators && this.executors[0].inCoordinatorThread ? INDICATORS_LOAD : 0);
		const pending = ranges.map((range, k) =>
			names.length > 0 && range.endMonth > range.firstMonth
				? this.executors[k].summarise({
						pathCount: n,
						monthCount: range.endMonth - range.firstMonth,
						metrics: names.map((name) => ({
							name,
							values: monthsOf(block.metrics[metricIndex[name]], n, range, this.executors[k].inCoordinatorThread),
							summary: summaries.includes(name),
							histogram: histograms.includes(name)
						}))
					})
				: Promise.resolve([])
		);
		const indicators = withIndicators ? computeIndicators(block, months) : undefined;
		// Each executor answered for its months, in month order: join each metric's pieces.
		const answers = await Promise.all(pending);
		const done = new Map<MetricName, MetricSummaryPart>(
			names.map((name) => {
				const pieces = answers.map((answer) => answer.find((part) => part.name === name)).filter((part) => part !== undefined);
				return [
					name,
					{
						name,
						summary: summaries.includes(name) ? joinSummaries(pieces.map((part) => part.summary!)) : undefined,
						histogram: histograms.includes(name) ? joinHistograms(pieces.map((part) => part.histogram!)) : undefined
					}
				];
			})
		);
		return [done, indicators];
	}
}

/** The focus with known metric names only, in the engine's order, without repeats. */
function canonicalFocus(focus: RunFocus): RunFocus {
	return {
		summaries: metricNames.filter((name) => focus.summaries.includes(name)),
		histograms: metricNames.filter((name) => focus.histograms.includes(name))
	};
}

function resultHeader(request: RunRequest, paths: number) {
	return { scenario: { id: request.scenario.id, title: request.scenario.title }, seed: request.seed, paths, modelVersion };
}

function metricsOf(parts: Map<MetricName, MetricSummaryPart>): Partial<MetricSummaries> {
	return Object.fromEntries([...parts].flatMap(([name, part]) => (part.summary ? [[name, part.summary]] : [])));
}

function histogramsOf(parts: Map<MetricName, MetricSummaryPart>): Partial<HistogramSet> {
	return Object.fromEntries([...parts].flatMap(([name, part]) => (part.histogram ? [[name, part.histogram]] : [])));
}
