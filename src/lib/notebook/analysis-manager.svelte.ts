import { SvelteMap } from 'svelte/reactivity';
import type { AnalysisRequest, AnalysisUpdate, FinishedAnalysis } from '../runner/protocol';
import { LatestRequestScheduler, type CancellableRunner, type SchedulerEvent } from '../runner/scheduler';
import { analysisFor, keyOf, problemText, type AnalysisCellState, type AnalysisContext, type AnalysisView, type CellAnalysis } from './analyses';
import type { Cell } from './cells';
import { RecentCache } from './recent-cache';

/**
 * Analyses start once a result has stood this long: their work in the workers (a comparison's
 * summaries take ~0.1 s) would otherwise delay the next slider move's preview, and that move
 * would cancel them anyway.
 */
export const ANALYSIS_DELAY_MS = 250;
const CACHED_ANALYSES = 32;

type AnalysisJob = { key: string; request: AnalysisRequest };

/** What the analyses are of: the notebook's cells and settings, and whether its own run is done. */
export interface AnalysisInputs {
	cells: readonly Cell[];
	context: AnalysisContext;
	runDone: boolean;
}

/**
 * The analysis cells' work in the workers: one latest-request scheduler per cell (a newer request
 * of a cell cancels its older one), each cell's latest view, and one cache of finished analyses
 * by request key, so moving a slider back shows them again at once.
 */
export class AnalysisManager {
	/** Each analysis cell's latest analysis, by cell id. */
	readonly views = new SvelteMap<string, AnalysisView>();
	/**
	 * Sweep cells run when asked (a sweep takes a while): the key each was last asked to run, by cell
	 * id. A sweep whose text changed since waits to be asked again.
	 */
	readonly #sweepsAsked = new SvelteMap<string, string>();
	readonly #finished = new RecentCache<FinishedAnalysis>(CACHED_ANALYSES);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- private bookkeeping, never read by a template
	readonly #schedulers = new Map<string, LatestRequestScheduler<AnalysisJob, AnalysisUpdate, FinishedAnalysis>>();
	/** The analyser, fed jobs that carry their key along. */
	readonly #runner: CancellableRunner<AnalysisJob, AnalysisUpdate, FinishedAnalysis>;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		analyser: CancellableRunner<AnalysisRequest, AnalysisUpdate, FinishedAnalysis>,
		private readonly inputs: () => AnalysisInputs
	) {
		this.#runner = {
			run: (id, job, onUpdate) => analyser.run(id, job.request, onUpdate),
			cancel: (id) => analyser.cancel(id)
		};
	}

	/** What a cell's analysis is for the current settings: a request and its key, a problem, or none. */
	analysisOf(cell: Cell): CellAnalysis | undefined {
		return analysisFor(cell, this.inputs().context);
	}

	/** A cell's analysis if it belongs to the cell's current settings (a stale one is never shown). */
	current(cellId: string, key: string | undefined): AnalysisView | undefined {
		const view = this.views.get(cellId);
		return view && view.key === key ? view : undefined;
	}

	stateOf(cell: Cell): AnalysisCellState {
		const analysis = this.analysisOf(cell);
		return { analysis, view: this.current(cell.id, keyOf(analysis)), runDone: this.inputs().runDone };
	}

	/**
	 * A newer notebook run is coming: analyses of the old settings stop, and what they had is
	 * dropped. Sweeps go on: they run on a library scenario, which the sliders do not change.
	 */
	cancel(): void {
		clearTimeout(this.#timer);
		const sweeps = this.inputs().cells.flatMap((cell) => (cell.kind === 'sweep' ? [cell.id] : []));
		for (const [id, scheduler] of this.#schedulers) if (!sweeps.includes(id)) scheduler.cancelAll();
		for (const [id, view] of this.views) if (view.phase === 'running' && !sweeps.includes(id)) this.views.delete(id);
	}

	/** Whether a sweep cell was asked to run its current analysis. */
	sweepAsked(cellId: string, key: string | undefined): boolean {
		return key !== undefined && this.#sweepsAsked.get(cellId) === key;
	}

	/** Runs a sweep cell's current sweep (once the notebook's own run is done). */
	runSweep(cell: Cell): void {
		const key = keyOf(this.analysisOf(cell));
		if (key === undefined) return;
		this.#sweepsAsked.set(cell.id, key);
		this.refresh();
	}

	/** Stops a sweep cell's sweep; what it had done is dropped. */
	stopSweep(cellId: string): void {
		this.#sweepsAsked.delete(cellId);
		this.#schedulers.get(cellId)?.cancelAll();
		this.views.delete(cellId);
	}

	/** A cell was removed: its analysis stops. */
	forget(cellId: string): void {
		this.#schedulers.get(cellId)?.cancelAll();
		this.#schedulers.delete(cellId);
		this.views.delete(cellId);
		this.#sweepsAsked.delete(cellId);
	}

	/** Refreshes after ANALYSIS_DELAY_MS (see there), unless a newer run cancels first. */
	refreshSoon(): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.refresh(), ANALYSIS_DELAY_MS);
	}

	/**
	 * Starts the analyses whose settings changed, once the notebook's own run is done (its paths are
	 * then cached in the worker, and the page's run comes first). Collapsed cells wait until opened.
	 */
	refresh(): void {
		const { cells, context, runDone } = this.inputs();
		if (!runDone) return;
		for (const cell of cells) {
			const analysis = analysisFor(cell, context);
			if (!analysis || 'problem' in analysis) {
				this.#schedulers.get(cell.id)?.cancelAll();
				if (analysis) this.views.delete(cell.id);
				continue;
			}
			if (cell.collapsed) continue;
			const view = this.views.get(cell.id);
			if (cell.kind === 'sweep' && this.#sweepsAsked.get(cell.id) !== analysis.key) {
				// The text changed since the sweep was asked for: the old one stops, the new one waits to be asked.
				if (view && view.key !== analysis.key && view.phase === 'running') this.stopSweep(cell.id);
				continue;
			}
			if (view?.key === analysis.key && view.phase !== 'error') continue;
			const finished = this.#finished.get(analysis.key);
			if (finished) {
				this.schedulerFor(cell.id).cancelAll();
				this.views.set(cell.id, { key: analysis.key, phase: 'done', done: 0, total: 0, outcome: finished });
				continue;
			}
			this.views.set(cell.id, { key: analysis.key, phase: 'running', done: 0, total: 0 });
			this.schedulerFor(cell.id).submit({ key: analysis.key, request: analysis.request });
		}
	}

	private schedulerFor(cellId: string): LatestRequestScheduler<AnalysisJob, AnalysisUpdate, FinishedAnalysis> {
		let scheduler = this.#schedulers.get(cellId);
		if (!scheduler) {
			scheduler = new LatestRequestScheduler(this.#runner, (event: SchedulerEvent<AnalysisJob, AnalysisUpdate, FinishedAnalysis>) =>
				this.onEvent(cellId, event)
			);
			this.#schedulers.set(cellId, scheduler);
		}
		return scheduler;
	}

	private onEvent(cellId: string, event: SchedulerEvent<AnalysisJob, AnalysisUpdate, FinishedAnalysis>): void {
		const { key } = event.request;
		switch (event.kind) {
			case 'started':
				this.views.set(cellId, { key, phase: 'running', done: 0, total: 0 });
				break;
			case 'update': {
				// Progress travels on its own port and may arrive after the result: it never undoes a finished view.
				const view = this.views.get(cellId);
				if (view?.key === key && view.phase === 'running') this.views.set(cellId, { ...view, done: event.update.done, total: event.update.total });
				break;
			}
			case 'done':
				this.#finished.set(key, event.outcome);
				this.views.set(cellId, { key, phase: 'done', done: 0, total: 0, outcome: event.outcome });
				break;
			case 'failed':
				this.views.set(cellId, { key, phase: 'error', done: 0, total: 0, error: problemText(event.error) });
				break;
		}
	}
}
