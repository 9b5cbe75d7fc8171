import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import { distributionFigure, eventMarks, fanChartFigure } from '../../src/lib/notebook/figures';
import { indicatorRows } from '../../src/lib/notebook/indicators';
import { formatQuantity } from '../../src/lib/notebook/format';
import { monthlyHistogram } from '../../src/lib/runner/jobs';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { metricDefinitions, metricIndex, metricNames } from '../../src/lib/model/metrics';
import { axisTitle, drawnBands, traceNamed, unorderedMonths } from './figure-reading';
import { scenario } from './fixtures';

const history = scenario('history-2025');
const result = runScenario(history, { seed: 11, paths: 200 });

describe('fan chart figure', () => {
	const figure = fanChartFigure(result.months, result.metrics.chinaExports, history, 'chinaExports');

	it('draws bands, the median, the observed series and the events', () => {
		expect(figure.data.map((trace) => trace.name)).toEqual(['P5–P95', 'P25–P75', 'Median', 'Observed', 'Events']);
		const observed = traceNamed(figure, 'Observed');
		expect(observed.y).toContain(46.4);
		expect(observed.y).toContain(null);
		expect(observed.customdata).toContain('derived approx');
		expect(figure.layout.title).toMatchObject({ text: "China's magnet exports to the U.S." });
		expect(figure.layout.xaxis).toMatchObject({ type: 'date' });
	});

	it('nests the bands at every month of every metric: P5 ≤ P25 ≤ P50 ≤ P75 ≤ P95', () => {
		for (const metric of metricNames) {
			const bands = drawnBands(fanChartFigure(result.months, result.metrics[metric], history, metric));
			expect(bands.months, metric).toEqual(result.months.map((month) => `${month}-01`));
			expect(unorderedMonths(bands), metric).toEqual([]);
		}
	});

	it('names the unit on the value axis, spelled for a reader', () => {
		const titleByUnit: Record<string, string> = {
			't/month': 'tonnes per month',
			t: 'tonnes',
			months: 'months',
			'USD/kg': 'USD per kg',
			'USD/month': 'USD per month',
			'×': 'times',
			fraction: '%',
			code: 'regime code (0 open, 1 licensing, 2 restricted)'
		};
		for (const { name, unit } of metricDefinitions) {
			expect(axisTitle(fanChartFigure(result.months, result.metrics[name], history, name).layout.yaxis), name).toBe(titleByUnit[unit]);
		}
	});

	it('hovers the median with both bands and the unit, and each observation with its status', () => {
		const range = (from: number, to: number) => `%{customdata[${from}]:,.3~r}–%{customdata[${to}]:,.3~r}`;
		expect(traceNamed(figure, 'Median').hovertemplate).toBe(
			`Median: %{y:,.3~r} tonnes per month<br>P25–P75: ${range(1, 2)} tonnes per month<br>P5–P95: ${range(0, 3)} tonnes per month<extra></extra>`
		);
		expect(traceNamed(figure, 'Observed').hovertemplate).toBe('Observed: %{y:,.3~r} tonnes per month (%{customdata})<extra></extra>');
		const bands = drawnBands(figure);
		const median = traceNamed(figure, 'Median');
		bands.months.forEach((_, t) => expect(median.customdata[t]).toEqual([bands.p5[t], bands.p25[t], bands.p75[t], bands.p95[t]]));
	});

	it('numbers one marker per event, stacks markers that share a month, and draws a line at each start and a window for each event with an end', () => {
		const events = traceNamed(figure, 'Events');
		expect(history.events).toHaveLength(8);
		expect(events.text).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
		for (const [k, hover] of events.hovertext.entries()) expect(hover).toBe(`${k + 1}. ${history.events[k].label}`);
		expect(events.yaxis).toBe('y2');
		const october = events.x.flatMap((x, k) => (x === '2025-10-01' ? [events.y[k]] : []));
		expect(october).toEqual([0.96, 0.88]);
		const shapes = figure.layout.shapes ?? [];
		expect(shapes.filter((shape) => shape.type === 'line')).toHaveLength(8);
		expect(shapes.filter((shape) => shape.type === 'rect').map((shape) => [shape.x0, shape.x1])).toEqual([
			['2024-01-01', '2025-03-01'],
			['2025-04-01', '2026-06-01']
		]);
	});

	it('shows fractions as percentages', () => {
		const figure = fanChartFigure(result.months, result.metrics.chinaShare, history, 'chinaShare');
		const median = figure.data[2] as { y: number[]; customdata: number[][] };
		expect(median.y[0]).toBeCloseTo(result.metrics.chinaShare.p50[0] * 100, 10);
		expect(median.customdata[0][3]).toBeCloseTo(result.metrics.chinaShare.p95[0] * 100, 10);
		expect(traceNamed(figure, 'Median').hovertemplate).toMatch(/^Median: %\{y:\.1f\} %<br>/);
	});

	it('draws each band as one closed polygon: out along the upper percentile, back along the lower', () => {
		const figure = fanChartFigure(result.months, result.metrics.usMagnetPrice, history, 'usMagnetPrice');
		const outer = figure.data[0] as { x: string[]; y: number[]; fill: string };
		const n = result.months.length;
		expect(outer.fill).toBe('toself');
		expect(outer.x).toHaveLength(2 * n);
		expect(outer.x[0]).toBe(outer.x[2 * n - 1]);
		expect(outer.y.slice(0, n)).toEqual(result.metrics.usMagnetPrice.p95);
		expect(outer.y.slice(n)).toEqual([...result.metrics.usMagnetPrice.p5].reverse());
	});

	it('leaves out events outside the horizon', () => {
		const marks = eventMarks(history.events, ['2025-06', '2025-07']);
		expect(marks.notes).toEqual([{ number: 1, month: '2025-06', label: 'London framework: licences cleared in a batch, 9–10 Jun 2025' }]);
	});
});

describe('distribution figure', () => {
	it('the histogram sums to 100 % of paths and marks the median', () => {
		const timeline = buildTimeline(history);
		const block = simulatePaths(timeline, 11, 0, 200);
		const histogram = monthlyHistogram(block.metrics[metricIndex.usMagnetPrice], 200, block.monthCount);
		const figure = distributionFigure(result, result.metrics.usMagnetPrice, histogram, 'usMagnetPrice', '2025-01');
		const bars = figure.data[0] as { y: number[] };
		expect(bars.y.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 8);
		expect(figure.layout.shapes?.[0]).toMatchObject({ x0: result.metrics.usMagnetPrice.p50[12] });
	});
});

describe('numbers carry units', () => {
	it('formats quantities with their unit', () => {
		expect(formatQuantity(1234.5, 't/month')).toBe('1,235 tonnes per month');
		expect(formatQuantity(0.1234, 'fraction')).toBe('12.3 %');
		expect(formatQuantity(0.000183, 't/month')).toBe('0.183 kg per month');
	});

	it('every indicator row has a unit or a percentage', () => {
		for (const row of indicatorRows(result.indicators, result.paths)) expect(row.estimate).toMatch(/ tonnes$|%|year \d{4}|not within/);
	});
});
