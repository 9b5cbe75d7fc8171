import * as Comlink from 'comlink';
import type { AnalysisRequest, FinishedAnalysis, AnalysisUpdate, RunRequest, RunSummary, RunUpdate } from '../protocol';
import type { CancellableRunner } from '../scheduler';
import type { SimulationWorkerApi } from './sim.worker';

export const MAX_POOL_WORKERS = 4;

/**
 * One worker per core, at most MAX_POOL_WORKERS. On a machine with no core to spare, the workers
 * make room for the page's drawing themselves (see RunCoordinator).
 */
export function poolSizeFor(hardwareConcurrency: number | undefined): number {
	return Math.max(1, Math.min(MAX_POOL_WORKERS, hardwareConcurrency ?? 2));
}

/**
 * The page's side of the worker pool. The first worker coordinates; the others are its helpers,
 * reached over MessageChannels the page sets up once. A failing worker rejects the active run
 * with its message; `restart` builds a fresh pool (the retry path).
 */
export class SimulationPool implements CancellableRunner<RunRequest, RunUpdate, RunSummary> {
	private workers: Worker[] = [];
	private coordinator!: Comlink.Remote<SimulationWorkerApi>;
	private failure!: Promise<never>;
	private fail!: (error: Error) => void;

	constructor(
		readonly size: number,
		/** Cores of the machine: a pool as large as this shares them with the page's thread. */
		private readonly cores: number,
		private readonly createWorker: () => Worker = () => new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' })
	) {
		this.start();
	}

	private start(): void {
		this.failure = new Promise<never>((_, reject) => (this.fail = reject));
		this.failure.catch(() => undefined);
		this.workers = Array.from({ length: this.size }, () => this.createWorker());
		for (const worker of this.workers) {
			worker.addEventListener('error', (event) => this.fail(new Error(`The simulation worker failed: ${event.message || 'it could not be loaded'}`)));
			worker.addEventListener('messageerror', () => this.fail(new Error('The simulation worker sent a message that could not be read.')));
		}
		this.coordinator = Comlink.wrap<SimulationWorkerApi>(this.workers[0]);
		const ports = this.workers.slice(1).map((helper) => {
			const channel = new MessageChannel();
			void Comlink.wrap<SimulationWorkerApi>(helper).serveHelperJobs(Comlink.transfer(channel.port1, [channel.port1]));
			return channel.port2;
		});
		if (ports.length > 0) void this.coordinator.coordinateHelpers(Comlink.transfer(ports, ports), this.size >= this.cores);
	}

	async run(id: number, request: RunRequest, onUpdate: (update: RunUpdate) => void): Promise<RunSummary | 'cancelled'> {
		const outcome = await Promise.race([this.coordinator.run(id, request, Comlink.proxy(onUpdate)), this.failure]);
		return outcome.status === 'done' ? outcome.summary : 'cancelled';
	}

	cancel(id: number): void {
		void this.coordinator.cancel(id);
	}

	/** Analyses through the same coordinating worker: ids are shared with runs, and so is cancel. */
	readonly analyses: CancellableRunner<AnalysisRequest, AnalysisUpdate, FinishedAnalysis> = {
		run: async (id, request, onUpdate) => {
			const outcome = await Promise.race([this.coordinator.analyse(id, request, Comlink.proxy(onUpdate)), this.failure]);
			return outcome.status === 'cancelled' ? 'cancelled' : outcome;
		},
		cancel: (id) => this.cancel(id)
	};

	restart(): void {
		this.terminate();
		this.start();
	}

	terminate(): void {
		for (const worker of this.workers) worker.terminate();
		this.workers = [];
	}
}
