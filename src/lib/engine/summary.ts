import { metricDefinitions, type MetricName } from '../model/metrics';
import { medianErrorRanks, percentileRanks } from '../stats/ranks';
import { emptySummary } from '../stats/series';
import { OrderStatistics } from './quantiles';
import type { PathBlock } from './simulate';

export const summaryPercentiles = { p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 } as const;
type PercentileKey = keyof typeof summaryPercentiles;
const percentileKeys = Object.keys(summaryPercentiles) as PercentileKey[];

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
	/** Share of paths whose value is above zero: for a metric often exactly 0 (shortfall), the chance it is not. */
	shareAboveZero: number[];
}

export type MetricSummaries = Record<MetricName, MetricSummary>;

/**
 * What a column summary needs for n values: the ranks to select (ascending, as the order
 * statistics' `select` wants them) and, for each percentile, where its two ranks and the weight
 * between them are.
 */
class SummaryPlan {
	readonly ranks: Int32Array;
	readonly values: Float64Array;
	/** Per percentile key: index of its lower and upper rank in `ranks`, and the interpolation weight. */
	readonly lowIndex: Int32Array;
	readonly highIndex: Int32Array;
	readonly weight: Float64Array;
	readonly errorLowIndex: number;
	readonly errorHighIndex: number;

	constructor(n: number) {
		const wanted: number[] = [];
		const plan = percentileKeys.map((key) => percentileRanks(n, summaryPercentiles[key]));
		for (const [low, high] of plan) wanted.push(low, high);
		const [errorLow, errorHigh] = medianErrorRanks(n);
		wanted.push(errorLow, errorHigh);
		const ranks = [...new Set(wanted)].sort((a, b) => a - b);
		this.ranks = Int32Array.from(ranks);
		this.values = new Float64Array(ranks.length);
		this.lowIndex = Int32Array.from(plan, ([low]) => ranks.indexOf(low));
		this.highIndex = Int32Array.from(plan, ([, high]) => ranks.indexOf(high));
		this.weight = Float64Array.from(plan, ([, , weight]) => weight);
		this.errorLowIndex = ranks.indexOf(errorLow);
		this.errorHighIndex = ranks.indexOf(errorHigh);
	}
}

/** Buffers and plan for the last column length seen, reused across calls (one set per thread). */
let workspace: { n: number; statistics: OrderStatistics; plan: SummaryPlan } | undefined;
function workspaceFor(n: number) {
	if (workspace?.n !== n) workspace = { n, statistics: new OrderStatistics(n), plan: new SummaryPlan(n) };
	return workspace;
}

function summariseWith(column: Float32Array, statistics: OrderStatistics, plan: SummaryPlan, into: MetricSummary, t: number): void {
	const n = column.length;
	if (n === 0) {
		for (const key of percentileKeys) into[key][t] = Number.NaN;
		into.mean[t] = into.se50[t] = into.shareAboveZero[t] = Number.NaN;
		return;
	}
	const values = plan.values;
	into.mean[t] = statistics.select(column, plan.ranks, values) / n;
	into.shareAboveZero[t] = statistics.aboveZero / n;
	for (let k = 0; k < percentileKeys.length; k++) {
		const low = values[plan.lowIndex[k]];
		const high = values[plan.highIndex[k]];
		into[percentileKeys[k]][t] = low + plan.weight[k] * (high - low);
	}
	into.se50[t] = (values[plan.errorHighIndex] - values[plan.errorLowIndex]) / 2;
}

/**
 * Summarises one month's values across paths: mean, type-7 percentiles and the median's standard
 * error, from exact order statistics. `scratch` is kept for callers' sake and not used.
 */
export function summariseColumn(column: Float32Array, scratch: Float32Array, into: MetricSummary, t: number): void {
	void scratch;
	const { statistics, plan } = workspaceFor(column.length);
	summariseWith(column, statistics, plan, into, t);
}

/** Summaries of the chosen metrics (all by default), every month. */
export function summariseBlock(block: PathBlock, metrics: readonly MetricName[] = metricDefinitions.map((m) => m.name)): Partial<MetricSummaries> {
	const n = block.pathCount;
	const { statistics, plan } = workspaceFor(n);
	const result: Partial<MetricSummaries> = {};
	for (const name of metrics) {
		const index = metricDefinitions.findIndex((m) => m.name === name);
		const summary = emptySummary(metricDefinitions[index].unit, block.monthCount);
		const values = block.metrics[index];
		statistics.forgetRange();
		for (let t = 0; t < block.monthCount; t++) summariseWith(values.subarray(t * n, (t + 1) * n), statistics, plan, summary, t);
		result[name] = summary;
	}
	return result;
}

/** One summary from summaries of consecutive month ranges, in order. */
export function joinSummaries(parts: readonly MetricSummary[]): MetricSummary {
	if (parts.length === 1) return parts[0];
	const joined = (key: Exclude<keyof MetricSummary, 'unit'>) => parts.flatMap((part) => part[key]);
	return {
		unit: parts[0].unit,
		p5: joined('p5'),
		p25: joined('p25'),
		p50: joined('p50'),
		p75: joined('p75'),
		p95: joined('p95'),
		mean: joined('mean'),
		se50: joined('se50'),
		shareAboveZero: joined('shareAboveZero')
	};
}
