/**
 * The thread's side of a sweep point run whole in one thread (see `PointJob`): its paths simulated
 * and its outputs computed here. A thread plans each sweep once.
 */
import { planSweep, type SweepPlan } from './plan';
import { evaluatePoint, type PointJob, type SweepRecord } from './run';

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

/** Simulates a point's paths in this thread and computes its record. */
export function runPointJob(job: PointJob): Promise<SweepRecord> {
	return evaluatePoint(planOf(job), job.values, job.point);
}
