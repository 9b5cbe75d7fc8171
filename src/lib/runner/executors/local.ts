import { nextTask } from '../../tasks';
import { createSimulator, jobStart, runSummariseJob } from '../jobs';
import type { JobExecutor } from '../protocol';
import { pointJobs } from './point-jobs';

/** Runs jobs in this thread, yielding to the event loop (a cancel, a helper's answer) before each one, after its start delay. */
export function createLocalExecutor(): JobExecutor {
	const simulate = createSimulator();
	return {
		inCoordinatorThread: true,
		async simulateInto(job, target) {
			await jobStart(job);
			await nextTask();
			simulate(job, target);
		},
		async summarise(job) {
			await nextTask();
			return runSummariseJob(job);
		},
		async evaluatePoint(job) {
			await nextTask();
			return (await pointJobs()).runPointJob(job);
		}
	};
}
