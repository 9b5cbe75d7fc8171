import { describe, expect, it } from 'vitest';
import { metricCount } from '../../src/lib/model/metrics';
import { BACKUP_KEY, STORAGE_KEY } from '../../src/lib/notebook/persistence.svelte';
import { defaultCells, type Cell } from '../../src/lib/notebook/cells';
import { maxPathsOver, notebookLimits } from '../../src/lib/notebook/state';
import { scenario } from './fixtures';
import { fakeRunner, memoryStorage, session, settle, encodedState, baselineState, decodedState } from './session-fakes';

describe('NotebookSession with hostile input', () => {
	it('cuts a narrative at the limit when it is typed, tells the user, and saves a notebook it can read back', async () => {
		const { runner } = fakeRunner();
		const first = session(runner);
		await first.notebook.persistence.open(undefined);
		await settle();
		const narrative = first.notebook.editor.state.cells.find((cell) => cell.kind === 'narrative')!;
		first.notebook.editor.updateCell(narrative.id, { markdown: 'x'.repeat(25_000) });
		const kept = first.notebook.editor.state.cells.find((cell) => cell.id === narrative.id) as Extract<Cell, { kind: 'narrative' }>;
		expect(kept.markdown).toHaveLength(notebookLimits.maxNarrativeChars);
		expect(first.notebook.messages.list.at(-1)?.text).toContain('at most 20,000 characters');
		await first.notebook.persistence.writeNow();

		const second = session(runner, first.storage);
		await second.notebook.persistence.open(undefined);
		expect(second.notebook.messages.list).toEqual([]);
		expect((second.notebook.editor.state.cells.find((cell) => cell.id === narrative.id) as typeof kept).markdown).toHaveLength(
			notebookLimits.maxNarrativeChars
		);
	});

	it('never saves a notebook it could not read back: the last saved one is kept, and the user told once', async () => {
		const { runner } = fakeRunner();
		const { notebook, storage, fragments } = session(runner);
		await notebook.persistence.open(undefined);
		await settle();
		await notebook.persistence.writeNow();
		const saved = storage.items.get(STORAGE_KEY);
		// Past every check at the input (as a future edit path might be): the save refuses it.
		notebook.editor.state.cells = [...notebook.editor.state.cells, { kind: 'threshold', id: 'cell-99', collapsed: false, threshold: 'y'.repeat(500) }];
		await notebook.persistence.writeNow();
		await notebook.persistence.writeNow();
		expect(storage.items.get(STORAGE_KEY)).toBe(saved);
		expect(fragments.at(-1)).toBe(saved);
		expect(notebook.messages.list.filter((m) => m.text.includes('could not be saved'))).toHaveLength(1);
		expect(notebook.messages.list.at(-1)?.text).toContain('at most 200 characters');
	});

	it('keeps a saved notebook it cannot read, never saves over it, and replaces it only when the user says so', async () => {
		const { runner } = fakeRunner();
		const storage = memoryStorage();
		const tooBig = await encodedState(baselineState({ cells: [{ kind: 'narrative', id: 'cell-1', collapsed: false, markdown: 'z'.repeat(25_000) }] }));
		storage.setItem(STORAGE_KEY, tooBig);
		const { notebook, fragments } = session(runner, storage);
		await notebook.persistence.open(undefined);
		await settle();
		const told = notebook.messages.list.find((m) => m.action === 'replace-unreadable');
		expect(told?.text).toMatch(/could not be restored.*at most 20,000 characters.*kept as it was/s);
		notebook.editor.setSeed(9);
		await settle();
		await notebook.persistence.writeNow();
		expect(storage.items.get(STORAGE_KEY)).toBe(tooBig);
		expect(fragments.length).toBeGreaterThan(0);

		await notebook.persistence.act('replace-unreadable');
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(9);
		expect(notebook.messages.list.some((m) => m.action === 'replace-unreadable')).toBe(false);
	});

	it('refuses an imported scenario whose notebook would exceed the limits, and changes nothing', async () => {
		const { runner } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		const file = JSON.stringify({ id: 'long-story', extends: 'baseline', title: 'Long', description: 'w'.repeat(25_000) });
		expect(await notebook.editor.importScenario(file, 'long-story.json')).toBe(false);
		expect(notebook.messages.list.at(-1)?.text).toMatch(/long-story\.json was not imported.*narrative.*at most 20,000 characters/s);
		expect(notebook.editor.state.scenario.id).toBe('baseline');
	});

	it('runs no more paths than fit the tab over a long horizon, and says so when asked for more', async () => {
		const { runner, requests } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		const file = JSON.stringify({
			id: 'half-century',
			extends: 'baseline',
			title: 'Fifty years',
			description: '',
			start: '2025-01',
			end: '2074-12',
			events: []
		});
		expect(await notebook.editor.importScenario(file, 'half-century.json')).toBe(true);
		notebook.editor.setPaths(50_000);
		const fit = maxPathsOver(600);
		expect(fit).toBeLessThan(50_000);
		expect(notebook.messages.list.at(-1)?.text).toContain(`at most ${fit.toLocaleString('en-US')} over this scenario's 600 months`);
		await settle();
		expect(requests.at(-1)!.paths).toBeLessThanOrEqual(fit);
		expect(fit * 600 * metricCount * 4).toBeLessThanOrEqual(notebookLimits.maxPathBytes);
	});

	it('refuses a link with duplicate cell ids with a message, and keeps the saved notebook', async () => {
		const { runner } = fakeRunner();
		const storage = memoryStorage();
		const saved = await encodedState(baselineState({ seed: 77 }));
		storage.setItem(STORAGE_KEY, saved);
		const cells = defaultCells(scenario('baseline'), []).map((cell) => ({ ...cell, id: 'cell-1' }));
		const { notebook } = session(runner, storage);
		await notebook.persistence.open(await encodedState(baselineState({ seed: 5, cells })));
		expect(notebook.messages.list[0]?.text).toMatch(/could not be opened.*each cell needs its own id.*your saved notebook/s);
		expect(notebook.editor.state.seed).toBe(77);
		await settle();
		await notebook.persistence.writeNow();
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(77);
	});

	it('keeps the notebook a link replaces, and restores it when asked', async () => {
		const { runner } = fakeRunner();
		const storage = memoryStorage();
		storage.setItem(STORAGE_KEY, await encodedState(baselineState({ seed: 77 })));
		const { notebook } = session(runner, storage);
		await notebook.persistence.open(await encodedState(baselineState({ scenario: { id: 'renewed-controls', values: {} }, seed: 5 })));
		expect(notebook.editor.state).toMatchObject({ seed: 5, scenario: { id: 'renewed-controls' } });
		expect(notebook.messages.list.find((m) => m.action === 'restore-previous')?.tone).toBe('notice');
		expect(notebook.persistence.hasPrevious).toBe(true);
		await settle();
		await notebook.persistence.writeNow();
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(5);
		expect((await decodedState(storage.items.get(BACKUP_KEY))).seed).toBe(77);

		await notebook.persistence.act('restore-previous');
		expect(notebook.editor.state).toMatchObject({ seed: 77, scenario: { id: 'baseline' } });
		expect((await decodedState(storage.items.get(STORAGE_KEY))).seed).toBe(77);
		// The link's notebook is now the previous one.
		expect((await decodedState(storage.items.get(BACKUP_KEY))).seed).toBe(5);
		expect(notebook.messages.list.some((m) => m.action === 'restore-previous')).toBe(false);
	});

	it('keeps the notebook open when a link is pasted over it, and opening the same notebook again keeps nothing', async () => {
		const { runner } = fakeRunner();
		const { notebook, storage } = session(runner);
		await notebook.persistence.open(undefined);
		notebook.editor.setSeed(31);
		await settle();
		await notebook.persistence.openLink(await encodedState(baselineState({ seed: 5 })));
		expect(notebook.editor.state.seed).toBe(5);
		expect((await decodedState(storage.items.get(BACKUP_KEY))).seed).toBe(31);
		expect(notebook.messages.list.filter((m) => m.action === 'restore-previous')).toHaveLength(1);

		const again = session(runner);
		const encoded = await encodedState(baselineState({ seed: 8 }));
		again.storage.setItem(STORAGE_KEY, encoded);
		await again.notebook.persistence.open(encoded);
		expect(again.notebook.messages.list).toEqual([]);
		expect(again.storage.items.has(BACKUP_KEY)).toBe(false);
	});

	it('adds no cell beyond the limit', async () => {
		const { runner } = fakeRunner();
		const { notebook } = session(runner);
		await notebook.persistence.open(undefined);
		while (notebook.editor.state.cells.length < notebookLimits.maxCells) notebook.editor.addCell('narrative');
		notebook.editor.addCell('narrative');
		expect(notebook.editor.state.cells).toHaveLength(notebookLimits.maxCells);
		expect(notebook.messages.list.at(-1)?.text).toContain('at most 50 cells');
	});
});
