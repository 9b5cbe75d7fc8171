import { describe, expect, it } from 'vitest';
import { analysisFor, keyOf, resultJson, shortKey, type AnalysisContext } from '../../src/lib/notebook/analyses';
import { addCell, cellsSchema, defaultCells, defaultOtherScenario, newCell, updateCell, type Cell, type CellOf } from '../../src/lib/notebook/cells';
import { resolveChoice, type ScenarioChoice } from '../../src/lib/notebook/state';
import type { AnalysisRequest } from '../../src/lib/runner/protocol';
import { narrativeView } from '../../src/lib/notebook/narrative-vm';
import { runScenario } from '../../src/lib/engine/run';
import { scenario, testLibrary } from './fixtures';

const library = testLibrary();
const ids = [...library.keys()];

function context(choice: ScenarioChoice = { id: 'baseline', values: {} }, seed = 5, paths = 2_000): AnalysisContext {
	return { scenario: resolveChoice(choice, library).scenario, seed, paths, choice, library, libraryIds: ids };
}

function requestOf(cell: Cell, ctx = context()): AnalysisRequest {
	const analysis = analysisFor(cell, ctx);
	if (!analysis || 'problem' in analysis) throw new Error(`expected a request, got ${JSON.stringify(analysis)}`);
	return analysis.request;
}

function problemOf(cell: Cell, ctx = context()): string {
	const analysis = analysisFor(cell, ctx);
	if (!analysis || !('problem' in analysis)) throw new Error(`expected a problem, got ${JSON.stringify(analysis)}`);
	return analysis.problem;
}

const baseline = scenario('baseline');
const cells = defaultCells(baseline, ids);
const cellOf = <K extends Cell['kind']>(kind: K): CellOf<K> => newCell(kind, cells, baseline, ids) as CellOf<K>;

describe('new analysis cells', () => {
	it('start with sensible defaults that validate, and modest path counts for the costly ones', () => {
		expect(cellOf('threshold')).toMatchObject({ threshold: 'usMagnetPrice > 2 × start' });
		expect(cellOf('tornado')).toMatchObject({ indicator: 'median usMagnetPrice 2030', paths: 1_000, levers: 'both' });
		// On baseline, an attribution explains it against the scenario its file compares it with, not against itself.
		expect(cellOf('attribution')).toMatchObject({ against: 'renewed-controls', indicator: 'median usMagnetPrice 2027', paths: 1_000 });
		expect(cellOf('formula')).toMatchObject({ expression: 'max(0, demand - domesticSupply - alliedSupply)', unit: 't/month' });
		let all = cells;
		for (const kind of ['threshold', 'tornado', 'attribution', 'formula'] as const) all = addCell(all, newCell(kind, all, baseline, ids));
		expect(cellsSchema.safeParse(all).success).toBe(true);
	});

	it('every scenario opens with a narrative whose live figures all resolve', () => {
		for (const id of ids) {
			const opened = scenario(id);
			const narrative = defaultCells(opened, ids).find((c) => c.kind === 'narrative')!;
			const view = narrativeView(narrative.kind === 'narrative' ? narrative.markdown : '', runScenario(opened, { seed: 1, paths: 20 }));
			expect(view.problems, id).toEqual([]);
			expect(view.figures, id).toBe(2);
		}
	});

	it('keep indicator years inside a short scenario’s horizon', () => {
		const surge = scenario('export-surge-2025');
		expect(newCell('tornado', [], surge, ids)).toMatchObject({ indicator: 'median usMagnetPrice 2026' });
		expect(newCell('attribution', [], surge, ids)).toMatchObject({ indicator: 'median usMagnetPrice 2026' });
	});

	it('an indicators cell gains and loses its refine setting; one without it (an old link) is still valid', () => {
		const indicators = cells.find((c) => c.kind === 'indicators')!;
		expect(cellsSchema.safeParse([indicators]).success).toBe(true);
		const refine = { indicator: 'median usMagnetPrice 2030', target: 1, maxPaths: 10_000 };
		let updated = updateCell(cells, indicators.id, { refine });
		expect(updated.find((c) => c.id === indicators.id)).toMatchObject({ refine });
		updated = updateCell(updated, indicators.id, { refine: undefined });
		expect(updated.find((c) => c.id === indicators.id)).not.toHaveProperty('refine');
		// Settings a kind does not have are ignored.
		expect(updateCell(cells, indicators.id, { threshold: 'x', metric: 'usMagnetPrice' }).find((c) => c.id === indicators.id)).toEqual(indicators);
		expect(cellsSchema.safeParse([{ ...indicators, refine: { ...refine, maxPaths: 10 } }]).success).toBe(false);
	});
});

describe('analysis requests', () => {
	it('a comparison runs the scenario on screen (sliders applied) against the other as written, at the notebook’s seed and paths', () => {
		const moved = context({ id: 'baseline', values: { demandGrowth: 0.1 } }, 9, 3_000);
		const request = requestOf(cellOf('comparison'), moved);
		expect(request.kind).toBe('compare');
		if (request.kind !== 'compare') return;
		expect(request.b).toBe(moved.scenario);
		expect(request.a.id).toBe(defaultOtherScenario(baseline, ids));
		expect(request.a).toEqual(resolveChoice({ id: request.a.id, values: {} }, library).scenario);
		expect({ seed: request.seed, paths: request.paths, metric: request.metric }).toEqual({ seed: 9, paths: 3_000, metric: 'chinaExports' });
	});

	it('names an unknown scenario with the known ones', () => {
		expect(problemOf({ ...cellOf('comparison'), against: 'nope' })).toBe(`unknown scenario "nope"; known: ${ids.join(', ')}`);
		expect(problemOf({ ...cellOf('attribution'), against: 'nope' })).toContain('unknown scenario "nope"');
	});

	it('refuses a threshold of the wrong unit or type before any work', () => {
		const threshold = cellOf('threshold');
		expect(problemOf({ ...threshold, threshold: 'chinaShare < 60 t/month' })).toContain('"t/month" does not fit chinaShare, measured in fraction');
		expect(problemOf({ ...threshold, threshold: 'usMagnetPrice > cheap' })).toContain('cannot read');
		expect(problemOf({ ...threshold, threshold: 'usMagnetPrise > 2 × start' })).toContain('unknown metric "usMagnetPrise" (did you mean "usMagnetPrice"?)');
		// A link made with model 1 names the removed metric: the cell says what replaced it.
		expect(problemOf({ ...threshold, threshold: 'price > 2 × start' })).toBe(
			'threshold: metric: price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice'
		);
		expect(problemOf({ ...threshold, threshold: 'chinaShare < 60 fraction' })).toContain('for 60 % write the unit "%"');
		expect(requestOf({ ...threshold, threshold: 'replacement >= 30 %' })).toMatchObject({ kind: 'threshold', threshold: 'replacement >= 30 %', paths: 2_000 });
	});

	it('refuses an indicator that cannot be read or lies outside the horizon', () => {
		const tornado = cellOf('tornado');
		expect(problemOf({ ...tornado, indicator: 'median usMagnetPrice 2050' })).toContain('2050 is outside the horizon');
		expect(problemOf({ ...tornado, indicator: 'the price' })).toContain('cannot read');
		expect(problemOf({ ...tornado, indicator: 'median price 2030' })).toContain('price: the delivered "price" was removed in model 2.0: use usMagnetPrice');
		expect(requestOf({ ...tornado, levers: 'controls' })).toMatchObject({ kind: 'tornado', paths: 1_000, include: ['control'] });
		expect(requestOf({ ...tornado, levers: 'parameters' })).toMatchObject({ include: ['parameter'] });
	});

	it('attribution explains the scenario on screen against the base as written', () => {
		const moved = context({ id: 'baseline', values: { demandGrowth: 0.1 } });
		const cell = cellOf('attribution');
		const request = requestOf(cell, moved);
		expect(request).toMatchObject({ kind: 'attribution', indicator: 'median usMagnetPrice 2027', paths: 1_000 });
		if (request.kind === 'attribution') {
			expect(request.base).toEqual(resolveChoice({ id: cell.against, values: {} }, library).scenario);
			expect(request.scenario).toBe(moved.scenario);
		}
	});

	it('a formula is read in the worker; refine starts from the notebook’s own paths', () => {
		expect(requestOf(cellOf('formula'))).toMatchObject({
			kind: 'formula',
			expression: 'max(0, demand - domesticSupply - alliedSupply)',
			unit: 't/month',
			paths: 2_000
		});
		const indicators = cells.find((c) => c.kind === 'indicators')!;
		expect(analysisFor(indicators, context())).toBeUndefined();
		const refining = { ...indicators, refine: { indicator: 'median usMagnetPrice 2030', target: 0.5, maxPaths: 1_500 } } as Cell;
		expect(requestOf(refining)).toMatchObject({ kind: 'refine', targetSe: 0.5, startPaths: 1_500, maxPaths: 1_500 });
		expect(problemOf({ ...refining, refine: { indicator: 'median prise 2030', target: 0.5, maxPaths: 1_500 } } as Cell)).toContain('unknown metric "prise"');
	});

	it('keys change with anything that changes the numbers, and only then', () => {
		const threshold = cellOf('threshold');
		const key = keyOf(analysisFor(threshold, context()));
		expect(keyOf(analysisFor(threshold, context()))).toBe(key);
		expect(keyOf(analysisFor(threshold, context(undefined, 6)))).not.toBe(key);
		expect(keyOf(analysisFor(threshold, context({ id: 'baseline', values: { demandGrowth: 0.1 } })))).not.toBe(key);
		expect(keyOf(analysisFor({ ...threshold, collapsed: true }, context()))).toBe(key);
		expect(shortKey(key)).toMatch(/^[0-9a-f]{8}$/);
		expect(resultJson({ a: 1, timing: { elapsedMs: 3 } })).toBe('{"a":1}');
	});

	it('narrative, controls and fan cells ask for no analysis', () => {
		for (const cell of cells.filter((c) => ['narrative', 'controls', 'fan', 'distribution'].includes(c.kind)))
			expect(analysisFor(cell, context())).toBeUndefined();
	});
});
