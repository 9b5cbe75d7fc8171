import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import { keyOf } from '../../src/lib/notebook/analyses';
import type { Scenario } from '../../src/lib/scenario/schema';
import { locationOf } from '../../src/lib/scenario/distributions';
import { metricCount } from '../../src/lib/model/metrics';
import { ANALYSIS_DELAY_MS, BACKUP_KEY, NotebookSession, STORAGE_KEY, URL_WRITE_DELAY_MS } from '../../src/lib/notebook/session.svelte';
import { defaultCells, type Cell } from '../../src/lib/notebook/cells';
import { maxPathsOver, notebookLimits, type NotebookState } from '../../src/lib/notebook/state';
import { modelVersion } from '../../src/lib/model/version';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT } from '../../src/lib/notebook/link';
import type { AnalysisRequest, AnalysisUpdate, FinishedAnalysis, HistogramSet, RunRequest, RunSummary, RunUpdate, StageSummary } from '../../src/lib/runner/protocol';
import { analysisFailure, runAnalysis } from '../../src/lib/runner/analysis-jobs';
import type { CancellableRunner } from '../../src/lib/runner/scheduler';
import { scenario, testLibrary } from './fixtures';

/** Runs requests at a tiny path count in this thread; can be told to fail. */
function fakeRunner(options: { failing?: boolean } = {}) {
	const requests: RunRequest[] = [];
	const runner: CancellableRunner<RunRequest, RunUpdate, RunSummary> = {
		async run(_id, request) {
			requests.push(request);
			if (options.failing) throw new Error('The simulation worker failed: out of memory');
			const result = runScenario(request.scenario, { seed: request.seed, paths: 16 });
			const histograms = Object.fromEntries(request.histograms.map((metric) => [metric, { binCount: 0, low: [], high: [], counts: [] }]));
			return { phase: 'full', complete: true, result, histograms, elapsedMs: 1 };
		},
		cancel: () => undefined
	};
	return { runner, requests };
}

/** Runs analyses in this thread at a tiny path count, as the worker does (same functions). */
export function fakeAnalyser(paths = 40) {
	const requests: AnalysisRequest[] = [];
	const cancelled: number[] = [];
	const analyser: CancellableRunner<AnalysisRequest, AnalysisUpdate, FinishedAnalysis> = {
		async run(_id, request, onUpdate) {
			requests.push(request);
			const small = 'paths' in request ? { ...request, paths: Math.min(request.paths, paths) } : request;
			try {
				const result = await runAnalysis(small, { onProgress: (done, total) => onUpdate({ kind: 'progress', done, total }) });
				return { status: 'done', result, elapsedMs: 1 };
			} catch (error) {
				return { status: 'failed', failure: analysisFailure(error), elapsedMs: 1 };
			}
		},
		cancel: (id) => void cancelled.push(id)
	};
	return { analyser, requests, cancelled };
}

function memoryStorage() {
	const items = new Map<string, string>();
	return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

function session(runner: CancellableRunner<RunRequest, RunUpdate, RunSummary>, storage = memoryStorage(), restartRunner = () => undefined, analyser = fakeAnalyser().analyser) {
	const fragments: string[] = [];
	const notebook = new NotebookSession(testLibrary(), { runner, analyser, storage, writeFragment: (f) => fragments.push(f), restartRunner });
	return { notebook, fragments, storage };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('NotebookSession', () => {
	it('opens the default scenario and runs it', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		await settle();
		expect(requests[0].scenario.id).toBe('baseline');
		expect(requests[0].previewPaths).toBe(1_000);
		expect(notebook.run.phase).toBe('done');
		expect(notebook.shown?.result.fingerprint).toMatch(/^[0-9a-f]{16}$/);
	});

	it('asks first for what its open cells show: fan chart and distribution metrics, and those its narrative quotes', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		await settle();
		expect(requests[0].focus).toEqual({ summaries: ['usMagnetPrice', 'chinaExports', 'shortfall', 'relianceCut', 'coverMonths'], histograms: ['shortfall'] });
		expect(requests[0].histograms).toEqual(['shortfall']);
	});

	it('leaves what is far from the screen to the complete result, and still asks for every histogram', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		await settle();
		const cellOf = (kind: string, metric?: string) => notebook.state.cells.find((cell) => cell.kind === kind && (!metric || ('metric' in cell && cell.metric === metric)))!;
		notebook.cellNearScreen(cellOf('narrative').id, false);
		notebook.cellNearScreen(cellOf('fan', 'usMagnetPrice').id, false);
		notebook.cellNearScreen(cellOf('fan', 'coverMonths').id, false);
		notebook.cellNearScreen(cellOf('distribution').id, false);
		notebook.setControl('demandGrowth', 0.1);
		await settle();
		expect(requests[1].focus).toEqual({ summaries: ['chinaExports', 'shortfall', 'relianceCut'], histograms: [] });
		expect(requests[1].histograms).toEqual(['shortfall']);
		notebook.cellNearScreen(cellOf('narrative').id, true);
		expect(notebook.currentRequest().focus.summaries).toEqual(['usMagnetPrice', 'chinaExports', 'shortfall', 'relianceCut']);
	});

	it('runs again when a new distribution needs a histogram the result lacks, and not for one it has', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		await settle();
		const distribution = notebook.state.cells.find((cell) => cell.kind === 'distribution')!;
		notebook.updateCell(distribution.id, { month: '2027-06' });
		await settle();
		expect(requests).toHaveLength(1);
		notebook.updateCell(distribution.id, { metric: 'usMagnetPrice' });
		await settle();
		expect(requests).toHaveLength(2);
		expect(requests[1].histograms).toEqual(['usMagnetPrice']);
		expect(notebook.fullResult?.histograms.usMagnetPrice).toBeDefined();
	});

	it('clamps a slider value typed out of range and says so', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		notebook.setControl('demandGrowth', 5);
		expect(notebook.controlValue('demandGrowth')).toBe(0.2);
		expect(notebook.messages.at(-1)?.text).toMatch(/outside the slider range .* it was set to 0\.2 1\/yr/);
		await settle();
		const notebookRuns = requests.filter((r) => r.previewPaths > 0);
		expect(notebookRuns).toHaveLength(2);
		expect(locationOf(notebookRuns[1].scenario.parameters.demandGrowth!)).toBeCloseTo(0.2, 12);
	});

	it('turns a worker failure into an error that a retry clears', async () => {
		let restarts = 0;
		const failing = fakeRunner({ failing: true });
		const { notebook } = session(failing.runner, memoryStorage(), () => void restarts++);
		await notebook.open(undefined);
		await settle();
		expect(notebook.run).toMatchObject({ phase: 'error', error: 'The simulation worker failed: out of memory' });
		notebook.retry();
		expect(restarts).toBe(1);
	});

	it('restores what it saved, and keeps the notebook when a bad link arrives', async () => {
		const { runner } = fakeRunner();
		const first = session(runner);
		await first.notebook.open(undefined);
		first.notebook.selectScenario('renewed-controls');
		first.notebook.setSeed(77);
		await settle();
		await first.notebook.writeNow();
		expect(first.storage.items.get(STORAGE_KEY)).toBe(first.fragments.at(-1));

		const second = session(runner, first.storage);
		await second.notebook.open(undefined);
		expect(second.notebook.state).toMatchObject({ seed: 77, scenario: { id: 'renewed-controls' } });
		await second.notebook.openLink('not-a-link');
		expect(second.notebook.messages.at(-1)?.text).toMatch(/could not be opened.*Your notebook is unchanged/);
		expect(second.notebook.state.scenario.id).toBe('renewed-controls');
	});

	it('never writes the old state over a link the user has just navigated to, whether the write was waiting or encoding', async () => {
		const { runner } = fakeRunner();
		const { notebook, fragments } = session(runner);
		await notebook.open(undefined);
		await settle();
		expect(notebook.run.phase).toBe('done');
		await notebook.openLink('not-a-link');
		await new Promise((resolve) => setTimeout(resolve, URL_WRITE_DELAY_MS + 100));
		expect(fragments).toEqual([]);

		const encoding = notebook.writeNow();
		await notebook.openLink('still-not-a-link');
		await encoding;
		expect(fragments).toEqual([]);

		await notebook.writeNow();
		expect(fragments).toHaveLength(1);
	});

	it('reports an imported scenario that fails validation and changes nothing', async () => {
		const { runner } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		const imported = await notebook.importScenario('{ "id": "x", "title": "X", "description": "", "extends": "nope" }', 'x.json');
		expect(imported).toBe(false);
		expect(notebook.messages.at(-1)?.text).toContain('x.json: extends: unknown parent scenario "nope"');
		expect(notebook.state.scenario.id).toBe('baseline');
	});

	it('runs analysis cells after the notebook’s run, and shows a result only for the current settings', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		await notebook.open(undefined);
		await settle();
		const comparison = notebook.state.cells.find((c) => c.kind === 'comparison')!;
		const key = keyOf(notebook.analysisOf(comparison));
		await until(() => notebook.currentAnalysis(comparison.id, key)?.phase === 'done');
		expect(requests.map((r) => r.kind)).toEqual(['compare']);
		expect(notebook.currentAnalysis(comparison.id, key)?.outcome?.status).toBe('done');

		notebook.setControl('demandGrowth', 0.1);
		const newKey = keyOf(notebook.analysisOf(comparison));
		expect(newKey).not.toBe(key);
		// The old result is not the current one: it is never drawn.
		expect(notebook.currentAnalysis(comparison.id, newKey)).toBeUndefined();
		await until(() => notebook.currentAnalysis(comparison.id, newKey)?.phase === 'done');
		expect(requests).toHaveLength(2);

		// Moving the slider back shows the first result again without running it.
		notebook.resetControl('demandGrowth');
		await until(() => notebook.currentAnalysis(comparison.id, key)?.phase === 'done');
		expect(requests).toHaveLength(2);
	});

	it('starts analyses only once a result has stood a moment: slider moves in quick succession run none', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		await notebook.open(undefined);
		for (const value of [0.05, 0.06, 0.07]) {
			await settle();
			expect(notebook.run.phase).toBe('done');
			notebook.setControl('demandGrowth', value);
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
		await notebook.open(undefined);
		await settle();
		notebook.addCell('threshold');
		const threshold = notebook.state.cells.at(-1)!;
		notebook.updateCell(threshold.id, { threshold: 'chinaShare < 60 t' });
		expect(notebook.analysisOf(notebook.state.cells.at(-1)!)).toEqual({ problem: expect.stringContaining('"t" does not fit chinaShare') });
		notebook.addCell('formula');
		const formula = notebook.state.cells.at(-1)!;
		notebook.updateCell(formula.id, { expression: 'usMagnetPrice * (2 +' });
		const key = keyOf(notebook.analysisOf(notebook.state.cells.at(-1)!));
		await until(() => notebook.currentAnalysis(formula.id, key)?.phase === 'done');
		expect(notebook.currentAnalysis(formula.id, key)?.outcome).toMatchObject({ status: 'failed', failure: { formulaKind: 'syntax', position: 21 } });
		// Only the default threshold ever ran; the bad one never left the page.
		expect(requests.filter((r) => r.kind === 'threshold').map((r) => r.kind === 'threshold' && r.threshold)).toEqual(['usMagnetPrice > 2 × start']);
		// Removing a cell forgets its analysis.
		notebook.removeCell(formula.id);
		expect(notebook.analyses.has(formula.id)).toBe(false);
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
		await notebook.open(undefined);
		await settle();
		const comparison = notebook.state.cells.find((c) => c.kind === 'comparison')!;
		const key = keyOf(notebook.analysisOf(comparison));
		await until(() => notebook.currentAnalysis(comparison.id, key)?.phase === 'done');
		late!();
		expect(notebook.currentAnalysis(comparison.id, key)?.phase).toBe('done');
	});

	it('a collapsed analysis cell waits until it is opened', async () => {
		const { runner } = fakeRunner();
		const { analyser, requests } = fakeAnalyser();
		const { notebook } = session(runner, memoryStorage(), () => undefined, analyser);
		const comparison = notebook.state.cells.find((c) => c.kind === 'comparison')!;
		notebook.updateCell(comparison.id, { collapsed: true });
		await notebook.open(undefined);
		await settle();
		await settle();
		expect(requests).toHaveLength(0);
		notebook.updateCell(comparison.id, { collapsed: false });
		await until(() => requests.length === 1);
	});

	it('a stage moves the progress bar to its paths (progress is not posted before the preview)', async () => {
		let finish: (() => void) | undefined;
		const runner: CancellableRunner<RunRequest, RunUpdate, RunSummary> = {
			run(_id, request, onUpdate) {
				const full: RunSummary = { phase: 'full', complete: true, result: runScenario(request.scenario, { seed: request.seed, paths: 16 }), histograms: {} as HistogramSet, elapsedMs: 1 };
				onUpdate({ kind: 'stage', summary: { ...full, phase: 'preview', complete: false, result: runScenario(request.scenario, { seed: request.seed, paths: 8 }) } });
				return new Promise((resolve) => (finish = () => resolve(full)));
			},
			cancel: () => undefined
		};
		const { notebook } = session(runner);
		await notebook.open(undefined);
		await until(() => finish !== undefined);
		expect(notebook.run).toMatchObject({ phase: 'running', pathsDone: 8 });
		finish!();
		await until(() => notebook.run.phase === 'done');
	});

	it('a preview that arrives after the full result never replaces it on screen', async () => {
		let late: (() => void) | undefined;
		const runner: CancellableRunner<RunRequest, RunUpdate, RunSummary> = {
			async run(_id, request, onUpdate) {
				const full: RunSummary = { phase: 'full', complete: true, result: runScenario(request.scenario, { seed: request.seed, paths: 16 }), histograms: {} as HistogramSet, elapsedMs: 1 };
				const preview: StageSummary = { ...full, phase: 'preview', complete: false, result: runScenario(request.scenario, { seed: request.seed, paths: 8 }) };
				late = () => onUpdate({ kind: 'stage', summary: preview });
				return full;
			},
			cancel: () => undefined
		};
		const { notebook } = session(runner);
		await notebook.open(undefined);
		await settle();
		expect(notebook.shown?.phase).toBe('full');
		late!();
		expect(notebook.shown?.phase).toBe('full');
	});
});

/** An encoded notebook, written without the checks a save makes (as an older version of the page might have saved it). */
async function encodedState(state: NotebookState): Promise<string> {
	return encodeSharePayload({ format: SHARE_FORMAT, modelVersion, state });
}

function baselineState(change: Partial<NotebookState> = {}): NotebookState {
	return { scenario: { id: 'baseline', values: {} }, seed: 42, paths: 1_000, cells: defaultCells(scenario('baseline'), [...testLibrary().keys()]), ...change };
}

async function decodedState(encoded: string | undefined): Promise<NotebookState> {
	const decoded = await decodeSharePayload(encoded ?? '');
	if (!decoded.ok) throw new Error(decoded.problems.join(' '));
	return decoded.payload.state;
}

describe('NotebookSession with hostile input', () => {
	it('cuts a narrative at the limit when it is typed, tells the user, and saves a notebook it can read back', async () => {
		const { runner } = fakeRunner();
		const first = session(runner);
		await first.notebook.open(undefined);
		await settle();
		const narrative = first.notebook.state.cells.find((cell) => cell.kind === 'narrative')!;
		first.notebook.updateCell(narrative.id, { markdown: 'x'.repeat(25_000) });
		const kept = first.notebook.state.cells.find((cell) => cell.id === narrative.id) as Extract<Cell, { kind: 'narrative' }>;
		expect(kept.markdown).toHaveLength(notebookLimits.maxNarrativeChars);
		expect(first.notebook.messages.at(-1)?.text).toContain('at most 20,000 characters');
		await first.notebook.writeNow();

		const second = session(runner, first.storage);
		await second.notebook.open(undefined);
		expect(second.notebook.messages).toEqual([]);
		expect((second.notebook.state.cells.find((cell) => cell.id === narrative.id) as typeof kept).markdown).toHaveLength(notebookLimits.maxNarrativeChars);
	});

	it('never saves a notebook it could not read back: the last saved one is kept, and the user told once', async () => {
		const { runner } = fakeRunner();
		const { notebook, storage, fragments } = session(runner);
		await notebook.open(undefined);
		await settle();
		await notebook.writeNow();
		const saved = storage.items.get(STORAGE_KEY);
		// Past every check at the input (as a future edit path might be): the save refuses it.
		notebook.state.cells = [...notebook.state.cells, { kind: 'threshold', id: 'cell-99', collapsed: false, threshold: 'y'.repeat(500) }];
		await notebook.writeNow();
		await notebook.writeNow();
		expect(storage.items.get(STORAGE_KEY)).toBe(saved);
		expect(fragments.at(-1)).toBe(saved);
		expect(notebook.messages.filter((m) => m.text.includes('could not be saved'))).toHaveLength(1);
		expect(notebook.messages.at(-1)?.text).toContain('at most 200 characters');
	});

	it('keeps a saved notebook it cannot read, never saves over it, and replaces it only when the user says so', async () => {
		const { runner } = fakeRunner();
		const storage = memoryStorage();
		const tooBig = await encodedState(baselineState({ cells: [{ kind: 'narrative', id: 'cell-1', collapsed: false, markdown: 'z'.repeat(25_000) }] }));
		storage.setItem(STORAGE_KEY, tooBig);
		const { notebook, fragments } = session(runner, storage);
		await notebook.open(undefined);
		await settle();
		const told = notebook.messages.find((m) => m.action === 'replace-unreadable');
		expect(told?.text).toMatch(/could not be restored.*at most 20,000 characters.*kept as it was/s);
		notebook.setSeed(9);
		await settle();
		await notebook.writeNow();
		expect(storage.items.get(STORAGE_KEY)).toBe(tooBig);
		expect(fragments.length).toBeGreaterThan(0);

		await notebook.act('replace-unreadable');
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(9);
		expect(notebook.messages.some((m) => m.action === 'replace-unreadable')).toBe(false);
	});

	it('refuses an imported scenario whose notebook would exceed the limits, and changes nothing', async () => {
		const { runner } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		const file = JSON.stringify({ id: 'long-story', extends: 'baseline', title: 'Long', description: 'w'.repeat(25_000) });
		expect(await notebook.importScenario(file, 'long-story.json')).toBe(false);
		expect(notebook.messages.at(-1)?.text).toMatch(/long-story\.json was not imported.*narrative.*at most 20,000 characters/s);
		expect(notebook.state.scenario.id).toBe('baseline');
	});

	it('runs no more paths than fit the tab over a long horizon, and says so when asked for more', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		const file = JSON.stringify({ id: 'half-century', extends: 'baseline', title: 'Fifty years', description: '', start: '2025-01', end: '2074-12', events: [] });
		expect(await notebook.importScenario(file, 'half-century.json')).toBe(true);
		notebook.setPaths(50_000);
		const fit = maxPathsOver(600);
		expect(fit).toBeLessThan(50_000);
		expect(notebook.messages.at(-1)?.text).toContain(`at most ${fit.toLocaleString('en-US')} over this scenario's 600 months`);
		await settle();
		expect(requests.at(-1)!.paths).toBeLessThanOrEqual(fit);
		expect(fit * 600 * metricCount * 4).toBeLessThanOrEqual(notebookLimits.maxPathBytes);
	});

	it('refuses a link with duplicate cell ids with a message, and keeps the saved notebook', async () => {
		const { runner } = fakeRunner();
		const storage = memoryStorage();
		const saved = await encodedState(baselineState({ seed: 77 }));
		storage.setItem(STORAGE_KEY, saved);
		const cells = defaultCells(scenario('baseline'), []).map((cell) => ({ ...cell, id: 'cell-1' }));
		const { notebook } = session(runner, storage);
		await notebook.open(await encodedState(baselineState({ seed: 5, cells })));
		expect(notebook.messages[0]?.text).toMatch(/could not be opened.*each cell needs its own id.*your saved notebook/s);
		expect(notebook.state.seed).toBe(77);
		await settle();
		await notebook.writeNow();
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(77);
	});

	it('keeps the notebook a link replaces, and restores it when asked', async () => {
		const { runner } = fakeRunner();
		const storage = memoryStorage();
		storage.setItem(STORAGE_KEY, await encodedState(baselineState({ seed: 77 })));
		const { notebook } = session(runner, storage);
		await notebook.open(await encodedState(baselineState({ scenario: { id: 'renewed-controls', values: {} }, seed: 5 })));
		expect(notebook.state).toMatchObject({ seed: 5, scenario: { id: 'renewed-controls' } });
		expect(notebook.messages.find((m) => m.action === 'restore-previous')?.tone).toBe('notice');
		expect(notebook.hasPrevious).toBe(true);
		await settle();
		await notebook.writeNow();
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(5);
		expect((await decodedState(storage.items.get(BACKUP_KEY))).seed).toBe(77);

		await notebook.act('restore-previous');
		expect(notebook.state).toMatchObject({ seed: 77, scenario: { id: 'baseline' } });
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(77);
		// The link's notebook is now the previous one.
		expect((await decodedState(storage.items.get(BACKUP_KEY))).seed).toBe(5);
		expect(notebook.messages.some((m) => m.action === 'restore-previous')).toBe(false);
	});

	it('keeps the notebook open when a link is pasted over it, and opening the same notebook again keeps nothing', async () => {
		const { runner } = fakeRunner();
		const { notebook, storage } = session(runner);
		await notebook.open(undefined);
		notebook.setSeed(31);
		await settle();
		await notebook.openLink(await encodedState(baselineState({ seed: 5 })));
		expect(notebook.state.seed).toBe(5);
		expect((await decodedState(storage.items.get(BACKUP_KEY))).seed).toBe(31);
		expect(notebook.messages.filter((m) => m.action === 'restore-previous')).toHaveLength(1);

		const again = session(runner);
		const encoded = await encodedState(baselineState({ seed: 8 }));
		again.storage.setItem(STORAGE_KEY, encoded);
		await again.notebook.open(encoded);
		expect(again.notebook.messages).toEqual([]);
		expect(again.storage.items.has(BACKUP_KEY)).toBe(false);
	});

	it('adds no cell beyond the limit', async () => {
		const { runner } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.open(undefined);
		while (notebook.state.cells.length < notebookLimits.maxCells) notebook.addCell('narrative');
		notebook.addCell('narrative');
		expect(notebook.state.cells).toHaveLength(notebookLimits.maxCells);
		expect(notebook.messages.at(-1)?.text).toContain('at most 50 cells');
	});
});
