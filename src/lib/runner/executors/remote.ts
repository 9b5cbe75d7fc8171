import * as Comlink from 'comlink';
import { copyBlockInto, inSharedMemory, type PathTarget } from '../../engine/simulate';
import { createSimulator, jobStart, runSummariseJob } from '../jobs';
import type { JobExecutor, SimulateJob, SummariseJob } from '../protocol';
import type { PointJob } from '../../sweep/run';
import { pointJobs } from './point-jobs';

/**
 * What a thread that runs jobs for a coordinator serves over comlink: a web worker over a
 * MessagePort, a Node worker thread over its parentPort.
 */
export function createExecutorApi() {
	const simulate = createSimulator();
	return {
		/** Simulates into a fresh block, transferred (not copied) to the coordinator. */
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
		},
		async evaluatePoint(job: PointJob) {
			return (await pointJobs()).runPointJob(job);
		}
	};
}

export type ExecutorApi = ReturnType<typeof createExecutorApi>;

/**
 * The coordinator's side of an executor in another thread. A block in shared memory is written in
 * place; otherwise the thread's block is copied in. Where the thread can die under the coordinator
 * (Node), `stopped` rejects then, and so does every job it has not answered.
 */
export function remoteExecutor(remote: Comlink.Remote<ExecutorApi>, stopped?: Promise<never>): JobExecutor {
	const answer = <T>(reply: Promise<T>): Promise<T> => (stopped ? Promise.race([reply, stopped]) : reply);
	return {
		inCoordinatorThread: false,
		simulateInto: async (job, target) =>
			inSharedMemory(target.metrics[0]) ? answer(remote.simulateInto(job, target)) : copyBlockInto(await answer(remote.simulate(job)), target),
		summarise: (job) => answer(remote.summarise(job)),
		evaluatePoint: (job) => answer(remote.evaluatePoint(job))
	};
}
