import { metricNames, metricUnit, type MetricName } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import { monthToAbsolute } from '../time/months';
import { analysisError, checkMetric, horizonOf, metricValues, simulateScenario, type SimulatedPaths, type SimulationSettings } from './common';
import { proportionEstimate } from '../stats/estimates';
import { summariseSeries, type SeriesSummary } from '../stats/series';

/**
 * Scenario B against scenario A with common random numbers: path i of both uses the same draws,
 * so the per-path difference B − A is the effect of the scenario, not noise. The fan chart is of
 * that per-path difference (not the difference of percentiles).
 */

export type WorseWhen = 'higher' | 'lower';

/** Which direction of each metric is worse for U.S. buyers (used for "P(B worse than A)"). */
export const worseWhen: Record<MetricName, WorseWhen> = {
	demand: 'higher',
	chinaExports: 'lower',
	domesticSupply: 'lower',
	alliedSupply: 'lower',
	inventory: 'lower',
	coverMonths: 'lower',
	shortfall: 'higher',
	ndprPrice: 'higher',
	chinaMagnetPrice: 'higher',
	exChinaPremium: 'higher',
	usMagnetPrice: 'higher',
	averagePaidPrice: 'higher',
	chinaShare: 'higher',
	relianceCut: 'lower',
	domesticShare: 'lower',
	replacement: 'lower',
	importBill: 'higher',
	backlog: 'higher',
	regime: 'higher'
};

export interface MonthAlignment {
	/** Months both scenarios cover. */
	months: string[];
	/** Row of the first common month in A and in B. */
	offsetA: number;
	offsetB: number;
	notices: string[];
}

/** The overlap of two horizons, with notices when they differ. Throws when they do not overlap. */
export function alignMonths(a: readonly string[], b: readonly string[], names: [string, string] = ['A', 'B']): MonthAlignment {
	const startA = monthToAbsolute(a[0]);
	const startB = monthToAbsolute(b[0]);
	const first = Math.max(startA, startB);
	const last = Math.min(monthToAbsolute(a.at(-1)!), monthToAbsolute(b.at(-1)!));
	if (last < first) {
		throw analysisError('comparison', '', `the horizons do not overlap: ${names[0]} covers ${a[0]} … ${a.at(-1)}, ${names[1]} covers ${b[0]} … ${b.at(-1)}`);
	}
	const offsetA = first - startA;
	const offsetB = first - startB;
	const months = a.slice(offsetA, offsetA + last - first + 1);
	const notices: string[] = [];
	if (a.length !== b.length || startA !== startB) {
		notices.push(
			`the scenarios cover different horizons (${names[0]}: ${a[0]} … ${a.at(-1)}, ${names[1]}: ${b[0]} … ${b.at(-1)}); compared over the overlap ${months[0]} … ${months.at(-1)}`
		);
	}
	if (startA !== startB) {
		notices.push(
			'the scenarios start in different months, so their monthly draws are not aligned by calendar month: the difference includes sampling noise, not only the scenario'
		);
	}
	return { months, offsetA, offsetB, notices };
}

function checkPathCounts(a: SimulatedPaths, b: SimulatedPaths) {
	if (a.block.pathCount !== b.block.pathCount || a.block.firstPath !== b.block.firstPath) {
		throw analysisError(
			'comparison',
			'',
			`both scenarios need the same paths for common random numbers; A has paths ${a.block.firstPath}…${a.block.firstPath + a.block.pathCount - 1}, B has ${b.block.firstPath}…${b.block.firstPath + b.block.pathCount - 1}`
		);
	}
}

/** Per-path, per-month difference B − A of one metric over the common months (month-major). */
export function pathDifferences(a: SimulatedPaths, b: SimulatedPaths, metric: MetricName, alignment = alignMonths(a.months, b.months)): Float64Array {
	checkPathCounts(a, b);
	const n = a.block.pathCount;
	const valuesA = metricValues(a, metric);
	const valuesB = metricValues(b, metric);
	const out = new Float64Array(alignment.months.length * n);
	for (let t = 0; t < alignment.months.length; t++) {
		const rowA = (t + alignment.offsetA) * n;
		const rowB = (t + alignment.offsetB) * n;
		const row = t * n;
		// Float32 values subtract exactly in float64: identical paths give exactly 0.
		for (let i = 0; i < n; i++) out[row + i] = valuesB[rowB + i] - valuesA[rowA + i];
	}
	return out;
}

export interface MetricComparison {
	metric: MetricName;
	unit: string;
	worseWhen: WorseWhen;
	/** Fan chart of the per-path difference B − A, month by month. */
	difference: SeriesSummary;
	/** P(B is worse than A on the same path) by month; ties (equal values) count as neither. */
	pWorse: { p: number[]; se: number[] };
	pBetter: { p: number[]; se: number[] };
}

export interface ComparisonResult {
	a: { id: string; title: string; horizon: string };
	b: { id: string; title: string; horizon: string };
	seed?: number;
	paths: number;
	months: string[];
	/** Said to the user: different horizons, compared over the overlap, and so on. */
	notices: string[];
	metrics: Partial<Record<MetricName, MetricComparison>>;
}

export interface CompareOptions {
	metrics?: readonly string[];
	worseWhen?: Partial<Record<MetricName, WorseWhen>>;
}

/** Compares simulated paths of B against A (same seed and path range). */
export function compareBlocks(
	a: SimulatedPaths,
	b: SimulatedPaths,
	options: CompareOptions = {},
	labels: { a: ComparisonResult['a']; b: ComparisonResult['b'] } = {
		a: { id: 'A', title: 'A', horizon: `${a.months[0]} … ${a.months.at(-1)}` },
		b: { id: 'B', title: 'B', horizon: `${b.months[0]} … ${b.months.at(-1)}` }
	}
): ComparisonResult {
	checkPathCounts(a, b);
	const metrics = (options.metrics ?? metricNames).map((m, k) => checkMetric(m, 'comparison', `metrics[${k}]`));
	const alignment = alignMonths(a.months, b.months, [labels.a.id, labels.b.id]);
	const n = a.block.pathCount;
	const T = alignment.months.length;
	const result: ComparisonResult = { ...labels, paths: n, months: alignment.months, notices: alignment.notices, metrics: {} };
	for (const metric of metrics) {
		const direction = options.worseWhen?.[metric] ?? worseWhen[metric];
		const difference = pathDifferences(a, b, metric, alignment);
		const pWorse = { p: [] as number[], se: [] as number[] };
		const pBetter = { p: [] as number[], se: [] as number[] };
		for (let t = 0; t < T; t++) {
			let higher = 0;
			let lower = 0;
			for (let i = t * n; i < (t + 1) * n; i++) {
				if (difference[i] > 0) higher++;
				else if (difference[i] < 0) lower++;
			}
			const worse = proportionEstimate(direction === 'higher' ? higher : lower, n);
			const better = proportionEstimate(direction === 'higher' ? lower : higher, n);
			pWorse.p.push(worse.value);
			pWorse.se.push(worse.se);
			pBetter.p.push(better.value);
			pBetter.se.push(better.se);
		}
		result.metrics[metric] = {
			metric,
			unit: metricUnit[metric],
			worseWhen: direction,
			difference: summariseSeries(difference, n, T, metricUnit[metric]),
			pWorse,
			pBetter
		};
	}
	return result;
}

/** Simulates both scenarios with the same seed and paths, and compares B against A. */
export async function compareScenarios(a: Scenario, b: Scenario, settings: SimulationSettings & CompareOptions): Promise<ComparisonResult> {
	const total = settings.paths * 2;
	const pathsA = await simulateScenario(a, { ...settings, onProgress: undefined });
	settings.onProgress?.(settings.paths, total);
	const pathsB = await simulateScenario(b, { ...settings, onProgress: undefined });
	settings.onProgress?.(total, total);
	const result = compareBlocks(pathsA, pathsB, settings, {
		a: { id: a.id, title: a.title, horizon: horizonOf(a) },
		b: { id: b.id, title: b.title, horizon: horizonOf(b) }
	});
	return { ...result, seed: settings.seed };
}
