import { describe, expect, it } from 'vitest';
import { saltelliDesign, sobolIndices } from '../../src/lib/analysis/sobol';

/** The Ishigami function (a = 7, b = 0.1) on [−π, π]³, with its known indices (Ishigami & Homma 1990; Sobol' & Levitan 1999). */
const A = 7;
const B = 0.1;
function ishigami(u: Float64Array, at: number): number {
	const [x1, x2, x3] = [0, 1, 2].map((j) => -Math.PI + 2 * Math.PI * u[at + j]);
	return Math.sin(x1) + A * Math.sin(x2) ** 2 + B * x3 ** 4 * Math.sin(x1);
}
const V1 = 0.5 * (1 + (B * Math.PI ** 4) / 5) ** 2;
const V2 = A ** 2 / 8;
const V13 = B ** 2 * Math.PI ** 8 * (1 / 18 - 1 / 50);
const V = V1 + V2 + V13;
const knownFirst = [V1 / V, V2 / V, 0];
const knownTotal = [(V1 + V13) / V, V2 / V, V13 / V];

function evaluate(points: Float64Array, factors: number): Float64Array {
	return Float64Array.from({ length: points.length / factors }, (_, r) => ishigami(points, r * factors));
}

describe('Sobol indices by Saltelli’s scheme', () => {
	const design = saltelliDesign(3, 20_000, 11);
	const result = sobolIndices(
		evaluate(design.a, 3),
		evaluate(design.b, 3),
		design.ab.map((ab) => evaluate(ab, 3)),
		{ resamples: 300, confidence: 0.99, seed: 5 }
	);

	it('find the Ishigami function’s known first- and total-order indices within their 99 % bootstrap intervals', () => {
		for (let i = 0; i < 3; i++) {
			expect(result.first[i].low).toBeLessThanOrEqual(knownFirst[i]);
			expect(result.first[i].high).toBeGreaterThanOrEqual(knownFirst[i]);
			expect(result.total[i].low).toBeLessThanOrEqual(knownTotal[i]);
			expect(result.total[i].high).toBeGreaterThanOrEqual(knownTotal[i]);
		}
		// And the intervals are informative, not wide enough to hold anything.
		for (const index of [...result.first, ...result.total]) expect(index.high - index.low).toBeLessThan(0.1);
		expect(result.variance).toBeCloseTo(V, 0);
	});

	it('rank the factors as the function does: x2 first, x3 only through its interaction with x1', () => {
		expect(result.first[1].estimate).toBeGreaterThan(result.first[0].estimate);
		expect(Math.abs(result.first[2].estimate)).toBeLessThan(0.02);
		expect(result.total[2].estimate - result.first[2].estimate).toBeGreaterThan(0.2);
	});

	it('a design is the same for the same seed, and A_B^i is A with column i from B', () => {
		const again = saltelliDesign(3, 50, 11);
		const first = saltelliDesign(3, 50, 11);
		expect(Array.from(again.a)).toEqual(Array.from(first.a));
		expect(Array.from(saltelliDesign(3, 50, 12).a)).not.toEqual(Array.from(first.a));
		for (let r = 0; r < 50; r++) {
			expect(first.ab[1][r * 3]).toBe(first.a[r * 3]);
			expect(first.ab[1][r * 3 + 1]).toBe(first.b[r * 3 + 1]);
			expect(first.ab[1][r * 3 + 2]).toBe(first.a[r * 3 + 2]);
		}
	});

	it('refuse a constant output and mismatched lengths with a message', () => {
		const ones = new Float64Array(10).fill(1);
		expect(() => sobolIndices(ones, ones, [ones])).toThrow(/does not vary/);
		expect(() => sobolIndices(ones, ones.subarray(1), [ones])).toThrow(/same number/);
		expect(() => saltelliDesign(0, 10, 1)).toThrow(/factors/);
	});
});
