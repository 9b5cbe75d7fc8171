/** The numeric operations a formula may use, with mathjs's meaning (mod and round as mathjs computes them). */

export type Unary = (x: number) => number;
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
export const binaryOperators: Record<string, (a: number, b: number) => number> = {
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
export const unaryOperators: Record<string, Unary> = {
	unaryMinus: (a) => -a,
	unaryPlus: (a) => a,
	not: (a) => (a === 0 ? 1 : 0)
};
export const relationalFunctions: Record<string, string> = {
	larger: 'larger',
	largerEq: 'largerEq',
	smaller: 'smaller',
	smallerEq: 'smallerEq',
	equal: 'equal',
	unequal: 'unequal'
};
