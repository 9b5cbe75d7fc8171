import { create, parseDependencies, type MathNode } from 'mathjs';
import { summariseColumn, type MetricSummary } from '../engine/summary';
import { metricIndex, metricNames } from '../model/metrics';
import { didYouMean, InputError, isMetricName, removedMetricMessage } from '../problems';
import { monthsOfYear, yearsOf, type SimulatedPaths } from './common';
import { meanEstimate, medianEstimate, percentiles } from '../stats/estimates';

/**
 * Formula cells: a user's mathjs expression over the metrics (`usMagnetPrice * chinaExports * 1000`,
 * `max(0, demand - domesticSupply - alliedSupply)`), evaluated per path and per month.
 *
 * Safety: the text is parsed by a mathjs instance that only has the parser (`parseDependencies`),
 * and that instance has `import`, `createUnit`, `evaluate`, `parse`, `simplify` and `derivative`
 * disabled, as mathjs's security guidance asks. The parsed tree is then checked against a short
 * whitelist (numbers, metric names, t/year/month, arithmetic, comparison and logic operators, a
 * few pure functions) and compiled by this module into closures over typed arrays: no user text
 * reaches mathjs's evaluator or JavaScript's `eval`/`Function`.
 *
 * Speed: closures work column-wise, one month (all paths, contiguous in the month-major block) at
 * a time, in tight loops over typed arrays. The time budget is checked after every month.
 */

export type FormulaErrorKind =
	| 'empty'
	| 'tooLong'
	| 'syntax'
	| 'unknownName'
	| 'unknownFunction'
	| 'disabledFunction'
	| 'unsupported'
	| 'arity'
	| 'timeout'
	| 'notFinite';

/** What is wrong with a formula; `position` is the 1-based character where known. */
export class FormulaError extends InputError {
	constructor(
		readonly kind: FormulaErrorKind,
		message: string,
		readonly position?: number
	) {
		super([{ source: 'formula', path: '', message }]);
		this.name = 'FormulaError';
	}
	get reason(): string {
		return this.problems[0].message;
	}
}

/** The mathjs instance that reads user text: the parser only, with the dangerous functions disabled below. */
export const parserInstance = create({ parseDependencies });
const parseExpression = parserInstance.parse;
/** mathjs security guidance: the instance that reads user text cannot import, define units or evaluate. */
export const DISABLED_FUNCTIONS = ['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'compile'] as const;
parserInstance.import(
	Object.fromEntries(
		DISABLED_FUNCTIONS.map((name) => [
			name,
			() => {
				throw new Error(`Function ${name} is disabled`);
			}
		])
	),
	{ override: true }
);

export const MAX_FORMULA_LENGTH = 2000;
export const MAX_FORMULA_NODES = 400;
export const DEFAULT_FORMULA_BUDGET_MS = 2000;

/** Names a formula may use besides the metrics. */
export const formulaVariables = {
	t: 'months since the first month (0, 1, 2, …)',
	year: 'calendar year of the month (e.g. 2030)',
	month: 'calendar month (1–12)'
} as const;
export const formulaConstants: Record<string, number> = { pi: Math.PI, e: Math.E, true: 1, false: 0 };

type Unary = (x: number) => number;
const mathjsRound: Unary = (x) => (x < 0 ? -Math.round(-x) : Math.round(x));
const mathjsMod = (x: number, y: number) => (y === 0 ? x : x - y * Math.floor(x / y));

/** The pure functions a formula may call: arity (min, max) and implementation. */
export const formulaFunctions: Record<string, { min: number; max: number; fn: (...args: number[]) => number }> = {
	abs: { min: 1, max: 1, fn: Math.abs },
	ceil: { min: 1, max: 1, fn: Math.ceil },
	exp: { min: 1, max: 1, fn: Math.exp },
	floor: { min: 1, max: 1, fn: Math.floor },
	log: { min: 1, max: 2, fn: (x, base) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)) },
	log10: { min: 1, max: 1, fn: Math.log10 },
	log2: { min: 1, max: 1, fn: Math.log2 },
	max: { min: 1, max: 64, fn: Math.max },
	min: { min: 1, max: 64, fn: Math.min },
	mod: { min: 2, max: 2, fn: mathjsMod },
	pow: { min: 2, max: 2, fn: Math.pow },
	round: { min: 1, max: 1, fn: mathjsRound },
	sign: { min: 1, max: 1, fn: Math.sign },
	sqrt: { min: 1, max: 1, fn: Math.sqrt },
	square: { min: 1, max: 1, fn: (x) => x * x }
};
const allowedFunctionList = Object.keys(formulaFunctions).join(', ');
const validNames = [...metricNames, ...Object.keys(formulaVariables), 'pi', 'e'];

const binaryOperators: Record<string, (a: number, b: number) => number> = {
	add: (a, b) => a + b,
	subtract: (a, b) => a - b,
	multiply: (a, b) => a * b,
	divide: (a, b) => a / b,
	pow: Math.pow,
	mod: mathjsMod,
	larger: (a, b) => (a > b ? 1 : 0),
	largerEq: (a, b) => (a >= b ? 1 : 0),
	smaller: (a, b) => (a < b ? 1 : 0),
	smallerEq: (a, b) => (a <= b ? 1 : 0),
	equal: (a, b) => (a === b ? 1 : 0),
	unequal: (a, b) => (a !== b ? 1 : 0),
	and: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
	or: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
	xor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
	max: (a, b) => Math.max(a, b),
	min: (a, b) => Math.min(a, b)
};
const unaryOperators: Record<string, Unary> = {
	unaryMinus: (a) => -a,
	unaryPlus: (a) => a,
	not: (a) => (a === 0 ? 1 : 0)
};
const relationalFunctions: Record<string, string> = { larger: 'larger', largerEq: 'largerEq', smaller: 'smaller', smallerEq: 'smallerEq', equal: 'equal', unequal: 'unequal' };

/** One month of a path block, what the compiled closures read. */
interface MonthContext {
	n: number;
	row: number;
	metrics: Float32Array[];
	t: number;
	year: number;
	month: number;
}

/** A compiled node: a number (the same on every path) or one value per path for the month. */
type Value = number | Float64Array;
type Compiled = (ctx: MonthContext) => Value;

export interface CompiledFormula {
	expression: string;
	/** mathjs's rendering of the parsed tree (explicit parentheses and operators). */
	normalized: string;
	unit: string;
	/** Metrics the formula reads. */
	metrics: string[];
	/** @internal */
	root: (n: number) => Compiled;
}

/** 1-based position of the first whole-word occurrence of `name` (followed by "(" for a function). */
function positionOf(text: string, name: string, asFunction: boolean): number | undefined {
	const pattern = new RegExp(`(?<![A-Za-z0-9_.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])${asFunction ? '\\s*\\(' : ''}`);
	const match = pattern.exec(text);
	return match ? match.index + 1 : undefined;
}

function at(position: number | undefined): string {
	return position !== undefined ? ` at character ${position}` : '';
}

const constructNames: Record<string, string> = {
	AccessorNode: 'indexing and properties ("x[1]", "x.y")',
	ArrayNode: 'arrays ("[1, 2]")',
	AssignmentNode: 'assignments ("x = 1")',
	BlockNode: 'several expressions (";" or new lines)',
	FunctionAssignmentNode: 'function definitions ("f(x) = …")',
	IndexNode: 'indexing',
	ObjectNode: 'objects ("{a: 1}")',
	RangeNode: 'ranges ("1:3")'
};

/** Parses and checks a formula, and compiles it. Throws a FormulaError saying what is wrong and where. */
export function compileFormula(expression: string, options: { unit?: string } = {}): CompiledFormula {
	if (typeof expression !== 'string' || expression.trim() === '') throw new FormulaError('empty', 'the formula is empty; write an expression over the metrics, e.g. "usMagnetPrice * 2"');
	if (expression.length > MAX_FORMULA_LENGTH) throw new FormulaError('tooLong', `the formula is ${expression.length} characters long; the limit is ${MAX_FORMULA_LENGTH}`);
	let tree: MathNode;
	try {
		tree = parseExpression(expression);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const char = (error as { char?: number }).char;
		const reason = message.replace(/\s*\(char \d+\)\s*$/, '');
		throw new FormulaError('syntax', `does not parse${at(char)}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, char);
	}
	let nodes = 0;
	const metricsUsed = new Set<string>();
	tree.traverse(() => {
		nodes++;
	});
	if (nodes > MAX_FORMULA_NODES) throw new FormulaError('tooLong', `the formula has ${nodes} parts; the limit is ${MAX_FORMULA_NODES}`);
	const build = checkNode(tree, expression, metricsUsed);
	return {
		expression,
		normalized: tree.toString(),
		unit: options.unit ?? '–',
		metrics: metricNames.filter((m) => metricsUsed.has(m)),
		root: build
	};
}

type Builder = (n: number) => Compiled;

function checkNode(node: MathNode, text: string, metricsUsed: Set<string>): Builder {
	const child = (c: MathNode) => checkNode(c, text, metricsUsed);
	const any = node as unknown as Record<string, unknown>;
	switch (node.type) {
		case 'ParenthesisNode':
			return child(any.content as MathNode);
		case 'ConstantNode': {
			const value = any.value;
			if (typeof value === 'number') return () => () => value;
			if (typeof value === 'boolean') return () => () => (value ? 1 : 0);
			const shown = typeof value === 'string' ? `text "${value}"` : String(value);
			const position = typeof value === 'string' ? text.indexOf(`"${value}"`) + 1 || text.indexOf(`'${value}'`) + 1 || undefined : undefined;
			throw new FormulaError('unsupported', `${shown}${at(position)} is not a number; formulas work on numbers only`, position);
		}
		case 'SymbolNode': {
			const name = any.name as string;
			if (isMetricName(name)) {
				metricsUsed.add(name);
				const k = metricIndex[name];
				// Copied into float64 once per month: every loop then sees one array type (monomorphic, fast).
				return (n) => {
					const column = new Float64Array(n);
					return (ctx) => {
						column.set(ctx.metrics[k].subarray(ctx.row, ctx.row + n));
						return column;
					};
				};
			}
			if (name === 't') return () => (ctx) => ctx.t;
			if (name === 'year') return () => (ctx) => ctx.year;
			if (name === 'month') return () => (ctx) => ctx.month;
			if (Object.hasOwn(formulaConstants, name) && name !== 'true' && name !== 'false') {
				const value = formulaConstants[name];
				return () => () => value;
			}
			const position = positionOf(text, name, false);
			const removed = removedMetricMessage(name);
			if (removed) throw new FormulaError('unknownName', removed, position);
			throw new FormulaError('unknownName', `unknown name "${name}"${at(position)}${didYouMean(name, validNames)}; valid names: ${validNames.join(', ')}`, position);
		}
		case 'OperatorNode': {
			const fn = any.fn as string;
			const op = any.op as string;
			const args = (any.args as MathNode[]).map(child);
			if (args.length === 1 && Object.hasOwn(unaryOperators, fn)) return unary(fn, unaryOperators[fn], args[0]);
			if (args.length === 2 && Object.hasOwn(binaryOperators, fn)) return binary(fn, args[0], args[1]);
			const position = text.indexOf(op) + 1 || undefined;
			throw new FormulaError('unsupported', `the operator "${op}"${at(position)} is not allowed in formulas; use + - * / ^ %, comparisons (< <= > >= == !=), and, or, not, xor, and "c ? a : b"`, position);
		}
		case 'ConditionalNode': {
			const condition = child(any.condition as MathNode);
			const whenTrue = child(any.trueExpr as MathNode);
			const whenFalse = child(any.falseExpr as MathNode);
			return conditional(condition, whenTrue, whenFalse);
		}
		case 'RelationalNode': {
			// a < b <= c means (a < b) and (b <= c).
			const params = (any.params as MathNode[]).map(child);
			const conditions = any.conditionals as string[];
			let result: Builder | undefined;
			conditions.forEach((condition, k) => {
				const comparison = binary(relationalFunctions[condition], params[k], params[k + 1]);
				result = result ? binary('and', result, comparison) : comparison;
			});
			return result!;
		}
		case 'FunctionNode': {
			const fnNode = any.fn as MathNode & { name?: string };
			const name = fnNode.type === 'SymbolNode' ? (fnNode.name as string) : fnNode.toString();
			const position = positionOf(text, name, true);
			if ((DISABLED_FUNCTIONS as readonly string[]).includes(name)) {
				throw new FormulaError('disabledFunction', `the function "${name}"${at(position)} is disabled in formulas; allowed functions: ${allowedFunctionList}`, position);
			}
			const definition = Object.hasOwn(formulaFunctions, name) ? formulaFunctions[name] : undefined;
			if (!definition) {
				throw new FormulaError('unknownFunction', `unknown function "${name}"${at(position)}${didYouMean(name, Object.keys(formulaFunctions))}; allowed functions: ${allowedFunctionList}`, position);
			}
			const args = (any.args as MathNode[]).map(child);
			if (args.length < definition.min || args.length > definition.max) {
				const expected = definition.min === definition.max ? `${definition.min}` : definition.max >= 64 ? `at least ${definition.min}` : `${definition.min} or ${definition.max}`;
				const last = definition.max >= 64 ? definition.min : definition.max;
				throw new FormulaError('arity', `${name}${at(position)} takes ${expected} argument${last === 1 ? '' : 's'}, found ${args.length}`, position);
			}
			if (args.length === 2 && Object.hasOwn(binaryOperators, name)) return binary(name, args[0], args[1]);
			return call(name, definition.fn, args);
		}
		default: {
			const what = constructNames[node.type] ?? node.type;
			throw new FormulaError('unsupported', `${what} are not allowed in formulas; use numbers, metric names, operators and the functions ${allowedFunctionList}`);
		}
	}
}

// --- Column-wise closures -------------------------------------------------------------------

function unary(name: string, f: Unary, argument: Builder): Builder {
	return (n) => {
		const a = argument(n);
		const out = new Float64Array(n);
		return (ctx) => {
			const x = a(ctx);
			if (typeof x === 'number') return f(x);
			return unaryLoop(name, f, x, out, n);
		};
	};
}

// Common functions get their own loops: a call through `f` per element cannot be inlined once
// many different functions pass through the same loop.
function unaryLoop(name: string, f: Unary, x: Float64Array, out: Float64Array, n: number): Float64Array {
	switch (name) {
		case 'unaryMinus':
			for (let i = 0; i < n; i++) out[i] = -x[i];
			break;
		case 'abs':
			for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
			break;
		case 'sqrt':
			for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
			break;
		case 'exp':
			for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
			break;
		case 'log':
			for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
			break;
		case 'floor':
			for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]);
			break;
		case 'not':
			for (let i = 0; i < n; i++) out[i] = x[i] === 0 ? 1 : 0;
			break;
		default:
			for (let i = 0; i < n; i++) out[i] = f(x[i]);
	}
	return out;
}

function binary(fn: string, left: Builder, right: Builder): Builder {
	const f = binaryOperators[fn];
	return (n) => {
		const a = left(n);
		const b = right(n);
		const out = new Float64Array(n);
		return (ctx) => {
			const x = a(ctx);
			const y = b(ctx);
			if (typeof x === 'number') {
				if (typeof y === 'number') return f(x, y);
				return scalarArray(fn, f, x, y, out, n);
			}
			if (typeof y === 'number') return arrayScalar(fn, f, x, y, out, n);
			return arrayArray(fn, f, x, y, out, n);
		};
	};
}

// Arithmetic, comparisons and max/min get their own loops (no call per element); the rest call `f`.
function arrayArray(fn: string, f: (a: number, b: number) => number, x: Float64Array, y: Float64Array, out: Float64Array, n: number): Float64Array {
	switch (fn) {
		case 'add':
			for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
			break;
		case 'subtract':
			for (let i = 0; i < n; i++) out[i] = x[i] - y[i];
			break;
		case 'multiply':
			for (let i = 0; i < n; i++) out[i] = x[i] * y[i];
			break;
		case 'divide':
			for (let i = 0; i < n; i++) out[i] = x[i] / y[i];
			break;
		case 'larger':
			for (let i = 0; i < n; i++) out[i] = x[i] > y[i] ? 1 : 0;
			break;
		case 'smaller':
			for (let i = 0; i < n; i++) out[i] = x[i] < y[i] ? 1 : 0;
			break;
		case 'max':
			for (let i = 0; i < n; i++) out[i] = Math.max(x[i], y[i]);
			break;
		case 'min':
			for (let i = 0; i < n; i++) out[i] = Math.min(x[i], y[i]);
			break;
		default:
			for (let i = 0; i < n; i++) out[i] = f(x[i], y[i]);
	}
	return out;
}

function arrayScalar(fn: string, f: (a: number, b: number) => number, x: Float64Array, y: number, out: Float64Array, n: number): Float64Array {
	switch (fn) {
		case 'add':
			for (let i = 0; i < n; i++) out[i] = x[i] + y;
			break;
		case 'subtract':
			for (let i = 0; i < n; i++) out[i] = x[i] - y;
			break;
		case 'multiply':
			for (let i = 0; i < n; i++) out[i] = x[i] * y;
			break;
		case 'divide':
			for (let i = 0; i < n; i++) out[i] = x[i] / y;
			break;
		case 'larger':
			for (let i = 0; i < n; i++) out[i] = x[i] > y ? 1 : 0;
			break;
		case 'smaller':
			for (let i = 0; i < n; i++) out[i] = x[i] < y ? 1 : 0;
			break;
		case 'max':
			for (let i = 0; i < n; i++) out[i] = Math.max(x[i], y);
			break;
		case 'min':
			for (let i = 0; i < n; i++) out[i] = Math.min(x[i], y);
			break;
		default:
			for (let i = 0; i < n; i++) out[i] = f(x[i], y);
	}
	return out;
}

function scalarArray(fn: string, f: (a: number, b: number) => number, x: number, y: Float64Array, out: Float64Array, n: number): Float64Array {
	switch (fn) {
		case 'add':
			for (let i = 0; i < n; i++) out[i] = x + y[i];
			break;
		case 'subtract':
			for (let i = 0; i < n; i++) out[i] = x - y[i];
			break;
		case 'multiply':
			for (let i = 0; i < n; i++) out[i] = x * y[i];
			break;
		case 'divide':
			for (let i = 0; i < n; i++) out[i] = x / y[i];
			break;
		case 'larger':
			for (let i = 0; i < n; i++) out[i] = x > y[i] ? 1 : 0;
			break;
		case 'smaller':
			for (let i = 0; i < n; i++) out[i] = x < y[i] ? 1 : 0;
			break;
		case 'max':
			for (let i = 0; i < n; i++) out[i] = Math.max(x, y[i]);
			break;
		case 'min':
			for (let i = 0; i < n; i++) out[i] = Math.min(x, y[i]);
			break;
		default:
			for (let i = 0; i < n; i++) out[i] = f(x, y[i]);
	}
	return out;
}

function conditional(condition: Builder, whenTrue: Builder, whenFalse: Builder): Builder {
	return (n) => {
		const c = condition(n);
		const a = whenTrue(n);
		const b = whenFalse(n);
		const out = new Float64Array(n);
		return (ctx) => {
			const test = c(ctx);
			if (typeof test === 'number') return test !== 0 ? a(ctx) : b(ctx);
			const x = a(ctx);
			const y = b(ctx);
			if (typeof x !== 'number' && typeof y !== 'number') {
				for (let i = 0; i < n; i++) out[i] = test[i] !== 0 ? x[i] : y[i];
			} else if (typeof x === 'number' && typeof y === 'number') {
				for (let i = 0; i < n; i++) out[i] = test[i] !== 0 ? x : y;
			} else {
				for (let i = 0; i < n; i++) out[i] = test[i] !== 0 ? (typeof x === 'number' ? x : x[i]) : typeof y === 'number' ? y : y[i];
			}
			return out;
		};
	};
}

function call(name: string, fn: (...args: number[]) => number, argumentBuilders: Builder[]): Builder {
	if (argumentBuilders.length === 1) return unary(name, fn as Unary, argumentBuilders[0]);
	if (argumentBuilders.length === 2) {
		return (n) => {
			const a = argumentBuilders[0](n);
			const b = argumentBuilders[1](n);
			const out = new Float64Array(n);
			return (ctx) => {
				const x = a(ctx);
				const y = b(ctx);
				if (typeof x === 'number' && typeof y === 'number') return fn(x, y);
				for (let i = 0; i < n; i++) out[i] = fn(typeof x === 'number' ? x : x[i], typeof y === 'number' ? y : y[i]);
				return out;
			};
		};
	}
	return (n) => {
		const args = argumentBuilders.map((b) => b(n));
		const out = new Float64Array(n);
		const scratch = new Array<number>(args.length);
		return (ctx) => {
			const values = args.map((a) => a(ctx));
			if (values.every((v) => typeof v === 'number')) return fn(...(values as number[]));
			for (let i = 0; i < n; i++) {
				for (let k = 0; k < values.length; k++) {
					const v = values[k];
					scratch[k] = typeof v === 'number' ? v : v[i];
				}
				out[i] = fn(...scratch);
			}
			return out;
		};
	};
}

// --- Evaluation ------------------------------------------------------------------------------

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
	const series = () => new Array<number>(monthCount).fill(0);
	const summary: MetricSummary = { unit, p5: series(), p25: series(), p50: series(), p75: series(), p95: series(), mean: series(), se50: series() };
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
