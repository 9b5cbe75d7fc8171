import { assembleResult } from '../engine/run';
import { allocateBlock, concatBlocks, copyBlockInto, targetIn, type PathBlock } from '../engine/simulate';
import { computeIndicators, type Indicators } from '../engine/indicators';
import type { MetricSummaries } from '../engine/summary';
import { metricIndex, metricNames, type MetricName } from '../model/metrics';
import { modelVersion } from '../model/version';
import { monthRange } from '../time/months';
import { AnalysisCancelled, type PathSource } from '../analysis/common';
import type { Scenario } from '../scenario/schema';
import { analysisFailure, isCancellation, runAnalysis } from './analysis-jobs';
import { BlockCache } from './block-cache';
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

/** Largest chunk of paths one executor simulates between cancellation checks. */
export const MAX_CHUNK_PATHS = 250;
const MIN_CHUNK_PATHS = 50;
/** Progress reaches the page at most this often (and at the end): each update costs the page a render. */
export const PROGRESS_INTERVAL_MS = 100;
/** The indicators' cost in metrics' worth of summaries (22 ms against ~11 ms a metric at 10,000 paths). */
const INDICATORS_LOAD = 2;
/**
 * When the pool has as many workers as the machine has cores, helpers wait this long after the
 * preview is posted, leaving a core to the page while it draws the preview chart: on two cores,
 * two busy workers double the time of each Plotly draw on the page's thread.
 */
export const PREVIEW_DRAW_ALLOWANCE_MS = 70;

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
 * Splits metric names into `parts` lists (some may be empty), each name to the least loaded part;
 * `firstPartLoad` is work the first part has already, in metrics' worth (the coordinator computes
 * the indicators, about two metrics' summaries).
 */
export function partitionNames(names: readonly MetricName[], parts: number, firstPartLoad = 0): MetricName[][] {
	const lists: MetricName[][] = Array.from({ length: parts }, () => []);
	const loads = lists.map((_, k) => (k === 0 ? firstPartLoad : 0));
	for (const name of names) {
		const least = loads.indexOf(Math.min(...loads));
		lists[least].push(name);
		loads[least]++;
	}
	return lists;
}

/**
 * Runs a request across executors: simulates the preview prefix, summarises it, then the rest,
 * and summarises all paths. Path i depends only on (seed, i), so the split never changes a number.
 * Cancellation is checked between chunks.
 */
export class RunCoordinator {
	private readonly active = new Set<number>();
	private readonly cancelled = new Set<number>();
	private readonly analyses = new Map<number, AbortController>();
	/** Raw paths of recent runs, so analyses of the scenario on screen do not simulate it again. */
	readonly blocks = new BlockCache();
	/** Ids of simulate jobs for analyses: apart from run ids, since executors cache a timeline per id. */
	private nextJobId = 2 ** 30;

	/**
	 * `sharesCoresWithPage`: the pool has a worker per core, so the page's thread competes with
	 * them; then helpers pause while the page draws the preview, and the last stage (drawn meanwhile
	 * on the page) runs in this worker alone.
	 */
	constructor(
		private readonly executors: readonly JobExecutor[],
		private readonly sharesCoresWithPage = false
	) {}

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

	/** Paths for analyses: from the cache, else simulated across the executors in chunks (the split never changes a number). */
	pathSource(signal?: AbortSignal): PathSource {
		return async (scenario: Scenario, seed: number, firstPath: number, pathCount: number) => {
			const cached = this.blocks.get(scenario, seed, firstPath, pathCount);
			if (cached) return cached;
			const runId = this.nextJobId++;
			const chunks = chunkRange(firstPath, firstPath + pathCount, this.executors.length);
			const blocks: PathBlock[] = [];
			let next = 0;
			await Promise.all(
				this.executors.map(async (executor) => {
					while (next < chunks.length && !signal?.aborted) {
						const chunk = chunks[next++];
						blocks.push(await executor.simulate({ runId, scenario, seed, ...chunk }));
					}
				})
			);
			if (signal?.aborted) throw new AnalysisCancelled();
			const block = concatBlocks(blocks);
			this.blocks.put(scenario, seed, block);
			return block;
		};
	}

	/**
	 * Runs a request in stages, posting each as an update: the preview's focus metrics, then the
	 * full count's focus metrics; the outcome completes them (every metric's summary, and the
	 * fingerprint). Histograms are made for the focus only. Paths are simulated straight into one
	 * block (no joining of chunks).
	 */
	async run(runId: number, request: RunRequest, onUpdate: (update: RunUpdate) => void): Promise<RunOutcome> {
		const started = performance.now();
		this.active.add(runId);
		const cancelled = () => this.cancelled.has(runId);
		try {
			const months = monthRange(request.scenario.start, request.scenario.end);
			const focus = canonicalFocus(request.focus);
			const previewPaths = request.previewPaths > 0 && request.previewPaths < request.paths ? request.previewPaths : 0;
			let pathsDone = 0;
			let progressPostedAt = -Infinity;
			let helpersWaitUntil = 0;
			const simulateRange = async (block: PathBlock, from: number, to: number) => {
				const chunks = chunkRange(from, to, this.executors.length);
				let next = 0;
				await Promise.all(
					this.executors.map(async (executor, k) => {
						for (;;) {
							if (k > 0) await waitUntil(helpersWaitUntil);
							if (next >= chunks.length || cancelled()) break;
							const chunk = chunks[next++];
							await executor.simulateInto({ runId, scenario: request.scenario, seed: request.seed, ...chunk }, targetIn(block, chunk.firstPath));
							pathsDone += chunk.pathCount;
							const now = performance.now();
							if (now - progressPostedAt >= PROGRESS_INTERVAL_MS || pathsDone === request.paths) {
								progressPostedAt = now;
								onUpdate({ kind: 'progress', pathsDone, pathsTotal: request.paths });
							}
						}
					})
				);
			};
			const stage = async (phase: StageSummary['phase'], block: PathBlock): Promise<StageSummary> => {
				const [parts, indicators] = await this.summarise(block, months, focus.summaries, focus.histograms, true);
				const result = { ...resultHeader(request, block.pathCount), fingerprint: undefined, months, metrics: metricsOf(parts), indicators: indicators! };
				return { phase, complete: false, result, histograms: histogramsOf(parts), elapsedMs: performance.now() - started };
			};

			// Shared memory where the page is cross-origin isolated: helpers then simulate into the run's
			// block and summarise it in place, with no copies either way.
			const shared = globalThis.crossOriginIsolated === true;
			const block = allocateBlock(0, request.paths, months.length, shared);
			if (previewPaths > 0) {
				const preview = allocateBlock(0, previewPaths, months.length, shared);
				await simulateRange(preview, 0, previewPaths);
				if (cancelled()) return { status: 'cancelled' };
				copyBlockInto(preview, targetIn(block, 0));
				onUpdate({ kind: 'stage', summary: await stage('preview', preview) });
				if (this.sharesCoresWithPage) helpersWaitUntil = performance.now() + PREVIEW_DRAW_ALLOWANCE_MS;
			}
			await simulateRange(block, previewPaths, request.paths);
			if (cancelled()) return { status: 'cancelled' };
			this.blocks.put(request.scenario, request.seed, block);
			const shown = await stage('full', block);
			if (cancelled()) return { status: 'cancelled' };
			onUpdate({ kind: 'stage', summary: shown });

			const unsummarised = metricNames.filter((name) => !shown.result.metrics[name]);
			const [rest] = await this.summarise(block, months, unsummarised, [], false, this.sharesCoresWithPage ? 1 : this.executors.length);
			if (cancelled()) return { status: 'cancelled' };
			// The fingerprint hashes JSON, so metrics go in the engine's canonical order.
			const metrics = Object.fromEntries(metricNames.map((name) => [name, shown.result.metrics[name] ?? rest.get(name)!.summary!])) as MetricSummaries;
			const settings = { seed: request.seed, paths: request.paths };
			const result = assembleResult(request.scenario, settings, months, metrics, shown.result.indicators);
			return { status: 'done', summary: { phase: 'full', complete: true, result, histograms: shown.histograms, elapsedMs: performance.now() - started } };
		} finally {
			this.active.delete(runId);
			this.cancelled.delete(runId);
		}
	}

	/**
	 * Summaries of `summaries` and histograms of `histograms`, split across the first
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
		const parts = partitionNames(names, executorCount, withIndicators ? INDICATORS_LOAD : 0);
		const pending = this.executors.slice(0, executorCount).map((executor, k) =>
			parts[k].length > 0
				? executor.summarise({
						pathCount: block.pathCount,
						monthCount: block.monthCount,
						metrics: parts[k].map((name) => ({
							name,
							values: block.metrics[metricIndex[name]],
							summary: summaries.includes(name),
							histogram: histograms.includes(name)
						}))
					})
				: Promise.resolve([])
		);
		const indicators = withIndicators ? computeIndicators(block, months) : undefined;
		const done = new Map((await Promise.all(pending)).flat().map((part) => [part.name, part]));
		return [done, indicators];
	}
}

function waitUntil(time: number): Promise<void> {
	const wait = time - performance.now();
	return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
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
