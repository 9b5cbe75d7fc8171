import * as Comlink from 'comlink';
import { copyBlockInto, inSharedMemory, type PathTarget } from '../../engine/simulate';
import { RunCoordinator } from '../coordinator';
import { createSimulator, jobStart, runSummariseJob } from '../jobs';
import { createLocalExecutor } from '../executors/local';
import type { AnalysisRequest, AnalysisUpdate, JobExecutor, RunRequest, RunUpdate, SimulateJob, SummariseJob } from '../protocol';

/**
 * Every pool worker runs this file. Helpers answer `simulate`/`summarise` over a MessagePort; the
 * coordinating worker (the only one the page talks to) splits each run across itself and them,
 * so raw paths travel between workers and only summaries reach the page.
 */
const simulate = createSimulator();
let coordinator = new RunCoordinator([createLocalExecutor()]);

const helperApi = {
	async simulate(job: SimulateJob) {
		await jobStart(job);
		const block = simulate(job);
		return Comlink.transfer(
			block,
			block.metrics.map((values) => values.buffer as ArrayBuffer)
		);
	},
	/** Simulates into shared memory: the coordinator's own block. */
	async simulateInto(job: SimulateJob, target: PathTarget) {
		await jobStart(job);
		simulate(job, target);
	},
	summarise(job: SummariseJob) {
		return runSummariseJob(job);
	}
};

const workerApi = {
	/** Serve helper jobs on a port connected to the coordinating worker. */
	serveHelperJobs(port: MessagePort) {
		Comlink.expose(helperApi, port);
	},
	/** Become the coordinator over this worker and the helpers behind these ports. */
	coordinateHelpers(ports: MessagePort[], sharesCoresWithPage: boolean) {
		const helpers: JobExecutor[] = ports.map((port) => {
			const remote = Comlink.wrap<typeof helperApi>(port);
			return {
				simulateInto: async (job, target) =>
					inSharedMemory(target.metrics[0]) ? remote.simulateInto(job, target) : copyBlockInto(await remote.simulate(job), target),
				summarise: (job) => remote.summarise(job)
			};
		});
		coordinator = new RunCoordinator([createLocalExecutor(), ...helpers], sharesCoresWithPage);
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
