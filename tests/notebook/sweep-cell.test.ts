import { beforeAll, describe, expect, it } from 'vitest';
import { analysisFor, keyOf, type AnalysisContext } from '../../src/lib/notebook/analyses';
import { AnalysisManager, type AnalysisInputs } from '../../src/lib/notebook/analysis-manager.svelte';
import { cellTitle } from '../../src/lib/notebook/cell-titles';
import { cellsSchema, cellTextLimits, newCell, updateCell, withinTextLimits, type Cell, type CellOf } from '../../src/lib/notebook/cells';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, stateProblems, type SharePayload } from '../../src/lib/notebook/link';
import { loadSweepChecks } from '../../src/lib/notebook/sweep-checks.svelte';
import { defaultSweepText } from '../../src/lib/sweep/notebook-text';
import { runNotebookSweep } from '../../src/lib/sweep/notebook-run';
import { notebookSweepProblem, planNotebookSweep, readSweepText } from '../../src/lib/sweep/notebook';
import { designValues } from '../../src/lib/sweep/design';
import { pointValues, simulatedScenarioAt } from '../../src/lib/sweep/run';
import { RunCoordinator } from '../../src/lib/runner/coordinator';
import { createLocalExecutor } from '../../src/lib/runner/executors/local';
import type { AnalysisUpdate } from '../../src/lib/runner/protocol';
import { scenario, testLibrary } from './fixtures';
import { fakeAnalyser, until } from './session-fakes';

const library = testLibrary();
const libraryIds = [...library.keys()];
const baseline = scenario('baseline');

const TINY = `title: "Tiny: two sliders"
scenario: baseline
paths: 50
design:
  kind: latin-hypercube
  points: 6
factors:
  - param: alliedGrowth
    min: 0
    max: 0.3
  - param: demandGrowth
    min: -0.15
    max: 0.2
outputs:
  - P(shortfall > 0) in 2029
discover:
  output: P(shortfall > 0) in 2029
  above: 0.05
`;

const sweepCell = (sweep: string, id = 'cell-1'): CellOf<'sweep'> => ({ kind: 'sweep', id, collapsed: false, sweep });

function context(): AnalysisContext {
	return { scenario: baseline, seed: 7, paths: 100, choice: { id: 'baseline', values: {} }, library, libraryIds };
}

it('asks for nothing until the page has loaded the sweep reader, which the first sweep cell starts loading', async () => {
	expect(analysisFor(sweepCell(TINY), context())).toBeUndefined();
	await loadSweepChecks();
	expect(analysisFor(sweepCell(TINY), context())).toMatchObject({ request: { kind: 'sweep' } });
});

describe('the sweep cell', () => {
	beforeAll(() => loadSweepChecks());

	it('starts with a small Latin hypercube over sliders of the scenario on screen, which plans within the cell’s caps', () => {
		for (const id of libraryIds) {
			const cell = newCell('sweep', [], scenario(id), libraryIds);
			if (cell.kind !== 'sweep') throw new Error('expected a sweep cell');
			expect(cell.sweep).toContain(`scenario: ${id}`);
			expect(cell.sweep).toContain('kind: latin-hypercube');
			expect(cell.sweep).toContain('discover:');
			expect(notebookSweepProblem(cell.sweep, scenario(id))).toBeUndefined();
		}
		expect(cellTitle(sweepCell(TINY))).toBe('Tiny: two sliders');
		expect(cellTitle(sweepCell('paths: 3'))).toBe('Sweep');
	});

	it('travels in the share link, and a definition over its limit is refused there and cut where typed', async () => {
		const cells: Cell[] = [sweepCell(TINY)];
		const payload: SharePayload = {
			format: SHARE_FORMAT,
			modelVersion: '2.0.0',
			state: { scenario: { id: 'baseline', values: {} }, seed: 3, paths: 1_000, cells }
		};
		const decoded = await decodeSharePayload(await encodeSharePayload(payload));
		expect(decoded).toEqual({ ok: true, payload, notes: [] });

		const long = '#'.repeat(cellTextLimits.sweep + 1);
		expect(cellsSchema.safeParse([sweepCell(long)]).success).toBe(false);
		expect(stateProblems({ ...payload.state, cells: [sweepCell(long)] }).join(' ')).toMatch(/cell 1 \(sweep\), sweep: at most 20,000 characters/);
		const { change, cut } = withinTextLimits({ sweep: long });
		expect(cut).toEqual(['sweep']);
		expect(change.sweep).toHaveLength(cellTextLimits.sweep);
		expect(updateCell(cells, 'cell-1', { sweep: 'title: x' })).toEqual([sweepCell('title: x')]);
	});

	it('asks the workers for its text on the library scenario it names, or says what is wrong, with the line', () => {
		const analysis = analysisFor(sweepCell(TINY), context());
		if (!analysis || !('request' in analysis)) throw new Error(`expected a request, got ${JSON.stringify(analysis)}`);
		expect(analysis.request).toMatchObject({ kind: 'sweep', text: TINY, base: { id: 'baseline' } });
		// The sliders on screen do not change the sweep: its base is the library's scenario.
		const moved = analysisFor(sweepCell(TINY), { ...context(), scenario: { ...baseline, seed: 99 } });
		expect(moved && 'key' in moved && moved.key).toBe(analysis.key);

		const problem = (text: string) => {
			const found = analysisFor(sweepCell(text), context());
			return found && 'problem' in found ? found.problem : undefined;
		};
		expect(problem(TINY.replace('    max: 0.3', '    max: 3'))).toMatch(/^line 10, column 5 \(factors\[0\]\.max\): 3 .* is outside the slider range/);
		expect(problem(TINY.replace('points: 6', 'points: 501'))).toMatch(/^line 4, column 1 \(design\): .*at most 500 .*npm run sweep/);
		expect(problem(TINY.replace('paths: 50', 'paths: 2001'))).toMatch(/^line 3, column 1 \(paths\): .*at most 2,000 .*npm run sweep/);
		expect(problem(TINY.replace('scenario: baseline', 'scenario: no-such-scenario'))).toMatch(
			/^line 2, column 1 \(scenario\): unknown scenario "no-such-scenario"/
		);
		expect(problem(TINY.replace('design:', 'design: [oops'))).toMatch(/^line \d+, column \d+: /);
		expect(problem(TINY.replace('paths: 50', 'pahts: 50'))).toMatch(/line 3, column 1 \(pahts\): unknown key \(did you mean "paths"\?\)/);
	});

	it('runs only when asked, reports progress in points, keeps running through a slider move, and stops when cancelled', async () => {
		const fake = fakeAnalyser();
		const inputs: AnalysisInputs = { cells: [sweepCell(TINY)], context: context(), runDone: true };
		const analyses = new AnalysisManager(fake.analyser, () => inputs);
		analyses.refresh();
		expect(fake.requests).toHaveLength(0);
		const updates: number[] = [];
		analyses.runSweep(inputs.cells[0]);
		expect(analyses.sweepAsked('cell-1', analyses.views.get('cell-1')?.key)).toBe(true);
		analyses.cancel();
		expect(analyses.views.get('cell-1')?.phase).toBe('running');
		await until(() => {
			const view = analyses.views.get('cell-1');
			if (view?.phase === 'running' && view.total > 0) updates.push(view.total);
			return view?.phase === 'done';
		});
		const outcome = analyses.views.get('cell-1')?.outcome;
		expect(outcome?.status === 'done' && outcome.result.kind === 'sweep' && outcome.result.result.points.length).toBe(6);
		expect(fake.requests).toHaveLength(1);
		expect(updates.every((total) => total === 6)).toBe(true);

		// A changed text waits for the Run button again; Cancel forgets what was asked.
		inputs.cells = [sweepCell(TINY.replace('points: 6', 'points: 8'))];
		analyses.refresh();
		expect(fake.requests).toHaveLength(1);
		analyses.runSweep(inputs.cells[0]);
		expect(fake.requests).toHaveLength(2);
		analyses.stopSweep('cell-1');
		expect(analyses.views.get('cell-1')).toBeUndefined();
		expect(analyses.sweepAsked('cell-1', keyOf(analyses.stateOf(inputs.cells[0]).analysis))).toBe(false);
	});

	it('runs in the coordinating worker as in this thread, progress in points, without filling the path cache', async () => {
		const coordinator = new RunCoordinator([createLocalExecutor(), createLocalExecutor()]);
		const updates: AnalysisUpdate[] = [];
		const outcome = await coordinator.analyse(1, { kind: 'sweep', base: baseline, text: TINY }, (u) => updates.push(u));
		const reference = await runNotebookSweep(TINY, baseline);
		expect(outcome).toMatchObject({ status: 'done', result: { kind: 'sweep', result: reference } });
		expect(updates.at(-1)).toEqual({ kind: 'progress', done: 6, total: 6 });
		const read = readSweepText(TINY);
		if ('problem' in read) throw new Error(read.problem);
		const plan = planNotebookSweep(read.file, baseline, read.locate);
		const first = simulatedScenarioAt(plan, pointValues(designValues(plan), plan.factors.length, 0));
		expect(coordinator.blocks.get(first, plan.seed, 0, plan.paths)).toBeUndefined();
		// A bad text that slipped past the page comes back as a failure with its line.
		const bad = await coordinator.analyse(2, { kind: 'sweep', base: baseline, text: TINY.replace('paths: 50', 'paths: 5000') }, () => undefined);
		expect(bad).toMatchObject({
			status: 'failed',
			failure: { message: expect.stringMatching(/^sweep definition: line 3, column 1 \(paths\): 5,000 paths per point/) }
		});
	});

	it('makes a default that reads for a scenario without sliders too', () => {
		const text = defaultSweepText({ ...baseline, controls: [] }, 2029);
		expect(text).toContain('param: alliedGrowth');
	});
});
