import { beforeAll, describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { thresholdProbabilities } from '../../src/lib/analysis/threshold';
import { runScenario } from '../../src/lib/engine/run';
import {
	cellsSchema,
	defaultCells,
	defaultDistributionMonth,
	defaultOtherScenario,
	newCell,
	updateCell,
	yearWithin,
	type Cell
} from '../../src/lib/notebook/cells';
import { firstUnknownMonth } from '../../src/lib/scenario/now';
import { distributionCellView } from '../../src/lib/notebook/distribution-vm';
import { fanCellView } from '../../src/lib/notebook/fan-vm';
import { indicatorRows } from '../../src/lib/notebook/indicators';
import { thresholdRows, thresholdYearFigure } from '../../src/lib/notebook/threshold-vm';
import type { StageSummary } from '../../src/lib/runner/protocol';
import { monthlyHistogram } from '../../src/lib/runner/jobs';
import { metricIndex } from '../../src/lib/model/metrics';
import type { Scenario } from '../../src/lib/scenario/schema';
import { scenario, testLibrary } from './fixtures';

/** What each library scenario opens on, the shortfall drawn as a chance, and defaults that make sense for the scenario at hand. */

const ids = [...testLibrary().keys()];
const charts = (cells: Cell[]) => cells.filter((c) => c.kind !== 'narrative');

describe('each library scenario opens on its headline view', () => {
	it('baseline opens on China’s exports (the browser tests rely on it)', () => {
		expect(charts(defaultCells(scenario('baseline'), ids))[0]).toMatchObject({ kind: 'fan', metric: 'chinaExports' });
	});

	it('us-capacity-30pct-2030 opens on the reliance cut with a 30 % target line, then the chance of reaching it by each year', () => {
		const [first, second] = charts(defaultCells(scenario('us-capacity-30pct-2030'), ids));
		expect(first).toMatchObject({ kind: 'fan', metric: 'relianceCut', target: { value: 0.3 } });
		expect(second).toEqual(expect.objectContaining({ kind: 'threshold', threshold: 'relianceCut >= 30 %' }));
	});

	it('renewed-controls opens on the price, then the shortfall drawn as its chance by month', () => {
		const [first, second] = charts(defaultCells(scenario('renewed-controls'), ids));
		expect(first).toMatchObject({ kind: 'fan', metric: 'usMagnetPrice' });
		expect(second).toMatchObject({ kind: 'fan', metric: 'shortfall' });
	});

	it('every other scenario opens on the metric its question is about', () => {
		const firstChart = (id: string) => charts(defaultCells(scenario(id), ids))[0];
		expect(firstChart('export-surge-2025')).toMatchObject({ kind: 'fan', metric: 'chinaExports' });
		expect(firstChart('allied-stockpiling')).toMatchObject({ kind: 'fan', metric: 'alliedSupply' });
		expect(firstChart('controls-and-delays')).toMatchObject({ kind: 'fan', metric: 'shortfall' });
		expect(firstChart('history-2025')).toMatchObject({ kind: 'fan', metric: 'chinaExports' });
		expect(firstChart('history-2025-walk-forward')).toMatchObject({ kind: 'fan', metric: 'chinaExports' });
	});

	it('a scenario whose file gives no view opens on its observed series and the usual charts', () => {
		const plain: Scenario = { ...scenario('history-2025'), id: 'imported', opensWith: undefined };
		const kinds = charts(defaultCells(plain, ids)).map((c) => (c.kind === 'fan' ? `fan ${c.metric}` : c.kind));
		expect(kinds.slice(0, 3)).toEqual(['fan chinaExports', 'fan ndprPrice', 'fan shortfall']);
		expect(kinds).toContain('comparison');
	});

	it('a target line goes when the chart’s metric changes; a fan cell without one (an old link) is still valid', () => {
		const cells = defaultCells(scenario('us-capacity-30pct-2030'), ids);
		const reliance = charts(cells)[0];
		expect(updateCell(cells, reliance.id, { metric: 'usMagnetPrice' }).find((c) => c.id === reliance.id)).not.toHaveProperty('target');
		expect(cellsSchema.safeParse([{ kind: 'fan', id: 'cell-1', collapsed: false, metric: 'relianceCut' }]).success).toBe(true);
	});
});

describe('comparison and attribution defaults', () => {
	it('a scenario is compared with (and explained against) baseline', () => {
		for (const id of ['us-capacity-30pct-2030', 'allied-stockpiling', 'export-surge-2025']) {
			const opened = scenario(id);
			expect(
				defaultCells(opened, ids).find((c) => c.kind === 'comparison'),
				id
			).toMatchObject({ against: 'baseline' });
			expect(newCell('attribution', [], opened, ids), id).toMatchObject({ against: 'baseline' });
		}
	});

	it('baseline is compared with, and explained against, the scenario its file names, never itself', () => {
		const baseline = scenario('baseline');
		expect(defaultCells(baseline, ids).find((c) => c.kind === 'comparison')).toMatchObject({ against: 'renewed-controls' });
		expect(newCell('comparison', [], baseline, ids)).toMatchObject({ against: 'renewed-controls' });
		expect(newCell('attribution', [], baseline, ids)).toMatchObject({ against: 'renewed-controls' });
		// In a library without it, the first other scenario.
		expect(defaultOtherScenario(baseline, ['baseline', 'allied-stockpiling'])).toBe('allied-stockpiling');
	});

	it('a child that inherits a comparison with itself compares with the default instead', () => {
		const child: Scenario = { ...scenario('renewed-controls'), opensWith: [{ kind: 'comparison', metric: 'shortfall', against: 'renewed-controls' }] };
		expect(defaultCells(child, ids).find((c) => c.kind === 'comparison')).toMatchObject({ against: 'baseline' });
	});
});

describe('no figure for a year already over', () => {
	const history = scenario('history-2025');

	it('"now" comes from data: the month after the calibration data or the scenario’s last observation, whichever is later', () => {
		expect(firstUnknownMonth(scenario('baseline'))).toBe('2025-07');
		expect(firstUnknownMonth(history)).toBe('2025-07');
		const later: Scenario = { ...history, observed: { chinaExports: [{ month: '2026-02', value: 300, status: 'reported', source: 'test' }] } };
		expect(firstUnknownMonth(later)).toBe('2026-03');
	});

	it('default years and months start at "now" even when the horizon starts earlier', () => {
		expect(history.start).toBe('2024-01');
		expect(yearWithin(history, 2024)).toBe(2025);
		expect(defaultDistributionMonth({ ...history, end: '2025-12' })).toBe('2025-07');
		for (const id of ids) {
			const opened = scenario(id);
			for (const cell of defaultCells(opened, ids)) {
				if (cell.kind === 'distribution') expect(cell.month >= firstUnknownMonth(opened), `${id} ${cell.month}`).toBe(true);
				if (cell.kind === 'narrative') for (const [, year] of cell.markdown.matchAll(/\b(20\d\d)\) \}\}/g)) expect(Number(year)).toBeGreaterThanOrEqual(2025);
			}
		}
	});

	it('the threshold and indicators tables of history-2025 leave out 2024', async () => {
		const paths = await simulateScenario(history, { seed: 3, paths: 50 });
		const result = thresholdProbabilities(paths, 'shortfall > 0');
		expect(result.byYear.map((y) => y.year)).toEqual([2024, 2025, 2026]);
		expect(thresholdRows(result, 2025).map((row) => row.year)).toEqual([2025, 2026]);
		expect(thresholdYearFigure(result, 2025).data[0]).toMatchObject({ x: [2025, 2026] });
		const run = runScenario(history, { seed: 3, paths: 50 });
		const labels = indicatorRows(run.indicators, 50, 2025).map((row) => row.label);
		expect(labels).toContain('Chance of a shortfall by the end of 2025');
		expect(labels).not.toContain('Chance of a shortfall by the end of 2024');
	});
});

describe('"reached by year" counts from "now"', () => {
	it('the 30 % reliance cut is not "reached" by May 2025’s export collapse, a month the data already covers', async () => {
		const us = scenario('us-capacity-30pct-2030');
		const paths = await simulateScenario(us, { seed: 4, paths: 300 });
		const fromStart = thresholdProbabilities(paths, 'relianceCut >= 30 %');
		const fromNow = thresholdProbabilities(paths, 'relianceCut >= 30 %', firstUnknownMonth(us));
		const may2025 = paths.months.indexOf('2025-05');
		expect(fromStart.inMonth.p[may2025]).toBeGreaterThan(0.9);
		expect(fromStart.byYear.find((y) => y.year === 2026)!.reachedBy.value).toBeGreaterThan(0.9);
		expect(fromNow.reachedFrom).toBe('2025-07');
		expect(fromNow.reachedByMonth.p[may2025]).toBeNaN();
		expect(fromNow.byYear.find((y) => y.year === 2026)!.reachedBy.value).toBeLessThan(0.5);
		const by2030 = fromNow.byYear.find((y) => y.year === 2030)!.reachedBy.value;
		expect(by2030).toBeGreaterThanOrEqual(fromNow.inMonth.p[paths.months.indexOf('2030-12')]);
	});
});

describe('the shortfall shows its chance and expected size, not a median of zeros', () => {
	const renewed = scenario('renewed-controls');
	let stage: StageSummary;
	beforeAll(async () => {
		const paths = 400;
		const result = runScenario(renewed, { seed: 5, paths });
		const { block, months } = await simulateScenario(renewed, { seed: 5, paths });
		const histograms = { shortfall: monthlyHistogram(block.metrics[metricIndex.shortfall], paths, months.length) };
		stage = { phase: 'full', complete: true, result, histograms, elapsedMs: 1 };
	});

	it('the fan cell draws the chance in the month (in %) above the expected size (in the metric’s unit)', () => {
		const figure = fanCellView({ metric: 'shortfall' }, stage, renewed)!.figure!;
		const [chance, expected] = figure.data as { name: string; y: number[] }[];
		const summary = stage.result.metrics.shortfall!;
		expect(chance.name).toBe('Chance in the month');
		expect(chance.y).toEqual(summary.shareAboveZero.map((p) => p * 100));
		expect(expected.y).toEqual(summary.mean);
		expect(figure.layout.yaxis).toMatchObject({ title: { text: 'chance, %' }, range: [0, 100] });
		expect(String((figure.layout.yaxis2 as { title: { text: string } }).title.text)).toMatch(/^expected, /);
	});

	it('a reliance-cut fan with a target draws the line at 30 %', () => {
		const figure = fanCellView({ metric: 'relianceCut', target: { value: 0.3, label: '30 % cut' } }, stage, renewed)!.figure!;
		expect(figure.layout.shapes).toContainEqual(expect.objectContaining({ type: 'line', y0: 30, y1: 30 }));
		expect(figure.layout.annotations).toContainEqual(expect.objectContaining({ text: '30 % cut (30 %)' }));
	});

	it('the distribution cell states the chance above zero and draws only the paths above zero', () => {
		const summary = stage.result.metrics.shortfall!;
		const t = stage.result.months.findIndex((_, i) => summary.shareAboveZero[i] > 0.1 && summary.shareAboveZero[i] < 0.9);
		const month = stage.result.months[t];
		const view = distributionCellView({ kind: 'distribution', id: 'cell-1', collapsed: false, metric: 'shortfall', month }, stage);
		expect(view.chart?.aboveZero).toContain(`above zero in ${month}: ${(summary.shareAboveZero[t] * 100).toFixed(1)} %`);
		const bars = view.chart!.figure!.data[0] as { y: number[] };
		// Shares of the paths above zero: they add up to 100 %, however many paths are at zero.
		expect(bars.y.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
	});
});
