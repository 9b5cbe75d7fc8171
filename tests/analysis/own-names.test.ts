import { describe, expect, it } from 'vitest';
import { compareScenarios } from '../../src/lib/analysis/compare';
import { compileFormula, FormulaError } from '../../src/lib/analysis/formula';
import { toIndicator } from '../../src/lib/analysis/indicator';
import { checkThreshold, parseThreshold } from '../../src/lib/analysis/threshold';
import { tornado } from '../../src/lib/analysis/tornado';
import { InputError } from '../../src/lib/problems';
import { asyncMessageOf, messageOf, scenario } from './helpers';

/** Names every plain object answers to, through Object.prototype. */
const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

function formulaFailure(expression: string): FormulaError {
	try {
		compileFormula(expression);
	} catch (error) {
		if (error instanceof FormulaError) return error;
		throw error;
	}
	throw new Error(`expected "${expression}" to fail`);
}

describe('names inherited from Object.prototype are not metrics, functions or parameters', () => {
	it('formulas: as names and as functions, an error that says so (never a TypeError)', () => {
		for (const name of prototypeNames) {
			expect(formulaFailure(`${name} + 1`).problems[0].message).toMatch(new RegExp(`^unknown name "${name.replace(/[$_]/g, '\\$&')}"`));
			expect(formulaFailure(`${name}(1)`).problems[0].message).toMatch(/^unknown function /);
		}
	});

	it('formulas: "takes at least 1 argument", not "1 arguments"', () => {
		expect(formulaFailure('max()').problems[0].message).toBe('max at character 1 takes at least 1 argument, found 0');
		expect(formulaFailure('pow(1)').problems[0].message).toMatch(/^pow at character 1 takes 2 arguments, found 1$/);
	});

	it('thresholds and indicators', () => {
		for (const name of prototypeNames) {
			expect(messageOf(() => parseThreshold(`${name} > 0`))).toMatch(/^unknown metric /);
			expect(messageOf(() => checkThreshold({ metric: name, comparison: '>', value: 0, unit: 't' }))).toMatch(/^unknown metric /);
			expect(messageOf(() => toIndicator(`median ${name} 2030`))).toMatch(/^unknown metric /);
			expect(messageOf(() => toIndicator(`P(${name} > 0) in 2030`))).toMatch(/^unknown metric /);
		}
	});

	it('tornado indicators and --only, compare --metric', async () => {
		const base = scenario('baseline');
		for (const name of ['constructor', '__proto__', 'toString']) {
			expect(await asyncMessageOf(() => tornado(base, { seed: 1, paths: 10, indicator: `median ${name} 2030` }))).toMatch(/^unknown metric /);
			await expect(tornado(base, { seed: 1, paths: 10, indicator: 'median usMagnetPrice 2030', only: [name] })).rejects.toBeInstanceOf(InputError);
			expect(await asyncMessageOf(() => compareScenarios(base, base, { seed: 1, paths: 10, metrics: [name] }))).toMatch(/^unknown metric /);
		}
	});
});
