import type { SimulatedPaths } from '../common';
import type { MonthContext } from './columns';
import type { CompiledFormula } from './compile';
import { FormulaError } from './error';

export const DEFAULT_FORMULA_BUDGET_MS = 2000;

export interface EvaluateOptions {
	/** Stop with a FormulaError after this many milliseconds (default 2,000). */
	budgetMs?: number;
	/** Clock in ms (tests pass a fake one). */
	now?: () => number;
}

/**
 * The formula on every path and month: a month-major Float32Array like a metric's. Throws a
 * FormulaError when it runs past its time budget or gives a value that is not a finite number.
 */
export function evaluateFormula(formula: CompiledFormula, paths: SimulatedPaths, options: EvaluateOptions = {}): Float32Array {
	const { block, months } = paths;
	const n = block.pathCount;
	const T = block.monthCount;
	const budget = options.budgetMs ?? DEFAULT_FORMULA_BUDGET_MS;
	const now = options.now ?? (() => performance.now());
	const started = now();
	const evaluate = formula.root(n);
	const out = new Float32Array(n * T);
	const ctx: MonthContext = { n, row: 0, metrics: block.metrics, t: 0, year: 0, month: 0 };
	let notFinite = 0;
	let firstBad: { i: number; t: number; value: number } | undefined;
	for (let t = 0; t < T; t++) {
		ctx.t = t;
		ctx.row = t * n;
		ctx.year = Number(months[t].slice(0, 4));
		ctx.month = Number(months[t].slice(5, 7));
		const value = evaluate(ctx);
		const row = t * n;
		if (typeof value === 'number') out.fill(value, row, row + n);
		else out.set(value, row);
		for (let i = row; i < row + n; i++) {
			const v = out[i];
			if (v - v !== 0) {
				// NaN or ±Infinity (also a finite float64 beyond float32's range).
				if (notFinite === 0) firstBad = { i: i - row, t, value: typeof value === 'number' ? value : value[i - row] };
				notFinite++;
			}
		}
		const elapsed = now() - started;
		if (elapsed > budget) {
			throw new FormulaError(
				'timeout',
				`the formula ran past its time budget of ${budget} ms and was stopped after ${t + 1} of ${T} months; simplify it or use fewer paths`
			);
		}
	}
	if (notFinite > 0 && firstBad) {
		throw new FormulaError(
			'notFinite',
			`the formula is not a finite number on ${notFinite.toLocaleString('en-US')} of ${(n * T).toLocaleString('en-US')} path-months (first: path ${block.firstPath + firstBad.i}, ${months[firstBad.t]}, value ${firstBad.value}); guard divisions and logarithms, e.g. x / max(y, 1e-9)`
		);
	}
	return out;
}
