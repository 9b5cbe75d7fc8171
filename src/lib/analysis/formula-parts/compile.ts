import {
	create,
	isConditionalNode,
	isConstantNode,
	isFunctionNode,
	isOperatorNode,
	isParenthesisNode,
	isRelationalNode,
	isSymbolNode,
	parseDependencies,
	type FunctionNode,
	type MathNode
} from 'mathjs';
import { metricIndex, metricNames } from '../../model/metrics';
import { didYouMean, isMetricName, removedMetricMessage } from '../../problems';
import { binary, call, conditional, unary, type Builder } from './columns';
import { FormulaError } from './error';
import { binaryOperators, formulaFunctions, relationalFunctions, unaryOperators } from './operations';

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

/** Names a formula may use besides the metrics. */
export const formulaVariables = {
	t: 'months since the first month (0, 1, 2, …)',
	year: 'calendar year of the month (e.g. 2030)',
	month: 'calendar month (1–12)'
} as const;
export const formulaConstants: Record<string, number> = { pi: Math.PI, e: Math.E, true: 1, false: 0 };

const allowedFunctionList = Object.keys(formulaFunctions).join(', ');
const validNames = [...metricNames, ...Object.keys(formulaVariables), 'pi', 'e'];

export interface CompiledFormula {
	expression: string;
	/** mathjs's rendering of the parsed tree (explicit parentheses and operators). */
	normalized: string;
	unit: string;
	/** Metrics the formula reads. */
	metrics: string[];
	/** @internal */
	root: Builder;
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
	if (typeof expression !== 'string' || expression.trim() === '')
		throw new FormulaError('empty', 'the formula is empty; write an expression over the metrics, e.g. "usMagnetPrice * 2"');
	if (expression.length > MAX_FORMULA_LENGTH)
		throw new FormulaError('tooLong', `the formula is ${expression.length} characters long; the limit is ${MAX_FORMULA_LENGTH}`);
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

function checkNode(node: MathNode, text: string, metricsUsed: Set<string>): Builder {
	const child = (c: MathNode) => checkNode(c, text, metricsUsed);
	if (isParenthesisNode(node)) return child(node.content);
	if (isConstantNode(node)) return constantBuilder(node.value, text);
	if (isSymbolNode(node)) return symbolBuilder(node.name, text, metricsUsed);
	if (isOperatorNode(node)) {
		const args = node.args.map(child);
		if (args.length === 1 && Object.hasOwn(unaryOperators, node.fn)) return unary(node.fn, unaryOperators[node.fn], args[0]);
		if (args.length === 2 && Object.hasOwn(binaryOperators, node.fn)) return binary(node.fn, args[0], args[1]);
		const position = text.indexOf(node.op) + 1 || undefined;
		throw new FormulaError(
			'unsupported',
			`the operator "${node.op}"${at(position)} is not allowed in formulas; use + - * / ^ %, comparisons (< <= > >= == !=), and, or, not, xor, and "c ? a : b"`,
			position
		);
	}
	if (isConditionalNode(node)) return conditional(child(node.condition), child(node.trueExpr), child(node.falseExpr));
	if (isRelationalNode(node)) {
		// a < b <= c means (a < b) and (b <= c).
		const params = node.params.map(child);
		return node.conditionals
			.map((condition, k) => binary(relationalFunctions[condition], params[k], params[k + 1]))
			.reduce((all, comparison) => binary('and', all, comparison));
	}
	if (isFunctionNode(node)) return functionBuilder(node, text, child);
	const what = constructNames[node.type] ?? node.type;
	throw new FormulaError('unsupported', `${what} are not allowed in formulas; use numbers, metric names, operators and the functions ${allowedFunctionList}`);
}

/** A number or a boolean; anything else a constant can hold (text, null) is refused. */
function constantBuilder(value: unknown, text: string): Builder {
	if (typeof value === 'number') return () => () => value;
	if (typeof value === 'boolean') return () => () => (value ? 1 : 0);
	const shown = typeof value === 'string' ? `text "${value}"` : String(value);
	const position = typeof value === 'string' ? text.indexOf(`"${value}"`) + 1 || text.indexOf(`'${value}'`) + 1 || undefined : undefined;
	throw new FormulaError('unsupported', `${shown}${at(position)} is not a number; formulas work on numbers only`, position);
}

/** A metric, t, year, month, pi or e. */
function symbolBuilder(name: string, text: string, metricsUsed: Set<string>): Builder {
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
	throw new FormulaError(
		'unknownName',
		`unknown name "${name}"${at(position)}${didYouMean(name, validNames)}; valid names: ${validNames.join(', ')}`,
		position
	);
}

/** A call of an allowed function with an allowed number of arguments. */
function functionBuilder(node: FunctionNode, text: string, child: (c: MathNode) => Builder): Builder {
	// The parser also reads calls of a property or of a call's result ("a.b(1)", "f(1)(2)").
	const callee: MathNode = node.fn;
	const name = isSymbolNode(callee) ? callee.name : callee.toString();
	const position = positionOf(text, name, true);
	if ((DISABLED_FUNCTIONS as readonly string[]).includes(name)) {
		throw new FormulaError(
			'disabledFunction',
			`the function "${name}"${at(position)} is disabled in formulas; allowed functions: ${allowedFunctionList}`,
			position
		);
	}
	const definition = Object.hasOwn(formulaFunctions, name) ? formulaFunctions[name] : undefined;
	if (!definition) {
		throw new FormulaError(
			'unknownFunction',
			`unknown function "${name}"${at(position)}${didYouMean(name, Object.keys(formulaFunctions))}; allowed functions: ${allowedFunctionList}`,
			position
		);
	}
	const args = node.args.map(child);
	if (args.length < definition.min || args.length > definition.max) {
		const expected =
			definition.min === definition.max ? `${definition.min}` : definition.max >= 64 ? `at least ${definition.min}` : `${definition.min} or ${definition.max}`;
		const last = definition.max >= 64 ? definition.min : definition.max;
		throw new FormulaError('arity', `${name}${at(position)} takes ${expected} argument${last === 1 ? '' : 's'}, found ${args.length}`, position);
	}
	if (args.length === 2 && Object.hasOwn(binaryOperators, name)) return binary(name, args[0], args[1]);
	return call(name, definition.fn, args);
}
