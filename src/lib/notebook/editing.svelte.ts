import { loadScenarioText } from '../scenario/read';
import { type ScenarioLibrary } from '../scenario/resolve';
import { formatProblem } from '../problems';
import type { Scenario } from '../scenario/schema';
import type { RunRequest } from '../runner/protocol';
import { monthRange } from '../time/months';
import { problemText, type AnalysisContext } from './analyses';
import {
	addCell,
	moveCell,
	newCell,
	removeCell,
	runFocus,
	runHistograms,
	updateCell,
	withinTextLimits,
	cellKindLabels,
	cellTextLimits,
	type Cell,
	type CellChange,
	type CellKind,
	type LimitedText
} from './cells';
import { formatQuantity } from './format';
import type { ChangeKind } from './history';
import { DEFAULT_SCENARIO_ID } from './library';
import { controlField, type TellOptions } from './messages.svelte';
import { isEdited, keptNotebook } from './scenario-switch';
import {
	changedValues,
	clampPaths,
	controlPositions,
	defaultState,
	maxPathsOver,
	notebookLimits,
	resolveChoice,
	type NotebookState,
	type ResolvedChoice
} from './state';

const textLabels: Record<LimitedText, string> = {
	markdown: 'A narrative',
	threshold: 'A threshold',
	indicator: 'An indicator',
	expression: 'A formula',
	unit: 'A unit',
	sweep: 'A sweep definition'
};

/** What the editor tells the rest of the notebook. */
export interface EditingHooks {
	tell(text: string, options?: TellOptions): void;
	/** A change the browser's history should hold: a deliberate one, or a step of a gesture (see `ChangeKind`). */
	changed(kind: ChangeKind): void;
	/** A slider was released: the gesture's history entry is finished. */
	gestureEnded(): void;
	/** The cell removal Undo would bring back, described for the user; undefined when there is none. */
	undoable(description: string | undefined): void;
	/** The scenario, a slider, the seed or the path count changed. */
	settingsChanged(): void;
	/** A cell was added, removed, moved or changed. */
	cellsChanged(): void;
	/** A cell is about to be removed. */
	removingCell(id: string): void;
	/** What keeps a notebook from being saved and opened again (an import is checked with it first). */
	saveProblems(state: NotebookState, resolved: ResolvedChoice): Promise<string[]>;
}

/** How many removed cells Undo can bring back, the last first. */
export const MAX_UNDO = 10;

/** What keeps the user's work when another scenario is picked. */
export type SwitchChoice = 'keep' | 'replace';

/**
 * What the user edits: which scenario with which slider values, the seed, the path count and the
 * cells, within the notebook's limits (a value out of bounds is clamped or refused, and the user
 * told). Also what the notebook asks of a run, which follows from those.
 */
export class NotebookEditor {
	readonly libraryIds: string[];
	state = $state<NotebookState>() as NotebookState;
	resolved = $state.raw<ResolvedChoice>() as ResolvedChoice;
	/** Ids of cells far from the screen (see `cellNearScreen`). */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- private bookkeeping, never read by a template
	readonly #offScreenCells = new Set<string>();
	/** Removed cells with their position, the last removed last. */
	#removed: { cell: Cell; index: number }[] = [];

	constructor(
		readonly library: ScenarioLibrary,
		private readonly hooks: EditingHooks
	) {
		this.libraryIds = [...library.keys()];
		this.adopt(this.defaultStateFor(DEFAULT_SCENARIO_ID));
	}

	/** The scenario as the notebook runs it (slider values applied). */
	get scenario(): Scenario {
		return this.resolved.scenario;
	}

	/**
	 * Adopts a notebook read from a link or storage, its slider values clamped (and the user told);
	 * returns what kept it from opening, if anything.
	 */
	open(state: NotebookState): string[] {
		let resolved: ResolvedChoice;
		try {
			resolved = resolveChoice(state.scenario, this.library);
		} catch (error) {
			return [`It names a scenario that cannot be opened: ${problemText(error)}.`];
		}
		this.reportAdjustments(resolved);
		this.adopt({ ...state, scenario: { ...state.scenario, values: this.appliedValues(resolved) } }, resolved);
		return [];
	}

	/** Whether the notebook differs from the one its scenario opens with (see `isEdited`): then picking another scenario asks first. */
	get edited(): boolean {
		return isEdited(this.state, this.resolved.base, this.libraryIds);
	}

	/**
	 * Opens another scenario: its own notebook (`replace`), or the user's work carried over to it
	 * (`keep`, see `keptNotebook`).
	 */
	selectScenario(id: string, choice: SwitchChoice = 'replace'): void {
		let next: NotebookState;
		let resolved: ResolvedChoice;
		try {
			next = this.defaultStateFor(id);
			resolved = resolveChoice(next.scenario, this.library);
			if (choice === 'keep') {
				next = keptNotebook($state.snapshot(this.state) as NotebookState, this.resolved.base, resolved.base, this.libraryIds);
				resolved = resolveChoice(next.scenario, this.library);
				this.reportAdjustments(resolved);
				next.scenario.values = this.appliedValues(resolved);
			}
		} catch (error) {
			this.hooks.tell(`Scenario "${id}" cannot be opened: ${problemText(error)}`);
			return;
		}
		this.adopt(next, resolved);
		this.hooks.changed('deliberate');
		this.hooks.settingsChanged();
	}

	/**
	 * Sets a slider; a value outside its range is clamped and the user told, next to the slider.
	 * Called for each step of a drag: `commitControl` says when the slider is released (or a number typed).
	 */
	setControl(param: string, value: number): void {
		const control = this.resolved.base.controls.find((c) => c.param === param);
		if (!control) return;
		if (!Number.isFinite(value)) {
			this.hooks.tell(`${control.label}: enter a number in ${control.unit}.`, { field: controlField(param) });
			return;
		}
		const resolved = resolveChoice({ ...this.state.scenario, values: { ...this.state.scenario.values, [param]: value } }, this.library);
		this.reportAdjustments(resolved);
		this.state.scenario.values = this.appliedValues(resolved);
		this.resolved = resolved;
		this.hooks.changed('continuous');
		this.hooks.settingsChanged();
	}

	/** The slider was released, or its number typed: the value set last gets a history entry of its own. */
	commitControl(): void {
		this.hooks.gestureEnded();
	}

	resetControl(param: string): void {
		const { [param]: _removed, ...rest } = this.state.scenario.values;
		this.state.scenario.values = rest;
		this.resolved = resolveChoice(this.state.scenario, this.library);
		this.hooks.changed('deliberate');
		this.hooks.settingsChanged();
	}

	resetAllControls(): void {
		this.state.scenario.values = {};
		this.resolved = resolveChoice(this.state.scenario, this.library);
		this.hooks.changed('deliberate');
		this.hooks.settingsChanged();
	}

	controlValue(param: string): number {
		return controlPositions(this.resolved.scenario)[param];
	}

	setSeed(seed: number): void {
		if (!Number.isInteger(seed) || seed < 0 || seed > notebookLimits.maxSeed) {
			this.hooks.tell(`The seed must be a whole number from 0 to ${notebookLimits.maxSeed.toLocaleString('en-US')}; ${seed} was not used.`, { field: 'seed' });
			return;
		}
		this.state.seed = seed;
		this.hooks.changed('deliberate');
		this.hooks.settingsChanged();
	}

	newSeed(): void {
		this.setSeed(crypto.getRandomValues(new Uint32Array(1))[0]);
	}

	setPaths(paths: number): void {
		if (!Number.isFinite(paths)) {
			this.hooks.tell('The path count must be a number of paths.', { field: 'paths' });
			return;
		}
		const limit = maxPathsOver(this.horizonMonths());
		const clamped = Math.min(clampPaths(paths), limit);
		if (clamped !== paths) {
			const why =
				limit < notebookLimits.maxPaths
					? ` (at most ${limit.toLocaleString('en-US')} over this scenario's ${this.horizonMonths().toLocaleString('en-US')} months)`
					: '';
			this.hooks.tell(
				`${paths.toLocaleString('en-US')} paths is outside the range ${notebookLimits.minPaths.toLocaleString('en-US')} – ${notebookLimits.maxPaths.toLocaleString('en-US')} paths${why}; ${clamped.toLocaleString('en-US')} paths are used.`,
				{ field: 'paths' }
			);
		}
		this.state.paths = clamped;
		this.hooks.changed('deliberate');
		this.hooks.settingsChanged();
	}

	addCell(kind: CellKind): void {
		if (this.state.cells.length >= notebookLimits.maxCells) {
			this.hooks.tell(`A notebook has at most ${notebookLimits.maxCells} cells; remove one to add another.`);
			return;
		}
		this.state.cells = addCell(this.state.cells, newCell(kind, this.state.cells, this.resolved.base, this.libraryIds));
		this.hooks.changed('deliberate');
		this.hooks.cellsChanged();
	}

	/** Removes a cell; Undo brings it back (the last few removed, the last first). */
	removeCell(id: string): void {
		const index = this.state.cells.findIndex((cell) => cell.id === id);
		if (index < 0) return;
		this.hooks.removingCell(id);
		this.#removed = [...this.#removed, { cell: $state.snapshot(this.state.cells[index]) as Cell, index }].slice(-MAX_UNDO);
		this.state.cells = removeCell(this.state.cells, id);
		this.offerUndo();
		this.hooks.changed('deliberate');
		this.hooks.cellsChanged();
	}

	/** Puts back the cell removed last, where it was, with its settings; says whether there was one. */
	undoRemove(): boolean {
		const last = this.#removed.at(-1);
		if (!last) return false;
		if (this.state.cells.length >= notebookLimits.maxCells) {
			this.hooks.tell(`A notebook has at most ${notebookLimits.maxCells} cells; remove one to bring the removed cell back.`);
			return false;
		}
		this.#removed = this.#removed.slice(0, -1);
		// A cell added since may have taken its id: it then comes back under a new one.
		const taken = this.state.cells.some((cell) => cell.id === last.cell.id);
		const cell = taken ? { ...last.cell, id: newCell(last.cell.kind, this.state.cells, this.resolved.base, this.libraryIds).id } : last.cell;
		this.state.cells = addCell(this.state.cells, cell, Math.min(last.index, this.state.cells.length));
		this.offerUndo();
		this.hooks.changed('deliberate');
		this.hooks.cellsChanged();
		return true;
	}

	moveCell(id: string, offset: -1 | 1): void {
		this.state.cells = moveCell(this.state.cells, id, offset);
		this.hooks.changed('deliberate');
		this.hooks.cellsChanged();
	}

	/** Changes a cell's settings; text beyond its limit is cut off, and the user told. */
	updateCell(id: string, change: CellChange): void {
		const limited = withinTextLimits(change);
		for (const key of limited.cut) {
			this.hooks.tell(
				`${textLabels[key]} can be at most ${notebookLimits.maxTextChars[key].toLocaleString('en-US')} characters; the text beyond that was not kept.`
			);
		}
		this.state.cells = updateCell(this.state.cells, id, limited.change);
		// Typing (a narrative, a threshold, a formula) is a gesture; any other setting is a deliberate change.
		const typing = Object.keys(limited.change).some((key) => key in cellTextLimits);
		this.hooks.changed(typing ? 'continuous' : 'deliberate');
		this.hooks.cellsChanged();
	}

	/**
	 * Imports a scenario file; one that fails validation is reported exactly as the CLI does, and
	 * nothing changes. So is one whose notebook would exceed the limits it is saved and read with.
	 */
	async importScenario(text: string, fileName: string): Promise<boolean> {
		const loaded = loadScenarioText(text, fileName);
		if (!loaded.file) {
			this.hooks.tell(`${fileName} was not imported:\n${loaded.problems.map(formatProblem).join('\n')}`);
			return false;
		}
		let resolved: ResolvedChoice;
		try {
			resolved = resolveChoice({ id: loaded.file.id, values: {}, file: loaded.file }, this.library);
		} catch (error) {
			this.hooks.tell(`${fileName} was not imported:\n${problemText(error)}`);
			return false;
		}
		const state = defaultState(resolved.base, this.libraryIds, loaded.file);
		const problems = await this.hooks.saveProblems(state, resolved);
		if (problems.length > 0) {
			this.hooks.tell(`${fileName} was not imported: the notebook it makes could not be saved and opened again.\n${problems.join('\n')}`);
			return false;
		}
		this.adopt(state, resolved);
		this.hooks.changed('deliberate');
		this.hooks.settingsChanged();
		return true;
	}

	/**
	 * Where a cell is: far from the screen, its figures wait for a run's complete result (a run
	 * summarises what is on screen first). Not reactive: it changes what the next run does first,
	 * never what is shown.
	 */
	cellNearScreen(id: string, near: boolean): void {
		if (near) this.#offScreenCells.delete(id);
		else this.#offScreenCells.add(id);
	}

	/** The run the notebook's settings ask for. */
	runRequest(): RunRequest {
		return {
			scenario: this.resolved.scenario,
			seed: this.state.seed,
			paths: Math.min(this.state.paths, maxPathsOver(this.horizonMonths())),
			previewPaths: notebookLimits.previewPaths,
			focus: runFocus(this.state.cells, this.#offScreenCells),
			histograms: runHistograms(this.state.cells)
		};
	}

	/** What the analysis cells analyse. */
	analysisContext(): AnalysisContext {
		return {
			scenario: this.resolved.scenario,
			seed: this.state.seed,
			paths: this.state.paths,
			choice: this.state.scenario,
			library: this.library,
			libraryIds: this.libraryIds
		};
	}

	/** Months the current scenario simulates. */
	private horizonMonths(): number {
		return monthRange(this.resolved.scenario.start, this.resolved.scenario.end).length;
	}

	private reportAdjustments(resolved: ResolvedChoice): void {
		for (const problem of resolved.problems) this.hooks.tell(formatProblem(problem));
		for (const { param, requested, applied } of resolved.clamped) {
			const control = resolved.base.controls.find((c) => c.param === param)!;
			this.hooks.tell(
				`${control.label}: ${formatQuantity(requested, control.unit)} is outside the slider range ${formatQuantity(control.min, control.unit)} – ${formatQuantity(control.max, control.unit)}; it was set to ${formatQuantity(applied, control.unit)}.`,
				{ field: controlField(param) }
			);
		}
	}

	/** The slider values a resolved choice actually applies: clamped, unknown ones dropped. */
	private appliedValues(resolved: ResolvedChoice): Record<string, number> {
		return changedValues(resolved.base, controlPositions(resolved.scenario));
	}

	private defaultStateFor(id: string): NotebookState {
		const resolved = resolveChoice({ id, values: {} }, this.library);
		return defaultState(resolved.base, this.libraryIds);
	}

	/** Offers to undo the last removal, if any (see `undoRemove`). */
	private offerUndo(): void {
		const last = this.#removed.at(-1);
		this.hooks.undoable(last && `${cellKindLabels[last.cell.kind]} removed (it was cell ${last.index + 1}).`);
	}

	/** Another notebook replaces this one: removals from this one are not undone into it. */
	private adopt(state: NotebookState, resolved = resolveChoice(state.scenario, this.library)): void {
		this.state = state;
		this.resolved = resolved;
		if (this.#removed.length === 0) return;
		this.#removed = [];
		this.offerUndo();
	}
}
