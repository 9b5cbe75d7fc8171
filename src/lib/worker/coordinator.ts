import { assembleResult } from '../engine/run';
import { concatBlocks, type PathBlock } from '../engine/simulate';
import { computeIndicators } from '../engine/indicators';
import type { MetricSummaries } from '../engine/summary';
import { metricIndex, metricNames } from '../model/metrics';
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
	RunOutcome,
	RunRequest,
	RunSummary,
	RunUpdate
} from './protocol';

/** Largest chunk of paths one executor simulates between cancellation checks. */
export const MAX_CHUNK_PATHS = 500;
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

/** Splits metric names round-robin into `parts` lists (some may be empty). */
export function partitionMetrics(parts: number): (typeof metricNames)[] {
	const lists: (typeof metricNames)[] = Array.from({ length: parts }, () => []);
	metricNames.forEach((name, i) => lists[i % parts].push(name));
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

	constructor(private readonly executors: readonly JobExecutor[]) {}

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

	async run(runId: number, request: RunRequest, onUpdate: (update: RunUpdate) => void): Promise<RunOutcome> {
		const started = performance.now();
		this.active.add(runId);
		try {
			const stages = request.previewPaths > 0 && request.previewPaths < request.paths ? [request.previewPaths, request.paths] : [request.paths];
			const blocks: PathBlock[] = [];
			let pathsDone = 0;
			let summary: RunSummary | undefined;
			for (const stageEnd of stages) {
				const chunks = chunkRange(pathsDone, stageEnd, this.executors.length);
				let next = 0;
				await Promise.all(
					this.executors.map(async (executor) => {
						while (next < chunks.length && !this.cancelled.has(runId)) {
							const chunk = chunks[next++];
							blocks.push(await executor.simulate({ runId, scenario: request.scenario, seed: request.seed, ...chunk }));
							pathsDone += chunk.pathCount;
							onUpdate({ kind: 'progress', pathsDone, pathsTotal: request.paths });
						}
					})
				);
				if (this.cancelled.has(runId)) return { status: 'cancelled' };
				const block = concatBlocks(blocks);
				blocks.splice(0, blocks.length, block);
				if (stageEnd === request.paths) this.blocks.put(request.scenario, request.seed, block);
				summary = await this.summarise(request, block, stageEnd === request.paths ? 'full' : 'preview', started);
				if (this.cancelled.has(runId)) return { status: 'cancelled' };
				if (summary.phase === 'preview') onUpdate({ kind: 'preview', summary });
			}
			return { status: 'done', summary: summary! };
		} finally {
			this.active.delete(runId);
			this.cancelled.delete(runId);
		}
	}

	private async summarise(request: RunRequest, block: PathBlock, phase: RunSummary['phase'], started: number): Promise<RunSummary> {
		const parts = partitionMetrics(this.executors.length);
		const jobs = parts.map((names) => ({
			pathCount: block.pathCount,
			monthCount: block.monthCount,
			metrics: names.map((name) => ({ name, values: block.metrics[metricIndex[name]] }))
		}));
		const pending = this.executors.map((executor, k) => (jobs[k].metrics.length > 0 ? executor.summarise(jobs[k]) : Promise.resolve([])));
		const months = monthRange(request.scenario.start, request.scenario.end);
		const indicators = computeIndicators(block, months);
		const summaries = new Map<string, MetricSummaryPart>((await Promise.all(pending)).flat().map((part) => [part.name, part]));
		// The fingerprint hashes JSON, so metrics go in the engine's canonical order.
		const metrics = Object.fromEntries(metricNames.map((name) => [name, summaries.get(name)!.summary])) as MetricSummaries;
		const histograms = Object.fromEntries(metricNames.map((name) => [name, summaries.get(name)!.histogram])) as HistogramSet;
		const settings = { seed: request.seed, paths: block.pathCount };
		return { phase, result: assembleResult(request.scenario, settings, months, metrics, indicators), histograms, elapsedMs: performance.now() - started };
	}
}
