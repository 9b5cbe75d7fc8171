import { binaryOperators, type Unary } from './operations';

/**
 * Compiled formulas work column-wise, one month (all paths, contiguous in the month-major block) at
 * a time, in tight loops over typed arrays. A Builder, given the path count, allocates its output
 * column once and returns the closure that fills it each month.
 */

/** One month of a path block, what the compiled closures read. */
export interface MonthContext {
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

export type Builder = (n: number) => Compiled;

export function unary(name: string, f: Unary, argument: Builder): Builder {
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

export function binary(fn: string, left: Builder, right: Builder): Builder {
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

export function conditional(condition: Builder, whenTrue: Builder, whenFalse: Builder): Builder {
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

export function call(name: string, fn: (...args: number[]) => number, argumentBuilders: Builder[]): Builder {
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
