import { SvelteMap } from 'svelte/reactivity';
import { modelVersion } from '../model/version';
import { controlDefaults, loadScenarioText, type ScenarioLibrary } from '../scenario/load';
import { formatProblem, InputError } from '../problems';
import type { Scenario } from '../scenario/schema';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, stateProblems, type SharePayload } from './link';
import type { AnalysisRequest, AnalysisUpdate, FinishedAnalysis, RunRequest, RunSummary, RunUpdate, StageSummary } from '../runner/protocol';
import { LatestRequestScheduler, type CancellableRunner, type SchedulerEvent } from '../runner/scheduler';
import { analysisFor, type AnalysisContext, type AnalysisView, type CellAnalysis } from './analyses';

export type { AnalysisView } from './analyses';
import { addCell, moveCell, newCell, removeCell, runFocus, runHistograms, updateCell, withinTextLimits, type Cell, type CellChange, type CellKind, type LimitedText } from './cells';
import { formatQuantity } from './format';
import { DEFAULT_SCENARIO_ID } from './library';
import { changedValues, clampPaths, defaultState, maxPathsOver, notebookLimits, resolveChoice, type NotebookState, type ResolvedChoice } from './state';
import { monthRange } from '../time/months';
import { scenarioKey } from '../limits';

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
/** The notebook a link (or a restore) replaced, kept so the user can restore it. */
export const BACKUP_KEY = 'magnet-scenarios:notebook-previous';
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

/** What a message offers to do: bring back the notebook a link replaced, or save over an unreadable saved notebook. */
export type MessageAction = 'restore-previous' | 'replace-unreadable';

export const messageActionLabels: Record<MessageAction, string> = {
	'restore-previous': 'Restore your previous notebook',
	'replace-unreadable': 'Save this notebook over it'
};

export interface Message {
	id: number;
	text: string;
	/** An error, or news the user may act on (a link replaced the notebook). */
	tone: 'error' | 'notice';
	action?: MessageAction;
}

/** The notebook saved in local storage as read: its encoded state, and what keeps it from opening. */
interface SavedNotebook {
	encoded: string;
	payload: SharePayload | undefined;
	problems: string[];
}

const textLabels: Record<LimitedText, string> = {
	markdown: 'A narrative',
	threshold: 'A threshold',
	indicator: 'An indicator',
	expression: 'A formula',
	unit: 'A unit'
};

export function runKey(request: Pick<RunRequest, 'scenario' | 'seed' | 'paths'>): string {
	return scenarioKey(request.scenario, { seed: request.seed, paths: request.paths });
}

/** Whether two payloads hold the same notebook (their fingerprints aside). */
function sameState(a: SharePayload, b: SharePayload): boolean {
	return JSON.stringify(a.state) === JSON.stringify(b.state);
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
	/** Whether local storage holds a previous notebook the user can restore. */
	hasPrevious = $state(false);
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
	/**
	 * The saved notebook when it could not be read: it is kept as it was, never saved over, until the
	 * user chooses to replace it.
	 */
	private unreadableSaved: string | undefined;
	/** The last reason a save was refused, so each is told once. */
	private saveRefusal: string | undefined;

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
		this.hasPrevious = Boolean(this.readStorage(BACKUP_KEY));
	}

	// ── Opening ────────────────────────────────────────────────────────────────────────────

	/**
	 * Opens the notebook from a shared link's state, else from local storage, else the default.
	 * A link that cannot be used is reported, and the notebook falls back to what it had. A saved
	 * notebook a link replaces is kept to be restored; one that cannot be read is never saved over.
	 */
	async open(sharedState: string | undefined): Promise<void> {
		const saved = await this.readSaved();
		if (sharedState === undefined) {
			if (!this.openSaved(saved)) this.requestRun();
			return;
		}
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length === 0) {
			if (decoded.ok) {
				this.tellMigrated(decoded.notes);
				this.keepReplaced(saved, decoded.payload);
			}
			return;
		}
		const usable = saved !== undefined && saved.problems.length === 0;
		this.tell(`This link could not be opened. ${problems.join(' ')} Showing ${usable ? 'your saved notebook' : 'the default scenario'} instead.`);
		if (!this.openSaved(saved)) this.requestRun();
	}

	/**
	 * Opens a link pasted into the address bar of a page already open; a bad one leaves the notebook
	 * as it is. The URL is now the user's: a pending write of the old state must not replace it.
	 * The notebook the link replaces is kept, to be restored.
	 */
	async openLink(sharedState: string): Promise<void> {
		this.cancelWrite();
		const before = this.payload();
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length > 0) {
			this.tell(`This link could not be opened. ${problems.join(' ')} Your notebook is unchanged.`);
			return;
		}
		if (!decoded.ok) return;
		this.tellMigrated(decoded.notes);
		if (sameState(before, decoded.payload)) return;
		const { encoded, problems: unsaveable } = await this.encodeChecked(before);
		if (encoded && unsaveable.length === 0 && this.keepPrevious(encoded)) this.tellReplaced('This link replaced the notebook you had open.');
	}

	/** The notebook in local storage, read by the limits of a link, and whether its scenario opens. */
	private async readSaved(): Promise<SavedNotebook | undefined> {
		const encoded = this.readStorage(STORAGE_KEY);
		if (!encoded) return undefined;
		const decoded = await decodeSharePayload(encoded);
		if (!decoded.ok) return { encoded, payload: undefined, problems: decoded.problems };
		try {
			resolveChoice(decoded.payload.state.scenario, this.library);
		} catch (error) {
			return { encoded, payload: decoded.payload, problems: [`It names a scenario that cannot be opened: ${describeError(error)}.`] };
		}
		return { encoded, payload: decoded.payload, problems: [] };
	}

	/** Opens the saved notebook; one that cannot be read is kept as it is, and the user told. */
	private openSaved(saved: SavedNotebook | undefined): boolean {
		if (!saved) return false;
		const problems = saved.payload && saved.problems.length === 0 ? this.openPayload(saved.payload, 'storage') : saved.problems;
		if (problems.length === 0) return true;
		this.keepUnreadable(saved.encoded, problems);
		return false;
	}

	/** A link replaced the saved notebook: a readable one becomes the previous notebook, an unreadable one is kept untouched. */
	private keepReplaced(saved: SavedNotebook | undefined, opened: SharePayload): void {
		if (!saved) return;
		if (saved.problems.length > 0 || !saved.payload) {
			this.keepUnreadable(saved.encoded, saved.problems);
			return;
		}
		if (sameState(saved.payload, opened)) return;
		if (this.keepPrevious(saved.encoded)) this.tellReplaced('This link replaced the notebook saved in this browser.');
	}

	private keepUnreadable(encoded: string, problems: readonly string[]): void {
		this.unreadableSaved = encoded;
		this.tell(
			`The notebook saved in this browser could not be restored. ${problems.join(' ')} It is kept as it was: this notebook is not saved over it (its link is in the address bar) unless you choose to.`,
			{ action: 'replace-unreadable' }
		);
	}

	private tellReplaced(what: string): void {
		this.messages = this.messages.filter((m) => m.action !== 'restore-previous');
		this.tell(`${what} It is kept: you can bring it back.`, { tone: 'notice', action: 'restore-previous' });
	}

	/** Stores an encoded notebook as the previous one; says whether that worked. */
	private keepPrevious(encoded: string): boolean {
		if (!this.writeStorage(BACKUP_KEY, encoded)) return false;
		this.hasPrevious = true;
		return true;
	}

	/**
	 * Brings back the previous notebook (the one a link replaced); the notebook it replaces becomes
	 * the previous one in turn.
	 */
	async restorePrevious(): Promise<boolean> {
		const encoded = this.readStorage(BACKUP_KEY);
		if (!encoded) {
			this.hasPrevious = false;
			this.tell('There is no previous notebook in this browser to restore.');
			return false;
		}
		const before = this.payload();
		const decoded = await decodeSharePayload(encoded);
		const current = await this.encodeChecked(before);
		this.cancelWrite();
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'storage') : decoded.problems;
		if (problems.length > 0) {
			this.tell(`Your previous notebook could not be restored. ${problems.join(' ')} Your notebook is unchanged.`);
			return false;
		}
		this.messages = this.messages.filter((m) => m.action !== 'restore-previous');
		if (current.encoded && current.problems.length === 0) this.keepPrevious(current.encoded);
		await this.writeNow();
		return true;
	}

	/** The user chose to save this notebook over the saved one that could not be read. */
	async replaceUnreadable(): Promise<void> {
		this.unreadableSaved = undefined;
		this.messages = this.messages.filter((m) => m.action !== 'replace-unreadable');
		await this.writeNow();
	}

	/** Does what a message offers. */
	async act(action: MessageAction): Promise<void> {
		if (action === 'restore-previous') await this.restorePrevious();
		else await this.replaceUnreadable();
	}

	/** Says what a link from an older model needed changing to open. */
	private tellMigrated(notes: readonly string[]): void {
		if (notes.length > 0) this.tell(`This link was made with an earlier model. ${notes.join(' ')}`);
	}

	/** Adopts a decoded payload and runs it; returns what prevented that, if anything. */
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
		const limit = maxPathsOver(this.horizonMonths());
		const clamped = Math.min(clampPaths(paths), limit);
		if (clamped !== paths) {
			const why = limit < notebookLimits.maxPaths ? ` (at most ${limit.toLocaleString('en-US')} over this scenario's ${this.horizonMonths().toLocaleString('en-US')} months)` : '';
			this.tell(`${paths.toLocaleString('en-US')} paths is outside the range ${notebookLimits.minPaths.toLocaleString('en-US')} – ${notebookLimits.maxPaths.toLocaleString('en-US')} paths${why}; ${clamped.toLocaleString('en-US')} paths are used.`);
		}
		this.state.paths = clamped;
		this.changed();
	}

	addCell(kind: CellKind): void {
		if (this.state.cells.length >= notebookLimits.maxCells) {
			this.tell(`A notebook has at most ${notebookLimits.maxCells} cells; remove one to add another.`);
			return;
		}
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

	/** Changes a cell's settings; text beyond its limit is cut off, and the user told. */
	updateCell(id: string, change: CellChange): void {
		const limited = withinTextLimits(change);
		for (const key of limited.cut) {
			this.tell(`${textLabels[key]} can be at most ${notebookLimits.maxTextChars[key].toLocaleString('en-US')} characters; the text beyond that was not kept.`);
		}
		this.state.cells = updateCell(this.state.cells, id, limited.change);
		this.cellsChanged();
	}

	/**
	 * Imports a scenario file; one that fails validation is reported exactly as the CLI does, and
	 * nothing changes. So is one whose notebook would exceed the limits it is saved and read with.
	 */
	async importScenario(text: string, fileName: string): Promise<boolean> {
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
		const state = defaultState(resolved.base, this.libraryIds, loaded.file);
		const { problems } = await this.encodeChecked(this.payloadOf(state, resolved));
		if (problems.length > 0) {
			this.tell(`${fileName} was not imported: the notebook it makes could not be saved and opened again.\n${problems.join('\n')}`);
			return false;
		}
		this.adopt(state, resolved);
		this.changed();
		return true;
	}

	dismiss(id: number): void {
		this.messages = this.messages.filter((m) => m.id !== id);
	}

	tell(text: string, options: { tone?: Message['tone']; action?: MessageAction } = {}): void {
		const { tone = 'error', action } = options;
		this.messages = [...this.messages, { id: this.nextMessageId++, text, tone, ...(action ? { action } : {}) }];
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

	/** Months the current scenario simulates. */
	private horizonMonths(): number {
		return monthRange(this.resolved.scenario.start, this.resolved.scenario.end).length;
	}

	currentRequest(): RunRequest {
		return {
			scenario: this.resolved.scenario,
			seed: this.state.seed,
			paths: Math.min(this.state.paths, maxPathsOver(this.horizonMonths())),
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
		return this.payloadOf($state.snapshot(this.state) as NotebookState, this.resolved, this.fullResult?.result.fingerprint);
	}

	private payloadOf(state: NotebookState, resolved: ResolvedChoice, fingerprint?: string): SharePayload {
		state = { ...state, scenario: { ...state.scenario, values: changedValues(resolved.base, state.scenario.values) } };
		return { format: SHARE_FORMAT, modelVersion, state, ...(fingerprint ? { fingerprint } : {}) };
	}

	/**
	 * A payload encoded, and what keeps it from being read back: the very limits and checks a link
	 * or a saved notebook is read with.
	 */
	private async encodeChecked(payload: SharePayload): Promise<{ encoded: string | undefined; problems: string[] }> {
		const problems = stateProblems(payload.state);
		if (problems.length > 0) return { encoded: undefined, problems };
		const encoded = await encodeSharePayload(payload);
		const decoded = await decodeSharePayload(encoded);
		return { encoded, problems: decoded.ok ? [] : decoded.problems };
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

	/**
	 * Saves the notebook to the URL and local storage, only when it can be read back by the same
	 * limits; never over a saved notebook that could not be read (until the user says so).
	 */
	async writeNow(): Promise<void> {
		this.cancelWrite();
		const generation = this.writeGeneration;
		const { encoded, problems } = await this.encodeChecked(this.payload());
		if (generation !== this.writeGeneration) return;
		if (!encoded || problems.length > 0) {
			const refusal = problems.join('\n');
			if (refusal !== this.saveRefusal) this.tell(`This notebook could not be saved: it would not open again.\n${refusal}\nThe notebook saved before is kept.`);
			this.saveRefusal = refusal;
			return;
		}
		this.saveRefusal = undefined;
		if (this.unreadableSaved === undefined) this.writeStorage(STORAGE_KEY, encoded);
		this.environment.writeFragment(encoded);
	}

	private readStorage(key: string): string | undefined {
		try {
			return this.environment.storage?.getItem(key) ?? undefined;
		} catch {
			return undefined;
		}
	}

	/** Writes local storage; a full or refused storage is told once per kind of failure. */
	private writeStorage(key: string, value: string): boolean {
		const storage = this.environment.storage;
		if (!storage) return false;
		try {
			storage.setItem(key, value);
			return true;
		} catch (error) {
			const text = `This browser did not let the notebook be saved in its storage: ${describeError(error)}. The link in the address bar still holds it.`;
			if (!this.messages.some((m) => m.text === text)) this.tell(text);
			return false;
		}
	}

	/** The scenario as the notebook runs it (slider values applied). */
	get scenario(): Scenario {
		return this.resolved.scenario;
	}
}
