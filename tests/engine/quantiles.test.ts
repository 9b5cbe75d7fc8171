import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderStatistics } from '../../src/lib/engine/quantiles';
import { medianErrorRanks, percentileRanks } from '../../src/lib/stats/ranks';

/** Every rank 0…n−1 selected at once, compared with a full sort (Object.is: −0 and +0 differ). */
function expectSameAsSort(values: Float32Array, ranks?: number[], statistics = new OrderStatistics(values.length + 3)) {
	const sorted = Float32Array.from(values).sort();
	const wanted = ranks ?? Array.from(sorted, (_, i) => i);
	const copy = Float32Array.from(values);
	let plainSum = 0;
	for (let i = 0; i < values.length; i++) plainSum += values[i];
	const into = new Float64Array(wanted.length);
	expect(Object.is(statistics.select(values, wanted, into), plainSum)).toBe(true);
	wanted.forEach((rank, k) => {
		if (!Object.is(into[k], sorted[rank])) throw new Error(`rank ${rank} of [${Array.from(values)}]: got ${into[k]}, sort gives ${sorted[rank]}`);
	});
	expect(values).toEqual(copy);
}

/** Float32 values with many ties, zeros of both signs, negatives, subnormals and extremes. */
const awkwardFloat = fc.oneof(
	{ weight: 4, arbitrary: fc.float({ noNaN: true }) },
	{ weight: 2, arbitrary: fc.constantFrom(0, -0, 1, -1, 2.5, 1e-40, -1e-40, 3.4e38, -3.4e38, Infinity, -Infinity) },
	{ weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) },
	{ weight: 1, arbitrary: fc.float({ min: 1000, max: 1001, noNaN: true }) }
);

describe('OrderStatistics (radix selection on float32 bits)', () => {
	it('gives exactly the order statistics of Float32Array.prototype.sort, every rank', () => {
		fc.assert(
			fc.property(fc.array(awkwardFloat, { minLength: 1, maxLength: 300 }), (list) => expectSameAsSort(Float32Array.from(list))),
			{ numRuns: 400 }
		);
	});

	it('stays exact when one selector goes through columns of unrelated ranges (the remembered range is only a hint)', () => {
		const statistics = new OrderStatistics(300);
		fc.assert(
			fc.property(
				fc.array(fc.array(awkwardFloat, { minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 6 }),
				fc.double({ min: -1e6, max: 1e6, noNaN: true }),
				(columns, scale) => {
					for (const list of columns)
						expectSameAsSort(
							Float32Array.from(list, (x) => x * scale),
							undefined,
							statistics
						);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('handles tiny arrays, n = 1, 2, 3', () => {
		fc.assert(
			fc.property(fc.array(awkwardFloat, { minLength: 1, maxLength: 3 }), (list) => expectSameAsSort(Float32Array.from(list))),
			{ numRuns: 300 }
		);
	});

	it('selects the summary ranks of large columns, with heavy ties and long tails, as sorting does', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 33, max: 5000 }),
				fc.integer({ min: 0, max: 2 ** 31 - 1 }),
				fc.constantFrom('uniform', 'ties', 'zeros', 'tail', 'negative', 'mixed'),
				(n, seed, shape) => {
					let state = seed;
					const next = () => {
						state = (Math.imul(state, 1103515245) + 12345) >>> 0;
						return state / 2 ** 32;
					};
					const values = new Float32Array(n);
					for (let i = 0; i < n; i++) {
						const u = next();
						values[i] =
							shape === 'uniform'
								? u
								: shape === 'ties'
									? Math.floor(u * 4)
									: shape === 'zeros'
										? u < 0.9
											? 0
											: u
										: shape === 'tail'
											? 1 / (1 - u * 0.999999)
											: shape === 'negative'
												? -u * 1e6
												: (u - 0.5) * 10 ** Math.floor(next() * 20 - 10);
					}
					const ranks: number[] = [];
					for (const p of [0.05, 0.25, 0.5, 0.75, 0.95]) ranks.push(...percentileRanks(n, p).slice(0, 2));
					ranks.push(...medianErrorRanks(n), 0, n - 1);
					expectSameAsSort(
						values,
						[...ranks].sort((a, b) => a - b)
					);
				}
			),
			{ numRuns: 200 }
		);
	});

	it('orders NaN last, as sort does, whatever its sign bit', () => {
		const values = new Float32Array([3, Number.NaN, -1, 0]);
		new Uint32Array(values.buffer)[1] = 0xffc00000; // a NaN with the sign bit set
		const statistics = new OrderStatistics(4);
		const into = new Float64Array(4);
		statistics.select(values, [0, 1, 2, 3], into);
		expect(Array.from(into)).toEqual([-1, 0, 3, Number.NaN]);
	});

	it('counts the values above zero as `> 0` does: not −0, +0, negatives or NaN of either sign; +Infinity and the least subnormal yes', () => {
		const values = new Float32Array([0, -0, -1, 1e-45, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, Number.NaN, 2, -3.5e38]);
		new Uint32Array(values.buffer)[7] = 0xffc00000;
		const statistics = new OrderStatistics(values.length);
		statistics.select(values, [0, 9], new Float64Array(2));
		expect(statistics.aboveZero).toBe(Array.from(values).filter((v) => v > 0).length);
		expect(statistics.aboveZero).toBe(3);
	});

	it('rejects ranks out of order or out of range', () => {
		const statistics = new OrderStatistics(4);
		const column = new Float32Array([1, 2, 3]);
		expect(() => statistics.select(column, [2, 1], new Float64Array(2))).toThrow();
		expect(() => statistics.select(column, [3], new Float64Array(1))).toThrow();
		expect(() => statistics.select(new Float32Array(5), [0], new Float64Array(1))).toThrow();
	});
});
