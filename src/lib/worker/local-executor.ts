import { nextTask } from '../tasks';
import { createSimulator, runSummariseJob } from './jobs';
import type { JobExecutor } from './protocol';

/** Runs jobs in this thread, yielding to the event loop (a cancel, a helper's answer) before each one. */
export function createLocalExecutor(): JobExecutor {
	const simulate = createSimulator();
	return {
		async simulate(job) {
			await nextTask();
			return simulate(job);
		},
		async simulateInto(job, target) {
			await nextTask();
			simulate(job, target);
		},
		async summarise(job) {
			await nextTask();
			return runSummariseJob(job);
		}
	};
}
