import { describe, expect, it } from 'vitest';
import type { AnalysisContext } from '../../src/lib/notebook/analyses';
import { AnalysisManager, type AnalysisInputs } from '../../src/lib/notebook/analysis-manager.svelte';
import type { Cell, CellOf } from '../../src/lib/notebook/cells';
import { scenario, testLibrary } from './fixtures';
import { fakeAnalyser, until } from './session-fakes';

/** The analysis manager on its own: plain inputs and an analyser running in this thread, no session. */
function manager(cells: Cell[], runDone = true) {
	const library = testLibrary();
	const context: AnalysisContext = {
		scenario: scenario('baseline'),
		seed: 7,
		paths: 100,
		choice: { id: 'baseline', values: {} },
		library,
		libraryIds: [...library.keys()]
	};
	const inputs: AnalysisInputs = { cells, context, runDone };
	const fake = fakeAnalyser();
	return { analyses: new AnalysisManager(fake.analyser, () => inputs), inputs, ...fake };
}

const threshold = (text: string): CellOf<'threshold'> => ({ kind: 'threshold', id: 't1', collapsed: false, threshold: text });

describe('AnalysisManager', () => {
	it('waits for the notebook’s run, then runs each analysis cell once', async () => {
		const { analyses, inputs, requests } = manager([threshold('shortfall > 0')], false);
		analyses.refresh();
		expect(requests).toHaveLength(0);
		inputs.runDone = true;
		analyses.refresh();
		await until(() => analyses.stateOf(inputs.cells[0]).view?.phase === 'done');
		analyses.refresh();
		expect(requests).toHaveLength(1);
	});

	it('shows a finished analysis again at once from its cache when the settings come back', async () => {
		const { analyses, inputs, requests } = manager([threshold('shortfall > 0')]);
		analyses.refresh();
		await until(() => analyses.views.get('t1')?.phase === 'done');
		inputs.cells = [threshold('chinaShare < 60 %')];
		analyses.refresh();
		await until(() => analyses.stateOf(inputs.cells[0]).view?.phase === 'done');
		inputs.cells = [threshold('shortfall > 0')];
		analyses.refresh();
		expect(analyses.stateOf(inputs.cells[0]).view?.phase).toBe('done');
		expect(requests.map((r) => r.kind === 'threshold' && r.threshold)).toEqual(['shortfall > 0', 'chinaShare < 60 %']);
	});

	it('shows only the view of a cell’s current settings, and a problem with them instead of running', async () => {
		const { analyses, inputs, requests } = manager([threshold('shortfall > 0')]);
		analyses.refresh();
		await until(() => analyses.views.get('t1')?.phase === 'done');
		const changed = threshold('shortfall >> 0');
		expect(analyses.stateOf(changed).view).toBeUndefined();
		inputs.cells = [changed];
		analyses.refresh();
		expect(analyses.views.has('t1')).toBe(false);
		expect(analyses.stateOf(changed).analysis).toHaveProperty('problem');
		expect(requests).toHaveLength(1);
	});

	it('stops a removed cell’s analysis and forgets its view', () => {
		const { analyses, cancelled } = manager([threshold('shortfall > 0')]);
		analyses.refresh();
		expect(analyses.views.get('t1')?.phase).toBe('running');
		analyses.forget('t1');
		expect(analyses.views.has('t1')).toBe(false);
		expect(cancelled).toHaveLength(1);
	});
});
