import type { Scenario } from '../scenario/schema';
import { defaultDistributionMonth, defaultOtherScenario, type Cell } from './cells';
import { canonicalJson, changedValues, clampPaths, defaultState, type NotebookState } from './state';

/** What a notebook holds that its scenario's own notebook does not: collapsing a cell is layout, not work. */
function workOf(state: NotebookState, base: Scenario) {
	return canonicalJson({
		values: changedValues(base, state.scenario.values),
		seed: state.seed,
		paths: state.paths,
		cells: state.cells.map(({ collapsed: _collapsed, ...cell }) => cell)
	});
}

/**
 * Whether the user changed the notebook from the one its scenario opens with: a cell added,
 * removed, moved or with other settings (a narrative's text included), a slider moved, the seed or
 * the path count changed.
 */
export function isEdited(state: NotebookState, base: Scenario, libraryIds: readonly string[]): boolean {
	return workOf(state, base) !== workOf(defaultState(base, libraryIds, state.scenario.file), base);
}

/** A cell made to fit another scenario: never compared with itself, never on a month outside its horizon. */
function fitted(cell: Cell, to: Scenario, libraryIds: readonly string[]): Cell {
	if ((cell.kind === 'comparison' || cell.kind === 'attribution') && cell.against === to.id) return { ...cell, against: defaultOtherScenario(to, libraryIds) };
	if (cell.kind === 'distribution' && (cell.month < to.start || cell.month > to.end)) return { ...cell, month: defaultDistributionMonth(to) };
	return cell;
}

/**
 * The notebook of scenario `to` with the user's work on `state` (a notebook of `from`) carried
 * over: `to`'s own cells (its story, its headline charts), then the cells the user added or
 * changed, fitted to `to` (cells left as `from` opened them were `from`'s view, not the user's
 * work); slider values the user moved, for the sliders `to` has; the seed and path count when the
 * user changed them.
 */
export function keptNotebook(state: NotebookState, from: Scenario, to: Scenario, libraryIds: readonly string[]): NotebookState {
	const before = defaultState(from, libraryIds, state.scenario.file);
	const fresh = defaultState(to, libraryIds);
	const toControls = new Set<string>(to.controls.map((control) => control.param));
	const values = Object.fromEntries(Object.entries(changedValues(from, state.scenario.values)).filter(([param]) => toControls.has(param)));
	const untouched = (cell: Cell) => before.cells.some((own) => canonicalJson({ ...own, collapsed: cell.collapsed }) === canonicalJson(cell));
	const work = state.cells.filter((cell) => !untouched(cell)).map((cell) => fitted(cell, to, libraryIds));
	const takenIds = new Set(fresh.cells.map((cell) => cell.id));
	let nextId = Math.max(0, ...[...fresh.cells, ...work].map((cell) => Number(cell.id.slice('cell-'.length)))) + 1;
	const cells = [...fresh.cells, ...work.map((cell) => (takenIds.has(cell.id) ? { ...cell, id: `cell-${nextId++}` } : cell))];
	return {
		scenario: { ...fresh.scenario, values },
		seed: state.seed === before.seed ? fresh.seed : state.seed,
		paths: state.paths === before.paths ? fresh.paths : clampPaths(state.paths),
		cells
	};
}
