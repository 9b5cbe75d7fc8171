import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/lib/sweep/result';
import {
	boxRectangle,
	criterionOf,
	defaultDiscoveryFactors,
	discoveryFigure,
	discoveryLine,
	factorAxisTitle,
	MAX_DRAWN_POINTS,
	outcomeFigure,
	sobolBars,
	sobolFigure,
	sweepCellView,
	sweepChoices
} from '../../src/lib/notebook/sweep-vm';

/** A hand-made result: three factors, one output, a box on two of them, Sobol' indices. */
function result(pointCount = 4): SweepResult {
	const points = Array.from({ length: pointCount }, (_, i) => ({
		point: i,
		factors: { alliedGrowth: (i % 4) / 10, demandGrowth: -0.1 + i / 100, 'plant.shift': i },
		outputs: { 'P(shortfall > 0) in 2029': { value: i % 2 === 0 ? 0.6 : 0.2, se: 0.02 } }
	}));
	return {
		format: 'magnet-sweep/1',
		title: 'Hand-made',
		sweep: 'abc',
		modelVersion: '2.0.0',
		scenario: { id: 'baseline', title: 'Baseline' },
		seed: 1,
		pathsPerPoint: 300,
		design: { kind: 'latin-hypercube', points: pointCount },
		factors: [
			{ name: 'alliedGrowth', kind: 'slider', param: 'alliedGrowth', unit: '1/yr', min: 0, max: 0.3 },
			{ name: 'demandGrowth', kind: 'slider', param: 'demandGrowth', unit: '1/yr', min: -0.15, max: 0.2 },
			{ name: 'plant.shift', kind: 'shift', event: 'plant', unit: 'months', min: -12, max: 24 }
		],
		outputs: [{ name: 'P(shortfall > 0) in 2029', label: 'P(shortfall > 0) in 2029', unit: 'probability' }],
		analyses: {
			discovery: {
				output: 'P(shortfall > 0) in 2029',
				criterion: 'P(shortfall > 0) in 2029 > 0.5',
				cases: 2,
				points: pointCount,
				minimumDensity: 0.8,
				box: {
					limits: [
						{ name: 'plant.shift', unit: 'months', low: -3, high: 10 },
						{ name: 'alliedGrowth', unit: '1/yr', low: 0, high: 0.12 }
					],
					points: 2,
					cases: 2,
					coverage: 1,
					density: 1
				},
				trajectory: [{ coverage: 1, density: 0.5, points: 4 }]
			},
			sobol: [
				{
					output: 'P(shortfall > 0) in 2029',
					variance: 0.04,
					factors: [
						{ name: 'alliedGrowth', first: { estimate: 0.5, low: 0.4, high: 0.65 }, total: { estimate: 0.6, low: 0.5, high: 0.7 } },
						{ name: 'demandGrowth', first: { estimate: 0.1, low: -0.05, high: 0.2 }, total: { estimate: 0.2, low: 0.1, high: 0.3 } },
						{ name: 'plant.shift', first: { estimate: 0, low: -0.1, high: 0.1 }, total: { estimate: 0.05, low: 0, high: 0.1 } }
					]
				}
			]
		},
		points
	};
}

const OUTPUT = 'P(shortfall > 0) in 2029';

describe('sweep cell charts', () => {
	it('scatter one output against one factor, in display units, with ±1 SE error bars when asked', () => {
		const figure = outcomeFigure(result(), OUTPUT, 'alliedGrowth', true)!;
		const trace = figure.data[0] as { x: number[]; y: number[]; error_y?: { array: number[] } };
		expect(trace.x).toEqual([0, 0.1, 0.2, 0.3]);
		expect(trace.y.map((y) => +y.toFixed(9))).toEqual([60, 20, 60, 20]);
		expect(trace.error_y!.array.map((e) => +e.toFixed(9))).toEqual([2, 2, 2, 2]);
		expect((outcomeFigure(result(), OUTPUT, 'alliedGrowth', false)!.data[0] as { error_y?: unknown }).error_y).toBeUndefined();
		expect(figure.layout.yaxis?.title).toEqual({ text: '%' });
		expect(figure.layout.xaxis?.title).toMatchObject({ text: expect.stringMatching(/^alliedGrowth \(.+\)$/) });
		expect(outcomeFigure(result(), 'nope', 'alliedGrowth', true)).toBeUndefined();
		expect(outcomeFigure(result(), OUTPUT, '__proto__', true)).toBeUndefined();
	});

	it('draws at most MAX_DRAWN_POINTS points of a big loaded result', () => {
		const big = result(MAX_DRAWN_POINTS * 2 + 1);
		const trace = outcomeFigure(big, OUTPUT, 'alliedGrowth', false)!.data[0] as { x: number[] };
		expect(trace.x.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS);
		expect(trace.x.length).toBeGreaterThan(MAX_DRAWN_POINTS / 2);
	});

	it('starts the discovery chart on the factors the box restricts, and draws the box as a rectangle', () => {
		const r = result();
		expect(defaultDiscoveryFactors(r)).toEqual(['plant.shift', 'alliedGrowth']);
		expect(boxRectangle(r, 'plant.shift', 'alliedGrowth')).toEqual({ x0: -3, x1: 10, y0: 0, y1: 0.12 });
		// A factor the box does not restrict spans its whole range.
		expect(boxRectangle(r, 'demandGrowth', 'alliedGrowth')).toEqual({ x0: -0.15, x1: 0.2, y0: 0, y1: 0.12 });
		const figure = discoveryFigure(r, 'plant.shift', 'alliedGrowth')!;
		expect(figure.layout.shapes).toHaveLength(1);
		expect(figure.layout.shapes![0]).toMatchObject({ type: 'rect', xref: 'x', yref: 'y', x0: -3, x1: 10, y0: 0, y1: 0.12 });
		const line = discoveryLine(r)!;
		const [others, cases] = figure.data as { x: number[]; name: string }[];
		expect(cases.x).toEqual([0, 2]);
		expect(others.x).toEqual([1, 3]);
		expect(cases.name).toBe('cases (above 50 %)');
		expect(line).toContain('Cases of interest: chance ');
		expect(figure.layout.xaxis?.title).toEqual({ text: 'plant.shift (months)' });
		expect(line).toContain('above 50 %, 50 % (2 of 4) of the points');
		expect(line).toContain('coverage 100 %');
		expect(line).toContain('density (at least 80 % asked)');
		expect(line).toContain('plant.shift -3 – 10 months');
	});

	it('gives a share-valued factor in % on its axis, its box side and its limits', () => {
		const r = result();
		r.factors[0] = { ...r.factors[0], unit: 'fraction' };
		r.analyses.discovery!.box!.limits[1] = { ...r.analyses.discovery!.box!.limits[1], unit: 'fraction' };
		expect(factorAxisTitle(r.factors[0])).toBe('alliedGrowth (%)');
		expect(boxRectangle(r, 'plant.shift', 'alliedGrowth')).toEqual({ x0: -3, x1: 10, y0: 0, y1: 12 });
		expect(discoveryLine(r)).toContain('alliedGrowth 0 – 12 %');
	});

	it('reads the criterion back, and has no box to draw when the discovery found none', () => {
		expect(criterionOf('P(x > 0) in 2029 > 0.5')).toEqual({ above: true, level: 0.5 });
		expect(criterionOf('median usMagnetPrice 2030 < 70')).toEqual({ above: false, level: 70 });
		expect(criterionOf('nonsense')).toBeUndefined();
		const r = result();
		const { box: _box, ...rest } = r.analyses.discovery!;
		const none: SweepResult = { ...r, analyses: { discovery: { ...rest, unavailable: 'no point meets the criterion' } } };
		expect(discoveryFigure(none, 'alliedGrowth', 'demandGrowth')!.layout.shapes).toEqual([]);
		expect(discoveryLine(none)).toContain('no point meets the criterion');
	});

	it('draws first- and total-order Sobol bars with the bootstrap intervals as asymmetric error bars', () => {
		const figure = sobolFigure(result(), OUTPUT)!;
		const [first, total] = figure.data as { name: string; x: string[]; y: number[]; error_y: { array: number[]; arrayminus: number[]; symmetric: boolean } }[];
		expect(first.name).toBe('First order');
		expect(total.name).toBe('Total order');
		expect(first.x).toEqual(['alliedGrowth', 'demandGrowth', 'plant.shift']);
		expect(first.y).toEqual([0.5, 0.1, 0]);
		expect(first.error_y.symmetric).toBe(false);
		expect(first.error_y.array.map((x) => +x.toFixed(6))).toEqual([0.15, 0.1, 0.1]);
		expect(first.error_y.arrayminus.map((x) => +x.toFixed(6))).toEqual([0.1, 0.15, 0.1]);
		expect(total.y).toEqual([0.6, 0.2, 0.05]);
		const unavailable: SweepResult = { ...result(), analyses: { sobol: [{ output: OUTPUT, unavailable: 'the output does not vary' }] } };
		expect(sobolBars(unavailable, OUTPUT)).toEqual({ unavailable: 'the output does not vary' });
		expect(sobolFigure(unavailable, OUTPUT)).toBeUndefined();
	});

	it('offers the outputs and factors in words, starting on the discovery’s output and first restricted factor', () => {
		const choices = sweepChoices(result());
		expect(choices.output).toBe(OUTPUT);
		expect(choices.factor).toBe('plant.shift');
		expect(choices.outputs[0].label).toMatch(/^Chance /);
		expect(factorAxisTitle(result().factors[2])).toBe('plant.shift (months)');
	});

	it('shows progress in points, and waits for the Run button until asked', () => {
		const analysis = { request: { kind: 'sweep' as const, base: {} as never, text: '' }, key: 'k' };
		const idle = sweepCellView({ analysis, view: undefined, runDone: true }, false);
		expect(idle).toMatchObject({ runnable: true, asked: false, running: false, status: { kind: 'none' } });
		const running = sweepCellView({ analysis, view: { key: 'k', phase: 'running', done: 3, total: 60 }, runDone: true }, true);
		expect(running).toMatchObject({ running: true, progress: { done: 3, total: 60 } });
		const problem = sweepCellView({ analysis: { problem: 'line 3, column 1 (paths): …' }, view: undefined, runDone: true }, false);
		expect(problem).toMatchObject({ runnable: false, status: { kind: 'problem', text: 'line 3, column 1 (paths): …' } });
	});
});
