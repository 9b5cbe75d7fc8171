import type { MetricName } from '../model/metrics';
import { metricIndex } from '../model/metrics';
import type { PathBlock } from '../engine/simulate';
import { checkResultOf, evaluateCase, type CaseResult, type CheckResult, type SimulatedPaths } from './evaluate';
import { simulationKeysOf, type Plan, type PlannedCheck, type SimulationSpec, type Variant } from './plan';

/** Runs one simulation (in a worker pool, or in this thread for tests). */
export type Simulate = (spec: SimulationSpec) => Promise<SimulatedPaths>;

/** Keeps only the metrics a simulation's checks read, so finished runs do not pile up in memory. */
export function keepMetrics(block: PathBlock, months: readonly string[], metrics: Iterable<MetricName>): SimulatedPaths {
	const kept = new Map<MetricName, Float32Array>();
	for (const metric of metrics) kept.set(metric, block.metrics[metricIndex[metric]]);
	return { months, pathCount: block.pathCount, metrics: kept };
}

interface PendingCase {
	check: number;
	subject: Variant;
	metric: MetricName;
	keys: readonly string[];
	result?: CaseResult;
}

export interface ExecuteOptions {
	/** Simulations in flight at once (each may itself use every worker). */
	concurrency?: number;
	onSimulationDone?: (spec: SimulationSpec, done: number, total: number) => void;
}

/**
 * Runs the plan's simulations in the order the checks need them and judges each case (check ×
 * scenario × metric) as soon as its simulations are in; a simulation is dropped when no case
 * still needs it. Results are the same whatever the order or concurrency.
 */
export async function executePlan(plan: Plan, simulate: Simulate, options: ExecuteOptions = {}): Promise<CheckResult[]> {
	const cases: PendingCase[] = [];
	plan.checks.forEach((check: PlannedCheck, index) => {
		for (const subject of check.subjects) {
			const keys = simulationKeysOf(check, subject);
			for (const metric of check.metrics) cases.push({ check: index, subject, metric, keys });
		}
	});
	const byKey = new Map(plan.simulations.map((s) => [s.key, s]));
	const order: SimulationSpec[] = [];
	const uses = new Map<string, number>();
	for (const c of cases) {
		for (const key of c.keys) {
			const spec = byKey.get(key);
			if (!spec) throw new Error(`simulation ${key.slice(0, 40)}… is not in the plan`);
			if (!uses.has(key)) order.push(spec);
			uses.set(key, (uses.get(key) ?? 0) + 1);
		}
	}
	const available = new Map<string, SimulatedPaths>();
	const lookup = (key: string) => {
		const found = available.get(key);
		if (!found) throw new Error(`simulation ${key.slice(0, 40)}… is not available`);
		return found;
	};
	let done = 0;
	const settle = () => {
		for (const c of cases) {
			if (c.result || !c.keys.every((k) => available.has(k))) continue;
			c.result = evaluateCase(plan.checks[c.check], c.subject, c.metric, lookup);
			for (const key of c.keys) {
				const left = (uses.get(key) ?? 0) - 1;
				uses.set(key, left);
				if (left === 0) available.delete(key);
			}
		}
	};
	const concurrency = Math.max(1, options.concurrency ?? 1);
	let next = 0;
	const worker = async () => {
		while (next < order.length) {
			const spec = order[next++];
			const paths = await simulate(spec);
			available.set(spec.key, paths);
			done++;
			options.onSimulationDone?.(spec, done, order.length);
			settle();
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, order.length) }, worker));
	const judged = (c: PendingCase): CaseResult => {
		if (!c.result) throw new Error(`a case of "${plan.checks[c.check].name}" was never judged`);
		return c.result;
	};
	return plan.checks.map((check, index) => checkResultOf(check, cases.filter((c) => c.check === index).map(judged)));
}
