/**
 * The thread's side of a sweep point run whole in one thread (see `PointJob`): its paths simulated
 * and its outputs computed here. A thread plans each sweep once.
 */
import { planSweep, type SweepPlan } from './plan';
import { allocateBlock, simulatePaths, targetIn, type PathBlock } from '../engine/simulate';
import { buildTimeline } from '../engine/timeline';
import { monthRange } from '../time/months';
import { recordOf, simulatedScenarioAt, type PointJob, type SweepRecord } from './run';

/** Sweeps a thread keeps planned (a notebook may run a few). */
const PLANS_KEPT = 4;
const plans = new Map<string, SweepPlan>();

function planOf(job: PointJob): SweepPlan {
	let plan = plans.get(job.sweep);
	if (!plan) {
		plan = planSweep(job.definition, job.base);
		plans.set(job.sweep, plan);
		if (plans.size > PLANS_KEPT) plans.delete(plans.keys().next().value!);
	}
	return plan;
}

/** The thread's block for a point's paths, reused point after point rather than allocated for each (a few MB). */
let block: PathBlock | undefined;

/** Simulates a point's paths in this thread and computes its record, in one synchronous step (the block is free again after it). */
export function runPointJob(job: PointJob): SweepRecord {
	const plan = planOf(job);
	const scenario = simulatedScenarioAt(plan, job.values);
	const months = monthRange(scenario.start, scenario.end);
	if (block?.pathCount !== plan.paths || block.monthCount !== months.length) block = allocateBlock(0, plan.paths, months.length);
	simulatePaths(buildTimeline(scenario), plan.seed, 0, plan.paths, targetIn(block, 0));
	return recordOf(plan, { months, block }, job.values, job.point);
}
