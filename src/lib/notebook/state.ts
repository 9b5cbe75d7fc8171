import { applyControlValues, controlDefaults, type ControlAdjustment } from '../scenario/controls';
import { resolveScenario, type ScenarioLibrary } from '../scenario/resolve';
import type { Problem } from '../problems';
import type { Scenario, ScenarioFile } from '../scenario/schema';
import { cellTextLimits, defaultCells, MAX_CELLS, type Cell } from './cells';
import { maxPathsFor, runLimits } from '../limits';

/**
 * Bounds the notebook keeps within, so nothing hangs the page and nothing is saved that cannot be
 * read back: one set of limits, enforced where the user edits, when the notebook is saved (to the
 * URL and local storage) and when a link or a saved notebook is read.
 */
export const notebookLimits = {
	minPaths: 100,
	maxPaths: 50_000,
	previewPaths: 1_000,
	maxSeed: runLimits.maxSeed,
	/** Cells in a notebook. */
	maxCells: MAX_CELLS,
	/** Characters of a narrative cell's text. */
	maxNarrativeChars: cellTextLimits.markdown,
	/** Characters of each text setting of a cell (narrative, threshold, indicator, formula, unit). */
	maxTextChars: cellTextLimits,
	/** Characters of the encoded state (a link's fragment, the value in local storage). */
	maxEncodedChars: 100_000,
	/** Bytes of the state's JSON once decompressed. */
	maxDecodedBytes: 1_000_000,
	/** Bytes a run's simulated paths may take in a browser tab: 50,000 paths fit over 11 years, fewer over longer horizons. */
	maxPathBytes: 512_000_000
} as const;

/** The most paths a run over `months` months may have in the notebook: the path limit, or fewer when the horizon is long. */
export function maxPathsOver(months: number): number {
	return Math.max(notebookLimits.minPaths, Math.min(notebookLimits.maxPaths, maxPathsFor(months, notebookLimits.maxPathBytes)));
}

/**
 * Which scenario the notebook shows: a library id plus the slider values that differ from the
 * scenario's own, and the whole file when the user imported one.
 */
export interface ScenarioChoice {
	id: string;
	values: Record<string, number>;
	file?: ScenarioFile;
}

/** Everything a share URL carries and a reload restores. */
export interface NotebookState {
	scenario: ScenarioChoice;
	seed: number;
	paths: number;
	cells: Cell[];
}

/** The library with the user's imported file added (replacing a file of the same id, as the CLI does). */
export function libraryWith(library: ScenarioLibrary, file: ScenarioFile | undefined): ScenarioLibrary {
	if (!file) return library;
	const extended = new Map(library);
	extended.set(file.id, { source: `imported ${file.id}.json`, file, problems: [] });
	return extended;
}

export interface ResolvedChoice {
	/** The scenario as written. */
	base: Scenario;
	/** The scenario with the slider values applied: what runs. */
	scenario: Scenario;
	/** Values that named no slider or were not numbers. */
	problems: Problem[];
	/** Values outside a slider's range, and where they were clamped to. */
	clamped: ControlAdjustment[];
}

/** Resolves a choice against the library; throws `InputError` when the scenario itself is unusable. */
export function resolveChoice(choice: ScenarioChoice, library: ScenarioLibrary): ResolvedChoice {
	const base = baseScenario(choice, library);
	const { scenario, problems, clamped } = applyControlValues(base, choice.values, 'clamp');
	return { base, scenario, problems, clamped };
}

const positions = new WeakMap<Scenario, Readonly<Record<string, number>>>();

/**
 * `controlDefaults(scenario)`, made once per scenario object (a resolved scenario is never changed):
 * every slider step asks for the positions of the scenario and of its base again. Read only.
 */
export function controlPositions(scenario: Scenario): Readonly<Record<string, number>> {
	let found = positions.get(scenario);
	if (!found) positions.set(scenario, (found = controlDefaults(scenario)));
	return found;
}

/** Stands for "no imported file" among the keys of `bases`. */
const libraryOnly = {};
const bases = new WeakMap<ScenarioLibrary, WeakMap<object, Map<string, Scenario>>>();

/**
 * A choice's scenario as written (extends resolved), once per library, imported file and id:
 * every slider step resolves the choice again, and the base never changes.
 */
function baseScenario(choice: ScenarioChoice, library: ScenarioLibrary): Scenario {
	let byFile = bases.get(library);
	if (!byFile) bases.set(library, (byFile = new WeakMap()));
	let byId = byFile.get(choice.file ?? libraryOnly);
	if (!byId) byFile.set(choice.file ?? libraryOnly, (byId = new Map()));
	let base = byId.get(choice.id);
	if (!base) byId.set(choice.id, (base = resolveScenario(choice.id, libraryWith(library, choice.file))));
	return base;
}

/** Slider values worth keeping: those that differ from the scenario's own positions. */
export function changedValues(base: Scenario, values: Readonly<Record<string, number>>): Record<string, number> {
	const defaults = controlPositions(base);
	return Object.fromEntries(Object.entries(values).filter(([param, value]) => param in defaults && defaults[param] !== value));
}

export function clampPaths(paths: number): number {
	return Math.min(notebookLimits.maxPaths, Math.max(notebookLimits.minPaths, Math.round(paths)));
}

export function defaultState(scenario: Scenario, libraryIds: readonly string[], file?: ScenarioFile): NotebookState {
	return {
		scenario: file ? { id: scenario.id, values: {}, file } : { id: scenario.id, values: {} },
		seed: scenario.seed,
		paths: clampPaths(scenario.paths),
		cells: defaultCells(scenario, libraryIds)
	};
}

/** JSON with every object's keys sorted: two notebooks compare equal whatever order their keys were built or read in. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner
	);
}
