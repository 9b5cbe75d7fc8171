/**
 * Formula cells: a user's mathjs expression over the metrics (`usMagnetPrice * chinaExports * 1000`,
 * `max(0, demand - domesticSupply - alliedSupply)`), evaluated per path and per month.
 *
 * Safety: the text is parsed by a mathjs instance that only has the parser (`parseDependencies`),
 * and that instance has `import`, `createUnit`, `evaluate`, `parse`, `simplify` and `derivative`
 * disabled, as mathjs's security guidance asks. The parsed tree is then checked against a short
 * whitelist (numbers, metric names, t/year/month, arithmetic, comparison and logic operators, a
 * few pure functions) and compiled into closures over typed arrays: no user text reaches
 * mathjs's evaluator or JavaScript's `eval`/`Function` (formula-parts/compile.ts).
 *
 * Speed: closures work column-wise, one month (all paths, contiguous in the month-major block) at
 * a time, in tight loops over typed arrays (formula-parts/columns.ts). The time budget is checked
 * after every month (formula-parts/evaluate.ts).
 *
 * This module is the one entry to formulas: import from here, not from formula-parts/.
 */

export { FormulaError, type FormulaErrorKind } from './formula-parts/error';
export { formulaFunctions } from './formula-parts/operations';
export {
	compileFormula,
	DISABLED_FUNCTIONS,
	formulaConstants,
	formulaVariables,
	MAX_FORMULA_LENGTH,
	MAX_FORMULA_NODES,
	parserInstance,
	type CompiledFormula
} from './formula-parts/compile';
export { DEFAULT_FORMULA_BUDGET_MS, evaluateFormula, type EvaluateOptions } from './formula-parts/evaluate';
export { formulaCell, summariseFormulaValues, type FormulaCellResult } from './formula-parts/cell';
