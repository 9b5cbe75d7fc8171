import { chinaShareOfSupply2024 } from '../model/calibration';
import { metricIndex } from '../model/metrics';
import { recordedProportionError } from '../stats/estimates';
import { medianErrorRanks, percentileRanks } from '../stats/ranks';
import type { PathBlock } from './simulate';

/** A probability estimated from paths, with its Monte Carlo standard error as recorded in run results (`recordedProportionError`). */
export interface Probability {
	p: number;
	se: number;
}

export interface Indicators {
	/** Per calendar year: P(any shortfall that year) and P(any shortfall from the start through that year). */
	shortfallByYear: { year: number; inYear: Probability; byYear: Probability }[];
	/** Expected shortfall summed over the horizon (t), with its standard error. */
	cumulativeShortfall: { mean: number; se: number; unit: 't' };
	/** China's share of U.S. supply, averaged over 2030 on each path; null when 2030 is outside the horizon. */
	dependency2030: { p5: number; p50: number; p95: number; se50: number; unit: 'fraction' } | null;
	/** Reliance cut on China (1 − China's share ÷ its 2024 share), averaged over 2030 on each path; null when 2030 is outside the horizon. */
	relianceCut2030: { p5: number; p50: number; p95: number; se50: number; unit: 'fraction' } | null;
	/** P(the landed U.S. price of a China-made magnet exceeds `multiple` × its first-month value in some month). */
	priceAboveMultiple: Probability & { multiple: number };
	/** The first year whose average reliance cut reaches `threshold`. */
	relianceCut: {
		threshold: number;
		/** Share of paths reaching it first in each year; paths that never reach it are in `never`. */
		firstYear: { year: number; share: number }[];
		never: number;
		medianYear: number | null;
		by2030: Probability | null;
	};
}

export const indicatorSettings = { priceMultiple: 2, relianceCutThreshold: 0.3, dependencyYear: 2030, relianceCutYear: 2030 } as const;

function probability(count: number, n: number): Probability {
	const p = count / n;
	return { p, se: recordedProportionError(p, n) };
}

/**
 * The indicators of a run, accumulated over its paths in consecutive blocks (path order), then
 * reduced: per-path values (shortfall totals, first months, 2030 averages) are computed block by
 * block, and every sum over paths is added in path order, so any split into blocks gives the same
 * numbers, bit for bit, as one block of every path. Memory: 8 bytes a path (the 2030 averages,
 * whose quantiles are exact) plus the current block's working arrays.
 */
export class IndicatorAccumulator {
	private readonly monthCount: number;
	private readonly years: number[];
	private readonly distinctYears: number[];
	private readonly yearWeights: number[];
	private readonly dependencyMonths: number[];
	/** China's share averaged over the dependency year, per path of the whole run. */
	private readonly dependency: Float64Array;
	private readonly shortfallInYear: Map<number, number>;
	private readonly firstShortfallCounts: Map<number, number>;
	private readonly firstReachCounts: Map<number, number>;
	private cumulativeSum = 0;
	private cumulativeSquares = 0;
	private priceCount = 0;
	private pathsAdded = 0;
	/** Per-path working arrays of the current block, reused across blocks. */
	private work:
		| {
				yearCut: Float64Array;
				total: Float64Array;
				firstShortfallMonth: Int32Array;
				firstReachMonth: Int32Array;
				priceExceeded: Uint8Array;
				hadShortfallThisYear: Uint8Array;
		  }
		| undefined;

	constructor(
		months: readonly string[],
		readonly pathCount: number
	) {
		this.monthCount = months.length;
		this.years = months.map((m) => Number(m.slice(0, 4)));
		this.distinctYears = [...new Set(this.years)];
		const monthsInYear = new Map<number, number>();
		for (const y of this.years) monthsInYear.set(y, (monthsInYear.get(y) ?? 0) + 1);
		this.yearWeights = this.years.map((y) => 1 / monthsInYear.get(y)!);
		this.dependencyMonths = this.years.flatMap((y, t) => (y === indicatorSettings.dependencyYear ? [t] : []));
		this.dependency = new Float64Array(this.dependencyMonths.length > 0 ? pathCount : 0);
		this.shortfallInYear = new Map<number, number>(this.distinctYears.map((y) => [y, 0]));
		this.firstShortfallCounts = new Map<number, number>(this.distinctYears.map((y) => [y, 0]));
		this.firstReachCounts = new Map<number, number>(this.distinctYears.map((y) => [y, 0]));
	}

	private workFor(n: number) {
		if (!this.work || this.work.total.length < n) {
			this.work = {
				yearCut: new Float64Array(n),
				total: new Float64Array(n),
				firstShortfallMonth: new Int32Array(n),
				firstReachMonth: new Int32Array(n),
				priceExceeded: new Uint8Array(n),
				hadShortfallThisYear: new Uint8Array(n)
			};
		}
		const work = this.work;
		work.yearCut.fill(0, 0, n);
		work.total.fill(0, 0, n);
		work.firstShortfallMonth.fill(this.monthCount, 0, n);
		work.firstReachMonth.fill(this.monthCount, 0, n);
		work.priceExceeded.fill(0, 0, n);
		work.hadShortfallThisYear.fill(0, 0, n);
		return work;
	}

	/** Adds the run's next `block.pathCount` paths (every month, month-major). */
	add(block: PathBlock): void {
		const n = block.pathCount;
		const T = this.monthCount;
		if (block.monthCount !== T) throw new Error(`a block of ${block.monthCount} months for indicators over ${T} months`);
		if (this.pathsAdded + n > this.pathCount) throw new Error(`more than the ${this.pathCount} paths planned for the indicators`);
		const { years, dependencyMonths } = this;
		const shortfall = block.metrics[metricIndex.shortfall];
		const price = block.metrics[metricIndex.usMagnetPrice];
		const share = block.metrics[metricIndex.chinaShare];
		const cut = block.metrics[metricIndex.relianceCut];
		const { yearCut, total, firstShortfallMonth, firstReachMonth, priceExceeded, hadShortfallThisYear } = this.workFor(n);
		const dependency = this.dependency.subarray(dependencyMonths.length > 0 ? this.pathsAdded : 0);

		// Month-major: each month's values are contiguous, so walk months outside and paths inside.
		for (let t = 0; t < T; t++) {
			if (t > 0 && years[t] !== years[t - 1]) {
				hadShortfallThisYear.fill(0, 0, n);
				yearCut.fill(0, 0, n);
			}
			const lastOfYear = t === T - 1 || years[t + 1] !== years[t];
			const yearWeight = this.yearWeights[t];
			const row = t * n;
			let newInYear = 0;
			for (let i = 0; i < n; i++) {
				const s = shortfall[row + i];
				if (s > 0) {
					total[i] += s;
					if (firstShortfallMonth[i] === T) firstShortfallMonth[i] = t;
					if (hadShortfallThisYear[i] === 0) {
						hadShortfallThisYear[i] = 1;
						newInYear++;
					}
				}
				if (price[row + i] > indicatorSettings.priceMultiple * price[i]) priceExceeded[i] = 1;
				yearCut[i] += cut[row + i] * yearWeight;
				if (lastOfYear && firstReachMonth[i] === T && yearCut[i] >= indicatorSettings.relianceCutThreshold) firstReachMonth[i] = t;
			}
			this.shortfallInYear.set(years[t], this.shortfallInYear.get(years[t])! + newInYear);
			if (years[t] === indicatorSettings.dependencyYear) for (let i = 0; i < n; i++) dependency[i] += share[row + i] / dependencyMonths.length;
		}

		// The sums over paths go on in path order, across blocks.
		for (let i = 0; i < n; i++) {
			this.cumulativeSum += total[i];
			this.cumulativeSquares += total[i] * total[i];
			this.priceCount += priceExceeded[i];
			if (firstShortfallMonth[i] < T) {
				const year = years[firstShortfallMonth[i]];
				this.firstShortfallCounts.set(year, this.firstShortfallCounts.get(year)! + 1);
			}
			if (firstReachMonth[i] < T) {
				const year = years[firstReachMonth[i]];
				this.firstReachCounts.set(year, this.firstReachCounts.get(year)! + 1);
			}
		}
		this.pathsAdded += n;
	}

	/** The indicators of every path added (all `pathCount` of them). Sorts the 2030 averages in place: call once. */
	finish(): Indicators {
		const n = this.pathCount;
		if (this.pathsAdded !== n) throw new Error(`indicators over ${this.pathsAdded} of ${n} paths`);
		const { distinctYears, years, dependency } = this;
		let reachedSoFar = 0;
		const byYearCounts = new Map(
			distinctYears.map((year) => {
				reachedSoFar += this.firstShortfallCounts.get(year)!;
				return [year, reachedSoFar];
			})
		);
		let reached = 0;
		let reachedBy2030 = 0;
		for (const year of distinctYears) {
			reached += this.firstReachCounts.get(year)!;
			if (year <= indicatorSettings.relianceCutYear) reachedBy2030 += this.firstReachCounts.get(year)!;
		}
		const never = n - reached;

		const cumulativeMean = this.cumulativeSum / n;
		const cumulativeVariance = n > 1 ? Math.max(0, (this.cumulativeSquares - n * cumulativeMean * cumulativeMean) / (n - 1)) : 0;
		const hasDependency = this.dependencyMonths.length > 0;
		return {
			shortfallByYear: distinctYears.map((year) => ({
				year,
				inYear: probability(this.shortfallInYear.get(year)!, n),
				byYear: probability(byYearCounts.get(year)!, n)
			})),
			cumulativeShortfall: { mean: cumulativeMean, se: Math.sqrt(cumulativeVariance / n), unit: 't' },
			dependency2030: hasDependency ? dependencySummary(dependency) : null,
			relianceCut2030: hasDependency ? dependencySummary(dependency.map((share) => 1 - share / chinaShareOfSupply2024)) : null,
			priceAboveMultiple: { ...probability(this.priceCount, n), multiple: indicatorSettings.priceMultiple },
			relianceCut: {
				threshold: indicatorSettings.relianceCutThreshold,
				firstYear: distinctYears.map((year) => ({ year, share: this.firstReachCounts.get(year)! / n })),
				never: never / n,
				medianYear: medianYear(distinctYears, this.firstReachCounts, reached, n),
				by2030: years.includes(indicatorSettings.relianceCutYear) ? probability(reachedBy2030, n) : null
			}
		};
	}
}

/** The indicators of one block holding every path of a run. */
export function computeIndicators(block: PathBlock, months: readonly string[]): Indicators {
	const accumulator = new IndicatorAccumulator(months, block.pathCount);
	accumulator.add(block);
	return accumulator.finish();
}

/**
 * Median first year over all paths, counting never-reached paths as later than any year: the
 * year at rank ⌊(n − 1) / 2⌋ of the paths' first years in ascending order, from counts per year.
 */
function medianYear(distinctYears: readonly number[], counts: ReadonlyMap<number, number>, reached: number, n: number): number | null {
	const rank = Math.floor((n - 1) / 2);
	if (rank >= reached) return null;
	let below = 0;
	for (const year of distinctYears) {
		below += counts.get(year)!;
		if (below > rank) return year;
	}
	return null;
}

function dependencySummary(values: Float64Array) {
	const n = values.length;
	const [p5, p5High, p5Weight] = percentileRanks(n, 0.05);
	const [p50, p50High, p50Weight] = percentileRanks(n, 0.5);
	const [p95, p95High, p95Weight] = percentileRanks(n, 0.95);
	const [errorLow, errorHigh] = medianErrorRanks(n);
	// One column: a numeric sort gives the same order statistics as selection, simply.
	values.sort();
	const interpolate = (low: number, high: number, w: number) => values[low] + w * (values[high] - values[low]);
	return {
		p5: interpolate(p5, p5High, p5Weight),
		p50: interpolate(p50, p50High, p50Weight),
		p95: interpolate(p95, p95High, p95Weight),
		se50: (values[errorHigh] - values[errorLow]) / 2,
		unit: 'fraction' as const
	};
}
