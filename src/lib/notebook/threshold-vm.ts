import type { Data } from 'plotly.js-dist-min';
import type { ThresholdResult } from '../analysis/threshold';
import type { CheckedThreshold } from '../analysis/threshold-spec';
import { metricNames, type MetricName } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import { chartColours, metricLabel, monthDate, type Figure } from './figures';
import { formatProbability } from './format';
import type { AnalysisCellState } from './analyses';
import { analysisResult, analysisStatus, memoized, type AnalysisStatusView } from './cell-vm';
import { firstOpenYear } from '../scenario/now';

export { START_MULTIPLE_UNIT } from '../analysis/threshold-spec';

/**
 * The threshold cell: for a threshold such as "usMagnetPrice > 2 × start", the probability that it is met
 * in each month, the probability it has been met at least once by each month, and per year the
 * probability it is reached by the end of that year, for the years not already over.
 */

const comparisonSymbols: Record<CheckedThreshold['comparison'], string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

/** The threshold in words, e.g. "Cut in reliance on China … ≥ 30 %" (a formula's series keeps its own name). */
export function thresholdInWords(threshold: CheckedThreshold): string {
	const series = (metricNames as string[]).includes(threshold.series) ? metricLabel(threshold.series as MetricName) : threshold.series;
	return `${series} ${comparisonSymbols[threshold.comparison]} ${threshold.value} ${threshold.unit}`;
}

function percentLine(name: string, x: (string | number)[], p: number[], se: number[], extra: Partial<Data>): Data {
	return {
		type: 'scatter',
		mode: 'lines',
		name,
		x,
		y: p.map((v) => v * 100),
		customdata: se.map((v) => v * 100),
		hovertemplate: `${name}: %{y:.1f} % ± %{customdata:.1f} %<extra></extra>`,
		...extra
	} as Data;
}

const percentAxis = { title: { text: 'probability, %' }, range: [0, 100] as [number, number], zeroline: true };

/** P(met in the month) and P(met in some month so far), by month. */
export function thresholdMonthFigure(result: ThresholdResult): Figure {
	const x = result.months.map(monthDate);
	return {
		data: [
			percentLine('P(met in the month)', x, result.inMonth.p, result.inMonth.se, { line: { color: chartColours.median, width: 2 } }),
			percentLine(`P(met at least once since ${result.reachedFrom})`, x, result.reachedByMonth.p, result.reachedByMonth.se, {
				line: { color: chartColours.observed, width: 2, dash: 'dash' }
			})
		],
		layout: {
			title: { text: `${thresholdInWords(result.threshold)}: chance by month`, font: { size: 15 } },
			xaxis: { type: 'date', hoverformat: '%b %Y' },
			yaxis: percentAxis,
			hovermode: 'x unified',
			legend: { orientation: 'h', y: -0.15 },
			margin: { t: 48, r: 16, b: 48, l: 64 },
			height: 320
		}
	};
}

/** The years of a result from `fromYear` on: those not already over. */
function openYears(result: ThresholdResult, fromYear: number): ThresholdResult['byYear'] {
	return result.byYear.filter((y) => y.year >= fromYear);
}

/** "Probability reached by year Y" as a curve, with P(met in the year) as bars, from `fromYear` on. */
export function thresholdYearFigure(result: ThresholdResult, fromYear = -Infinity): Figure {
	const byYear = openYears(result, fromYear);
	const years = byYear.map((y) => y.year);
	return {
		data: [
			{
				type: 'bar',
				name: 'P(met in the year)',
				x: years,
				y: byYear.map((y) => y.inYear.value * 100),
				marker: { color: chartColours.innerBand },
				hovertemplate: 'P(met in %{x}): %{y:.1f} %<extra></extra>'
			} as Data,
			percentLine(
				'P(reached by the end of the year)',
				years,
				byYear.map((y) => y.reachedBy.value),
				byYear.map((y) => y.reachedBy.se),
				{ mode: 'lines+markers', line: { color: chartColours.observed, width: 2 } }
			)
		],
		layout: {
			title: { text: `${thresholdInWords(result.threshold)}: chance reached by each year`, font: { size: 15 } },
			xaxis: { title: { text: 'year' }, dtick: 1 },
			yaxis: percentAxis,
			legend: { orientation: 'h', y: -0.2 },
			margin: { t: 48, r: 16, b: 56, l: 64 },
			height: 300
		}
	};
}

export interface ThresholdRow {
	year: number;
	inYear: string;
	reachedBy: string;
}

export function thresholdRows(result: ThresholdResult, fromYear = -Infinity): ThresholdRow[] {
	return openYears(result, fromYear).map(({ year, inYear, reachedBy }) => ({
		year,
		inYear: formatProbability(inYear.value, inYear.se),
		reachedBy: formatProbability(reachedBy.value, reachedBy.se)
	}));
}

export interface ThresholdCellView {
	status: AnalysisStatusView;
	result: ThresholdResult | undefined;
	/** The charts and table, once there is a result. */
	drawn: { monthFigure: Figure; yearFigure: Figure; rows: ThresholdRow[] } | undefined;
	tag: string;
}

const thresholdDrawing = memoized((result: ThresholdResult, fromYear: number) => ({
	monthFigure: thresholdMonthFigure(result),
	yearFigure: thresholdYearFigure(result, fromYear),
	rows: thresholdRows(result, fromYear)
}));

/** `scenario`: the one on screen; its years already over (see `firstOpenYear`) are left out of the table and the yearly chart. */
export function thresholdCellView(state: AnalysisCellState, scenario: Scenario): ThresholdCellView {
	const { result, tag } = analysisResult(state, 'threshold');
	return { status: analysisStatus(state), result, drawn: result && thresholdDrawing(result, firstOpenYear(scenario)), tag };
}
