import { beforeAll, describe, expect, it } from 'vitest';
import { runNotebookSweep } from '../../src/lib/sweep/notebook-run';
import { serializeResult, type SweepResult } from '../../src/lib/sweep/result';
import { MAX_RESULT_CHARS, readSweepResult } from '../../src/lib/sweep/result-schema';
import { scenario } from '../notebook/fixtures';

/** A small Sobol' sweep with discovery, run here as the worker runs it, written as `npm run sweep` writes it. */
const SOBOL_SWEEP = `title: Sobol smoke
scenario: baseline
paths: 40
design:
  kind: sobol
  rows: 4
factors:
  - param: alliedGrowth
    min: 0
    max: 0.3
  - param: demandGrowth
    min: -0.15
    max: 0.2
outputs:
  - P(shortfall > 0) by 2029
  - median usMagnetPrice 2029
discover:
  output: P(shortfall > 0) by 2029
  above: 0.5
`;

let result: SweepResult;
let text: string;

beforeAll(async () => {
	result = await runNotebookSweep(SOBOL_SWEEP, scenario('baseline'));
	text = serializeResult(result);
}, 60_000);

function problemOf(input: string): string {
	const read = readSweepResult(input, 'sweep.json');
	if (read.ok) throw new Error('expected the file to be refused');
	return read.problem;
}

/** The result file with one change made to its parsed JSON. */
function edited(change: (value: Record<string, unknown> & { points: Record<string, unknown>[] }) => void): string {
	const value = JSON.parse(text);
	change(value);
	return JSON.stringify(value);
}

describe('reading a sweep result file', () => {
	it('reads back what npm run sweep writes, Sobol indices and discovery included', () => {
		expect(result.points).toHaveLength(16);
		expect(result.analyses.sobol).toHaveLength(2);
		const read = readSweepResult(text, 'sweep.json');
		if (!read.ok) throw new Error(read.problem);
		expect(JSON.parse(JSON.stringify(read.result))).toEqual(JSON.parse(JSON.stringify(result)));
		// Records are prototype-free: a name like "toString" is never found on Object.prototype.
		expect(Object.getPrototypeOf(read.result.points[0].factors)).toBeNull();
		expect(Object.hasOwn(read.result.points[0].outputs, 'P(shortfall > 0) by 2029')).toBe(true);
	});

	it('refuses what is not JSON, not a result, or a part file, saying what was expected', () => {
		expect(problemOf('{"format": "magnet-sweep/1", ')).toMatch(/^sweep\.json was not loaded: it is not JSON/);
		expect(problemOf('[1, 2]')).toMatch(/expected a JSON object/);
		expect(problemOf('{}')).toMatch(/its format is not given; expected "magnet-sweep\/1"/);
		expect(problemOf('{"format": "magnet-sweep-part/1"}')).toMatch(/expected "magnet-sweep\/1".*merge/);
		expect(problemOf(edited((v) => delete v.factors))).toMatch(/not a valid sweep result:\nfactors: /);
		expect(problemOf(edited((v) => (v.points[0].point = -1)))).toMatch(/points\.0\.point|points\[0\]\.point/);
		expect(problemOf(edited((v) => (v.extra = 1)))).toMatch(/not a valid sweep result/);
	});

	it('refuses an oversized file before parsing it', () => {
		const huge = ' '.repeat(MAX_RESULT_CHARS + 1);
		expect(problemOf(huge)).toMatch(/at most 40,000,000 characters/);
	});

	it('refuses hostile keys anywhere, and points that do not name exactly the result’s factors and outputs', () => {
		const proto = text.replace('"factors":{"alliedGrowth"', '"factors":{"__proto__":{"polluted":1},"alliedGrowth"');
		expect(proto).not.toBe(text);
		expect(problemOf(proto)).toMatch(/the key at points\[0\]\.factors\.__proto__ is not allowed/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(problemOf(edited((v) => ((v.analyses as Record<string, unknown>)['constructor'] = { a: 1 })))).toMatch(/analyses\.constructor is not allowed/);
		expect(problemOf(edited((v) => ((v.points[3].factors as Record<string, unknown>)['toString'] = 1)))).toMatch(
			/point 3 \(points\[3\]\) does not give exactly the factors "alliedGrowth", "demandGrowth"/
		);
		expect(problemOf(edited((v) => delete (v.points[2].outputs as Record<string, unknown>)['median usMagnetPrice 2029']))).toMatch(
			/point 2 \(points\[2\]\) does not give exactly the outputs/
		);
		expect(problemOf(edited((v) => ((v.analyses as { discovery: { output: string } }).discovery.output = 'hasOwnProperty')))).toMatch(
			/the discovery names an output "hasOwnProperty" the result does not have/
		);
		expect(problemOf(edited((v) => ((v.analyses as { sobol: { factors: { name: string }[] }[] }).sobol[0].factors[0].name = 'valueOf')))).toMatch(
			/the Sobol' indices name a factor "valueOf" the result does not have/
		);
	});

	it('reads a non-finite estimate (written as null) back as NaN', () => {
		const read = readSweepResult(
			edited((v) => ((v.points[0].outputs as Record<string, { value: unknown }>)['median usMagnetPrice 2029'].value = null)),
			'sweep.json'
		);
		if (!read.ok) throw new Error(read.problem);
		expect(read.result.points[0].outputs['median usMagnetPrice 2029'].value).toBeNaN();
	});
});
