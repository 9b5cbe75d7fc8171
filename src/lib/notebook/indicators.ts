import type { RefineResult } from '../analysis/convergence';
import type { Indicators, Probability } from '../engine/indicators';
import { proportionError } from '../stats/estimates';
import type { Scenario } from '../scenario/schema';
import type { StageSummary } from '../runner/protocol';
import { analysisResult, analysisStatus, memoized, type AnalysisStatusView } from './cell-vm';
import type { AnalysisCellState } from './analyses';
import { firstOpenYear } from '../scenario/now';
import { yearWithin, type CellOf } from './cells';
import { estimateParts, formatEstimateNumber, formatPaths, formatProbability } from './format';
import { indicatorUnit, refineSteps, refineVerdict, type RefineStepRow } from './refine-vm';

/** One line of the indicators table: what, the estimate with its unit, and its Monte Carlo standard error. */
export interface IndicatorRow {
	label: string;
	estimate: string;
	/** Null where the engine gives no standard error. */
	standardError: string | null;
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
/** A share to the precision its standard error supports, e.g. "46 %". */
const percentWithin = (x: number, se: number) => `${formatEstimateNumber(x * 100, se * 100).value} %`;

/**
 * The rows of a run of `paths` paths; each probability's SE is the statistics core's, from its share
 * of the paths. Yearly chances start at `fromYear`: a year already over is not offered.
 */
export function indicatorRows(indicators: Indicators, paths: number, fromYear = -Infinity): IndicatorRow[] {
	const rows: IndicatorRow[] = [];
	const probabilityRow = (label: string, probability: Probability) => {
		const [estimate, standardError] = formatProbability(probability.p, proportionError(probability.p, paths)).split(' ± ');
		rows.push({ label, estimate, standardError });
	};
	const { cumulativeShortfall, dependency2030, relianceCut2030, priceAboveMultiple, relianceCut } = indicators;
	const shortfall = estimateParts(cumulativeShortfall.mean, cumulativeShortfall.se, cumulativeShortfall.unit);
	rows.push({ label: 'Expected shortfall, whole horizon', estimate: shortfall.value, standardError: shortfall.se });
	for (const year of indicators.shortfallByYear.filter((y) => y.year >= fromYear))
		probabilityRow(`Chance of a shortfall by the end of ${year.year}`, year.byYear);
	probabilityRow(`Chance the landed price of a Chinese magnet exceeds ${priceAboveMultiple.multiple}× its first-month value`, priceAboveMultiple);
	if (dependency2030) {
		rows.push({
			label: "China's share of U.S. supply in 2030, median (P5–P95)",
			estimate: `${percentWithin(dependency2030.p50, dependency2030.se50)} (${percentWithin(dependency2030.p5, dependency2030.se50)} – ${percentWithin(dependency2030.p95, dependency2030.se50)})`,
			standardError: percentWithin(dependency2030.se50, dependency2030.se50)
		});
	}
	if (relianceCut2030) {
		rows.push({
			label: 'Cut in reliance on China by 2030 (vs 2024), median (P5–P95)',
			estimate: `${percentWithin(relianceCut2030.p50, relianceCut2030.se50)} (${percentWithin(relianceCut2030.p5, relianceCut2030.se50)} – ${percentWithin(relianceCut2030.p95, relianceCut2030.se50)})`,
			standardError: percentWithin(relianceCut2030.se50, relianceCut2030.se50)
		});
	}
	if (relianceCut.by2030) {
		probabilityRow(`Chance reliance on China is cut by ${percent(relianceCut.threshold)} (a year's average) by 2030`, relianceCut.by2030);
	}
	rows.push({
		label: `Median year reliance on China is cut by ${percent(relianceCut.threshold)}`,
		estimate: relianceCut.medianYear === null ? `not within the horizon (${percent(relianceCut.never)} of paths never do)` : `year ${relianceCut.medianYear}`,
		standardError: null
	});
	return rows;
}

/** The indicators cell: the run's indicators with their standard errors, and refining one until its error is small enough. */
export interface IndicatorsCellView {
	table: { caption: string; rows: IndicatorRow[] } | undefined;
	/** The indicator the refine form starts with. */
	defaultIndicator: string;
	/** An indicator's unit over the scenario's horizon, '' while its text cannot be read. */
	unitOf(text: string): string;
	/** While the cell refines: from how many paths, how far it got, and the result. */
	refine:
		| {
				startPaths: string;
				status: AnalysisStatusView;
				result: RefineResult | undefined;
				verdict: string;
				steps: RefineStepRow[];
				/** The path count the result used, when the notebook runs another. */
				offerPaths: number | undefined;
		  }
		| undefined;
}

/** The rows of a stage's indicators, made once per indicators object (a slider step changes the scenario, not the stage on screen). */
const shownRows = memoized((indicators: Indicators, pathsAndYear: string) => {
	const [paths, fromYear] = pathsAndYear.split(' ').map(Number);
	return indicatorRows(indicators, paths, fromYear);
});

/** `paths`: the notebook's path count; `scenario`: the scenario on screen. */
export function indicatorsCellView(
	cell: CellOf<'indicators'>,
	stage: StageSummary | undefined,
	state: AnalysisCellState,
	paths: number,
	scenario: Scenario
): IndicatorsCellView {
	const table = stage && {
		caption: `From ${formatPaths(stage.result.paths)}${stage.phase === 'preview' ? ' (preview; the full run is on its way)' : ''}. The standard error is the Monte Carlo error of the estimate.`,
		rows: shownRows(stage.result.indicators, `${stage.result.paths} ${firstOpenYear(scenario)}`)
	};
	const { result } = analysisResult(state, 'refine');
	return {
		table,
		defaultIndicator: `P(shortfall > 0) by ${yearWithin(scenario, 2030)}`,
		unitOf: (text) => indicatorUnit(text, scenario),
		refine: cell.refine && {
			startPaths: formatPaths(Math.min(paths, cell.refine.maxPaths)),
			status: analysisStatus(state),
			result,
			verdict: result ? refineVerdict(result) : '',
			steps: result ? refineSteps(result) : [],
			offerPaths: result && result.pathsUsed !== paths ? result.pathsUsed : undefined
		}
	};
}
