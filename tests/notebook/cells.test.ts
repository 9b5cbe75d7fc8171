import { describe, expect, it } from 'vitest';
import { addCell, cellsSchema, defaultCells, moveCell, newCell, removeCell, updateCell } from '../../src/lib/notebook/cells';
import { scenario, testLibrary } from './fixtures';

const ids = [...testLibrary().keys()];

describe('notebook cells', () => {
	it('the default notebook of every scenario is valid: its story, then its charts, and no slider cell (the sliders are docked)', () => {
		for (const id of ids) {
			const cells = defaultCells(scenario(id), ids);
			expect(cellsSchema.safeParse(cells).success, id).toBe(true);
			expect(cells[0].kind, id).toBe('narrative');
			expect(
				cells.map((c) => c.kind),
				id
			).not.toContain('controls');
			expect(
				cells.map((c) => c.kind),
				id
			).toContain('indicators');
		}
	});

	it('history-2025 opens on its observed series, and compares with its walk-forward fit', () => {
		const cells = defaultCells(scenario('history-2025'), ids);
		expect(cells.find((c) => c.kind === 'fan')).toMatchObject({ metric: 'chinaExports' });
		expect(cells.find((c) => c.kind === 'comparison')).toMatchObject({ against: 'history-2025-walk-forward' });
	});

	it('adds, moves, updates and removes cells by id', () => {
		const baseline = scenario('baseline');
		let cells = defaultCells(baseline, ids);
		const added = newCell('narrative', cells, baseline, ids);
		expect(cells.map((c) => c.id)).not.toContain(added.id);
		cells = addCell(cells, added, 0);
		expect(cells[0].id).toBe(added.id);
		cells = moveCell(cells, added.id, 1);
		expect(cells[1].id).toBe(added.id);
		expect(moveCell(cells, cells[0].id, -1)).toEqual(cells);
		cells = updateCell(cells, added.id, { markdown: 'changed', metric: 'usMagnetPrice', collapsed: true });
		expect(cells[1]).toEqual({ kind: 'narrative', id: added.id, collapsed: true, markdown: 'changed' });
		expect(removeCell(cells, added.id).map((c) => c.id)).not.toContain(added.id);
	});

	it('a cell naming a metric removed in model 2.0 (an old link) is refused with what replaced it', () => {
		const parsed = cellsSchema.safeParse([{ kind: 'fan', id: 'cell-1', collapsed: false, metric: 'price' }]);
		expect(parsed.success).toBe(false);
		expect(parsed.error!.issues.map((issue) => issue.message)).toEqual([
			'price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice'
		]);
		// Other unknown names keep zod's message.
		const unknown = cellsSchema.safeParse([{ kind: 'fan', id: 'cell-1', collapsed: false, metric: 'constructor' }]);
		expect(unknown.error!.issues[0].message).not.toContain('was removed');
	});
});
