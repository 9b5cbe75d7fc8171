import type { ScenarioLibrary } from '../scenario/resolve';
import type { AnalysisKind, AnalysisResultFor } from '../runner/protocol';
import { failureOf, keyOf, resultOf, shortKey, type AnalysisCellState } from './analyses';
import { analysisPathLimits } from './cells';

/**
 * What the cells' view-models share. A view-model is a plain function of plain inputs (a cell, a
 * run's stage, an analysis cell's state), so a cell renders, and is tested, without a session.
 */

/**
 * `build` memoized on its first argument's identity (results are immutable) and a key: a view
 * rebuilt for the same result gives the very same figure, which the chart then does not draw again.
 */
export function memoized<R extends object, K, T>(build: (result: R, key: K) => T): (result: R, key: K) => T {
	const built = new WeakMap<R, Map<K, T>>();
	return (result, key) => {
		let byKey = built.get(result);
		if (!byKey) built.set(result, (byKey = new Map()));
		if (!byKey.has(key)) byKey.set(key, build(result, key));
		return byKey.get(key)!;
	};
}

/** Where an analysis cell's analysis stands, for the line above its result. */
export type AnalysisStatusView =
	| { kind: 'problem'; text: string; preformatted: boolean }
	| { kind: 'running'; done: number; total: number }
	| { kind: 'waiting'; text: string }
	| { kind: 'none' };

/** `showFailure`: whether to show an input failure the worker reported (a cell may show it its own way). */
export function analysisStatus(state: AnalysisCellState, showFailure = true): AnalysisStatusView {
	const { analysis, view } = state;
	const failure = failureOf(view);
	if (analysis && 'problem' in analysis) return { kind: 'problem', text: analysis.problem, preformatted: true };
	if (view?.phase === 'error') return { kind: 'problem', text: `The analysis failed in the worker: ${view.error}`, preformatted: false };
	if (failure && showFailure) return { kind: 'problem', text: failure.message, preformatted: true };
	if (view?.phase === 'running') return { kind: 'running', done: view.done, total: view.total };
	if (!view) return { kind: 'waiting', text: state.runDone ? 'Starting…' : 'Waiting for the notebook’s run to finish…' };
	return { kind: 'none' };
}

/** An analysis cell's result of its kind, once there, and the tag its charts are drawn with. */
export function analysisResult<K extends AnalysisKind>(state: AnalysisCellState, kind: K): { result: AnalysisResultFor<K> | undefined; tag: string } {
	return { result: resultOf(state.view, kind), tag: shortKey(keyOf(state.analysis)) };
}

export interface ScenarioOption {
	id: string;
	label: string;
}

/** The library's scenarios as a cell offers them to compare or explain against. */
export function scenarioOptions(library: ScenarioLibrary, ids: readonly string[]): ScenarioOption[] {
	return ids.map((id) => ({ id, label: `${library.get(id)?.file.title} (${id})` }));
}

/**
 * A path count typed into a tornado or attribution cell, kept within the analyses' limits, with
 * what to tell the user when it was changed; undefined for what is not a number.
 */
export function analysisPaths(value: number, runs: 'A tornado' | 'An attribution'): { paths: number; notice?: string } | undefined {
	if (!Number.isFinite(value)) return undefined;
	const paths = Math.min(analysisPathLimits.max, Math.max(analysisPathLimits.min, Math.round(value)));
	if (paths === value) return { paths };
	const range = `${analysisPathLimits.min.toLocaleString('en-US')} – ${analysisPathLimits.max.toLocaleString('en-US')}`;
	return { paths, notice: `${runs} runs ${range} paths per variant; ${paths.toLocaleString('en-US')} paths are used.` };
}
