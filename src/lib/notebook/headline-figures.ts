import type { Data, Layout } from 'plotly.js-dist-min';
import type { MetricSummary } from '../engine/summary';
import type { MetricName } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import type { MonthlyHistogram } from '../runner/protocol';
import { proportionError } from '../stats/estimates';
import type { ChartTarget } from './cells';
import { chartColours, eventMarks, metricLabel, monthDate, monthIndexOf, type Figure } from './figures';
import { displayScale, displayUnit, formatProbability, formatQuantity, hoverFormat } from './format';

/**
 * Figures for a scenario's headline view: a fan chart's target line, and the charts of a metric
 * that is zero on most paths, drawn as the chance it is above zero and its expected size.
 */

/**
 * Metrics that are exactly zero on most paths in most months, by construction: a shortfall happens
 * only when stocks run out. Their median is 0 almost everywhere, so they are drawn as a chance and a size.
 */
const metricsMostlyZero: ReadonlySet<MetricName> = new Set(['shortfall']);

export function isMostlyZero(metric: MetricName): boolean {
	return metricsMostlyZero.has(metric);
}

/** A fan chart with a dashed horizontal line at `target`, labelled at its right end. */
export function withTarget(figure: Figure, target: ChartTarget, unit: string): Figure {
	const y = target.value * displayScale(unit);
	const layout: Partial<Layout> = {
		...figure.layout,
		shapes: [
			...(figure.layout.shapes ?? []),
			{ type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: y, y1: y, line: { color: chartColours.observed, width: 1.5, dash: 'dash' } }
		],
		annotations: [
			...(figure.layout.annotations ?? []),
			{
				xref: 'paper',
				yref: 'y',
				x: 1,
				y,
				xanchor: 'right',
				yanchor: 'bottom',
				showarrow: false,
				text: `${target.label} (${formatQuantity(target.value, unit)})`,
				font: { size: 11, color: chartColours.observed }
			}
		]
	};
	return { data: figure.data, layout };
}

/**
 * The chance a metric is above zero in each month (with its ± standard error in the hover) and its
 * expected size: the mean over all paths, and the mean over the paths where it is above zero.
 */
export function chanceAndSizeFigure(months: readonly string[], summary: MetricSummary, paths: number, scenario: Scenario, metric: MetricName): Figure {
	const unit = summary.unit;
	const shownUnit = displayUnit(unit);
	const format = hoverFormat(unit);
	const x = months.map(monthDate);
	const label = metricLabel(metric);
	const chance: Data = {
		type: 'scatter',
		mode: 'lines',
		name: 'Chance in the month',
		x,
		y: summary.shareAboveZero.map((p) => p * 100),
		customdata: summary.shareAboveZero.map((p) => proportionError(p, paths) * 100),
		fill: 'tozeroy',
		fillcolor: chartColours.innerBand,
		line: { color: chartColours.median, width: 2 },
		hovertemplate: 'Chance: %{y:.1f} % ± %{customdata:.1f} %<extra></extra>'
	} as Data;
	const expected: Data = {
		type: 'scatter',
		mode: 'lines',
		name: 'Expected size (all paths)',
		x,
		y: summary.mean.map((m) => m * displayScale(unit)),
		customdata: summary.mean.map((m, t) => (summary.shareAboveZero[t] > 0 ? (m / summary.shareAboveZero[t]) * displayScale(unit) : 0)),
		yaxis: 'y2',
		line: { color: chartColours.other, width: 2 },
		hovertemplate: `Expected: %{y:${format}} ${shownUnit}; when there is one: %{customdata:${format}} ${shownUnit}<extra></extra>`
	} as Data;
	const { shapes, markers } = eventMarks(scenario.events, months);
	const data = [chance, expected];
	if ((markers as { x: string[] }).x.length > 0) data.push({ ...markers, yaxis: 'y3' } as Data);
	return {
		data,
		layout: {
			title: { text: `${label}: chance and expected size`, font: { size: 15 } },
			xaxis: { type: 'date', hoverformat: '%b %Y', anchor: 'y2', ticklabeloverflow: 'allow' },
			yaxis: { title: { text: 'chance, %' }, domain: [0.45, 1], range: [0, 100], ticklabeloverflow: 'allow' },
			yaxis2: { title: { text: `expected, ${shownUnit}` }, domain: [0, 0.38], rangemode: 'tozero', ticklabeloverflow: 'allow' },
			yaxis3: { overlaying: 'y', range: [0, 1], visible: false, fixedrange: true },
			shapes,
			hovermode: 'x unified',
			legend: { orientation: 'h', y: -0.15 },
			margin: { t: 48, r: 16, b: 48, l: 64 },
			height: 420
		}
	};
}

/** What a distribution cell of a mostly-zero metric says above its chart, e.g. "Chance of … above zero in 2030-01: 2.1 % ± 0.1 %". */
export function aboveZeroSentence(summary: MetricSummary, paths: number, metric: MetricName, month: string, t: number): string {
	const p = summary.shareAboveZero[t];
	const size = p > 0 ? `; when above zero, ${formatQuantity(summary.mean[t] / p, summary.unit)} on average` : '';
	return `Chance of ${metricLabel(metric).toLowerCase()} above zero in ${month}: ${formatProbability(p, proportionError(p, paths))}${size}. ${(100 * (1 - p)).toFixed(1)} % of paths are at zero and not drawn.`;
}

/**
 * The histogram of the paths above zero in one month, each bar as a share of those paths. The
 * histogram's first bin starts at the month's lowest value, 0, so it holds every path at zero:
 * taking them out leaves exactly the positive values.
 */
export function positiveDistributionFigure(
	result: { months: readonly string[]; paths: number },
	summary: MetricSummary,
	histogram: MonthlyHistogram,
	metric: MetricName,
	month: string
): Figure {
	const t = monthIndexOf(result.months, month);
	const unit = summary.unit;
	const factor = displayScale(unit);
	const { binCount, low, high } = histogram;
	const counts = histogram.counts.slice(t * binCount, (t + 1) * binCount);
	const abovePaths = Math.round(summary.shareAboveZero[t] * result.paths);
	if (low[t] === 0) counts[0] -= result.paths - abovePaths;
	const width = (high[t] - low[t]) / binCount;
	return {
		data: [
			{
				type: 'bar',
				name: 'Share of the paths above zero',
				x: counts.map((_, b) => (low[t] + (b + 0.5) * width) * factor),
				y: counts.map((count) => (abovePaths > 0 ? (100 * count) / abovePaths : 0)),
				width: width * factor,
				marker: { color: chartColours.median },
				hovertemplate: `%{x:${hoverFormat(unit)}} ${displayUnit(unit)}: %{y:.1f} % of the paths above zero<extra></extra>`
			} as Data
		],
		layout: {
			title: { text: `${metricLabel(metric)} when above zero, ${result.months[t]}`, font: { size: 15 } },
			xaxis: { title: { text: displayUnit(unit) }, rangemode: 'tozero' },
			yaxis: { title: { text: '% of the paths above zero' } },
			bargap: 0.02,
			margin: { t: 48, r: 16, b: 48, l: 64 },
			height: 300
		}
	};
}
