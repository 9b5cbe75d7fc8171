import { metricDefinitions, metricNames } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import { medianErrorRanks, percentileRanks } from '../stats/ranks';
import { emptySummary } from '../stats/series';
import { ColumnStatistics, type ColumnStatisticsOptions } from './column-statistics';
import { IndicatorAccumulator, type Indicators } from './indicators';
import { assembleResult, type RunResult, type RunSettings } from './run';
import { simulatePaths, type PathBlock } from './simulate';
import { summaryPercentiles, type MetricSummaries, type MetricSummary } from './summary';
import { buildTimeline } from './timeline';

const percentileKeys = Object.keys(summaryPercentiles) as (keyof typeof summaryPercentiles)[];

/**
 * Bytes of paths a streamed run simulates at a time (a block of every metric and month), and the
 * paths of a block at most. Results never depend on the block size; memory and the time between
 * progress reports do.
 */
export const STREAM_BLOCK_BYTES = 64 * 2 ** 20;

/** Paths of a streamed run's blocks over `monthCount` months: STREAM_BLOCK_BYTES' worth, a multiple of 256, at least 256. */
export function streamBlockPaths(monthCount: number, metricCount = metricDefinitions.length): number {
	const fit = Math.floor(STREAM_BLOCK_BYTES / (Math.max(1, monthCount) * metricCount * Float32Array.BYTES_PER_ELEMENT));
	return Math.max(256, fit - (fit % 256));
}

/**
 * A run's summaries and indicators from its paths fed in consecutive blocks, in path order, over as
 * many passes as the exact percentiles need (see ColumnStatistics): equal, bit for bit, to the
 * summaries of one block of every path (`summariseRun`). Each pass must feed every path again, the
 * same values (the paths are recomputed from the seed); the indicators and means read pass 1.
 */
export class StreamedSummary {
	readonly pathCount: number;
	readonly monthCount: number;
	private readonly statistics: ColumnStatistics;
	private readonly indicators: IndicatorAccumulator;
	private readonly ranks: number[];
	private readonly plan: { low: number; high: number; weight: number }[];
	private readonly errorLow: number;
	private readonly errorHigh: number;
	private pathsFed = 0;

	constructor(
		pathCount: number,
		readonly months: readonly string[],
		options: ColumnStatisticsOptions = {}
	) {
		this.pathCount = pathCount;
		this.monthCount = months.length;
		// The ranks of the in-memory summary: each percentile's two order statistics and the median's error bracket.
		const percentiles = percentileKeys.map((key) => percentileRanks(pathCount, summaryPercentiles[key]));
		const [errorLow, errorHigh] = medianErrorRanks(pathCount);
		this.ranks = [...new Set([...percentiles.flatMap(([low, high]) => [low, high]), errorLow, errorHigh])].sort((a, b) => a - b);
		this.plan = percentiles.map(([low, high, weight]) => ({ low: this.ranks.indexOf(low), high: this.ranks.indexOf(high), weight }));
		this.errorLow = this.ranks.indexOf(errorLow);
		this.errorHigh = this.ranks.indexOf(errorHigh);
		this.statistics = new ColumnStatistics(metricDefinitions.length * this.monthCount, pathCount, this.ranks, options);
		this.indicators = new IndicatorAccumulator(months, pathCount);
	}

	/** Passes fed so far. */
	get passesDone(): number {
		return this.statistics.passesDone;
	}

	/** What each pass after the first did (see ColumnStatistics.plans). */
	get plans() {
		return this.statistics.plans;
	}

	/** Passes the run needs at least, as known now. */
	get passesExpected(): number {
		return this.statistics.passesExpected;
	}

	/** True when no more passes are needed. */
	get done(): boolean {
		return this.statistics.done;
	}

	/** Feeds the pass's next paths: `block.pathCount` paths after those fed so far in this pass, every metric and month. */
	add(block: PathBlock): void {
		for (let m = 0; m < metricDefinitions.length; m++) this.addMetric(block, m);
		this.endBlock(block);
	}

	/** Feeds one metric of the pass's next block (`add` in steps: every metric, then `endBlock`). */
	addMetric(block: PathBlock, metric: number): void {
		const n = block.pathCount;
		const T = this.monthCount;
		if (block.monthCount !== T) throw new Error(`a block of ${block.monthCount} months for a run of ${T}`);
		const values = block.metrics[metric];
		for (let t = 0; t < T; t++) this.statistics.add(metric * T + t, values.subarray(t * n, (t + 1) * n));
	}

	/** Ends a block whose metrics were all fed with `addMetric`: the indicators read it in pass 1. */
	endBlock(block: PathBlock): void {
		if (this.passesDone === 0) this.indicators.add(block);
		this.pathsFed += block.pathCount;
	}

	/** Ends a pass, after every path was fed. */
	endPass(): void {
		if (this.pathsFed !== this.pathCount) throw new Error(`pass ${this.passesDone + 1} was fed ${this.pathsFed} of ${this.pathCount} paths`);
		this.statistics.endPass();
		this.pathsFed = 0;
	}

	/** Every metric's summary, in the engine's order, and the indicators (once `done`; call once). */
	finish(): { metrics: MetricSummaries; indicators: Indicators } {
		if (!this.done) throw new Error('the streamed run needs another pass');
		const n = this.pathCount;
		const T = this.monthCount;
		const { sums, aboveZero, orderStatistics } = this.statistics;
		const rankCount = this.ranks.length;
		const metrics = Object.fromEntries(
			metricDefinitions.map((definition, m) => {
				const summary: MetricSummary = emptySummary(definition.unit, T);
				for (let t = 0; t < T; t++) {
					const c = m * T + t;
					const values = orderStatistics.subarray(c * rankCount, (c + 1) * rankCount);
					// The same arithmetic as the engine's in-memory summary (summary.ts).
					summary.shareAboveZero[t] = aboveZero[c] / n;
					summary.mean[t] = sums[c] / n;
					this.plan.forEach(({ low, high, weight }, k) => {
						summary[percentileKeys[k]][t] = values[low] + weight * (values[high] - values[low]);
					});
					summary.se50[t] = (values[this.errorHigh] - values[this.errorLow]) / 2;
				}
				return [metricNames[m], summary];
			})
		) as MetricSummaries;
		return { metrics, indicators: this.indicators.finish() };
	}
}

/**
 * Runs a scenario in this thread in blocks of `blockPaths` paths, simulating every block again for
 * each pass: the same result as `runScenario`, in memory bounded by the block size. For tests and
 * small tools; the command line spreads the same steps over threads (RunCoordinator).
 */
export function runScenarioStreamed(scenario: Scenario, settings: RunSettings, blockPaths: number, options: ColumnStatisticsOptions = {}): RunResult {
	const timeline = buildTimeline(scenario);
	const summary = new StreamedSummary(settings.paths, timeline.months, options);
	while (!summary.done) {
		for (let first = 0; first < settings.paths; first += blockPaths) {
			summary.add(simulatePaths(timeline, settings.seed, first, Math.min(blockPaths, settings.paths - first)));
		}
		summary.endPass();
	}
	const { metrics, indicators } = summary.finish();
	return assembleResult(scenario, settings, timeline.months, metrics, indicators);
}
