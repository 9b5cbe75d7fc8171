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

export function computeIndicators(block: PathBlock, months: readonly string[]): Indicators {
	const n = block.pathCount;
	const T = block.monthCount;
	const years = months.map((m) => Number(m.slice(0, 4)));
	const distinctYears = [...new Set(years)];
	const shortfall = block.metrics[metricIndex.shortfall];
	const price = block.metrics[metricIndex.usMagnetPrice];
	const share = block.metrics[metricIndex.chinaShare];
	const cut = block.metrics[metricIndex.relianceCut];
	const monthsInYear = new Map<number, number>();
	for (const y of years) monthsInYear.set(y, (monthsInYear.get(y) ?? 0) + 1);
	const yearCut = new Float64Array(n);

	const dependencyMonths = years.flatMap((y, t) => (y === indicatorSettings.dependencyYear ? [t] : []));
	const dependency = new Float64Array(dependencyMonths.length > 0 ? n : 0);
	const total = new Float64Array(n);
	const firstShortfallMonth = new Int32Array(n).fill(T);
	const firstReachMonth = new Int32Array(n).fill(T);
	const priceExceeded = new Uint8Array(n);
	const shortfallInYear = new Map<number, number>(distinctYears.map((y) => [y, 0]));
	const hadShortfallThisYear = new Uint8Array(n);

	// Month-major: each month's values are contiguous, so walk months outside and paths inside.
	for (let t = 0; t < T; t++) {
		if (t > 0 && years[t] !== years[t - 1]) {
			hadShortfallThisYear.fill(0);
			yearCut.fill(0);
		}
		const lastOfYear = t === T - 1 || years[t + 1] !== years[t];
		const yearWeight = 1 / monthsInYear.get(years[t])!;
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
		shortfallInYear.set(years[t], shortfallInYear.get(years[t])! + newInYear);
		if (years[t] === indicatorSettings.dependencyYear) for (let i = 0; i < n; i++) dependency[i] += share[row + i] / dependencyMonths.length;
	}

	let cumulativeSum = 0;
	let cumulativeSquares = 0;
	let priceCount = 0;
	const firstShortfallCounts = new Map<number, number>(distinctYears.map((y) => [y, 0]));
	const firstReachCounts = new Map<number, number>(distinctYears.map((y) => [y, 0]));
	const firstYears: number[] = [];
	for (let i = 0; i < n; i++) {
		cumulativeSum += total[i];
		cumulativeSquares += total[i] * total[i];
		priceCount += priceExceeded[i];
		if (firstShortfallMonth[i] < T) firstShortfallCounts.set(years[firstShortfallMonth[i]], firstShortfallCounts.get(years[firstShortfallMonth[i]])! + 1);
		if (firstReachMonth[i] < T) {
			const year = years[firstReachMonth[i]];
			firstReachCounts.set(year, firstReachCounts.get(year)! + 1);
			firstYears.push(year);
		}
	}
	let reachedSoFar = 0;
	const byYearCounts = new Map(
		distinctYears.map((year) => {
			reachedSoFar += firstShortfallCounts.get(year)!;
			return [year, reachedSoFar];
		})
	);
	const never = n - firstYears.length;

	const cumulativeMean = cumulativeSum / n;
	const cumulativeVariance = n > 1 ? Math.max(0, (cumulativeSquares - n * cumulativeMean * cumulativeMean) / (n - 1)) : 0;
	return {
		shortfallByYear: distinctYears.map((year) => ({
			year,
			inYear: probability(shortfallInYear.get(year)!, n),
			byYear: probability(byYearCounts.get(year)!, n)
		})),
		cumulativeShortfall: { mean: cumulativeMean, se: Math.sqrt(cumulativeVariance / n), unit: 't' },
		dependency2030: dependencyMonths.length > 0 ? dependencySummary(dependency) : null,
		relianceCut2030: dependencyMonths.length > 0 ? dependencySummary(dependency.map((share) => 1 - share / chinaShareOfSupply2024)) : null,
		priceAboveMultiple: { ...probability(priceCount, n), multiple: indicatorSettings.priceMultiple },
		relianceCut: {
			threshold: indicatorSettings.relianceCutThreshold,
			firstYear: distinctYears.map((year) => ({ year, share: firstReachCounts.get(year)! / n })),
			never: never / n,
			medianYear: medianYear(firstYears, n),
			by2030: years.includes(indicatorSettings.relianceCutYear) ? probability(firstYears.filter((y) => y <= indicatorSettings.relianceCutYear).length, n) : null
		}
	};
}

/** Median first year over all paths, counting never-reached paths as later than any year. */
function medianYear(firstYears: number[], n: number): number | null {
	const rank = Math.floor((n - 1) / 2);
	if (rank >= firstYears.length) return null;
	return [...firstYears].sort((a, b) => a - b)[rank];
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
