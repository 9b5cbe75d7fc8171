import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import {
	crowdingMonths,
	distributionFigure,
	eventKeyLines,
	eventMarks,
	fanChartFigure,
	monthInWords,
	stampedFigure,
	stampLines,
	type ChartStamp
} from '../../src/lib/notebook/figures';
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

	it('numbers the events in date order, shares a marker between events of one month, and draws a line at each start and a window for each event with an end', () => {
		const events = traceNamed(figure, 'Events');
		expect(history.events).toHaveLength(8);
		expect(events.text).toEqual(['1', '2', '3', '4', '5–6', '7', '8']);
		expect(events.hovertext[4]).toBe(
			'5. Oct 2025: October controls (MOFCOM Nos. 55–62) announced 9 Oct 2025<br>6. Oct 2025: Trump–Xi summit in Busan: October controls paused, 30 Oct 2025'
		);
		expect(events.hovertext[2]).toBe('3. May 2025: U.S.–China Geneva talks, 12 May 2025');
		expect(events.yaxis).toBe('y2');
		expect(new Set(events.y)).toEqual(new Set([0.96]));
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

describe('events on an 11-year axis', () => {
	const months = Array.from({ length: 132 }, (_, t) => `${2025 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
	const starts = ['2026-11', '2025-01', '2025-04', '2025-05', '2025-06', '2025-10', '2025-12', '2035-12'];
	const events = starts.map((start, k) => ({ ...history.events[2], start, label: `event ${k}` }));

	it('groups events starting within 2 % of the axis (3 months) under one marker, numbered in date order', () => {
		const { markers, notes, shapes } = eventMarks(events, months);
		const drawn = markers as { x: string[]; text: string[]; hovertext: string[] };
		expect(drawn.text).toEqual(['1', '2–4', '5–6', '7', '8']);
		expect(drawn.x).toEqual(['2025-01-01', '2025-04-01', '2025-10-01', '2026-11-01', '2035-12-01']);
		expect(drawn.hovertext[1].split('<br>')).toEqual(['2. Apr 2025: event 2', '3. May 2025: event 3', '4. Jun 2025: event 4']);
		expect(notes.map((note) => [note.number, note.month, note.label])).toEqual([
			[1, '2025-01', 'event 1'],
			[2, '2025-04', 'event 2'],
			[3, '2025-05', 'event 3'],
			[4, '2025-06', 'event 4'],
			[5, '2025-10', 'event 5'],
			[6, '2025-12', 'event 6'],
			[7, '2026-11', 'event 0'],
			[8, '2035-12', 'event 7']
		]);
		expect(shapes.filter((shape) => shape.type === 'line').map((shape) => shape.x0)).toEqual(notes.map((note) => `${note.month}-01`));
	});

	it('starts a new group 3 months after the first of a group, however close the events in between', () => {
		const chained = ['2025-01', '2025-03', '2025-04', '2025-06'].map((start, k) => ({ ...history.events[2], start, label: `event ${k}` }));
		expect(crowdingMonths(months)).toBe(3);
		expect(crowdingMonths(result.months)).toBe(1);
		expect((eventMarks(chained, months).markers as { text: string[] }).text).toEqual(['1–2', '3–4']);
	});

	it("keeps a label's angle brackets as text in the hover", () => {
		const [marked] = eventMarks([{ ...events[1], label: 'Quota <b>cut</b> & review' }], months).notes;
		const { markers } = eventMarks([{ ...events[1], label: 'Quota <b>cut</b> & review' }], months);
		expect(marked.label).toBe('Quota <b>cut</b> & review');
		expect((markers as { hovertext: string[] }).hovertext).toEqual(['1. Jan 2025: Quota &lt;b&gt;cut&lt;/b&gt; &amp; review']);
	});

	it('names months in words', () => {
		expect(['2025-01', '2025-04', '2035-12'].map(monthInWords)).toEqual(['Jan 2025', 'Apr 2025', 'Dec 2035']);
	});
});

describe('a chart exported for a briefing', () => {
	const figure = fanChartFigure(result.months, result.metrics.chinaExports, history, 'chinaExports');
	const notes = eventMarks(history.events, result.months).notes;
	const stamp: ChartStamp = {
		scenario: { id: 'history-2025', title: 'History 2025' },
		seed: 11,
		paths: 10_000,
		modelVersion: '2.0.0',
		fingerprint: 'a1b2c3d4',
		events: notes
	};

	it('names the scenario, seed, paths, model version and fingerprint, and a preview as one', () => {
		expect(stampLines(stamp)).toEqual([
			'Scenario: History 2025 (history-2025)',
			'Seed 11 · 10,000 paths · model version 2.0.0 · results fingerprint a1b2c3d4 (the same numbers always give the same fingerprint)'
		]);
		expect(stampLines({ ...stamp, fingerprint: undefined })[1]).toBe(
			'Seed 11 · 10,000 paths · model version 2.0.0 · preview: the fingerprint comes with the complete run'
		);
	});

	it('lists the event key with months in words', () => {
		expect(eventKeyLines(notes).slice(0, 3)).toEqual([
			'Events',
			'1. Jan 2024: Magnets ship without licences',
			"2. Apr 2025: China's licensing rule for magnets (MOFCOM No. 18), 4 Apr 2025"
		]);
		expect(eventKeyLines([])).toEqual([]);
	});

	it('adds the stamp above the plot and the key below it in margins of their own, keeping the plot its size and the figure untouched', () => {
		const before = structuredClone(figure);
		const stamped = stampedFigure(figure, stamp, 1000);
		expect(figure).toEqual(before);
		const { layout } = stamped;
		const plotHeight = (shown: typeof layout) => shown.height! - shown.margin!.t! - shown.margin!.b!;
		expect(plotHeight(layout)).toBe(plotHeight(figure.layout));
		expect(layout.width).toBe(1000);
		expect(layout.title).toMatchObject({ text: "China's magnet exports to the U.S." });
		const texts = (layout.annotations ?? []).map((annotation) => annotation.text);
		expect(texts).toEqual([stampLines(stamp).join('<br>'), eventKeyLines(notes).join('<br>')]);
		expect(layout.margin!.t).toBeGreaterThanOrEqual(40 + 2 * 15);
		expect(layout.margin!.b).toBeGreaterThanOrEqual(80 + 9 * 15);
		expect(stamped.data).toBe(figure.data);
	});

	it("keeps a figure's own annotations, and its bottom margin when there are no events", () => {
		const timeline = buildTimeline(history);
		const block = simulatePaths(timeline, 11, 0, 200);
		const histogram = monthlyHistogram(block.metrics[metricIndex.usMagnetPrice], 200, block.monthCount);
		const histogramFigure = distributionFigure(result, result.metrics.usMagnetPrice, histogram, 'usMagnetPrice', '2025-01');
		const stamped = stampedFigure(histogramFigure, { ...stamp, events: undefined }, 900);
		expect(stamped.layout.annotations).toHaveLength(2);
		expect(stamped.layout.annotations![0].text).toMatch(/^median /);
		expect(stamped.layout.margin!.b).toBe(histogramFigure.layout.margin!.b);
		expect(stamped.layout.height).toBe(histogramFigure.layout.height! + stamped.layout.margin!.t! - histogramFigure.layout.margin!.t!);
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
