import { SvelteMap } from 'svelte/reactivity';
import { modelVersion } from '../model/version';
import { controlDefaults, loadScenarioText, type ScenarioLibrary } from '../scenario/load';
import { formatProblem, InputError, type Problem } from '../scenario/problems';
import type { Scenario } from '../scenario/schema';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, type SharePayload } from '../scenario/share';
import type { AnalysisRequest, AnalysisUpdate, FinishedAnalysis, RunRequest, RunSummary, RunUpdate, StageSummary } from '../worker/protocol';
import { LatestRequestScheduler, type CancellableRunner, type SchedulerEvent } from '../worker/scheduler';
import { analysisFor, type AnalysisContext, type AnalysisView, type CellAnalysis } from './analyses';

export type { AnalysisView } from './analyses';
import { addCell, moveCell, newCell, removeCell, runFocus, runHistograms, updateCell, type Cell, type CellChange, type CellKind } from './cells';
import { formatQuantity } from './format';
import { DEFAULT_SCENARIO_ID } from './library';
import { changedValues, clampPaths, defaultState, libraryWith, notebookLimits, resolveChoice, type NotebookState, type ResolvedChoice } from './state';

/** Where the session reads and writes what outlives a run: the URL fragment and local storage. */
export interface SessionEnvironment {
	runner: CancellableRunner<RunRequest, RunUpdate, RunSummary>;
	/** Runs analyses (comparison, threshold, tornado, attribution, refine, formula) in the workers. */
	analyser: CancellableRunner<AnalysisRequest, AnalysisUpdate, FinishedAnalysis>;
	writeFragment(fragment: string): void;
	storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
	/** Restarts the runner after a failure (a fresh worker pool). */
	restartRunner(): void;
}

export const STORAGE_KEY = 'magnet-scenarios:notebook';
export const URL_WRITE_DELAY_MS = 300;
/**
 * Analyses start once a result has stood this long: their work in the workers (a comparison's
 * summaries take ~0.1 s) would otherwise delay the next slider move's preview, and that move
 * would cancel them anyway.
 */
export const ANALYSIS_DELAY_MS = 250;
const CACHED_RESULTS = 16;
const CACHED_ANALYSES = 32;

type AnalysisJob = { key: string; request: AnalysisRequest };

export interface RunStatus {
	phase: 'idle' | 'running' | 'done' | 'error';
	pathsDone: number;
	pathsTotal: number;
	error: string | undefined;
	/** performance.now() when the current request was made. */
	requestedAt: number;
}

export interface ShareCheck {
	identical: boolean;
	sharedFingerprint: string;
	sharedModelVersion: string;
	currentFingerprint: string;
}

export interface Message {
	id: number;
	text: string;
}

export function runKey(request: Pick<RunRequest, 'scenario' | 'seed' | 'paths'>): string {
	return JSON.stringify({ scenario: request.scenario, seed: request.seed, paths: request.paths });
}

function describeError(error: unknown): string {
	if (error instanceof InputError) return error.problems.map(formatProblem).join('\n');
	if (error instanceof Error) return error.message;
	return String(error);
}

/**
 * The notebook's live state: which scenario with which slider values, the cells, the runs and
 * their results, the messages the user should read. Components render it; it talks to the
 * worker pool through latest-request schedulers: one for the notebook's run, one per analysis cell.
 */
export class NotebookSession {
	readonly library: ScenarioLibrary;
	readonly libraryIds: string[];
	state = $state<NotebookState>() as NotebookState;
	resolved = $state.raw<ResolvedChoice>() as ResolvedChoice;
	run = $state<RunStatus>({ phase: 'idle', pathsDone: 0, pathsTotal: 0, error: undefined, requestedAt: 0 });
	/** The newest stage of the run on screen: the preview, the full count's focus metrics, then all (raw: never proxied). */
	shown = $state.raw<StageSummary | undefined>();
	/** The scenario `shown` was run from (its events and observed series go on the charts). */
	shownScenario = $state.raw<Scenario | undefined>();
	/** Ids of cells far from the screen (see `cellNearScreen`). */
	private readonly offScreenCells = new Set<string>();
	messages = $state<Message[]>([]);
	shareCheck = $state<ShareCheck | undefined>();
	/** Full-count results by run key, newest last. */
	readonly results = new SvelteMap<string, RunSummary>();
	/** Each analysis cell's latest analysis, by cell id. */
	readonly analyses = new SvelteMap<string, AnalysisView>();

	private readonly main: LatestRequestScheduler<RunRequest, RunUpdate, RunSummary>;
	/** One scheduler per analysis cell: a newer request of a cell cancels its older one. */
	private readonly analysisSchedulers = new Map<string, LatestRequestScheduler<AnalysisJob, AnalysisUpdate, FinishedAnalysis>>();
	/** Finished analyses by key, newest last: moving a slider back shows them again at once. */
	private readonly analysisResults = new Map<string, FinishedAnalysis>();
	/** The analyser, fed jobs that carry their key along. */
	private readonly analysisRunner: CancellableRunner<AnalysisJob, AnalysisUpdate, FinishedAnalysis>;
	private sharedFrom: { key: string; fingerprint: string; modelVersion: string } | undefined;
	private writeTimer: ReturnType<typeof setTimeout> | undefined;
	/** Bumped when a write is cancelled, so that one already encoding does not land afterwards. */
	private writeGeneration = 0;
	private analysisTimer: ReturnType<typeof setTimeout> | undefined;
	private nextMessageId = 1;

	constructor(
		library: ScenarioLibrary,
		private readonly environment: SessionEnvironment
	) {
		this.library = library;
		this.libraryIds = [...library.keys()];
		this.main = new LatestRequestScheduler(environment.runner, (event) => this.onMainEvent(event));
		this.analysisRunner = {
			run: (id, job, onUpdate) => environment.analyser.run(id, job.request, onUpdate),
			cancel: (id) => environment.analyser.cancel(id)
		};
		this.adopt(this.defaultStateFor(DEFAULT_SCENARIO_ID));
	}

	// ── Opening ────────────────────────────────────────────────────────────────────────────

	/**
	 * Opens the notebook from a shared link's state, else from local storage, else the default.
	 * A link that cannot be used is reported, and the notebook falls back to what it had.
	 */
	async open(sharedState: string | undefined): Promise<void> {
		if (sharedState === undefined) {
			if (!(await this.restoreSaved())) this.requestRun();
			return;
		}
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length === 0) {
			if (decoded.ok) this.tellMigrated(decoded.notes);
			return;
		}
		const restored = await this.restoreSaved();
		this.tell(`This link could not be opened. ${problems.join(' ')} Showing ${restored ? 'your saved notebook' : 'the default scenario'} instead.`);
		if (!restored) this.requestRun();
	}

	/**
	 * Opens a link pasted into the address bar of a page already open; a bad one leaves the notebook
	 * as it is. The URL is now the user's: a pending write of the old state must not replace it.
	 */
	async openLink(sharedState: string): Promise<void> {
		this.cancelWrite();
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length > 0) this.tell(`This link could not be opened. ${problems.join(' ')} Your notebook is unchanged.`);
		else if (decoded.ok) this.tellMigrated(decoded.notes);
	}

	private async restoreSaved(): Promise<boolean> {
		const saved = this.environment.storage?.getItem(STORAGE_KEY);
		if (!saved) return false;
		const decoded = await decodeSharePayload(saved);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'storage') : decoded.problems;
		if (problems.length > 0) this.tell(`The notebook saved in this browser could not be restored. ${problems.join(' ')}`);
		return problems.length === 0;
	}

	/** Adopts a decoded payload and runs it; returns what prevented that, if anything. */
	/** Says what a link from an older model needed changing to open. */
	private tellMigrated(notes: readonly string[]): void {
		if (notes.length > 0) this.tell(`This link was made with an earlier model. ${notes.join(' ')}`);
	}

	private openPayload(payload: SharePayload, from: 'link' | 'storage'): string[] {
		const { state } = payload;
		let resolved: ResolvedChoice;
		try {
			resolved = resolveChoice(state.scenario, this.library);
		} catch (error) {
			return [`It names a scenario that cannot be opened: ${describeError(error)}.`];
		}
		this.reportAdjustments(resolved);
		this.adopt({ ...state, scenario: { ...state.scenario, values: this.appliedValues(resolved) } }, resolved);
		this.sharedFrom =
			from === 'link' && payload.fingerprint ? { key: runKey(this.currentRequest()), fingerprint: payload.fingerprint, modelVersion: payload.modelVersion } : undefined;
		if (from === 'link' && !payload.fingerprint && payload.modelVersion !== modelVersion) {
			this.tell(`This link was made with model version ${payload.modelVersion}; this is version ${modelVersion}. Its results may differ.`);
		}
		this.requestRun();
		return [];
	}

	private reportAdjustments(resolved: ResolvedChoice): void {
		for (const problem of resolved.problems) this.tell(formatProblem(problem));
		for (const { param, requested, applied } of resolved.clamped) {
			const control = resolved.base.controls.find((c) => c.param === param)!;
			this.tell(
				`${control.label}: ${formatQuantity(requested, control.unit)} is outside the slider range ${formatQuantity(control.min, control.unit)} – ${formatQuantity(control.max, control.unit)}; it was set to ${formatQuantity(applied, control.unit)}.`
			);
		}
	}

	/** The slider values a resolved choice actually applies: clamped, unknown ones dropped. */
	private appliedValues(resolved: ResolvedChoice): Record<string, number> {
		const known = controlDefaults(resolved.scenario);
		return changedValues(resolved.base, known);
	}

	private defaultStateFor(id: string): NotebookState {
		const resolved = resolveChoice({ id, values: {} }, this.library);
		return defaultState(resolved.base, this.libraryIds);
	}

	private adopt(state: NotebookState, resolved = resolveChoice(state.scenario, this.library)): void {
		this.state = state;
		this.resolved = resolved;
	}

	// ── What the user changes ──────────────────────────────────────────────────────────────

	selectScenario(id: string): void {
		try {
			this.adopt(this.defaultStateFor(id));
		} catch (error) {
			this.tell(`Scenario "${id}" cannot be opened: ${describeError(error)}`);
			return;
		}
		this.changed();
	}

	/** Sets a slider; a value outside its range is clamped and the user told. */
	setControl(param: string, value: number): void {
		const control = this.resolved.base.controls.find((c) => c.param === param);
		if (!control) return;
		if (!Number.isFinite(value)) {
			this.tell(`${control.label}: enter a number in ${control.unit}.`);
			return;
		}
		const resolved = resolveChoice({ ...this.state.scenario, values: { ...this.state.scenario.values, [param]: value } }, this.library);
		this.reportAdjustments(resolved);
		this.state.scenario.values = this.appliedValues(resolved);
		this.resolved = resolved;
		this.changed();
	}

	resetControl(param: string): void {
		const { [param]: _removed, ...rest } = this.state.scenario.values;
		this.state.scenario.values = rest;
		this.resolved = resolveChoice(this.state.scenario, this.library);
		this.changed();
	}

	resetAllControls(): void {
		this.state.scenario.values = {};
		this.resolved = resolveChoice(this.state.scenario, this.library);
		this.changed();
	}

	controlValue(param: string): number {
		return controlDefaults(this.resolved.scenario)[param];
	}

	setSeed(seed: number): void {
		if (!Number.isInteger(seed) || seed < 0 || seed > notebookLimits.maxSeed) {
			this.tell(`The seed must be a whole number from 0 to ${notebookLimits.maxSeed.toLocaleString('en-US')}; ${seed} was not used.`);
			return;
		}
		this.state.seed = seed;
		this.changed();
	}

	newSeed(): void {
		this.setSeed(crypto.getRandomValues(new Uint32Array(1))[0]);
	}

	setPaths(paths: number): void {
		if (!Number.isFinite(paths)) {
			this.tell('The path count must be a number of paths.');
			return;
		}
		const clamped = clampPaths(paths);
		if (clamped !== paths) {
			this.tell(`${paths.toLocaleString('en-US')} paths is outside the range ${notebookLimits.minPaths.toLocaleString('en-US')} – ${notebookLimits.maxPaths.toLocaleString('en-US')} paths; ${clamped.toLocaleString('en-US')} paths are used.`);
		}
		this.state.paths = clamped;
		this.changed();
	}

	addCell(kind: CellKind): void {
		this.state.cells = addCell(this.state.cells, newCell(kind, this.state.cells, this.resolved.base, this.libraryIds));
		this.cellsChanged();
	}

	removeCell(id: string): void {
		this.analysisSchedulers.get(id)?.cancelAll();
		this.analysisSchedulers.delete(id);
		this.analyses.delete(id);
		this.state.cells = removeCell(this.state.cells, id);
		this.cellsChanged();
	}

	moveCell(id: string, offset: -1 | 1): void {
		this.state.cells = moveCell(this.state.cells, id, offset);
		this.cellsChanged();
	}

	updateCell(id: string, change: CellChange): void {
		this.state.cells = updateCell(this.state.cells, id, change);
		this.cellsChanged();
	}

	/** Imports a scenario file; one that fails validation is reported exactly as the CLI does, and nothing changes. */
	importScenario(text: string, fileName: string): boolean {
		const loaded = loadScenarioText(text, fileName);
		if (!loaded.file) {
			this.tell(`${fileName} was not imported:\n${loaded.problems.map(formatProblem).join('\n')}`);
			return false;
		}
		let resolved: ResolvedChoice;
		try {
			resolved = resolveChoice({ id: loaded.file.id, values: {}, file: loaded.file }, this.library);
		} catch (error) {
			this.tell(`${fileName} was not imported:\n${describeError(error)}`);
			return false;
		}
		this.adopt(defaultState(resolved.base, this.libraryIds, loaded.file), resolved);
		this.changed();
		return true;
	}

	dismiss(id: number): void {
		this.messages = this.messages.filter((m) => m.id !== id);
	}

	tell(text: string): void {
		this.messages = [...this.messages, { id: this.nextMessageId++, text }];
	}

	/** After a worker failure: a fresh pool, and the run again. */
	retry(): void {
		this.environment.restartRunner();
		this.requestRun();
	}

	private changed(): void {
		this.sharedFrom = undefined;
		this.shareCheck = undefined;
		this.requestRun();
	}

	private cellsChanged(): void {
		this.scheduleWrite();
		if (this.run.phase === 'done' && this.fullResult === undefined) this.requestRun();
		this.refreshAnalyses();
	}

	// ── Runs ───────────────────────────────────────────────────────────────────────────────

	currentRequest(): RunRequest {
		return {
			scenario: this.resolved.scenario,
			seed: this.state.seed,
			paths: this.state.paths,
			previewPaths: notebookLimits.previewPaths,
			focus: runFocus(this.state.cells, this.offScreenCells),
			histograms: runHistograms(this.state.cells)
		};
	}

	/**
	 * Where a cell is: far from the screen, its figures wait for a run's complete result (a run
	 * summarises what is on screen first). Not reactive: it changes what the next run does first,
	 * never what is shown.
	 */
	cellNearScreen(id: string, near: boolean): void {
		if (near) this.offScreenCells.delete(id);
		else this.offScreenCells.add(id);
	}

	/** The full-count result for the notebook's current settings, with what its cells show (a new distribution's histogram), when it has arrived. */
	get fullResult(): RunSummary | undefined {
		const request = this.currentRequest();
		const result = this.results.get(runKey(request));
		return result && request.histograms.every((metric) => result.histograms[metric]) ? result : undefined;
	}

	requestRun(): void {
		const request = this.currentRequest();
		this.cancelAnalyses();
		this.run.requestedAt = performance.now();
		const cached = this.fullResult;
		if (cached) {
			this.main.cancelAll();
			Object.assign(this.run, { phase: 'done', pathsDone: request.paths, pathsTotal: request.paths, error: undefined });
			this.show(cached, request.scenario);
			this.afterFullRun(cached);
			return;
		}
		this.main.submit(request);
	}

	private onMainEvent(event: SchedulerEvent<RunRequest, RunUpdate, RunSummary>): void {
		const { request } = event;
		switch (event.kind) {
			case 'started':
				Object.assign(this.run, { phase: 'running', pathsDone: 0, pathsTotal: request.paths, error: undefined });
				break;
			case 'update':
				// Updates travel on their own port and can arrive after the full result (seen when the
				// page is busy loading Plotly): a late preview must never replace the full run on screen.
				if (this.run.phase !== 'running') break;
				if (event.update.kind === 'progress') this.run.pathsDone = event.update.pathsDone;
				else {
					this.run.pathsDone = Math.max(this.run.pathsDone, event.update.summary.result.paths);
					this.show(event.update.summary, request.scenario);
				}
				break;
			case 'done':
				this.remember(request, event.outcome);
				Object.assign(this.run, { phase: 'done', pathsDone: event.outcome.result.paths });
				this.show(this.keepingShownSeries(event.outcome, request.scenario), request.scenario);
				this.afterFullRun(event.outcome);
				break;
			case 'failed':
				Object.assign(this.run, { phase: 'error', error: describeError(event.error) });
				break;
		}
	}

	private show(summary: StageSummary, scenario: Scenario): void {
		this.shown = summary;
		this.shownScenario = scenario;
	}

	/**
	 * The complete result with the very series objects of the full-count stage already on screen
	 * (they are equal), so charts of those metrics see no change and are not drawn again.
	 */
	private keepingShownSeries(complete: RunSummary, scenario: Scenario): RunSummary {
		const stage = this.shown;
		if (!stage || stage.phase !== 'full' || stage.complete || this.shownScenario !== scenario) return complete;
		return {
			...complete,
			result: { ...complete.result, months: stage.result.months, metrics: { ...complete.result.metrics, ...stage.result.metrics } },
			histograms: { ...complete.histograms, ...stage.histograms }
		};
	}

	private remember(request: RunRequest, summary: RunSummary): void {
		this.results.set(runKey(request), summary);
		while (this.results.size > CACHED_RESULTS) this.results.delete(this.results.keys().next().value!);
	}

	private afterFullRun(summary: RunSummary): void {
		if (this.sharedFrom && this.sharedFrom.key === runKey(this.currentRequest())) {
			this.shareCheck = {
				identical: this.sharedFrom.fingerprint === summary.result.fingerprint,
				sharedFingerprint: this.sharedFrom.fingerprint,
				sharedModelVersion: this.sharedFrom.modelVersion,
				currentFingerprint: summary.result.fingerprint
			};
		}
		this.scheduleWrite();
		clearTimeout(this.analysisTimer);
		this.analysisTimer = setTimeout(() => this.refreshAnalyses(), ANALYSIS_DELAY_MS);
	}

	// ── Analyses ───────────────────────────────────────────────────────────────────────────

	private analysisContext(): AnalysisContext {
		return {
			scenario: this.resolved.scenario,
			seed: this.state.seed,
			paths: this.state.paths,
			choice: this.state.scenario,
			library: this.library,
			libraryIds: this.libraryIds
		};
	}

	/** What a cell's analysis is for the current settings: a request and its key, a problem, or none. */
	analysisOf(cell: Cell): CellAnalysis | undefined {
		return analysisFor(cell, this.analysisContext());
	}

	/** A cell's analysis if it belongs to the cell's current settings (a stale one is never shown). */
	currentAnalysis(cellId: string, key: string | undefined): AnalysisView | undefined {
		const view = this.analyses.get(cellId);
		return view && view.key === key ? view : undefined;
	}

	/** A newer notebook run is coming: analyses of the old settings stop, and what they had is dropped. */
	private cancelAnalyses(): void {
		clearTimeout(this.analysisTimer);
		for (const scheduler of this.analysisSchedulers.values()) scheduler.cancelAll();
		for (const [id, view] of this.analyses) if (view.phase === 'running') this.analyses.delete(id);
	}

	private schedulerFor(cellId: string): LatestRequestScheduler<AnalysisJob, AnalysisUpdate, FinishedAnalysis> {
		let scheduler = this.analysisSchedulers.get(cellId);
		if (!scheduler) {
			const created = new LatestRequestScheduler(this.analysisRunner, (event: SchedulerEvent<AnalysisJob, AnalysisUpdate, FinishedAnalysis>) => this.onAnalysisEvent(cellId, event));
			this.analysisSchedulers.set(cellId, created);
			return created;
		}
		return scheduler;
	}

	/**
	 * Starts the analyses whose settings changed, once the notebook's own run is done (its paths are
	 * then cached in the worker, and the page's run comes first). Collapsed cells wait until opened.
	 */
	private refreshAnalyses(): void {
		if (this.run.phase !== 'done') return;
		for (const cell of this.state.cells) {
			const analysis = this.analysisOf(cell);
			if (!analysis || 'problem' in analysis) {
				this.analysisSchedulers.get(cell.id)?.cancelAll();
				if (analysis) this.analyses.delete(cell.id);
				continue;
			}
			if (cell.collapsed) continue;
			const view = this.analyses.get(cell.id);
			if (view?.key === analysis.key && view.phase !== 'error') continue;
			const finished = this.analysisResults.get(analysis.key);
			if (finished) {
				this.schedulerFor(cell.id).cancelAll();
				this.analyses.set(cell.id, { key: analysis.key, phase: 'done', done: 0, total: 0, outcome: finished });
				continue;
			}
			this.analyses.set(cell.id, { key: analysis.key, phase: 'running', done: 0, total: 0 });
			this.schedulerFor(cell.id).submit({ key: analysis.key, request: analysis.request });
		}
	}

	private onAnalysisEvent(cellId: string, event: SchedulerEvent<AnalysisJob, AnalysisUpdate, FinishedAnalysis>): void {
		const { key } = event.request;
		switch (event.kind) {
			case 'started':
				this.analyses.set(cellId, { key, phase: 'running', done: 0, total: 0 });
				break;
			case 'update': {
				// Progress travels on its own port and may arrive after the result: it never undoes a finished view.
				const view = this.analyses.get(cellId);
				if (view?.key === key && view.phase === 'running') this.analyses.set(cellId, { ...view, done: event.update.done, total: event.update.total });
				break;
			}
			case 'done':
				this.analysisResults.set(key, event.outcome);
				while (this.analysisResults.size > CACHED_ANALYSES) this.analysisResults.delete(this.analysisResults.keys().next().value!);
				this.analyses.set(cellId, { key, phase: 'done', done: 0, total: 0, outcome: event.outcome });
				break;
			case 'failed':
				this.analyses.set(cellId, { key, phase: 'error', done: 0, total: 0, error: describeError(event.error) });
				break;
		}
	}

	// ── Persistence ────────────────────────────────────────────────────────────────────────

	payload(): SharePayload {
		const state: NotebookState = $state.snapshot(this.state);
		state.scenario.values = changedValues(this.resolved.base, state.scenario.values);
		const fingerprint = this.fullResult?.result.fingerprint;
		return { format: SHARE_FORMAT, modelVersion, state, ...(fingerprint ? { fingerprint } : {}) };
	}

	/** Writes the URL and local storage after a quiet spell (browsers rate-limit history writes). */
	private scheduleWrite(): void {
		clearTimeout(this.writeTimer);
		this.writeTimer = setTimeout(() => void this.writeNow(), URL_WRITE_DELAY_MS);
	}

	private cancelWrite(): void {
		clearTimeout(this.writeTimer);
		this.writeGeneration++;
	}

	async writeNow(): Promise<void> {
		this.cancelWrite();
		const generation = this.writeGeneration;
		const encoded = await encodeSharePayload(this.payload());
		if (generation !== this.writeGeneration) return;
		this.environment.storage?.setItem(STORAGE_KEY, encoded);
		this.environment.writeFragment(encoded);
	}

	/** The scenario as the notebook runs it (slider values applied). */
	get scenario(): Scenario {
		return this.resolved.scenario;
	}
}
