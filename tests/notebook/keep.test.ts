import { describe, expect, it } from 'vitest';
import { HistoryEntries } from '../../src/lib/notebook/history';
import { MAX_UNDO } from '../../src/lib/notebook/editing.svelte';
import { isEdited, keptNotebook } from '../../src/lib/notebook/scenario-switch';
import { defaultState, type NotebookState } from '../../src/lib/notebook/state';
import type { Cell } from '../../src/lib/notebook/cells';
import { scenario, testLibrary } from './fixtures';
import { decodedState, encodedState, fakeRunner, session, settle } from './session-fakes';

const libraryIds = [...testLibrary().keys()];
const baseline = scenario('baseline');
const renewed = scenario('renewed-controls');
const fresh = () => defaultState(baseline, libraryIds);
const edit = (change: (state: NotebookState) => void) => {
	const state = fresh();
	change(state);
	return state;
};

describe('an edited notebook', () => {
	it('is one that differs from the notebook its scenario opens with; collapsing a cell is not an edit', async () => {
		expect(isEdited(fresh(), baseline, libraryIds)).toBe(false);
		expect(isEdited(await decodedState(await encodedState(fresh())), baseline, libraryIds), 'read back from a link').toBe(false);
		expect(
			isEdited(
				edit((s) => (s.cells[1] = { ...s.cells[1], collapsed: !s.cells[1].collapsed })),
				baseline,
				libraryIds
			)
		).toBe(false);
		const edits: Record<string, (state: NotebookState) => void> = {
			'a cell added': (s) => s.cells.push({ kind: 'formula', id: 'cell-99', collapsed: false, expression: 'demand', unit: 't/month' }),
			'a cell removed': (s) => s.cells.pop(),
			'cells moved': (s) => s.cells.reverse(),
			'a narrative rewritten': (s) => (s.cells = s.cells.map((c) => (c.kind === 'narrative' ? { ...c, markdown: 'My notes' } : c))),
			'a slider moved': (s) => (s.scenario.values = { [baseline.controls[0].param]: baseline.controls[0].max }),
			'the seed changed': (s) => (s.seed += 1),
			'the path count changed': (s) => (s.paths += 100)
		};
		for (const [what, change] of Object.entries(edits)) expect(isEdited(edit(change), baseline, libraryIds), what).toBe(true);
	});

	it('carried to another scenario keeps the cells the user added or changed, fitted to it; untouched cells become its own', () => {
		const added: Cell = { kind: 'comparison', id: 'cell-98', collapsed: false, metric: 'shortfall', against: 'renewed-controls' };
		const note: Cell = { kind: 'narrative', id: 'cell-99', collapsed: true, markdown: 'My notes' };
		const mine = edit((s) => {
			s.cells.push(added, note);
			s.seed = 7;
		});
		const kept = keptNotebook(mine, baseline, renewed, libraryIds);
		const own = defaultState(renewed, libraryIds);
		expect(kept.scenario.id).toBe('renewed-controls');
		expect(kept.seed).toBe(7);
		expect(kept.paths).toBe(own.paths);
		expect(kept.cells.slice(0, own.cells.length)).toEqual(own.cells);
		expect(kept.cells.at(-2)).toEqual({ ...added, against: 'baseline' });
		expect(kept.cells.at(-1)).toEqual(note);
	});
});

describe('history entries', () => {
	it('push for a deliberate change, once per gesture for continuous ones, and never for the state the entry holds', () => {
		const entries = new HistoryEntries();
		const write = (state: string) => entries.write(state, entries.mark());
		expect(write('opened')).toBe('replace');
		entries.changed('deliberate');
		expect(write('cell added')).toBe('push');
		expect(write('cell added')).toBe('replace');
		entries.changed('continuous');
		expect(write('drag 1')).toBe('push');
		entries.changed('continuous');
		expect(write('drag 2')).toBe('replace');
		entries.gestureEnded();
		entries.changed('continuous');
		expect(write('second drag')).toBe('push');
		entries.changed('deliberate');
		expect(write('second drag')).toBe('replace');
		entries.arrived('back');
		entries.changed('continuous');
		expect(write('typing after Back')).toBe('push');
	});

	it('leave a change made while a write was encoding to the next write', () => {
		const entries = new HistoryEntries();
		entries.changed('deliberate');
		const mark = entries.mark();
		entries.changed('deliberate');
		expect(entries.write('first', mark)).toBe('push');
		expect(entries.write('second', entries.mark())).toBe('push');
	});
});

/** A session on baseline, run and written once. */
async function opened() {
	const { runner } = fakeRunner();
	const made = session(runner);
	await made.notebook.persistence.open(undefined);
	await settle();
	await made.notebook.persistence.writeNow();
	return made;
}

describe('the notebook session', () => {
	it('switches at once when nothing was edited, and asks first when something was: cancel, replace or keep', async () => {
		const { notebook } = await opened();
		notebook.pickScenario('renewed-controls');
		expect(notebook.switching).toBeUndefined();
		expect(notebook.editor.state.scenario.id).toBe('renewed-controls');

		notebook.editor.addCell('formula');
		const edited = JSON.stringify(notebook.editor.state);
		notebook.pickScenario('baseline');
		expect(notebook.switching).toEqual({ id: 'baseline', title: baseline.title });
		notebook.answerSwitch('cancel');
		expect(notebook.switching).toBeUndefined();
		expect(JSON.stringify(notebook.editor.state)).toBe(edited);

		notebook.pickScenario('baseline');
		notebook.answerSwitch('keep');
		expect(notebook.editor.state.scenario.id).toBe('baseline');
		expect(notebook.editor.state.cells.at(-1)?.kind).toBe('formula');
		expect(notebook.messages.list.at(-1)).toMatchObject({ tone: 'success', text: expect.stringContaining('Back returns') });

		notebook.pickScenario('renewed-controls');
		notebook.answerSwitch('replace');
		expect(notebook.editor.state).toEqual(defaultState(renewed, libraryIds));
	});

	it('pushes an entry for a removed cell and one for a slider drag, and Back reopens the notebook to the same fingerprint', async () => {
		const { notebook, fragments, modes } = await opened();
		const before = {
			fragment: fragments.at(-1)!,
			fingerprint: notebook.fullResult!.result.fingerprint,
			state: JSON.parse(JSON.stringify(notebook.editor.state)) as NotebookState
		};
		const param = baseline.controls[0];
		notebook.editor.setControl(param.param, param.min);
		await settle();
		await notebook.persistence.writeNow();
		notebook.editor.setControl(param.param, param.max);
		await settle();
		await notebook.persistence.writeNow();
		notebook.editor.commitControl();
		notebook.editor.removeCell(notebook.editor.state.cells[1].id);
		await notebook.persistence.writeNow();
		expect(modes).toEqual(['replace', 'push', 'replace', 'push']);

		await notebook.persistence.openEntry(before.fragment);
		await settle();
		expect(notebook.editor.state).toEqual(before.state);
		expect(notebook.fullResult?.result.fingerprint).toBe(before.fingerprint);
		await notebook.persistence.writeNow();
		expect(modes.at(-1)).toBe('replace');
	});

	it('brings back removed cells with Undo, the last first, where they were and as they were, a bounded number of them', async () => {
		const { notebook } = await opened();
		const editor = notebook.editor;
		editor.updateCell(editor.state.cells[2].id, { collapsed: true });
		const original = JSON.stringify(editor.state.cells);
		const third = editor.state.cells[2];
		editor.removeCell(third.id);
		editor.removeCell(editor.state.cells[0].id);
		expect(notebook.messages.list.filter((m) => m.action === 'undo-remove')).toHaveLength(1);
		await notebook.act('undo-remove');
		expect(editor.undoRemove()).toBe(true);
		expect(JSON.stringify(editor.state.cells)).toBe(original);
		expect(editor.undoRemove()).toBe(false);
		expect(notebook.messages.list.some((m) => m.action === 'undo-remove')).toBe(false);

		for (let i = 0; i < MAX_UNDO + 2; i++) editor.addCell('formula');
		const added = editor.state.cells.slice(-(MAX_UNDO + 2)).map((c) => c.id);
		for (const id of added) editor.removeCell(id);
		let undone = 0;
		while (editor.undoRemove()) undone++;
		expect(undone).toBe(MAX_UNDO);
		expect(editor.state.cells.slice(-MAX_UNDO).map((c) => c.id)).toEqual(added.slice(-MAX_UNDO));
	});

	it('brings a removed cell back under a new id when a cell added since took its id', async () => {
		const { notebook } = await opened();
		const editor = notebook.editor;
		const last = editor.state.cells.at(-1)!;
		editor.removeCell(last.id);
		editor.addCell('formula');
		expect(editor.state.cells.at(-1)!.id).toBe(last.id);
		editor.undoRemove();
		const ids = editor.state.cells.map((c) => c.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(editor.state.cells.at(-2)).toMatchObject({ ...last, id: expect.not.stringMatching(`^${last.id}$`) });
	});
});
