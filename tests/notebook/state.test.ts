import { describe, expect, it } from 'vitest';
import { defaultCells, newCell, type Cell } from '../../src/lib/notebook/cells';
import { notebookLimits, type NotebookState } from '../../src/lib/notebook/state';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, shareLimits, stateProblems } from '../../src/lib/notebook/link';
import { modelVersion } from '../../src/lib/model/version';
import { scenario, testLibrary } from './fixtures';

const baseline = scenario('baseline');
const ids = [...testLibrary().keys()];

function stateWith(cells: Cell[]): NotebookState {
	return { scenario: { id: 'baseline', values: {} }, seed: 1, paths: 1_000, cells };
}

async function reads(state: NotebookState): Promise<boolean> {
	return (await decodeSharePayload(await encodeSharePayload({ format: SHARE_FORMAT, modelVersion, state }))).ok;
}

describe('notebook limits', () => {
	it('are one set: what the notebook lets the user keep is exactly what a saved notebook or link may hold', async () => {
		const narrative = (length: number): Cell => ({ kind: 'narrative', id: 'cell-1', collapsed: false, markdown: 'a'.repeat(length) });
		expect(stateProblems(stateWith([narrative(notebookLimits.maxNarrativeChars)]))).toEqual([]);
		expect(await reads(stateWith([narrative(notebookLimits.maxNarrativeChars)]))).toBe(true);
		expect(stateProblems(stateWith([narrative(notebookLimits.maxNarrativeChars + 1)]))).toHaveLength(1);
		expect(await reads(stateWith([narrative(notebookLimits.maxNarrativeChars + 1)]))).toBe(false);

		let cells = defaultCells(baseline, ids);
		while (cells.length < notebookLimits.maxCells) cells = [...cells, newCell('controls', cells, baseline, ids)];
		expect(stateProblems(stateWith(cells))).toEqual([]);
		const tooMany = [...cells, newCell('controls', cells, baseline, ids)];
		expect(stateProblems(stateWith(tooMany))).toEqual([`cells: a notebook has at most ${notebookLimits.maxCells} cells.`]);
		expect(await reads(stateWith(tooMany))).toBe(false);

		expect(shareLimits).toEqual({ maxEncodedChars: notebookLimits.maxEncodedChars, maxDecodedBytes: notebookLimits.maxDecodedBytes });
	});

	it('refuse cells that share an id', () => {
		const cells = defaultCells(baseline, ids);
		expect(stateProblems(stateWith([...cells, { ...cells[0] }]))).toEqual([expect.stringContaining('each cell needs its own id')]);
	});
});
