import { beforeAll, describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { thresholdProbabilities, type ThresholdResult } from '../../src/lib/analysis/threshold';
import { runScenario } from '../../src/lib/engine/run';
import { shortKey, type AnalysisCellState, type AnalysisView, type CellAnalysis } from '../../src/lib/notebook/analyses';
import { analysisPaths, analysisStatus, scenarioOptions } from '../../src/lib/notebook/cell-vm';
import type { CellOf } from '../../src/lib/notebook/cells';
import { comparisonCellView } from '../../src/lib/notebook/comparison-vm';
import { controlsView } from '../../src/lib/notebook/controls-vm';
import { distributionCellView } from '../../src/lib/notebook/distribution-vm';
import { fanCellView } from '../../src/lib/notebook/fan-vm';
import { formulaCellView } from '../../src/lib/notebook/formula-vm';
import { indicatorsCellView } from '../../src/lib/notebook/indicators';
import { RecentCache } from '../../src/lib/notebook/recent-cache';
import { refineSettingOf } from '../../src/lib/notebook/refine-vm';
import { resolveChoice } from '../../src/lib/notebook/state';
import { thresholdCellView } from '../../src/lib/notebook/threshold-vm';
import type { AnalysisRequest, StageSummary } from '../../src/lib/runner/protocol';
import { scenario, testLibrary } from './fixtures';

/**
 * The cells' view-models are plain functions of plain inputs: each is built here from a cell, a
 * run's stage or an analysis cell's state, without a session, a worker pool or a page.
 */

const baseline = scenario('baseline');
const request: AnalysisRequest = { kind: 'threshold', scenario: baseline, seed: 7, paths: 100, threshold: 'shortfall > 0' };
const analysis: CellAnalysis = { request, key: 'threshold-key' };

function state(view: AnalysisView | undefined, runDone = true, cellAnalysis: CellAnalysis | undefined = analysis): AnalysisCellState {
	return { analysis: cellAnalysis, view, runDone };
}

function stage(phase: 'preview' | 'full', paths = 40): StageSummary {
	const result = runScenario(baseline, { seed: 7, paths });
	return { phase, complete: phase === 'full', result, histograms: {}, elapsedMs: 5 };
}

describe('analysis status', () => {
	it('says what keeps an analysis from showing, in order: a setting, the worker, the input, progress, waiting', () => {
		expect(analysisStatus(state(undefined, true, { problem: 'unknown metric' }))).toEqual({ kind: 'problem', text: 'unknown metric', preformatted: true });
		expect(analysisStatus(state({ key: 'k', phase: 'error', done: 0, total: 0, error: 'out of memory' }))).toEqual({
			kind: 'problem',
			text: 'The analysis failed in the worker: out of memory',
			preformatted: false
		});
		const failed: AnalysisView = { key: 'k', phase: 'done', done: 0, total: 0, outcome: { status: 'failed', failure: { message: 'bad unit' }, elapsedMs: 1 } };
		expect(analysisStatus(state(failed))).toEqual({ kind: 'problem', text: 'bad unit', preformatted: true });
		expect(analysisStatus(state(failed), false)).toEqual({ kind: 'none' });
		expect(analysisStatus(state({ key: 'k', phase: 'running', done: 30, total: 90 }))).toEqual({ kind: 'running', done: 30, total: 90 });
		expect(analysisStatus(state(undefined, false))).toEqual({ kind: 'waiting', text: 'Waiting for the notebook’s run to finish…' });
		expect(analysisStatus(state(undefined, true))).toEqual({ kind: 'waiting', text: 'Starting…' });
	});
});

describe('threshold cell view-model', () => {
	let result: ThresholdResult;
	beforeAll(async () => {
		result = thresholdProbabilities(await simulateScenario(baseline, { seed: 7, paths: 100 }), 'shortfall > 0');
	});
	const done = (): AnalysisView => ({
		key: analysis.key,
		phase: 'done',
		done: 0,
		total: 0,
		outcome: { status: 'done', result: { kind: 'threshold', result }, elapsedMs: 3 }
	});

	it('draws nothing until the result is there, and tags its charts with the request key', () => {
		const view = thresholdCellView(state(undefined), baseline);
		expect(view.result).toBeUndefined();
		expect(view.drawn).toBeUndefined();
		expect(view.tag).toBe(shortKey(analysis.key));
	});

	it('builds the charts and table once per result: a view rebuilt for the same result keeps its figures', () => {
		const first = thresholdCellView(state(done()), baseline);
		expect(first.result).toBe(result);
		expect(first.drawn?.rows.length).toBeGreaterThan(0);
		expect(first.status).toEqual({ kind: 'none' });
		const again = thresholdCellView(state(done(), false), baseline);
		expect(again.drawn?.monthFigure).toBe(first.drawn?.monthFigure);
		expect(again.drawn?.yearFigure).toBe(first.drawn?.yearFigure);
	});
});

describe('comparison and formula cell view-models', () => {
	const comparison: CellOf<'comparison'> = { kind: 'comparison', id: 'c1', collapsed: false, metric: 'chinaExports', against: 'baseline' };

	it('a comparison offers the library and tags its chart with the fingerprint, the other scenario and the metric', () => {
		const options = scenarioOptions(testLibrary(), ['baseline']);
		const view = comparisonCellView(comparison, state(undefined), 'abc123', options);
		expect(view.scenarios).toEqual([{ id: 'baseline', label: `${testLibrary().get('baseline')!.file.title} (baseline)` }]);
		expect(view.tag).toBe('abc123:baseline:chinaExports');
		expect(view.shown).toBeUndefined();
	});

	it('a formula shows an input failure where it is in the formula, not as a status line', () => {
		const formula: CellOf<'formula'> = { kind: 'formula', id: 'f1', collapsed: false, expression: 'usMagnetPrice +', unit: 'USD/kg' };
		const failed: AnalysisView = {
			key: 'k',
			phase: 'done',
			done: 0,
			total: 0,
			outcome: { status: 'failed', failure: { message: 'Unexpected end', formulaKind: 'syntax', position: 16 }, elapsedMs: 1 }
		};
		const view = formulaCellView(formula, state(failed, true, { request, key: 'k' }), 10);
		expect(view.status).toEqual({ kind: 'none' });
		expect(view.problem?.message).toContain('Unexpected end');
		expect(view.timing).toBe('');
	});
});

describe('run cells view-models', () => {
	it('a fan chart waits for the first result, then keeps its figure for a stage carrying the same series', () => {
		const price = { metric: 'usMagnetPrice' } as const;
		expect(fanCellView(price, undefined, baseline)).toBeUndefined();
		const preview = stage('preview');
		const view = fanCellView(price, preview, baseline)!;
		expect(view.provisional).toBe(true);
		expect(view.figure).toBeDefined();
		const sameSeries: StageSummary = { ...preview, phase: 'full', result: { ...preview.result } };
		const next = fanCellView(price, sameSeries, baseline)!;
		expect(next.figure).toBe(view.figure);
		expect(next.provisional).toBe(false);
		expect(fanCellView(price, stage('full'), baseline)!.figure).not.toBe(view.figure);
		expect(fanCellView({ ...price, target: { value: 100, label: 'a ceiling' } }, sameSeries, baseline)!.figure).not.toBe(view.figure);
	});

	it('a distribution shows the nearest month the run has, and no chart before a result', () => {
		const cell: CellOf<'distribution'> = { kind: 'distribution', id: 'd1', collapsed: false, metric: 'shortfall', month: '1999-01' };
		expect(distributionCellView(cell, undefined)).toEqual({ months: [], monthIndex: 0, month: '1999-01', chart: undefined });
		const view = distributionCellView(cell, stage('full'));
		expect(view.monthIndex).toBe(0);
		expect(view.month).toBe(baseline.start);
		expect(view.chart?.figure).toBeUndefined();
	});

	it('the indicators table follows the stage, and the refine part shows only while refining', () => {
		const cell: CellOf<'indicators'> = { kind: 'indicators', id: 'i1', collapsed: false, refine: undefined };
		const view = indicatorsCellView(cell, stage('preview'), state(undefined, true, undefined), 2_000, baseline);
		expect(view.table?.caption).toMatch(/^From 40 paths \(preview; the full run is on its way\)/);
		expect(view.refine).toBeUndefined();
		expect(view.unitOf('median usMagnetPrice 2027')).toBe('USD/kg');
		expect(view.unitOf('median nothing 2027')).toBe('');
		const refining = indicatorsCellView(
			{ ...cell, refine: { indicator: 'mean chinaShare 2027', target: 0.01, maxPaths: 1_000 } },
			undefined,
			state(undefined),
			2_000,
			baseline
		);
		expect(refining.table).toBeUndefined();
		expect(refining.refine?.startPaths).toBe('1,000 paths');
	});

	it('the controls list the sliders by group, each at its value and the scenario’s own', () => {
		const choice = { id: 'baseline', values: {} };
		const resolved = resolveChoice(choice, testLibrary());
		const view = controlsView(resolved, { scenario: choice, seed: 3, paths: 5_000 });
		expect(view.groups.flatMap((g) => g.controls)).toHaveLength(baseline.controls.length);
		expect(view.values).toEqual(view.defaults);
		expect(view.anyMoved).toBe(false);
		const param = baseline.controls[0].param;
		const moved = { id: 'baseline', values: { [param]: baseline.controls[0].max } };
		const movedView = controlsView(resolveChoice(moved, testLibrary()), { scenario: moved, seed: 3, paths: 5_000 });
		expect(movedView.values[param]).toBe(baseline.controls[0].max);
		expect(movedView.anyMoved).toBe(true);
	});
});

describe('cell inputs', () => {
	it('an analysis path count is kept within the limits, and the user told when it was changed', () => {
		expect(analysisPaths(Number.NaN, 'A tornado')).toBeUndefined();
		expect(analysisPaths(500, 'A tornado')).toEqual({ paths: 500 });
		expect(analysisPaths(1e9, 'An attribution')).toEqual({
			paths: 10_000,
			notice: 'An attribution runs 100 – 10,000 paths per variant; 10,000 paths are used.'
		});
	});

	it('a refine draft becomes a setting in the indicator’s unit, or says what is wrong', () => {
		expect(refineSettingOf({ indicator: 'P(shortfall > 0) by 2030', target: 0.5, maxPaths: 20_000 }, 'probability')).toEqual({
			indicator: 'P(shortfall > 0) by 2030',
			target: 0.005,
			maxPaths: 20_000
		});
		expect(refineSettingOf({ indicator: 'x', target: 0, maxPaths: 20_000 }, 'probability')).toHaveProperty('problem');
		expect(refineSettingOf({ indicator: 'x', target: 1, maxPaths: 10 }, '')).toEqual({
			problem: 'The path cap must be a whole number of paths from 500 to 50,000.'
		});
	});
});

describe('RecentCache', () => {
	it('keeps the newest entries, a stored one counting as new again', () => {
		const cache = new RecentCache<number>(2);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('a', 3);
		cache.set('c', 4);
		expect(cache.get('b')).toBeUndefined();
		expect(cache.get('a')).toBe(3);
		expect(cache.get('c')).toBe(4);
	});
});
