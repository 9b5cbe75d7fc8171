import { summariseColumn, type MetricSummary } from '../../engine/summary';
import { monthsOfYear, yearsOf, type SimulatedPaths } from '../common';
import { meanEstimate, medianEstimate, percentiles } from '../../stats/estimates';
import { emptySummary } from '../../stats/series';
import { compileFormula, type CompiledFormula } from './compile';
import { evaluateFormula, type EvaluateOptions } from './evaluate';

export interface FormulaCellResult {
	expression: string;
	normalized: string;
	unit: string;
	metrics: string[];
	paths: number;
	months: string[];
	/** Fan chart data, computed exactly as for a built-in metric. */
	summary: MetricSummary;
	/** Per calendar year, the annual mean per path across paths: percentiles, mean and their errors. */
	annual: { year: number; p5: number; p50: number; p95: number; se50: number; mean: number; seMean: number }[];
	/** Wall time of compiling, evaluating and summarising: the one field that differs between runs. */
	timing: { elapsedMs: number };
}

/** Summaries of a month-major series with the engine's own code (so a formula's fan chart matches a metric's). */
export function summariseFormulaValues(values: Float32Array, pathCount: number, monthCount: number, unit: string): MetricSummary {
	const summary = emptySummary(unit, monthCount);
	const scratch = new Float32Array(pathCount);
	for (let t = 0; t < monthCount; t++) summariseColumn(values.subarray(t * pathCount, (t + 1) * pathCount), scratch, summary, t);
	return summary;
}

/** A formula cell: compile, evaluate within the budget, summarise like a metric. */
export function formulaCell(expression: string | CompiledFormula, paths: SimulatedPaths, options: EvaluateOptions & { unit?: string } = {}): FormulaCellResult {
	const now = options.now ?? (() => performance.now());
	const started = now();
	const formula = typeof expression === 'string' ? compileFormula(expression, { unit: options.unit }) : expression;
	const values = evaluateFormula(formula, paths, options);
	const n = paths.block.pathCount;
	const T = paths.block.monthCount;
	const summary = summariseFormulaValues(values, n, T, formula.unit);
	const annual = yearsOf(paths.months).map((year) => {
		const rows = monthsOfYear(paths.months, year);
		const perPath = new Float64Array(n);
		for (const t of rows) for (let i = 0; i < n; i++) perPath[i] += values[t * n + i];
		for (let i = 0; i < n; i++) perPath[i] /= rows.length;
		const [p5, p95] = percentiles(perPath, [0.05, 0.95]);
		const median = medianEstimate(perPath);
		const mean = meanEstimate(perPath);
		return { year, p5, p50: median.value, p95, se50: median.se, mean: mean.value, seMean: mean.se };
	});
	return {
		expression: formula.expression,
		normalized: formula.normalized,
		unit: formula.unit,
		metrics: formula.metrics,
		paths: n,
		months: [...paths.months],
		summary,
		annual,
		timing: { elapsedMs: now() - started }
	};
}
