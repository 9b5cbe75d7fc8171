import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { compileFormula, DISABLED_FUNCTIONS, evaluateFormula, formulaCell, FormulaError, parserInstance } from '../../src/lib/analysis/formula';
import { summariseBlock } from '../../src/lib/engine/summary';
import { metricIndex, metricNames, removedMetrics } from '../../src/lib/model/metrics';
import { scenario } from './helpers';

const paths = await simulateScenario(scenario('baseline'), { seed: 3, paths: 700 });
const n = 700;

function failure(expression: string, options: Parameters<typeof evaluateFormula>[2] = {}): { kind: string; message: string; position?: number } {
	try {
		evaluateFormula(compileFormula(expression), paths, options);
	} catch (error) {
		if (error instanceof FormulaError) return { kind: error.kind, message: error.reason, position: error.position };
		throw error;
	}
	throw new Error(`expected ${expression} to fail`);
}

const validNames = [...metricNames, 't', 'year', 'month', 'pi', 'e'].join(', ');
const allowed = 'abs, ceil, exp, floor, log, log10, log2, max, min, mod, pow, round, sign, sqrt, square';

describe('formula cells', () => {
	it('usMagnetPrice * 2 gives exactly twice the usMagnetPrice summary', () => {
		const cell = formulaCell('usMagnetPrice * 2', paths, { unit: 'USD/kg' });
		const price = summariseBlock(paths.block, ['usMagnetPrice']).usMagnetPrice!;
		for (const key of ['p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'se50'] as const) {
			expect(cell.summary[key]).toEqual(price[key].map((x) => 2 * x));
		}
		expect(cell.unit).toBe('USD/kg');
		expect(cell.metrics).toEqual(['usMagnetPrice']);
		expect(cell.annual.map((a) => a.year)).toEqual([2025, 2026, 2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
	});

	it('evaluates per path and per month like the equivalent code', () => {
		const values = evaluateFormula(compileFormula('max(0, demand - domesticSupply - alliedSupply)'), paths);
		const { demand, domesticSupply, alliedSupply } = metricIndex;
		const m = paths.block.metrics;
		for (const k of [0, 5, 700 * 40 + 17, 700 * 131 + 699]) {
			expect(values[k]).toBe(Math.fround(Math.max(0, m[demand][k] - m[domesticSupply][k] - m[alliedSupply][k])));
		}
		const bill = evaluateFormula(compileFormula('usMagnetPrice * chinaExports * 1000'), paths);
		expect(bill[123]).toBe(Math.fround(m[metricIndex.usMagnetPrice][123] * m[metricIndex.chinaExports][123] * 1000));
	});

	it('supports t, year, month, comparisons, logic, conditionals and chained comparisons', () => {
		const values = evaluateFormula(compileFormula('(year == 2026 and month == 3) ? t : -1'), paths);
		const march2026 = paths.months.indexOf('2026-03');
		expect(values[march2026 * n]).toBe(march2026);
		expect(values[0]).toBe(-1);
		const price = paths.block.metrics[metricIndex.usMagnetPrice];
		const shortfall = paths.block.metrics[metricIndex.shortfall];
		const mixed = evaluateFormula(compileFormula('shortfall > 0 ? usMagnetPrice : -1'), paths);
		const flags = evaluateFormula(compileFormula('usMagnetPrice > 60 ? 1 : 0'), paths);
		for (let k = 0; k < n * 132; k += 997) {
			expect(mixed[k]).toBe(shortfall[k] > 0 ? price[k] : -1);
			expect(flags[k]).toBe(price[k] > 60 ? 1 : 0);
		}
		const between = evaluateFormula(compileFormula('0.5 < chinaShare <= 0.9'), paths);
		const share = paths.block.metrics[metricIndex.chinaShare];
		for (const k of [0, 999, 50_000]) expect(between[k]).toBe(share[k] > 0.5 && share[k] <= 0.9 ? 1 : 0);
		expect(evaluateFormula(compileFormula('round(-2.5) + mod(-1, 3) + log(8, 2) + 2 usMagnetPrice - usMagnetPrice * 2'), paths)[0]).toBe(-3 + 2 + 3);
	});

	it('names a parse error with its position and reason', () => {
		expect(failure('usMagnetPrice *')).toEqual({ kind: 'syntax', message: 'does not parse at character 16: unexpected end of expression', position: 16 });
		expect(failure('(usMagnetPrice + 1')).toEqual({ kind: 'syntax', message: 'does not parse at character 19: parenthesis ) expected', position: 19 });
		expect(failure('')).toMatchObject({ kind: 'empty', message: 'the formula is empty; write an expression over the metrics, e.g. "usMagnetPrice * 2"' });
	});

	it('names an unknown metric, with the valid names and the nearest one', () => {
		expect(failure('usMagnetPrcie * 2')).toEqual({
			kind: 'unknownName',
			message: `unknown name "usMagnetPrcie" at character 1 (did you mean "usMagnetPrice"?); valid names: ${validNames}`,
			position: 1
		});
		expect(failure('usMagnetPrice + dependency')).toEqual({
			kind: 'unknownName',
			message: `unknown name "dependency" at character 17; valid names: ${validNames}`,
			position: 17
		});
		// Names are looked up as own properties: "constructor" is not a metric.
		expect(failure('constructor + 1')).toMatchObject({ kind: 'unknownName', message: expect.stringMatching(/^unknown name "constructor" at character 1/) });
	});

	it('says what replaced a metric removed in model 2.0', () => {
		expect(failure('demand * price')).toEqual({ kind: 'unknownName', message: `price: ${removedMetrics.price}`, position: 10 });
	});

	it('refuses the functions mathjs’s security guidance disables, and any other function not on the list', () => {
		for (const name of DISABLED_FUNCTIONS) {
			const result = failure(`${name}("1 + 1")`);
			expect(result).toEqual({
				kind: 'disabledFunction',
				message: `the function "${name}" at character 1 is disabled in formulas; allowed functions: ${allowed}`,
				position: 1
			});
		}
		expect(failure('usMagnetPrice + sin(1)')).toEqual({
			kind: 'unknownFunction',
			message: `unknown function "sin" at character 17 (did you mean "min"?); allowed functions: ${allowed}`,
			position: 17
		});
		expect(failure('abs(usMagnetPrice, 2)')).toEqual({ kind: 'arity', message: 'abs at character 1 takes 1 argument, found 2', position: 1 });
		expect(failure('x = 1').message).toBe(
			`assignments ("x = 1") are not allowed in formulas; use numbers, metric names, operators and the functions ${allowed}`
		);
		expect(failure('f(x) = x').kind).toBe('unsupported');
		expect(failure('[usMagnetPrice, 1]').kind).toBe('unsupported');
		expect(failure('usMagnetPrice; demand').kind).toBe('unsupported');
		expect(failure('"abc" + 1')).toEqual({
			kind: 'unsupported',
			message: 'text "abc" at character 1 is not a number; formulas work on numbers only',
			position: 1
		});
		expect(failure('usMagnetPrice!').message).toBe(
			'the operator "!" at character 14 is not allowed in formulas; use + - * / ^ %, comparisons (< <= > >= == !=), and, or, not, xor, and "c ? a : b"'
		);
	});

	it('the instance that parses user text follows mathjs’s security guidance', () => {
		const instance = parserInstance as unknown as Record<string, (...args: unknown[]) => unknown>;
		for (const name of DISABLED_FUNCTIONS) expect(() => instance[name]('1 + 1')).toThrow(`Function ${name} is disabled`);
	});

	it('stops a formula that runs past its time budget, and says so', () => {
		let clock = 0;
		const now = () => (clock += 10);
		expect(failure('usMagnetPrice * 2', { budgetMs: 25, now })).toEqual({
			kind: 'timeout',
			message: 'the formula ran past its time budget of 25 ms and was stopped after 3 of 132 months; simplify it or use fewer paths',
			position: undefined
		});
	});

	it('reports values that are not finite numbers', () => {
		expect(failure('usMagnetPrice / shortfall').message).toMatch(
			/^the formula is not a finite number on [\d,]+ of 92,400 path-months \(first: path \d+, \d{4}-\d\d, value (Infinity|NaN)\); guard divisions and logarithms, e\.g\. x \/ max\(y, 1e-9\)$/
		);
		expect(failure('log(-usMagnetPrice)').kind).toBe('notFinite');
	});

	it('limits the length of a formula', () => {
		expect(failure('1+'.repeat(250) + '1')).toMatchObject({ kind: 'tooLong', message: 'the formula has 501 parts; the limit is 400' });
		expect(failure('usMagnetPrice + '.repeat(150) + 'usMagnetPrice')).toMatchObject({
			kind: 'tooLong',
			message: 'the formula is 2413 characters long; the limit is 2000'
		});
	});
});
