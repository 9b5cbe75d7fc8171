import type { Scenario } from '../scenario/schema';
import type { RunRequest, RunSummary, RunUpdate, StageSummary } from '../runner/protocol';
import { LatestRequestScheduler, type CancellableRunner, type SchedulerEvent } from '../runner/scheduler';
import { canonicalJsonWithScenarios } from './keys';
import { problemText } from './analyses';
import { RecentCache } from './recent-cache';
import { nextTask } from '../tasks';

const CACHED_RESULTS = 16;

export interface RunStatus {
	phase: 'idle' | 'running' | 'done' | 'error';
	pathsDone: number;
	pathsTotal: number;
	error: string | undefined;
	/** performance.now() when the current request was made. */
	requestedAt: number;
}

/**
 * Each stage's time inside the worker pool, as a performance mark (nothing on screen): the browser
 * benchmark reads it as the floor under the page's own time from a slider move to the drawn chart.
 */
export const STAGE_MARK = 'notebook:stage';

function markStage(summary: StageSummary): void {
	performance.mark(STAGE_MARK, { detail: { phase: summary.phase, complete: summary.complete, paths: summary.result.paths, elapsedMs: summary.elapsedMs } });
	// Marks are kept until cleared: keep the latest few.
	if (performance.getEntriesByName(STAGE_MARK, 'mark').length > 200) performance.clearMarks(STAGE_MARK);
}

/** `scenarioKey(scenario, { seed, paths })` of the request, the scenario's JSON made once per scenario. */
export function runKey(request: Pick<RunRequest, 'scenario' | 'seed' | 'paths'>): string {
	return canonicalJsonWithScenarios({ scenario: request.scenario, seed: request.seed, paths: request.paths }, ['scenario']);
}

/**
 * The notebook's run: each request goes to the worker pool through a latest-request scheduler (a
 * newer one cancels the older), its stages are shown as they come (the preview, the full count's
 * focus metrics, then all), and complete results are kept by run key.
 */
export class RunStore {
	status = $state<RunStatus>({ phase: 'idle', pathsDone: 0, pathsTotal: 0, error: undefined, requestedAt: 0 });
	/** The newest stage of the run on screen (raw: never proxied). */
	shown = $state.raw<StageSummary | undefined>();
	/** The scenario `shown` was run from (its events and observed series go on the charts). */
	shownScenario = $state.raw<Scenario | undefined>();
	/**
	 * `shown` a task later, for what the notebook writes out of a stage (its narrative's figures, the
	 * indicators table): the charts are drawn in the task that brought the stage, and the page's text
	 * follows in a task of its own, so neither task is the other's and a chart's draw longer.
	 */
	settled = $state.raw<StageSummary | undefined>();
	#shownCount = 0;
	readonly #results = new RecentCache<RunSummary>(CACHED_RESULTS);
	readonly #scheduler: LatestRequestScheduler<RunRequest, RunUpdate, RunSummary>;

	/** `finished` hears of each complete result put on screen, run or found in the cache. */
	constructor(
		runner: CancellableRunner<RunRequest, RunUpdate, RunSummary>,
		private readonly finished: (summary: RunSummary) => void
	) {
		this.#scheduler = new LatestRequestScheduler(runner, (event) => this.onEvent(event));
	}

	/** A request's complete result with the histograms it asks for, once it has arrived. */
	resultFor(request: RunRequest): RunSummary | undefined {
		const result = this.#results.get(runKey(request));
		return result && request.histograms.every((metric) => result.histograms[metric]) ? result : undefined;
	}

	/** Runs a request, or shows its complete result at once when that is kept. */
	start(request: RunRequest): void {
		this.status.requestedAt = performance.now();
		const cached = this.resultFor(request);
		if (cached) {
			this.#scheduler.cancelAll();
			Object.assign(this.status, { phase: 'done', pathsDone: request.paths, pathsTotal: request.paths, error: undefined });
			this.show(cached, request.scenario);
			this.finished(cached);
			return;
		}
		this.#scheduler.submit(request);
	}

	private onEvent(event: SchedulerEvent<RunRequest, RunUpdate, RunSummary>): void {
		const { request } = event;
		switch (event.kind) {
			case 'started':
				Object.assign(this.status, { phase: 'running', pathsDone: 0, pathsTotal: request.paths, error: undefined });
				break;
			case 'update':
				// Updates travel on their own port and can arrive after the full result (seen when the
				// page is busy loading Plotly): a late preview must never replace the full run on screen.
				if (this.status.phase !== 'running') break;
				if (event.update.kind === 'progress') this.status.pathsDone = event.update.pathsDone;
				else {
					markStage(event.update.summary);
					this.status.pathsDone = Math.max(this.status.pathsDone, event.update.summary.result.paths);
					this.show(event.update.summary, request.scenario);
				}
				break;
			case 'done':
				markStage(event.outcome);
				this.#results.set(runKey(request), event.outcome);
				Object.assign(this.status, { phase: 'done', pathsDone: event.outcome.result.paths });
				this.show(this.keepingShownSeries(event.outcome, request.scenario), request.scenario);
				this.finished(event.outcome);
				break;
			case 'failed':
				Object.assign(this.status, { phase: 'error', error: problemText(event.error) });
				break;
		}
	}

	private show(summary: StageSummary, scenario: Scenario): void {
		this.shown = summary;
		this.shownScenario = scenario;
		const count = ++this.#shownCount;
		void nextTask().then(() => {
			if (count === this.#shownCount) this.settled = summary;
		});
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
}
