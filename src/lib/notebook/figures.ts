import type { Data, Layout, Shape } from 'plotly.js-dist-min';
import type { MetricSummary } from '../engine/summary';
import { metricDefinitions, type MetricName } from '../model/metrics';
import type { Scenario, ScenarioEvent } from '../scenario/schema';
import type { MonthlyHistogram, StageSummary } from '../runner/protocol';
import { displayScale, displayUnit, formatPaths, hoverFormat } from './format';

/** A Plotly figure as plain data: what a chart cell draws, and what the figure tests read. */
export interface Figure {
	data: Data[];
	layout: Partial<Layout>;
}

export const chartColours = {
	outerBand: 'rgba(31, 119, 180, 0.15)',
	innerBand: 'rgba(31, 119, 180, 0.32)',
	median: 'rgb(31, 119, 180)',
	observed: 'rgb(214, 39, 40)',
	other: 'rgb(255, 127, 14)',
	difference: 'rgb(44, 160, 44)',
	event: 'rgba(90, 90, 90, 0.55)',
	window: 'rgba(150, 150, 150, 0.12)'
} as const;

export function metricLabel(metric: MetricName): string {
	return metricDefinitions.find((m) => m.name === metric)!.label;
}

/** What a run chart shows, as its `data-drawn` tag: the stage, and the fingerprint once the run is complete. */
export function stageTag(stage: StageSummary): string {
	return `${stage.phase}:${stage.result.fingerprint ?? `${stage.result.paths} paths`}`;
}

/** Plotly reads "YYYY-MM-DD" reliably as a date; months are drawn at their first day. */
export function monthDate(month: string): string {
	return `${month}-01`;
}

export function scaled(values: readonly number[], unit: string): number[] {
	const factor = displayScale(unit);
	return factor === 1 ? [...values] : values.map((v) => v * factor);
}

/* Tick labels are never hidden for overflowing the plot ('allow'): checking costs a layout read per label on every draw. */
export const baseLayout = (title: string, unit: string): Partial<Layout> => ({
	title: { text: title, font: { size: 15 } },
	xaxis: { type: 'date', hoverformat: '%b %Y', ticklabeloverflow: 'allow' },
	yaxis: { title: { text: displayUnit(unit) }, zeroline: true, rangemode: 'tozero', ticklabeloverflow: 'allow' },
	hovermode: 'x unified',
	legend: { orientation: 'h', y: -0.15 },
	margin: { t: 48, r: 16, b: 48, l: 64 },
	height: 340
});

function eventEnd(event: ScenarioEvent): string | undefined {
	return 'end' in event ? event.end : undefined;
}

/** An event drawn on a chart, numbered as the key below the chart lists it. */
export interface EventNote {
	number: number;
	month: string;
	label: string;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-04" as a reader says it: "Apr 2025". */
export function monthInWords(month: string): string {
	const [year, number] = month.split('-');
	return `${monthNames[Number(number) - 1]} ${year}`;
}

function monthCount(month: string): number {
	const [year, number] = month.split('-').map(Number);
	return year * 12 + number - 1;
}

/**
 * Events starting fewer than this many months after the first of a group share its marker: about 2 % of the
 * axis, the width of a numbered marker on a chart the width of a notebook cell (3 months on an 11-year axis).
 */
export function crowdingMonths(months: readonly string[]): number {
	return Math.max(1, Math.ceil(0.02 * months.length));
}

/** "3" for one event, "3–5" for a group. */
function markerText(group: readonly EventNote[]): string {
	const first = group[0].number;
	const last = group.at(-1)!.number;
	return first === last ? String(first) : `${first}–${last}`;
}

/** Plotly reads a few HTML tags in hover and annotation text: a label's own angle brackets must stay text. */
function plotlyText(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Dated events, numbered in date order: a dotted line at each start (a shaded window when it has an end) and
 * one numbered marker per group of events that crowd together ("3–5"), whose hover reads their labels. The
 * notes are the key listed below the chart. Markers on a hidden overlay axis stay at the top whatever the
 * data's range; they cost far less to draw than Plotly's text annotations.
 */
export function eventMarks(events: readonly ScenarioEvent[], months: readonly string[]): { shapes: Partial<Shape>[]; markers: Data; notes: EventNote[] } {
	const shapes: Partial<Shape>[] = [];
	const first = months[0];
	const last = months.at(-1)!;
	const shown = events.filter((event) => event.start >= first && event.start <= last).sort((a, b) => a.start.localeCompare(b.start));
	for (const event of shown) {
		const end = eventEnd(event);
		if (end !== undefined && end > event.start) {
			shapes.push({
				type: 'rect',
				xref: 'x',
				yref: 'paper',
				x0: monthDate(event.start),
				x1: monthDate(end < last ? end : last),
				y0: 0,
				y1: 1,
				fillcolor: chartColours.window,
				line: { width: 0 },
				layer: 'below'
			});
		}
		shapes.push({
			type: 'line',
			xref: 'x',
			yref: 'paper',
			x0: monthDate(event.start),
			x1: monthDate(event.start),
			y0: 0,
			y1: 1,
			line: { color: chartColours.event, width: 1, dash: 'dot' }
		});
	}
	const notes = shown.map((event, k): EventNote => ({ number: k + 1, month: event.start, label: event.label }));
	const crowding = crowdingMonths(months);
	const groups: EventNote[][] = [];
	for (const note of notes) {
		const group = groups.at(-1);
		if (group && monthCount(note.month) - monthCount(group[0].month) < crowding) group.push(note);
		else groups.push([note]);
	}
	const markers = {
		type: 'scatter',
		mode: 'markers+text',
		name: 'Events',
		x: groups.map((group) => monthDate(group[0].month)),
		y: groups.map(() => 0.96),
		yaxis: 'y2',
		text: groups.map(markerText),
		textposition: 'middle right',
		textfont: { size: 10, color: 'rgb(70, 70, 70)' },
		hovertext: groups.map((group) => group.map((note) => plotlyText(`${note.number}. ${monthInWords(note.month)}: ${note.label}`)).join('<br>')),
		hovertemplate: '%{hovertext}<extra></extra>',
		marker: { symbol: 'diamond', size: 7, color: chartColours.event },
		showlegend: false
	} as Data;
	return { shapes, markers, notes };
}

/** Percentile bands of a series over months, as a metric summary has them. */
export interface Bands {
	p5: readonly number[];
	p25: readonly number[];
	p50: readonly number[];
	p75: readonly number[];
	p95: readonly number[];
}

/**
 * P5–P95 and P25–P75 bands and the median line over months (dates). Each band is one closed
 * polygon (out along the upper percentile, back along the lower), and the median's hover reads
 * both bands: three traces instead of seven keeps a redraw cheap.
 */
export function fanTraces(months: readonly string[], bands: Bands, unit: string, medianName = 'Median'): Data[] {
	const x = months.map(monthDate);
	const around = [...x, ...[...x].reverse()];
	const band = (name: string, low: readonly number[], high: readonly number[], colour: string): Data =>
		({
			type: 'scatter',
			mode: 'lines',
			name,
			x: around,
			y: [...scaled(high, unit), ...scaled(low, unit).reverse()],
			fill: 'toself',
			fillcolor: colour,
			line: { width: 0 },
			hoverinfo: 'skip'
		}) as Data;
	const format = hoverFormat(unit);
	const shownUnit = displayUnit(unit);
	const range = (from: number, to: number) => `%{customdata[${from}]:${format}}–%{customdata[${to}]:${format}}`;
	const p5 = scaled(bands.p5, unit);
	const p25 = scaled(bands.p25, unit);
	const p75 = scaled(bands.p75, unit);
	const p95 = scaled(bands.p95, unit);
	return [
		band('P5–P95', bands.p5, bands.p95, chartColours.outerBand),
		band('P25–P75', bands.p25, bands.p75, chartColours.innerBand),
		{
			type: 'scatter',
			mode: 'lines',
			name: medianName,
			x,
			y: scaled(bands.p50, unit),
			customdata: x.map((_, t) => [p5[t], p25[t], p75[t], p95[t]]),
			line: { color: chartColours.median, width: 2 },
			hovertemplate: `${medianName}: %{y:${format}} ${shownUnit}<br>P25–P75: ${range(1, 2)} ${shownUnit}<br>P5–P95: ${range(0, 3)} ${shownUnit}<extra></extra>`
		} as Data
	];
}

/** A fan chart of any summarised series (a formula's, say): bands and median, no events. */
export function seriesFanFigure(title: string, months: readonly string[], bands: Bands, unit: string): Figure {
	return { data: fanTraces(months, bands, unit), layout: baseLayout(title, unit) };
}

/** P5–P95 and P25–P75 bands, the median, events, and the observed series where the scenario has one. */
export function fanChartFigure(months: readonly string[], summary: MetricSummary, scenario: Scenario, metric: MetricName): Figure {
	const unit = summary.unit;
	const data: Data[] = fanTraces(months, summary, unit);
	const observed = (scenario.observed[metric] ?? []).filter((point) => months.includes(point.month));
	if (observed.length > 0) {
		data.push({
			type: 'scatter',
			mode: 'lines+markers',
			name: 'Observed',
			x: observed.map((point) => monthDate(point.month)),
			y: observed.map((point) => (point.value === null ? null : point.value * displayScale(unit))),
			customdata: observed.map((point) => point.status),
			connectgaps: false,
			line: { color: chartColours.observed, width: 1.5 },
			marker: { color: chartColours.observed, size: 6 },
			hovertemplate: `Observed: %{y:${hoverFormat(unit)}} ${displayUnit(unit)} (%{customdata})<extra></extra>`
		} as Data);
	}
	const { shapes, markers } = eventMarks(scenario.events, months);
	if ((markers as { x: string[] }).x.length > 0) data.push(markers);
	return { data, layout: { ...baseLayout(metricLabel(metric), unit), shapes, yaxis2: { overlaying: 'y', range: [0, 1], visible: false, fixedrange: true } } };
}

/** The month index to show for a requested month: itself, or the nearest month of the run. */
export function monthIndexOf(months: readonly string[], month: string): number {
	const exact = months.indexOf(month);
	if (exact >= 0) return exact;
	return month < months[0] ? 0 : months.length - 1;
}

/** Histogram of a metric across paths in one month, with its median marked. */
export function distributionFigure(
	result: { months: readonly string[]; paths: number },
	summary: MetricSummary,
	histogram: MonthlyHistogram,
	metric: MetricName,
	month: string
): Figure {
	const t = monthIndexOf(result.months, month);
	const unit = summary.unit;
	const factor = displayScale(unit);
	const { binCount, low, high, counts } = histogram;
	const width = (high[t] - low[t]) / binCount;
	const centres = Array.from({ length: binCount }, (_, b) => (low[t] + (b + 0.5) * width) * factor);
	const shares = Array.from({ length: binCount }, (_, b) => (100 * counts[t * binCount + b]) / result.paths);
	const median = summary.p50[t] * factor;
	return {
		data: [
			{
				type: 'bar',
				name: 'Share of paths',
				x: width > 0 ? centres : [low[t] * factor],
				y: width > 0 ? shares : [shares.reduce((a, b) => a + b, 0)],
				width: width > 0 ? width * factor : undefined,
				marker: { color: chartColours.median },
				hovertemplate: `%{x:${hoverFormat(unit)}} ${displayUnit(unit)}: %{y:.1f} % of paths<extra></extra>`
			} as Data
		],
		layout: {
			title: { text: `${metricLabel(metric)}, ${result.months[t]}`, font: { size: 15 } },
			xaxis: { title: { text: displayUnit(unit) } },
			yaxis: { title: { text: '% of paths' } },
			bargap: 0.02,
			shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: median, x1: median, y0: 0, y1: 1, line: { color: chartColours.observed, width: 2 } }],
			annotations: [
				{
					x: median,
					y: 1,
					xref: 'x',
					yref: 'paper',
					text: `median ${median.toPrecision(3)} ${displayUnit(unit)}`,
					showarrow: false,
					xanchor: 'left',
					yanchor: 'top'
				}
			],
			margin: { t: 48, r: 16, b: 48, l: 64 },
			height: 300
		}
	};
}

/** The run a chart was drawn from, as an exported image names it. */
export interface ChartStamp {
	scenario: { id: string; title: string };
	seed: number;
	paths: number;
	modelVersion: string;
	/** Undefined for a preview: only the complete run has one. */
	fingerprint: string | undefined;
	/** The chart's event key, when it has events. */
	events?: readonly EventNote[];
}

/** The lines naming the run above an exported chart. */
export function stampLines(stamp: ChartStamp): string[] {
	const fingerprint = stamp.fingerprint
		? `results fingerprint ${stamp.fingerprint} (the same numbers always give the same fingerprint)`
		: 'preview: the fingerprint comes with the complete run';
	return [
		`Scenario: ${stamp.scenario.title} (${stamp.scenario.id})`,
		`Seed ${stamp.seed} · ${formatPaths(stamp.paths)} · model version ${stamp.modelVersion} · ${fingerprint}`
	];
}

/** The event key's lines below an exported chart. */
export function eventKeyLines(events: readonly EventNote[]): string[] {
	return events.length === 0 ? [] : ['Events', ...events.map((note) => `${note.number}. ${monthInWords(note.month)}: ${note.label}`)];
}

const stampLineHeight = 15;
/** Room for a title drawn at the top of the image, above the stamp. */
const titleRoom = 40;
/** Room below the plot for the value axis's tick labels and the legend, above the event key. */
const axisAndLegendRoom = 80;

/**
 * A copy of a figure for an exported image: the run's stamp under the title and the event key under the
 * legend, in margins added to the figure's own, so the plot keeps its size.
 */
export function stampedFigure(figure: Figure, stamp: ChartStamp, width: number): Figure {
	const layout = figure.layout;
	const margin = { t: 48, r: 16, b: 48, l: 64, ...layout.margin };
	const header = stampLines(stamp);
	const key = eventKeyLines(stamp.events ?? []);
	const top = titleRoom + header.length * stampLineHeight + 8;
	const bottom = key.length === 0 ? margin.b : axisAndLegendRoom + key.length * stampLineHeight + 8;
	const note = (text: string[], y: number, yanchor: 'top' | 'bottom', yshift: number) => ({
		text: text.map(plotlyText).join('<br>'),
		xref: 'paper' as const,
		yref: 'paper' as const,
		x: 0,
		y,
		xanchor: 'left' as const,
		yanchor,
		yshift,
		align: 'left' as const,
		showarrow: false,
		font: { size: 11, color: 'rgb(60, 60, 60)' }
	});
	const title = typeof layout.title === 'object' ? layout.title : { text: layout.title };
	return {
		data: figure.data,
		layout: {
			...layout,
			title: { ...title, x: 0, xref: 'paper', xanchor: 'left', y: 1, yref: 'container', yanchor: 'top', pad: { t: 12 } },
			width,
			height: (layout.height ?? 340) + top - margin.t + bottom - margin.b,
			margin: { ...margin, t: top, b: bottom },
			annotations: [...(layout.annotations ?? []), note(header, 1, 'bottom', 6), ...(key.length > 0 ? [note(key, 0, 'top', -axisAndLegendRoom)] : [])]
		}
	};
}
