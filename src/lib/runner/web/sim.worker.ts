import * as Comlink from 'comlink';
import { RunCoordinator } from '../coordinator';
import { createLocalExecutor } from '../executors/local';
import { createExecutorApi, remoteExecutor, type ExecutorApi } from '../executors/remote';
import type { AnalysisRequest, AnalysisUpdate, RunRequest, RunUpdate } from '../protocol';

/**
 * Every pool worker runs this file. Helpers answer `simulate`/`summarise` over a MessagePort; the
 * coordinating worker (the only one the page talks to) splits each run across itself and them,
 * so raw paths travel between workers and only summaries reach the page.
 */
const sharedMemory = globalThis.crossOriginIsolated === true;
let coordinator = new RunCoordinator([createLocalExecutor()], { sharedMemory });

const workerApi = {
	/** Serve helper jobs on a port connected to the coordinating worker. */
	serveHelperJobs(port: MessagePort) {
		Comlink.expose(createExecutorApi(), port);
	},
	/** Become the coordinator over this worker and the helpers behind these ports. */
	coordinateHelpers(ports: MessagePort[], sharesCoresWithPage: boolean) {
		const helpers = ports.map((port) => remoteExecutor(Comlink.wrap<ExecutorApi>(port)));
		coordinator = new RunCoordinator([createLocalExecutor(), ...helpers], { sharesCoresWithPage, sharedMemory });
	},
	run(runId: number, request: RunRequest, onUpdate: (update: RunUpdate) => void) {
		return coordinator.run(runId, request, onUpdate);
	},
	/** An analysis (comparison, threshold, tornado, attribution, refine, formula), run here with the pool's paths. */
	analyse(runId: number, request: AnalysisRequest, onUpdate: (update: AnalysisUpdate) => void) {
		return coordinator.analyse(runId, request, onUpdate);
	},
	cancel(runId: number) {
		coordinator.cancel(runId);
	}
};

export type SimulationWorkerApi = typeof workerApi;

Comlink.expose(workerApi);
