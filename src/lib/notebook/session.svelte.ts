import { SvelteMap } from 'svelte/reactivity';
import { modelVersion } from '../model/version';
import { controlDefaults, loadScenarioText, type ScenarioLibrary } from '../scenario/load';
import { formatProblem, InputError, type Problem } from '../scenario/problems';
import type { Scenario } from '../scenario/schema';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, type SharePayload } from '../scenario/share';
import type { RunRequest, RunSummary, RunUpdate } from '../worker/protocol';
import { LatestRequestScheduler, type CancellableRunner, type SchedulerEvent } from '../worker/scheduler';
import { addCell, moveCell, newCell, removeCell, updateCell, type CellChange, type CellKind } from './cells';
import { formatQuantity } from './format';
import { DEFAULT_SCENARIO_ID } from './library';
import { changedValues, clampPaths, defaultState, libraryWith, notebookLimits, resolveChoice, type NotebookState, type ResolvedChoice } from './state';

/** Where the session reads and writes what outlives a run: the URL fragment and local storage. */
export interface SessionEnvironment {
	runner: CancellableRunner<RunRequest, RunUpdate, RunSummary>;
	writeFragment(fragment: string): void;
	storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
	/** Restarts the runner after a failure (a fresh worker pool). */
	restartRunner(): void;
}

export const STORAGE_KEY = 'magnet-scenarios:notebook';
export const URL_WRITE_DELAY_MS = 300;
const CACHED_RESULTS = 16;

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
 * worker pool through two latest-request schedulers (the notebook's run and comparison runs).
 */
export class NotebookSession {
	readonly library: ScenarioLibrary;
	readonly libraryIds: string[];
	state = $state<NotebookState>() as NotebookState;
	resolved = $state.raw<ResolvedChoice>() as ResolvedChoice;
	run = $state<RunStatus>({ phase: 'idle', pathsDone: 0, pathsTotal: 0, error: undefined, requestedAt: 0 });
	/** The newest summary for what is on screen: a preview while the full run is on its way (raw: never proxied). */
	shown = $state.raw<RunSummary | undefined>();
	/** The scenario `shown` was run from (its events and observed series go on the charts). */
	shownScenario = $state.raw<Scenario | undefined>();
	messages = $state<Message[]>([]);
	shareCheck = $state<ShareCheck | undefined>();
	comparisonErrors = new SvelteMap<string, string>();
	/** Full-count results by run key, newest last. */
	readonly results = new SvelteMap<string, RunSummary>();

	private readonly main: LatestRequestScheduler<RunRequest, RunUpdate, RunSummary>;
	private readonly comparisons: LatestRequestScheduler<RunRequest, RunUpdate, RunSummary>;
	private sharedFrom: { key: string; fingerprint: string; modelVersion: string } | undefined;
	private writeTimer: ReturnType<typeof setTimeout> | undefined;
	private nextMessageId = 1;

	constructor(
		library: ScenarioLibrary,
		private readonly environment: SessionEnvironment
	) {
		this.library = library;
		this.libraryIds = [...library.keys()];
		this.main = new LatestRequestScheduler(environment.runner, (event) => this.onMainEvent(event));
		this.comparisons = new LatestRequestScheduler(environment.runner, (event) => this.onComparisonEvent(event));
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
		if (problems.length === 0) return;
		const restored = await this.restoreSaved();
		this.tell(`This link could not be opened. ${problems.join(' ')} Showing ${restored ? 'your saved notebook' : 'the default scenario'} instead.`);
		if (!restored) this.requestRun();
	}

	/** Opens a link pasted into the address bar of a page already open; a bad one leaves the notebook as it is. */
	async openLink(sharedState: string): Promise<void> {
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length > 0) this.tell(`This link could not be opened. ${problems.join(' ')} Your notebook is unchanged.`);
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
		this.refreshComparisons();
	}

	// ── Runs ───────────────────────────────────────────────────────────────────────────────

	currentRequest(): RunRequest {
		return { scenario: this.resolved.scenario, seed: this.state.seed, paths: this.state.paths, previewPaths: notebookLimits.previewPaths };
	}

	/** The full-count result for the notebook's current settings, when it has arrived. */
	get fullResult(): RunSummary | undefined {
		return this.results.get(runKey(this.currentRequest()));
	}

	requestRun(): void {
		const request = this.currentRequest();
		this.comparisons.cancelAll();
		this.run.requestedAt = performance.now();
		const cached = this.results.get(runKey(request));
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
				if (event.update.kind === 'progress') this.run.pathsDone = event.update.pathsDone;
				else this.show(event.update.summary, request.scenario);
				break;
			case 'done':
				this.remember(request, event.outcome);
				Object.assign(this.run, { phase: 'done', pathsDone: event.outcome.result.paths });
				this.show(event.outcome, request.scenario);
				this.afterFullRun(event.outcome);
				break;
			case 'failed':
				Object.assign(this.run, { phase: 'error', error: describeError(event.error) });
				break;
		}
	}

	private show(summary: RunSummary, scenario: Scenario): void {
		this.shown = summary;
		this.shownScenario = scenario;
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
		this.refreshComparisons();
	}

	// ── Comparisons ────────────────────────────────────────────────────────────────────────

	comparisonRequest(against: string): RunRequest | undefined {
		try {
			const scenario = resolveChoice({ id: against, values: {} }, libraryWith(this.library, this.state.scenario.file)).scenario;
			return { scenario, seed: this.state.seed, paths: this.state.paths, previewPaths: 0 };
		} catch {
			return undefined;
		}
	}

	/** The full-count result of a comparison scenario at the notebook's seed and path count. */
	comparisonResult(against: string): RunSummary | undefined {
		const request = this.comparisonRequest(against);
		return request ? this.results.get(runKey(request)) : undefined;
	}

	/** Runs the next missing comparison, one at a time, only once the notebook's own run is done. */
	private refreshComparisons(): void {
		if (this.run.phase !== 'done' || this.comparisons.busy) return;
		const wanted = [...new Set(this.state.cells.flatMap((c) => (c.kind === 'comparison' ? [c.against] : [])))];
		for (const against of wanted) {
			const request = this.comparisonRequest(against);
			if (!request) {
				this.comparisonErrors.set(against, `unknown scenario "${against}"; known: ${this.libraryIds.join(', ')}`);
				continue;
			}
			if (this.results.has(runKey(request))) continue;
			this.comparisons.submit(request);
			return;
		}
	}

	private onComparisonEvent(event: SchedulerEvent<RunRequest, RunUpdate, RunSummary>): void {
		if (event.kind === 'done') {
			this.remember(event.request, event.outcome);
			queueMicrotask(() => this.refreshComparisons());
		} else if (event.kind === 'failed') {
			this.comparisonErrors.set(event.request.scenario.id, describeError(event.error));
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

	async writeNow(): Promise<void> {
		clearTimeout(this.writeTimer);
		const payload = this.payload();
		const encoded = await encodeSharePayload(payload);
		this.environment.storage?.setItem(STORAGE_KEY, encoded);
		this.environment.writeFragment(encoded);
	}

	/** The scenario as the notebook runs it (slider values applied). */
	get scenario(): Scenario {
		return this.resolved.scenario;
	}
}
