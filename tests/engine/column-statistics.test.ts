import { describe, expect, it } from 'vitest';
import { ColumnStatistics } from '../../src/lib/engine/column-statistics';
import { keyOf, valueOfKey } from '../../src/lib/engine/float-keys';

/** A small seeded generator for test columns (not the engine's streams). */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** What the statistics must equal: a plain loop's sum, and the column sorted by Float32Array's own sort. */
function reference(column: Float32Array, ranks: readonly number[]) {
	let sum = 0;
	let above = 0;
	for (const value of column) {
		sum += value;
		if (value > 0) above++;
	}
	const sorted = Float32Array.from(column).sort();
	return { sum, above, values: ranks.map((rank) => sorted[rank]) };
}

/** Feeds the columns in blocks of `blockSize` values until done; returns the passes taken. */
function run(columns: readonly Float32Array[], ranks: readonly number[], blockSize: number, refineBudgetBytes?: number) {
	const n = columns[0].length;
	const statistics = new ColumnStatistics(columns.length, n, ranks, { refineBudgetBytes });
	let passes = 0;
	while (!statistics.done) {
		for (let first = 0; first < n; first += blockSize) {
			columns.forEach((column, c) => statistics.add(c, column.subarray(first, Math.min(n, first + blockSize))));
		}
		statistics.endPass();
		passes++;
		if (passes > 20) throw new Error('no end in sight');
	}
	expect(statistics.passesDone).toBe(passes);
	return statistics;
}

function expectExact(columns: readonly Float32Array[], ranks: readonly number[], blockSize: number, refineBudgetBytes?: number) {
	const statistics = run(columns, ranks, blockSize, refineBudgetBytes);
	columns.forEach((column, c) => {
		const expected = reference(column, ranks);
		expect(statistics.sums[c], `sum of column ${c}`).toBe(expected.sum);
		expect(statistics.aboveZero[c], `above zero in column ${c}`).toBe(expected.above);
		const got = Array.from(statistics.orderStatistics.subarray(c * ranks.length, (c + 1) * ranks.length));
		// Object.is tells −0 from +0 and matches NaN with NaN.
		got.forEach((value, k) => expect(Object.is(value, expected.values[k]), `column ${c} rank ${ranks[k]}: ${value} vs ${expected.values[k]}`).toBe(true));
	});
	return statistics;
}

function ranksFor(n: number): number[] {
	const wanted = [0, Math.floor(n * 0.05), Math.floor(n * 0.05) + 1, Math.floor(n / 2) - 3, Math.floor(n / 2), Math.floor(n * 0.95), n - 1];
	return [...new Set(wanted.map((r) => Math.min(n - 1, Math.max(0, r))))].sort((a, b) => a - b);
}

function adversarialColumns(n: number, seed: number): Float32Array[] {
	const random = mulberry32(seed);
	const column = (value: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => value(i));
	const signedZero = (i: number) => (i % 3 === 0 ? -0 : 0);
	return [
		column(() => 42.5), // all equal
		column(() => 0), // all +0
		column(signedZero), // −0 and +0 only
		column(() => (random() < 0.8 ? 0 : random() * 1000)), // mostly zeros, then a continuum
		column((i) => (i % 7 === 0 ? Number.NaN : random() - 0.5)), // NaN among small signed values
		column(() => (random() < 0.5 ? -1 : 1) * Math.exp((random() - 0.5) * 160)), // huge range, both signs
		column(() => -Math.exp(random() * 10)), // negatives only
		column((i) => [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0, 0, 1e-45, -1e-45, 3.4e38, -3.4e38][i % 8]), // extremes, denormals
		column(() => Math.round(random() * 5)), // a few whole numbers (regime-like ties)
		column(() => 100 + random() * 1e-3), // a narrow range: every value within a few thousand keys
		column((i) => (i < n / 2 ? 1 : 1 + 2 ** -23 * (i % 4))), // adjacent floats
		column(() => (random() < 0.02 ? 1e30 : random())), // outliers far from the bulk
		column((i) => (n - i) * 0.25) // descending: the first block is unlike the rest
	];
}

describe('exact column statistics over passes', () => {
	it('maps float bits to keys in Float32Array sort order, and back', () => {
		const values = Float32Array.from([Number.NaN, 3, -0, 0, -1e-45, 1e-45, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -2, 2, -3.4e38]);
		const bits = new Int32Array(values.buffer);
		const keys = Array.from(bits, keyOf);
		const byKey = [...values.keys()].sort((a, b) => keys[a] - keys[b]).map((i) => values[i]);
		const sorted = Array.from(Float32Array.from(values).sort());
		byKey.forEach((value, k) => expect(Object.is(value, sorted[k])).toBe(true));
		keys.forEach((key, i) => expect(Object.is(valueOfKey(key), values[i])).toBe(true));
	});

	it('equals sorting on adversarial columns, whatever the block size', () => {
		const ways = { gathered: 0, histogrammed: 0, exact: 0 };
		for (const [n, blockSize] of [
			[1, 1],
			[2, 1],
			[37, 5],
			[5000, 1000],
			[5003, 777],
			[20_000, 4096]
		]) {
			const { plans } = expectExact(adversarialColumns(n, n), ranksFor(n), blockSize);
			for (const plan of plans) {
				ways.gathered += plan.gathered;
				ways.histogrammed += plan.histogrammed;
				ways.exact += plan.exact;
			}
		}
		// Every way of resolving a bucket was taken somewhere.
		expect(ways.gathered).toBeGreaterThan(0);
		expect(ways.exact).toBeGreaterThan(0);
	});

	it('equals sorting when a tiny budget forces histogram passes and buckets to wait', () => {
		const n = 30_000;
		const statistics = expectExact(adversarialColumns(n, 7), ranksFor(n), 3000, 1024);
		expect(statistics.passesDone).toBeGreaterThan(2);
		expect(statistics.plans.some((plan) => plan.histogrammed > plan.exact)).toBe(true);
		expect(statistics.plans.some((plan) => plan.waiting > 0)).toBe(true);
	});

	it('takes two passes on smooth columns, and every rank of a short column', () => {
		const random = mulberry32(3);
		const n = 50_000;
		const smooth = Array.from({ length: 4 }, (_, c) => Float32Array.from({ length: n }, () => (c + 1) * 100 * Math.exp(random() - 0.5)));
		expect(expectExact(smooth, ranksFor(n), 4096).passesDone).toBe(2);
		const short = Float32Array.from({ length: 64 }, () => random() - 0.5);
		expectExact(
			[short],
			Array.from({ length: 64 }, (_, i) => i),
			10
		);
	});

	it('reports values that change between passes, and columns fed short', () => {
		const n = 10_000;
		const random = mulberry32(5);
		// The first block is unlike the rest: the median lies where pass 1 had no fine buckets, so a second pass is needed.
		const column = Float32Array.from({ length: n }, (_, i) => (i < n / 2 ? random() : 10 + random()));
		const statistics = new ColumnStatistics(1, n, [n / 2], {});
		statistics.add(0, column.subarray(0, n / 2));
		statistics.add(0, column.subarray(n / 2));
		statistics.endPass();
		expect(statistics.done).toBe(false);
		const changed = column.map((v) => v + 1);
		statistics.add(0, changed);
		expect(() => statistics.endPass()).toThrow(/changed between passes/);
		const fresh = new ColumnStatistics(1, n, [n / 2]);
		fresh.add(0, column.subarray(1));
		expect(() => fresh.endPass()).toThrow(/fed 9999 of its 10000 values/);
	});
});
