import { runScenario } from '../../src/lib/engine/run';
import { NotebookSession } from '../../src/lib/notebook/session.svelte';
import type { AnalysisRequest, AnalysisUpdate, FinishedAnalysis, RunRequest, RunSummary, RunUpdate } from '../../src/lib/runner/protocol';
import { analysisFailure, runAnalysis } from '../../src/lib/runner/analysis-jobs';
import type { CancellableRunner } from '../../src/lib/runner/scheduler';
import { scenario, testLibrary } from './fixtures';
import { defaultCells } from '../../src/lib/notebook/cells';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT } from '../../src/lib/notebook/link';
import type { NotebookState } from '../../src/lib/notebook/state';
import type { EntryMode } from '../../src/lib/notebook/history';
import { modelVersion } from '../../src/lib/model/version';

/** Fakes and helpers the session tests share: runs and analyses in this thread at tiny path counts, storage in memory. */

/** Runs requests at a tiny path count in this thread; can be told to fail. */
export function fakeRunner(options: { failing?: boolean } = {}) {
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

export function memoryStorage() {
	const items = new Map<string, string>();
	return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

export function session(
	runner: CancellableRunner<RunRequest, RunUpdate, RunSummary>,
	storage = memoryStorage(),
	restartRunner = () => undefined,
	analyser = fakeAnalyser().analyser
) {
	const fragments: string[] = [];
	/** How each fragment was written: a new history entry or over the current one. */
	const modes: EntryMode[] = [];
	const writeFragment = (fragment: string, mode: EntryMode) => {
		fragments.push(fragment);
		modes.push(mode);
	};
	const notebook = new NotebookSession(testLibrary(), { runner, analyser, storage, writeFragment, restartRunner });
	return { notebook, fragments, modes, storage };
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export async function encodedState(state: NotebookState): Promise<string> {
	return encodeSharePayload({ format: SHARE_FORMAT, modelVersion, state });
}

export function baselineState(change: Partial<NotebookState> = {}): NotebookState {
	return { scenario: { id: 'baseline', values: {} }, seed: 42, paths: 1_000, cells: defaultCells(scenario('baseline'), [...testLibrary().keys()]), ...change };
}

export async function decodedState(encoded: string | undefined): Promise<NotebookState> {
	const decoded = await decodeSharePayload(encoded ?? '');
	if (!decoded.ok) throw new Error(decoded.problems.join(' '));
	return decoded.payload.state;
}
