import { toIndicator } from '../analysis/indicator-spec';
import { checkThreshold, parseThreshold } from '../analysis/threshold-spec';
import { formatProblem, InputError } from '../problems';
import type { ScenarioLibrary } from '../scenario/resolve';
import type { Scenario } from '../scenario/schema';
import { monthRange } from '../time/months';
import type { AnalysisFailure, AnalysisKind, AnalysisRequest, AnalysisResultFor, AnalysisResultOf, FinishedAnalysis } from '../runner/protocol';
import type { Cell, LeverChoice } from './cells';
import { canonicalJsonWithScenarios } from './keys';
import { libraryWith, resolveChoice, type ScenarioChoice } from './state';
import { sweepChecks } from './sweep-checks.svelte';

/**
 * What each analysis cell asks the workers for, built from the cell's settings and the notebook's
 * scenario, seed and path count. Text the user typed (thresholds, indicators) is read here with the
 * analysis module's own cheap parsers, so a typo is reported at once without a worker round trip;
 * formulas are read in the worker (mathjs stays out of the page's bundle). The key is the request
 * as canonical JSON: a result is shown only while its key is the cell's current one, so a stale result is
 * never drawn.
 */

export interface AnalysisContext {
	/** The scenario on screen, slider values applied. */
	scenario: Scenario;
	seed: number;
	paths: number;
	choice: ScenarioChoice;
	library: ScenarioLibrary;
	libraryIds: readonly string[];
}

export type CellAnalysis = { request: AnalysisRequest; key: string } | { problem: string };

/** An analysis cell's latest request and how far it got. */
export interface AnalysisView {
	/** The request's key: the view belongs to the cell's current settings only while it matches. */
	key: string;
	phase: 'running' | 'done' | 'error';
	/** Paths simulated so far, over all the analysis's scenario variants, and the planned total. */
	done: number;
	total: number;
	/** When done: the result, or the input problem the worker reported. */
	outcome?: FinishedAnalysis;
	/** When the worker itself failed. */
	error?: string;
}

/** What an analysis cell shows of its analysis: the request (or the problem with its settings), how far it got, and whether the notebook's run is done. */
export interface AnalysisCellState {
	analysis: CellAnalysis | undefined;
	/** The latest view of the cell's current analysis (never a stale one). */
	view: AnalysisView | undefined;
	runDone: boolean;
}

/** The result in a finished view, if it is of this kind. */
export function resultOf<K extends AnalysisKind>(view: AnalysisView | undefined, kind: K): AnalysisResultFor<K> | undefined {
	const outcome = view?.outcome;
	if (outcome?.status !== 'done') return undefined;
	const tagged: TaggedResult = outcome.result;
	return isOfKind(tagged, kind) ? tagged.result : undefined;
}

type TaggedResult = { kind: AnalysisKind; result: unknown };

function isOfKind<K extends AnalysisKind>(tagged: TaggedResult, kind: K): tagged is AnalysisResultOf<K> {
	return tagged.kind === kind;
}

/** The input problem the worker reported, if any. */
export function failureOf(view: AnalysisView | undefined): AnalysisFailure | undefined {
	return view?.outcome?.status === 'failed' ? view.outcome.failure : undefined;
}

/** The key of a cell's analysis, when it has a request. */
export function keyOf(analysis: CellAnalysis | undefined): string | undefined {
	return analysis && 'key' in analysis ? analysis.key : undefined;
}

/** A result as JSON for the page (tests compare it with the same analysis run in Node); wall times left out. */
export function resultJson(result: unknown): string {
	return JSON.stringify(result, (key, value) => (key === 'timing' ? undefined : value));
}

/** Plain text of an input error (its problems), or the message of any other error. */
export function problemText(error: unknown): string {
	if (error instanceof InputError) return error.problems.map(formatProblem).join('\n');
	return error instanceof Error ? error.message : String(error);
}

/** Stands for "no imported file" among the keys of `others`. */
const libraryOnly = {};
const others = new WeakMap<ScenarioLibrary, WeakMap<object, Map<string, Scenario | string>>>();

/**
 * A library scenario as written (no slider values), for comparisons and attribution bases: the
 * same object each time for the same library, imported file and id, so a slider step neither
 * resolves it again nor writes its JSON into the analysis's key again.
 */
export function otherScenario(id: string, context: AnalysisContext): Scenario | string {
	if (!context.libraryIds.includes(id) && context.choice.file?.id !== id) {
		return `unknown scenario "${id}"; known: ${context.libraryIds.join(', ')}`;
	}
	let byFile = others.get(context.library);
	if (!byFile) others.set(context.library, (byFile = new WeakMap()));
	const file = context.choice.file ?? libraryOnly;
	let byId = byFile.get(file);
	if (!byId) byFile.set(file, (byId = new Map()));
	let other = byId.get(id);
	if (other === undefined) byId.set(id, (other = resolvedOther(id, context)));
	return other;
}

function resolvedOther(id: string, context: AnalysisContext): Scenario | string {
	try {
		return resolveChoice({ id, values: {} }, libraryWith(context.library, context.choice.file)).scenario;
	} catch (error) {
		return `scenario "${id}" cannot be opened: ${problemText(error)}`;
	}
}

function monthsOf(scenario: Scenario): string[] {
	return monthRange(scenario.start, scenario.end);
}

/** Checks an indicator's text against a scenario's horizon; the problem as text, or undefined. */
export function indicatorProblem(text: string, scenario: Scenario, source: string): string | undefined {
	try {
		toIndicator(text, monthsOf(scenario), source);
		return undefined;
	} catch (error) {
		return problemText(error);
	}
}

/** Checks a threshold's text (metric, comparison, number, unit); the problem as text, or undefined. */
export function thresholdProblem(text: string): string | undefined {
	try {
		checkThreshold(parseThreshold(text));
		return undefined;
	} catch (error) {
		return problemText(error);
	}
}

function include(levers: LeverChoice): ('control' | 'parameter')[] {
	return levers === 'controls' ? ['control'] : levers === 'parameters' ? ['parameter'] : ['control', 'parameter'];
}

/** A request keyed by its identity: canonical JSON, as `scenarioKey` has it, so the order fields were written in does not matter. */
function keyed(request: AnalysisRequest): CellAnalysis {
	return { request, key: canonicalJsonWithScenarios(request, ['scenario', 'a', 'b', 'base']) };
}

/** The analysis a cell runs now, a problem with its settings, or undefined for cells that run none. */
export function analysisFor(cell: Cell, context: AnalysisContext): CellAnalysis | undefined {
	const { scenario, seed, paths } = context;
	switch (cell.kind) {
		case 'comparison': {
			const against = otherScenario(cell.against, context);
			if (typeof against === 'string') return { problem: against };
			return keyed({ kind: 'compare', a: against, b: scenario, seed, paths, metric: cell.metric });
		}
		case 'threshold': {
			const problem = thresholdProblem(cell.threshold);
			if (problem) return { problem };
			return keyed({ kind: 'threshold', scenario, seed, paths, threshold: cell.threshold });
		}
		case 'tornado': {
			const problem = indicatorProblem(cell.indicator, scenario, 'tornado');
			if (problem) return { problem };
			return keyed({ kind: 'tornado', scenario, seed, paths: cell.paths, indicator: cell.indicator, include: include(cell.levers) });
		}
		case 'attribution': {
			const base = otherScenario(cell.against, context);
			if (typeof base === 'string') return { problem: base };
			const problem = indicatorProblem(cell.indicator, scenario, 'attribution');
			if (problem) return { problem };
			return keyed({ kind: 'attribution', base, scenario, seed, paths: cell.paths, indicator: cell.indicator });
		}
		case 'formula':
			return keyed({ kind: 'formula', scenario, seed, paths, expression: cell.expression, unit: cell.unit });
		case 'sweep': {
			// Undefined (no request yet) until the sweep reader has loaded.
			const checks = sweepChecks();
			return checks && sweepAnalysis(cell.sweep, context, checks);
		}
		case 'indicators': {
			if (!cell.refine) return undefined;
			const { indicator, target, maxPaths } = cell.refine;
			const problem = indicatorProblem(indicator, scenario, 'refine');
			if (problem) return { problem };
			// Start from the notebook's own run: its paths are the prefix, already simulated.
			return keyed({ kind: 'refine', scenario, seed, indicator, targetSe: target, startPaths: Math.min(paths, maxPaths), maxPaths });
		}
		default:
			return undefined;
	}
}

const sweepAnalyses = new WeakMap<ScenarioLibrary, WeakMap<object, Map<string, CellAnalysis>>>();
const SWEEPS_REMEMBERED = 8;

/**
 * A sweep cell's analysis: its text read and planned here (a typo, a factor out of range or a
 * design over the cell's caps is reported at once, with its line), on the library scenario the
 * text names. Remembered per library, imported file and text: the page asks on every render.
 */
function sweepAnalysis(text: string, context: AnalysisContext, checks: SweepChecks): CellAnalysis {
	let byFile = sweepAnalyses.get(context.library);
	if (!byFile) sweepAnalyses.set(context.library, (byFile = new WeakMap()));
	const file = context.choice.file ?? libraryOnly;
	let byText = byFile.get(file);
	if (!byText) byFile.set(file, (byText = new Map()));
	let analysis = byText.get(text);
	if (analysis) return analysis;
	analysis = plannedSweep(text, context, checks);
	if (byText.size >= SWEEPS_REMEMBERED) byText.delete(byText.keys().next().value!);
	byText.set(text, analysis);
	return analysis;
}

type SweepChecks = typeof import('../sweep/notebook');

function plannedSweep(text: string, context: AnalysisContext, { readSweepText, sweepProblemText, notebookSweepProblem }: SweepChecks): CellAnalysis {
	const read = readSweepText(text);
	if ('problem' in read) return { problem: read.problem };
	const base = otherScenario(read.file.scenario, context);
	if (typeof base === 'string') return { problem: sweepProblemText({ source: read.locate('scenario'), path: 'scenario', message: base }) };
	const problem = notebookSweepProblem(text, base);
	return problem !== undefined ? { problem } : keyed({ kind: 'sweep', base, text });
}

/** A short hash of a key (FNV-1a), for tags on drawn charts. */
export function shortKey(key: string | undefined): string {
	if (key === undefined) return '';
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) {
		hash ^= key.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}
