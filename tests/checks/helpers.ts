import { simulatePaths } from '../../src/lib/engine/simulate';
import { executePlan, keepMetrics, type Simulate } from '../../src/lib/checks/execute';
import { loadCheckText } from '../../src/lib/checks/parse';
import { planChecks, type Plan } from '../../src/lib/checks/plan';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { buildLibrary } from '../../src/lib/scenario/resolve';
import { readScenarioDirectory } from '../../src/cli/scenario-files';

export const library = buildLibrary(readScenarioDirectory()).library;

/** Runs a simulation in this thread (the CLI uses the worker pool; the paths are the same). */
export const simulateInThread: Simulate = async (spec) => {
	const timeline = buildTimeline(spec.scenario);
	return keepMetrics(simulatePaths(timeline, spec.seed, 0, spec.paths), timeline.months, spec.metrics);
};

export function planText(text: string, source = 'inline.yaml', options = {}): Plan {
	return planChecks([loadCheckText(text, source)], library, options);
}

export async function runText(text: string, source = 'inline.yaml') {
	return executePlan(planText(text, source), simulateInThread);
}
