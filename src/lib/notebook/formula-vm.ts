import type { FormulaCellResult } from '../analysis/formula';
import type { AnalysisFailure } from '../runner/protocol';
import { seriesFanFigure, type Figure } from './figures';
import { displayUnit, formatEstimate, formatMilliseconds } from './format';
import { failureOf, type AnalysisCellState } from './analyses';
import type { CellOf } from './cells';
import { analysisResult, analysisStatus, memoized, type AnalysisStatusView } from './cell-vm';

/**
 * The formula cell: a user's mathjs expression over the metrics, evaluated per path and month in
 * the worker, drawn and summarised like a built-in metric.
 */

export function formulaFigure(result: FormulaCellResult): Figure {
	return seriesFanFigure(result.expression, result.months, result.summary, result.unit);
}

export interface FormulaRow {
	year: number;
	median: string;
	range: string;
	mean: string;
}

/** Per year, each path's annual mean, across paths: median ± SE (P5–P95) and mean ± SE, with the formula's unit, to the precision the SE supports. */
export function formulaRows(result: FormulaCellResult): FormulaRow[] {
	const unit = result.unit;
	return result.annual.map((year) => ({
		year: year.year,
		median: formatEstimate(year.p50, year.se50, unit),
		range: `${formatEstimate(year.p5, year.se50, unit, { withSe: false })} to ${formatEstimate(year.p95, year.se50, unit, { withSe: false })}`,
		mean: formatEstimate(year.mean, year.seMean, unit)
	}));
}

export function formulaTiming(result: FormulaCellResult, runMs: number | undefined): string {
	const size = `${result.paths.toLocaleString('en-US')} paths × ${result.months.length} months`;
	const run = runMs === undefined ? '' : ` (the notebook's run took ${formatMilliseconds(runMs)})`;
	return `Compiled, evaluated and summarised in ${formatMilliseconds(Math.max(1, Math.round(result.timing.elapsedMs)))} over ${size}${run}. Unit: ${displayUnit(result.unit)}.`;
}

const kindTitles: Record<string, string> = {
	empty: 'The formula is empty',
	tooLong: 'The formula is too long',
	syntax: 'The formula does not parse',
	unknownName: 'The formula names something unknown',
	unknownFunction: 'The formula calls an unknown function',
	disabledFunction: 'The formula calls a disabled function',
	unsupported: 'The formula uses something formulas cannot do',
	arity: 'A function has the wrong number of arguments',
	timeout: 'The formula ran past its time budget and was stopped',
	notFinite: 'The formula gives values that are not numbers'
};

export interface FormulaErrorView {
	title: string;
	message: string;
	/** The expression split at the error's position, for a caret under it. */
	before?: string;
	at?: string;
	after?: string;
}

export function formulaErrorView(expression: string, failure: AnalysisFailure): FormulaErrorView {
	const title = (failure.formulaKind && kindTitles[failure.formulaKind]) ?? 'The formula cannot be evaluated';
	const view: FormulaErrorView = { title, message: failure.message };
	if (failure.position !== undefined && failure.position >= 1) {
		const index = Math.min(failure.position - 1, expression.length);
		view.before = expression.slice(0, index);
		view.at = expression.slice(index, index + 1) || ' ';
		view.after = expression.slice(index + 1);
	}
	return view;
}

export interface FormulaCellView {
	/** Input failures are shown as `problem`, with where in the formula they are. */
	status: AnalysisStatusView;
	problem: FormulaErrorView | undefined;
	result: FormulaCellResult | undefined;
	drawn: { figure: Figure; rows: FormulaRow[] } | undefined;
	/** How long the formula took against the notebook's own run. */
	timing: string;
	tag: string;
}

const formulaDrawing = memoized((result: FormulaCellResult) => ({ figure: formulaFigure(result), rows: formulaRows(result) }));

/** `runMs`: how long the notebook's complete run took, once there. */
export function formulaCellView(cell: CellOf<'formula'>, state: AnalysisCellState, runMs: number | undefined): FormulaCellView {
	const { result, tag } = analysisResult(state, 'formula');
	const failure = failureOf(state.view);
	return {
		status: analysisStatus(state, false),
		problem: failure ? formulaErrorView(cell.expression, failure) : undefined,
		result,
		drawn: result && formulaDrawing(result, undefined),
		timing: result ? formulaTiming(result, runMs) : '',
		tag
	};
}
