import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import { keyOf } from '../../src/lib/notebook/analyses';
import type { Scenario } from '../../src/lib/scenario/schema';
import { locationOf } from '../../src/lib/model/parameter-values';
import { ANALYSIS_DELAY_MS } from '../../src/lib/notebook/analysis-manager.svelte';
import { STORAGE_KEY, URL_WRITE_DELAY_MS } from '../../src/lib/notebook/persistence.svelte';
import type {
	AnalysisRequest,
	AnalysisUpdate,
	FinishedAnalysis,
	HistogramSet,
	RunRequest,
	RunSummary,
	RunUpdate,
	StageSummary
} from '../../src/lib/runner/protocol';
import { runAnalysis } from '../../src/lib/runner/analysis-jobs';
import type { CancellableRunner } from '../../src/lib/runner/scheduler';
import { fakeRunner, fakeAnalyser, memoryStorage, session, settle, until } from './session-fakes';

describe('NotebookSession', () => {
	it('opens the default scenario and runs it', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		expect(requests[0].scenario.id).toBe('baseline');
		expect(requests[0].previewPaths).toBe(1_000);
		expect(notebook.runs.status.phase).toBe('done');
		expect(notebook.runs.shown?.result.fingerprint).toMatch(/^[0-9a-f]{16}$/);
	});

	it('asks first for what its open cells show: fan chart and distribution metrics, and those its narrative quotes', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		expect(requests[0].focus).toEqual({ summaries: ['usMagnetPrice', 'chinaExports', 'shortfall', 'relianceCut', 'coverMonths'], histograms: ['shortfall'] });
		expect(requests[0].histograms).toEqual(['shortfall']);
	});

	it('leaves what is far from the screen to the complete result, and still asks for every histogram', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		const cellOf = (kind: string, metric?: string) =>
			notebook.editor.state.cells.find((cell) => cell.kind === kind && (!metric || ('metric' in cell && cell.metric === metric)))!;
		notebook.editor.cellNearScreen(cellOf('narrative').id, false);
		notebook.editor.cellNearScreen(cellOf('fan', 'usMagnetPrice').id, false);
		notebook.editor.cellNearScreen(cellOf('fan', 'coverMonths').id, false);
		notebook.editor.cellNearScreen(cellOf('distribution').id, false);
		notebook.editor.setControl('demandGrowth', 0.1);
		await settle();
		expect(requests[1].focus).toEqual({ summaries: ['chinaExports', 'shortfall', 'relianceCut'], histograms: [] });
		expect(requests[1].histograms).toEqual(['shortfall']);
		notebook.editor.cellNearScreen(cellOf('narrative').id, true);
		expect(notebook.editor.runRequest().focus.summaries).toEqual(['usMagnetPrice', 'chinaExports', 'shortfall', 'relianceCut']);
	});

	it('runs again when a new distribution needs a histogram the result lacks, and not for one it has', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		const distribution = notebook.editor.state.cells.find((cell) => cell.kind === 'distribution')!;
		notebook.editor.updateCell(distribution.id, { month: '2027-06' });
		await settle();
		expect(requests).toHaveLength(1);
		notebook.editor.updateCell(distribution.id, { metric: 'usMagnetPrice' });
		await settle();
		expect(requests).toHaveLength(2);
		expect(requests[1].histograms).toEqual(['usMagnetPrice']);
		expect(notebook.fullResult?.histograms.usMagnetPrice).toBeDefined();
	});

	it('clamps a slider value typed out of range and says so', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		notebook.editor.setControl('demandGrowth', 5);
		expect(notebook.editor.controlValue('demandGrowth')).toBe(0.2);
		expect(notebook.messages.list.at(-1)?.text).toMatch(/outside the slider range .* it was set to 0\.2 1\/yr/);
		await settle();
		const notebookRuns = requests.filter((r) => r.previewPaths > 0);
		expect(notebookRuns).toHaveLength(2);
		expect(locationOf(notebookRuns[1].scenario.parameters.demandGrowth!)).toBeCloseTo(0.2, 12);
	});

	it('turns a worker failure into an error that a retry clears', async () => {
		let restarts = 0;
		const failing = fakeRunner({ failing: true });
		const { notebook } = session(failing.runner, memoryStorage(), () => void restarts++);
		await notebook.persistence.open(undefined);
		await settle();
		expect(notebook.runs.status).toMatchObject({ phase: 'error', error: 'The simulation worker failed: out of memory' });
		notebook.retry();
		expect(restarts).toBe(1);
	});

	it('restores what it saved, and keeps the notebook when a bad link arrives', async () => {
		const { runner } = fakeRunner();
		const first = session(runner);
		await first.notebook.persistence.open(undefined);
		first.notebook.editor.selectScenario('renewed-controls');
		first.notebook.editor.setSeed(77);
		await settle();
		await first.notebook.persistence.writeNow();
		expect(first.storage.items.get(STORAGE_KEY)).toBe(first.fragments.at(-1));

		const second = session(runner, first.storage);
		await second.notebook.persistence.open(undefined);
		expect(second.notebook.editor.state).toMatchObject({ seed: 77, scenario: { id: 'renewed-controls' } });
		await second.notebook.persistence.openLink('not-a-link');
		expect(second.notebook.messages.list.at(-1)?.text).toMatch(/could not be opened.*Your notebook is unchanged/);
		expect(second.notebook.editor.state.scenario.id).toBe('renewed-controls');
	});

	it('never writes the old state over a link the user has just navigated to, whether the write was waiting or encoding', async () => {
		const { runner } = fakeRunner();
		const { notebook, fragments } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		expect(notebook.runs.status.phase).toBe('done');
		await notebook.persistence.openLink('not-a-link');
		await new Promise((resolve) => setTimeout(resolve, URL_WRITE_DELAY_MS + 100));
		expect(fragments).toEqual([]);

		const encoding = notebook.persistence.writeNow();
		await notebook.persistence.openLink('still-not-a-link');
		await encoding;
		expect(fragments).toEqual([]);

		await notebook.persistence.writeNow();
		expect(fragments).toHaveLength(1);
	});

	it('reports an imported scenario that fails validation and changes nothing', async () => {
		const { runner } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		const imported = await notebook.editor.importScenario('{ "id": "x", "title": "X", "description": "", "extends": "nope" }', 'x.json');
		expect(imported).toBe(false);
		expect(notebook.messages.list.at(-1)?.text).toContain('x.json: extends: unknown parent scenario "nope"');
		expect(notebook.editor.state.scenario.id).toBe('baseline');
	});

	it('runs analysis cells after the notebook’s run, and shows a result only for the current settings', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		await notebook.persistence.open(undefined);
		await settle();
		const comparison = notebook.editor.state.cells.find((c) => c.kind === 'comparison')!;
		const key = keyOf(notebook.analyses.analysisOf(comparison));
		await until(() => notebook.analyses.current(comparison.id, key)?.phase === 'done');
		expect(requests.map((r) => r.kind)).toEqual(['compare']);
		expect(notebook.analyses.current(comparison.id, key)?.outcome?.status).toBe('done');

		notebook.editor.setControl('demandGrowth', 0.1);
		const newKey = keyOf(notebook.analyses.analysisOf(comparison));
		expect(newKey).not.toBe(key);
		// The old result is not the current one: it is never drawn.
		expect(notebook.analyses.current(comparison.id, newKey)).toBeUndefined();
		await until(() => notebook.analyses.current(comparison.id, newKey)?.phase === 'done');
		expect(requests).toHaveLength(2);

		// Moving the slider back shows the first result again without running it.
		notebook.editor.resetControl('demandGrowth');
		await until(() => notebook.analyses.current(comparison.id, key)?.phase === 'done');
		expect(requests).toHaveLength(2);
	});

	it('starts analyses only once a result has stood a moment: slider moves in quick succession run none', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		await notebook.persistence.open(undefined);
		for (const value of [0.05, 0.06, 0.07]) {
			await settle();
			expect(notebook.runs.status.phase).toBe('done');
			notebook.editor.setControl('demandGrowth', value);
		}
		await settle();
		expect(requests).toHaveLength(0);
		await new Promise((resolve) => setTimeout(resolve, ANALYSIS_DELAY_MS + 50));
		expect(requests.map((r) => r.kind)).toEqual(['compare']);
		expect(requests[0].kind).toBe('compare');
		expect(locationOf((requests[0] as { b: Scenario }).b.parameters.demandGrowth!)).toBeCloseTo(0.07, 12);
	});

	it('a cell with bad settings shows its problem and runs nothing; a bad formula comes back with its position', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		await notebook.persistence.open(undefined);
		await settle();
		notebook.editor.addCell('threshold');
		const threshold = notebook.editor.state.cells.at(-1)!;
		notebook.editor.updateCell(threshold.id, { threshold: 'chinaShare < 60 t' });
		expect(notebook.analyses.analysisOf(notebook.editor.state.cells.at(-1)!)).toEqual({ problem: expect.stringContaining('"t" does not fit chinaShare') });
		notebook.editor.addCell('formula');
		const formula = notebook.editor.state.cells.at(-1)!;
		notebook.editor.updateCell(formula.id, { expression: 'usMagnetPrice * (2 +' });
		const key = keyOf(notebook.analyses.analysisOf(notebook.editor.state.cells.at(-1)!));
		await until(() => notebook.analyses.current(formula.id, key)?.phase === 'done');
		expect(notebook.analyses.current(formula.id, key)?.outcome).toMatchObject({ status: 'failed', failure: { formulaKind: 'syntax', position: 21 } });
		// Only the default threshold ever ran; the bad one never left the page.
		expect(requests.filter((r) => r.kind === 'threshold').map((r) => r.kind === 'threshold' && r.threshold)).toEqual(['usMagnetPrice > 2 × start']);
		// Removing a cell forgets its analysis.
		notebook.editor.removeCell(formula.id);
		expect(notebook.analyses.views.has(formula.id)).toBe(false);
	});

	it('progress that arrives after the result does not undo it', async () => {
		const { runner } = fakeRunner();
		let late: (() => void) | undefined;
		const analyser: CancellableRunner<AnalysisRequest, AnalysisUpdate, FinishedAnalysis> = {
			async run(_id, request, onUpdate) {
				const result = await runAnalysis({ ...request, paths: 20 } as AnalysisRequest);
				late = () => onUpdate({ kind: 'progress', done: 20, total: 40 });
				return { status: 'done', result, elapsedMs: 1 };
			},
			cancel: () => undefined
		};
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		await notebook.persistence.open(undefined);
		await settle();
		const comparison = notebook.editor.state.cells.find((c) => c.kind === 'comparison')!;
		const key = keyOf(notebook.analyses.analysisOf(comparison));
		await until(() => notebook.analyses.current(comparison.id, key)?.phase === 'done');
		late!();
		expect(notebook.analyses.current(comparison.id, key)?.phase).toBe('done');
	});

	it('a collapsed analysis cell waits until it is opened', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		const comparison = notebook.editor.state.cells.find((c) => c.kind === 'comparison')!;
		notebook.editor.updateCell(comparison.id, { collapsed: true });
		await notebook.persistence.open(undefined);
		await settle();
		await settle();
		expect(requests).toHaveLength(0);
		notebook.editor.updateCell(comparison.id, { collapsed: false });
		await until(() => requests.length === 1);
	});

	it('a stage moves the progress bar to its paths (progress is not posted before the preview)', async () => {
		let finish: (() => void) | undefined;
		const runner: CancellableRunner<RunRequest, RunUpdate, RunSummary> = {
			run(_id, request, onUpdate) {
				const full: RunSummary = {
					phase: 'full',
					complete: true,
					result: runScenario(request.scenario, { seed: request.seed, paths: 16 }),
					histograms: {} as HistogramSet,
					elapsedMs: 1
				};
				onUpdate({
					kind: 'stage',
					summary: { ...full, phase: 'preview', complete: false, result: runScenario(request.scenario, { seed: request.seed, paths: 8 }) }
				});
				return new Promise((resolve) => (finish = () => resolve(full)));
			},
			cancel: () => undefined
		};
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		await until(() => finish !== undefined);
		expect(notebook.runs.status).toMatchObject({ phase: 'running', pathsDone: 8 });
		finish!();
		await until(() => notebook.runs.status.phase === 'done');
	});

	it('a preview that arrives after the full result never replaces it on screen', async () => {
		let late: (() => void) | undefined;
		const runner: CancellableRunner<RunRequest, RunUpdate, RunSummary> = {
			async run(_id, request, onUpdate) {
				const full: RunSummary = {
					phase: 'full',
					complete: true,
					result: runScenario(request.scenario, { seed: request.seed, paths: 16 }),
					histograms: {} as HistogramSet,
					elapsedMs: 1
				};
				const preview: StageSummary = { ...full, phase: 'preview', complete: false, result: runScenario(request.scenario, { seed: request.seed, paths: 8 }) };
				late = () => onUpdate({ kind: 'stage', summary: preview });
				return full;
			},
			cancel: () => undefined
		};
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		expect(notebook.runs.shown?.phase).toBe('full');
		late!();
		expect(notebook.runs.shown?.phase).toBe('full');
	});
});

/** An encoded notebook, written without the checks a save makes (as an older version of the page might have saved it). */
