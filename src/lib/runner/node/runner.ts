import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PathSource } from '../../analysis/common';
import type { RunResult, RunSettings } from '../../engine/run';
import type { PathBlock } from '../../engine/simulate';
import type { Scenario } from '../../scenario/schema';
import type { PointJob, SweepRecord } from '../../sweep/run';
import { RunCoordinator } from '../coordinator';
import { createLocalExecutor } from '../executors/local';
import { remoteExecutor, type ExecutorApi } from '../executors/remote';
import type { JobExecutor } from '../protocol';

export interface NodeRunnerOptions {
	/** Executors: this thread alone for 1; otherwise as many worker threads, each started with its first job. Default: one per core. */
	workers?: number;
	/** Floats of raw paths kept for analyses (see BlockCache); 0 keeps none. */
	blockCacheFloats?: number;
	/** Reuse a run's block for the next run of the same size (see CoordinatorOptions). */
	reuseRunBlocks?: boolean;
	/** Starts one worker thread; tests stand in threads that fail. */
	startThread?: () => Worker;
}

/**
 * From TypeScript source (tsx, vitest) a thread registers tsx first (`thread-entry.mjs`); in the
 * compiled package this module is bundled into `dist/`, beside the compiled thread
 * (`dist/runner-thread.js`, see scripts/build-package.mjs), which needs no tsx.
 */
export const runnerThreadUrl = import.meta.url.endsWith('.ts')
	? new URL('./thread-entry.mjs', import.meta.url)
	: new URL('./runner-thread.js', import.meta.url);

const startRunnerThread = () => new Worker(runnerThreadUrl);

/**
 * The command line's runner: the notebook's RunCoordinator, with the same chunking, over worker
 * threads sharing every block (Node always has SharedArrayBuffer); this thread only coordinates,
 * which timed a little faster than simulating here beside one thread fewer (pairwise medians
 * 1.05–1.24 in alternation, whole runs and a tornado, 1 December 2026, 2 busy cores). One worker is
 * this thread alone: no thread to start.
 * A thread that dies rejects the jobs it had with its reason. `close()` ends the threads.
 */
export class NodeRunner {
	readonly workers: number;
	private readonly coordinator: RunCoordinator;
	private readonly startThread: () => Worker;
	private readonly threads: Worker[] = [];
	private closing = false;

	constructor(options: NodeRunnerOptions = {}) {
		this.workers = Math.max(1, options.workers ?? availableParallelism());
		this.startThread = options.startThread ?? startRunnerThread;
		const executors = this.workers > 1 ? Array.from({ length: this.workers }, (_, k) => this.threadExecutor(k + 1)) : [createLocalExecutor()];
		this.coordinator = new RunCoordinator(executors, {
			sharedMemory: true,
			blockCacheFloats: options.blockCacheFloats,
			reuseRunBlocks: options.reuseRunBlocks
		});
	}

	/** An executor whose thread starts with its first job: input refused before any job starts none. */
	private threadExecutor(number: number): JobExecutor {
		let executor: JobExecutor | undefined;
		const started = () => {
			if (this.closing) throw new Error('the runner was closed');
			if (!executor) {
				const thread = this.startThread();
				this.threads.push(thread);
				executor = remoteExecutor(Comlink.wrap<ExecutorApi>(nodeEndpoint(thread)), this.stopped(thread, number));
			}
			return executor;
		};
		return {
			inCoordinatorThread: false,
			simulateInto: async (job, target) => started().simulateInto(job, target),
			summarise: async (job) => started().summarise(job),
			evaluatePoint: async (job) => started().evaluatePoint(job)
		};
	}

	/** Rejects when the thread fails or exits, with what happened. */
	private stopped(thread: Worker, number: number): Promise<never> {
		const stopped = new Promise<never>((_, reject) => {
			thread.on('error', (error) => reject(new Error(`simulation thread ${number} failed: ${error.message}`)));
			thread.on('exit', (code) => reject(new Error(this.closing ? 'the runner was closed' : `simulation thread ${number} stopped (exit code ${code})`)));
		});
		// A thread that stops while idle fails the next job sent to it, not the process.
		stopped.catch(() => undefined);
		return stopped;
	}

	/** A whole run: its result and raw paths (see RunCoordinator.runScenario). */
	runScenario(
		scenario: Scenario,
		settings: RunSettings,
		options?: { onProgress?: (pathsDone: number, pathsTotal: number) => void; signal?: AbortSignal }
	): Promise<{ result: RunResult; block: PathBlock }> {
		return this.coordinator.runScenario(scenario, settings, options);
	}

	/** A whole run in blocks of paths, never all held (see RunCoordinator.runStreamed): the same result as `runScenario`. */
	runStreamed(
		scenario: Scenario,
		settings: RunSettings,
		options?: Parameters<RunCoordinator['runStreamed']>[2]
	): Promise<{ result: RunResult; passes: number }> {
		return this.coordinator.runStreamed(scenario, settings, options);
	}

	/** One lane per thread running sweep points whole (see RunCoordinator.pointEvaluators). */
	pointEvaluators(signal?: AbortSignal): ((job: PointJob) => Promise<SweepRecord>)[] {
		return this.coordinator.pointEvaluators(signal);
	}

	/** Paths for the analyses, simulated across the threads (and cached within the budget). */
	pathSource(signal?: AbortSignal): PathSource {
		return this.coordinator.pathSource(signal);
	}

	async close(): Promise<void> {
		this.closing = true;
		await Promise.all(this.threads.map((thread) => thread.terminate()));
	}
}
