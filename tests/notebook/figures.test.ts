import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import { distributionFigure, eventMarks, fanChartFigure } from '../../src/lib/notebook/figures';
import { indicatorRows } from '../../src/lib/notebook/indicators';
import { formatQuantity } from '../../src/lib/notebook/format';
import { monthlyHistogram } from '../../src/lib/runner/jobs';
import { buildTimeline } from '../../src/lib/model/timeline';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { metricIndex } from '../../src/lib/model/metrics';
import { scenario } from './fixtures';

const history = scenario('history-2025');
const result = runScenario(history, { seed: 11, paths: 200 });

describe('fan chart figure', () => {
	it('matches its snapshot for a fixed scenario and seed', () => {
		expect(fanChartFigure(result.months, result.metrics.chinaExports, history, 'chinaExports')).toMatchSnapshot();
	});

	it('draws bands, the median, the observed series and the events', () => {
		const figure = fanChartFigure(result.months, result.metrics.chinaExports, history, 'chinaExports');
		const names = figure.data.map((trace) => trace.name);
		expect(names).toEqual(['P5–P95', 'P25–P75', 'Median', 'Observed', 'Events']);
		const observed = figure.data[3] as { y: (number | null)[] };
		expect(observed.y).toContain(46.4);
		expect(observed.y).toContain(null);
		expect((figure.data[4] as { hovertext: string[] }).hovertext).toHaveLength(history.events.length);
		expect(figure.layout.yaxis).toMatchObject({ title: { text: 't/month' } });
	});

	it('shows fractions as percentages', () => {
		const figure = fanChartFigure(result.months, result.metrics.chinaShare, history, 'chinaShare');
		expect(figure.layout.yaxis).toMatchObject({ title: { text: '%' } });
		const median = figure.data[2] as { y: number[]; customdata: number[][] };
		expect(median.y[0]).toBeCloseTo(result.metrics.chinaShare.p50[0] * 100, 10);
		expect(median.customdata[0][3]).toBeCloseTo(result.metrics.chinaShare.p95[0] * 100, 10);
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
		expect(formatQuantity(1234.5, 't/month')).toBe('1,235 t/month');
		expect(formatQuantity(0.1234, 'fraction')).toBe('12.3 %');
		expect(formatQuantity(0.8, '–')).toBe('0.8 (dimensionless)');
	});

	it('every indicator row has a unit or a percentage', () => {
		for (const row of indicatorRows(result.indicators)) expect(row.estimate).toMatch(/ t$|%|year \d{4}|not within/);
	});
});
