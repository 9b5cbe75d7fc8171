import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/lib/scenario/resolve';
import { scenarioLibrary } from '../../src/cli/check-files';
import { sweepSchemaPath } from '../../src/cli/write-schema';
import { loadSweepText } from '../../src/lib/sweep/load';
import { planSweep, type SweepPlan } from '../../src/lib/sweep/plan';
import { designValues, shardRange } from '../../src/lib/sweep/design';
import { runPoints, pointValues, simulatedScenarioAt } from '../../src/lib/sweep/run';
import { buildResult, serializeResult } from '../../src/lib/sweep/result';
import { makePart, mergeParts, serializePart } from '../../src/lib/sweep/parts';
import { sweepSchemaText } from '../../src/lib/sweep/schema';
import { InputError, type Problem } from '../../src/lib/problems';
import { NodeRunner } from '../../src/lib/runner/node/runner';

const fixtures = join(import.meta.dirname, 'fixtures');
const library = scenarioLibrary();

function load(name: string) {
	const loaded = loadSweepText(readFileSync(join(fixtures, name), 'utf8'), name);
	expect(loaded.problems).toEqual([]);
	return loaded.file!;
}

function plan(name: string): SweepPlan {
	const file = load(name);
	return planSweep(file, resolveScenario(file.scenario, library));
}

/** Problems of a sweep text, located; [] when it loads and plans. */
function problemsOf(text: string, source = 'test.yaml'): string[] {
	const loaded = loadSweepText(text, source);
	if (!loaded.file) return loaded.problems.map((p) => `${p.source}: ${p.path}: ${p.message}`);
	try {
		planSweep(loaded.file, resolveScenario(loaded.file.scenario, library));
		return [];
	} catch (error) {
		if (!(error instanceof InputError)) throw error;
		return error.problems.map((p: Problem) => `${loaded.locate(p.path)}: ${p.path}: ${p.message}`);
	}
}

const valid = readFileSync(join(fixtures, 'tiny.yaml'), 'utf8');

describe('sweep files', () => {
	it('sweeps/sweep.schema.json is generated from the zod schema', () => {
		expect(readFileSync(sweepSchemaPath, 'utf8'), 'run `npm run schema` to regenerate it').toBe(sweepSchemaText());
	});

	it('every sweep under sweeps/ loads and plans', () => {
		for (const name of ['smoke.yaml', 'capacity-sobol.yaml', 'shortfall-discovery.yaml']) {
			const text = readFileSync(join(import.meta.dirname, '../../sweeps', name), 'utf8');
			expect(problemsOf(text, name), name).toEqual([]);
		}
	});

	it("the README's example sweep file loads and plans", () => {
		const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('## Sweeps'));
		const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
		expect(example).toContain('design:');
		expect(problemsOf(example!, 'README.md')).toEqual([]);
		const file = loadSweepText(example!, 'README.md').file!;
		expect(file.seek?.output).toBe('P(shortfall > 0) in 2027–2030');
	});

	it('says what is wrong and where: bad YAML, unknown keys, factor shapes, ranges, outputs, events', () => {
		expect(problemsOf('title: [unclosed')).toEqual([expect.stringMatching(/^test\.yaml:1:\d+: : not valid YAML/)]);
		expect(problemsOf('')).toEqual([expect.stringContaining('the file is empty')]);
		expect(problemsOf(valid.replace('paths: 60', 'paths: 60\npath: 3'))).toEqual([
			expect.stringMatching(/test\.yaml:4:1: path: unknown key \(did you mean "paths"\?\)/)
		]);
		expect(problemsOf(valid.replace('param: alliedGrowth', 'param: aliedGrowth'))).toEqual([
			expect.stringMatching(/:11:5: factors\[1\]\.param: unknown parameter "aliedGrowth" \(did you mean "alliedGrowth"\?\)$/)
		]);
		expect(problemsOf(valid.replace('max: 36', 'max: "36"'))).toEqual([
			expect.stringMatching(/:10:5: factors\[0\]\.max: expected number, found the string "36"/)
		]);
		expect(problemsOf(valid.replace('shiftMonths: { min: -6, max: 12 }', 'shiftMonths: { min: -6, max: 12.5 }'))).toEqual([
			expect.stringMatching(/:15:29: factors\[2\]\.shiftMonths\.max: expected int, found number 12\.5/)
		]);
		expect(problemsOf(valid.replace('max: 0.3', 'max: 0.9'))).toEqual([
			expect.stringMatching(/:13:5: factors\[1\]\.max: 0\.9 1\/yr is outside the slider range \[0, 0\.3\]/)
		]);
		expect(problemsOf(valid.replace('min: 1\n', 'min: 40\n'))).toEqual([
			expect.stringMatching(/factors\[0\]\.max: max 36 is below min 40/),
			expect.stringMatching(/factors\[0\]\.min: 40 months is outside the slider range/)
		]);
		expect(problemsOf(valid.replace('median usMagnetPrice 2030', 'median usMagnetPrize 2030'))).toEqual([
			expect.stringMatching(/outputs\[1\]: .*usMagnetPrize.*did you mean "usMagnetPrice"/)
		]);
		expect(problemsOf(valid.replace('median usMagnetPrice 2030', 'median usMagnetPrice 2050'))).toEqual([
			expect.stringMatching(/outputs\[1\]: 2050 is outside/)
		]);
		expect(problemsOf(valid.replace('event: plant-outage-2027', 'event: plant-outage'))).toEqual([
			expect.stringMatching(/factors\[2\]\.event: no event "plant-outage" in controls-and-delays; its events with ids: .*plant-outage-2027/)
		]);
		// Shifted 120 months, the outage would start after the horizon.
		expect(problemsOf(valid.replace('max: 12 }', 'max: 120 }'))).toEqual([
			expect.stringMatching(/with every factor at its high end: .*starts 2037-01, outside the horizon/)
		]);
		expect(problemsOf(valid.replace('output: P(shortfall > 0) in 2029', 'output: P(shortfall > 0) in 2030'))).toEqual([
			expect.stringMatching(/discover\.output: "P\(shortfall > 0\) in 2030" is not one of the outputs/)
		]);
		expect(problemsOf(valid.replace('scenario: controls-and-delays', 'scenario: no-such-scenario')).length).toBeGreaterThan(0);
		expect(problemsOf(valid.replace('points: 21', 'points: 2000000'))).toEqual([expect.stringMatching(/design\.points: .*1000000/)]);
	});

	it('refuses a setting made twice, a reversed distribution and one output written two ways', () => {
		expect(
			problemsOf(
				valid.replace('  - event: plant-outage-2027', '  - param: alliedGrowth\n    name: again\n    min: 0\n    max: 0.1\n  - event: plant-outage-2027')
			)
		).toEqual([expect.stringMatching(/factors\[2\]: factors\[1\] sets the same parameter "alliedGrowth" already: one factor per setting/)]);
		expect(problemsOf(valid.replace('min: 0\n    max: 0.3', 'distribution: { dist: triangular, min: 0.3, mode: 0.1, max: 0 }'))).toEqual([
			expect.stringMatching(/factors\[1\]\.distribution\.max: max 0 is below min 0\.3/),
			expect.stringMatching(/factors\[1\]\.distribution\.mode: mode 0\.1 is not between min 0\.3 and max 0/)
		]);
		expect(problemsOf(valid.replace('  - median usMagnetPrice 2030', '  - median usMagnetPrice 2030\n  - MEDIAN  usMagnetPrice 2030'))).toEqual([
			expect.stringMatching(/outputs\[2\]: "MEDIAN {2}usMagnetPrice 2030" is "median usMagnetPrice 2030" written another way/)
		]);
	});

	it('refuses hostile keys as keys, not as prototype changes', () => {
		const problems = problemsOf(valid.replace('paths: 60', 'paths: 60\n__proto__: { polluted: true }'));
		expect(problems).toEqual([expect.stringContaining('"__proto__" is not allowed as a key')]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('designs', () => {
	it('a grid takes every combination, the first factor slowest; listed values as given; event lengths in whole months', () => {
		const grid = plan('grid.json');
		expect(grid.pointCount).toBe(3 * 2 * 3);
		const values = designValues(grid);
		const rows = Array.from({ length: grid.pointCount }, (_, p) => pointValues(values, 3, p));
		expect(rows.slice(0, 4)).toEqual([
			[0, 60, 6],
			[0, 60, 12],
			[0, 60, 18],
			[0, 80, 6]
		]);
		expect(rows.at(-1)).toEqual([0.2, 80, 18]);
		const scenario = simulatedScenarioAt(grid, rows[1]);
		expect(scenario.parameters.ndprLongRun).toBe(60);
		const licensing = scenario.events.find((e) => e.id === 'licensing-2025')!;
		expect(licensing).toMatchObject({ durationMonths: 12 });
		expect('end' in licensing && licensing.end).toBeFalsy();
	});

	it('a Latin hypercube puts one point in each of N equal slices of every factor', () => {
		const tiny = plan('tiny.yaml');
		const values = designValues(tiny);
		const n = tiny.pointCount;
		// alliedGrowth is continuous over [0, 0.3]: exactly one point per slice of width 0.3 / n.
		const slices = Array.from({ length: n }, (_, p) => Math.floor((values[p * 3 + 1] / 0.3) * n)).sort((a, b) => a - b);
		expect(slices).toEqual(Array.from({ length: n }, (_, i) => i));
		for (let p = 0; p < n; p++) expect(Number.isInteger(values[p * 3 + 2])).toBe(true);
	});

	it("a Sobol' design holds A, B and A with each column from B", () => {
		const sobol = plan('sobol.yaml');
		const rows = 6;
		expect(sobol.pointCount).toBe(rows * 4);
		const values = designValues(sobol);
		const at = (block: number, r: number) => pointValues(values, 2, block * rows + r);
		for (let r = 0; r < rows; r++) {
			expect(at(2, r)).toEqual([at(1, r)[0], at(0, r)[1]]);
			expect(at(3, r)).toEqual([at(0, r)[0], at(1, r)[1]]);
			expect([-0.05, 0, 0.05, 0.1]).toContain(at(0, r)[1]);
		}
	});

	it('shards split the points into contiguous ranges that cover them once', () => {
		for (const count of [1, 2, 3, 7, 50]) {
			const ranges = Array.from({ length: count }, (_, i) => shardRange(101, i, count));
			expect(ranges[0].first).toBe(0);
			expect(ranges.at(-1)!.end).toBe(101);
			for (let i = 1; i < count; i++) expect(ranges[i].first).toBe(ranges[i - 1].end);
			const sizes = ranges.map((r) => r.end - r.first);
			expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
		}
	});
});

describe('points and results', () => {
	it("a point's records do not depend on the concurrency, the range it is run in, or the other points", async () => {
		const tiny = plan('tiny.yaml');
		const design = designValues(tiny);
		const all = await runPoints(tiny, design, 0, tiny.pointCount, { concurrency: 3 });
		const some = await runPoints(tiny, design, 5, 9, { concurrency: 1 });
		expect(some).toEqual(all.slice(5, 9));
		expect(all.map((r) => r.point)).toEqual(Array.from({ length: tiny.pointCount }, (_, i) => i));
	});

	it('points run whole in worker threads give the records of points run here', async () => {
		const tiny = plan('tiny.yaml');
		const design = designValues(tiny);
		const runner = new NodeRunner({ workers: 2, blockCacheFloats: 0 });
		try {
			const threads = await runPoints(tiny, design, 0, 8, { evaluators: runner.pointEvaluators() });
			expect(threads).toEqual(await runPoints(tiny, design, 0, 8));
		} finally {
			await runner.close();
		}
	});

	it('common random numbers: a factor that acts only from 2027 leaves every 2026 output the same, to the bit', async () => {
		const file = load('tiny.yaml');
		const crn = planSweep(
			{
				...file,
				design: { kind: 'latin-hypercube', points: 6 },
				factors: [{ event: 'plant-outage-2027', shiftMonths: { min: 0, max: 12 } }],
				outputs: ['mean shortfall 2026', 'mean shortfall 2027'],
				discover: undefined
			},
			resolveScenario(file.scenario, library)
		);
		const records = await runPoints(crn, designValues(crn), 0, crn.pointCount);
		expect(new Set(records.map((r) => r.factors['plant-outage-2027.shift'])).size).toBeGreaterThan(1);
		expect(new Set(records.map((r) => r.outputs['mean shortfall 2026'].value)).size).toBe(1);
		expect(new Set(records.map((r) => r.outputs['mean shortfall 2027'].value)).size).toBeGreaterThan(1);
	});

	it("Sobol' indices through the whole pipeline: a factor that cannot act before the output's year gets exactly zero", async () => {
		const file = load('tiny.yaml');
		const sobol = planSweep(
			{
				...file,
				design: { kind: 'sobol', rows: 10 },
				factors: [
					{ param: 'alliedGrowth', min: 0, max: 0.3 },
					{ event: 'plant-outage-2027', shiftMonths: { min: 0, max: 12 } }
				],
				outputs: ['mean chinaShare 2026'],
				discover: undefined
			},
			resolveScenario(file.scenario, library)
		);
		const result = buildResult(sobol, await runPoints(sobol, designValues(sobol), 0, sobol.pointCount));
		const [indices] = result.analyses.sobol!;
		const [allied, outage] = indices.factors!;
		expect(outage.total).toEqual({ estimate: 0, low: 0, high: 0 });
		expect(outage.first).toEqual({ estimate: 0, low: 0, high: 0 });
		// The only factor that acts: both its indices are 1, within their bootstrap intervals.
		for (const index of [allied.first, allied.total]) {
			expect(index.low).toBeLessThanOrEqual(1);
			expect(index.high).toBeGreaterThanOrEqual(1);
		}
	});

	it('parts merged give the bytes of the whole, for any split; the result has outputs with their MC errors and a PRIM box', async () => {
		const tiny = plan('tiny.yaml');
		const design = designValues(tiny);
		const records = await runPoints(tiny, design, 0, tiny.pointCount);
		const whole = serializeResult(buildResult(tiny, records));
		// 30 shards of 21 points: some shards hold none.
		for (const count of [1, 2, 3, 7, 30]) {
			const files = Array.from({ length: count }, (_, index) => {
				const { first, end } = shardRange(tiny.pointCount, index, count);
				return { name: `part-${index}-of-${count}.json`, text: serializePart(makePart(tiny, { index, count }, records.slice(first, end))) };
			}).reverse();
			const merged = mergeParts(files, 'dir');
			expect(serializeResult(buildResult(merged.plan, merged.records)), `${count} shards`).toBe(whole);
		}
		const result = JSON.parse(whole);
		expect(result.points[0].outputs['median usMagnetPrice 2030']).toEqual({ value: expect.any(Number), se: expect.any(Number) });
		expect(result.analyses.discovery.box.coverage).toBeGreaterThan(0);
		expect(result.analyses.discovery.box.density).toBeGreaterThanOrEqual(result.analyses.discovery.cases / result.analyses.discovery.points);
	});
});
