import { metricDefinitions, type MetricName } from '../model/metrics';
import { medianErrorRanks, percentileRanks, selectRanks } from './quantiles';
import type { PathBlock } from './simulate';

export const summaryPercentiles = { p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 } as const;
type PercentileKey = keyof typeof summaryPercentiles;

/** One metric's distribution month by month, across paths. */
export interface MetricSummary {
	unit: string;
	p5: number[];
	p25: number[];
	p50: number[];
	p75: number[];
	p95: number[];
	mean: number[];
	/** Monte Carlo standard error of the median. */
	se50: number[];
}

export type MetricSummaries = Record<MetricName, MetricSummary>;

/** Summarises one month's values across paths. `scratch` is overwritten. */
export function summariseColumn(column: Float32Array, scratch: Float32Array, into: MetricSummary, t: number): void {
	const n = column.length;
	let sum = 0;
	for (let i = 0; i < n; i++) sum += column[i];
	into.mean[t] = sum / n;
	scratch.set(column);
	const ranks: number[] = [];
	const keys = Object.keys(summaryPercentiles) as PercentileKey[];
	const plan = keys.map((key) => percentileRanks(n, summaryPercentiles[key]));
	for (const [low, high] of plan) ranks.push(low, high);
	const [errorLow, errorHigh] = medianErrorRanks(n);
	ranks.push(errorLow, errorHigh);
	selectRanks(scratch, ranks);
	keys.forEach((key, k) => {
		const [low, high, weight] = plan[k];
		into[key][t] = scratch[low] + weight * (scratch[high] - scratch[low]);
	});
	into.se50[t] = (scratch[errorHigh] - scratch[errorLow]) / 2;
}

function emptySummary(unit: string, months: number): MetricSummary {
	const series = () => new Array<number>(months).fill(0);
	return { unit, p5: series(), p25: series(), p50: series(), p75: series(), p95: series(), mean: series(), se50: series() };
}

/** Summaries of the chosen metrics (all by default), every month. */
export function summariseBlock(block: PathBlock, metrics: readonly MetricName[] = metricDefinitions.map((m) => m.name)): Partial<MetricSummaries> {
	const scratch = new Float32Array(block.pathCount);
	const result: Partial<MetricSummaries> = {};
	for (const name of metrics) {
		const index = metricDefinitions.findIndex((m) => m.name === name);
		const summary = emptySummary(metricDefinitions[index].unit, block.monthCount);
		const values = block.metrics[index];
		for (let t = 0; t < block.monthCount; t++) {
			summariseColumn(values.subarray(t * block.pathCount, (t + 1) * block.pathCount), scratch, summary, t);
		}
		result[name] = summary;
	}
	return result;
}
