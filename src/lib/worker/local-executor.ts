import { createSimulator, runSummariseJob } from './jobs';
import type { JobExecutor } from './protocol';

/** Lets queued messages (a cancel, a helper's answer) through before the next synchronous job. */
export function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs jobs in this thread, yielding to the event loop before each one. */
export function createLocalExecutor(): JobExecutor {
	const simulate = createSimulator();
	return {
		async simulate(job) {
			await yieldToEventLoop();
			return simulate(job);
		},
		async summarise(job) {
			await yieldToEventLoop();
			return runSummariseJob(job);
		}
	};
}
