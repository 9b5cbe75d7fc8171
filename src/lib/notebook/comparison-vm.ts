import type { Data } from 'plotly.js-dist-min';
import type { ComparisonResult, MetricComparison } from '../analysis/compare';
import type { MetricName } from '../model/metrics';
import { chartColours, fanTraces, metricLabel, monthDate, type Figure } from './figures';
import { displayUnit, formatProbability, formatQuantity } from './format';
import type { AnalysisCellState } from './analyses';
import type { CellOf } from './cells';
import { analysisResult, analysisStatus, memoized, type AnalysisStatusView, type ScenarioOption } from './cell-vm';

/**
 * The comparison cell: scenario B (the one on screen, sliders applied) against A (a library
 * scenario) with common random numbers. The fan is of the per-path difference B − A, not of the
 * difference of percentiles; below it, P(B worse than A on the same path) by month.
 */

export function comparisonOf(result: ComparisonResult, metric: MetricName): MetricComparison {
	return result.metrics[metric]!;
}

/** True when B equals A on every path in every month (no path is higher or lower). */
export function identicalOnEveryPath(comparison: MetricComparison): boolean {
	return comparison.pWorse.p.every((p) => p === 0) && comparison.pBetter.p.every((p) => p === 0);
}

export function comparisonFigure(result: ComparisonResult, metric: MetricName): Figure {
	const comparison = comparisonOf(result, metric);
	const unit = comparison.unit;
	const shownUnit = displayUnit(unit);
	const difference = fanTraces(result.months, comparison.difference, unit, 'Median difference');
	const pWorse: Data = {
		type: 'scatter',
		mode: 'lines',
		name: `P(${result.b.id} worse than ${result.a.id})`,
		x: result.months.map(monthDate),
		y: comparison.pWorse.p.map((p) => p * 100),
		customdata: comparison.pWorse.se.map((se) => se * 100),
		yaxis: 'y2',
		line: { color: chartColours.observed, width: 1.5 },
		hovertemplate: `P(worse): %{y:.1f} % ± %{customdata:.1f} %<extra></extra>`
	} as Data;
	return {
		data: [...difference, pWorse],
		layout: {
			title: { text: `${metricLabel(metric)}: ${result.b.id} − ${result.a.id}, path by path`, font: { size: 15 } },
			xaxis: { type: 'date', hoverformat: '%b %Y', anchor: 'y2' },
			yaxis: { title: { text: `difference, ${shownUnit}` }, domain: [0.42, 1], zeroline: true, zerolinewidth: 2 },
			yaxis2: { title: { text: 'P(worse), %' }, domain: [0, 0.32], range: [0, 100] },
			hovermode: 'x unified',
			legend: { orientation: 'h', y: -0.15 },
			margin: { t: 48, r: 16, b: 48, l: 72 },
			height: 440
		}
	};
}

export interface ComparisonRow {
	month: string;
	median: string;
	range: string;
	pWorse: string;
}

/** The last month of each year: the median difference, its P5–P95, and P(B worse than A), with units. */
export function comparisonRows(result: ComparisonResult, metric: MetricName): ComparisonRow[] {
	const comparison = comparisonOf(result, metric);
	const { unit } = comparison;
	return result.months.flatMap((month, t) => {
		const next = result.months[t + 1];
		if (next !== undefined && next.slice(0, 4) === month.slice(0, 4)) return [];
		const d = comparison.difference;
		return [
			{
				month,
				median: formatQuantity(d.p50[t], unit),
				range: `${formatQuantity(d.p5[t], unit)} to ${formatQuantity(d.p95[t], unit)}`,
				pWorse: formatProbability(comparison.pWorse.p[t], comparison.pWorse.se[t])
			}
		];
	});
}

/** What "worse" means for the metric, in words. */
export function worseMeaning(comparison: MetricComparison): string {
	return comparison.worseWhen === 'higher' ? 'higher is worse for U.S. buyers' : 'lower is worse for U.S. buyers';
}

export interface ComparisonCellView {
	status: AnalysisStatusView;
	scenarios: ScenarioOption[];
	result: ComparisonResult | undefined;
	/** The cell's metric compared, once the result has it. */
	shown: { comparison: MetricComparison; figure: Figure; rows: ComparisonRow[]; identical: boolean } | undefined;
	/** What the chart is drawn for: the notebook's fingerprint, the other scenario, the metric. */
	tag: string;
}

const comparisonDrawing = memoized((result: ComparisonResult, metric: MetricName) => {
	const comparison = comparisonOf(result, metric);
	return { comparison, figure: comparisonFigure(result, metric), rows: comparisonRows(result, metric), identical: identicalOnEveryPath(comparison) };
});

/** `fingerprint`: the notebook's complete result's, or '' before it has one. */
export function comparisonCellView(cell: CellOf<'comparison'>, state: AnalysisCellState, fingerprint: string, scenarios: ScenarioOption[]): ComparisonCellView {
	const { result } = analysisResult(state, 'compare');
	return {
		status: analysisStatus(state),
		scenarios,
		result,
		shown: result?.metrics[cell.metric] ? comparisonDrawing(result, cell.metric) : undefined,
		tag: `${fingerprint}:${cell.against}:${cell.metric}`
	};
}
