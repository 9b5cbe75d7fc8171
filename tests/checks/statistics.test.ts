import { describe, expect, it } from 'vitest';
import { judge } from '../../src/lib/checks/evaluate';
import { differenceError, estimate, percentileErrorRanks, probabilityError } from '../../src/lib/checks/statistics';

describe('standard errors', () => {
	it('a probability has SE sqrt(p(1−p)/n)', () => {
		const values = Array.from({ length: 1000 }, (_, i) => (i < 300 ? 1 : 0));
		const { value, se } = estimate(values, { kind: 'probability', op: '>', threshold: 0.5 });
		expect(value).toBeCloseTo(0.3, 12);
		expect(se).toBeCloseTo(Math.sqrt((0.3 * 0.7) / 1000), 12);
	});

	it('a probability of 0 or 1 keeps one path’s worth of uncertainty', () => {
		expect(probabilityError(0, 400)).toBeCloseTo(Math.sqrt(((1 / 400) * (1 - 1 / 400)) / 400), 12);
		expect(probabilityError(1, 400)).toBeGreaterThan(0);
	});

	it('a mean has SE sd/sqrt(n)', () => {
		const values = [1, 2, 3, 4, 5, 6, 7, 8];
		const { value, se } = estimate(values, { kind: 'mean' });
		const sd = Math.sqrt(values.reduce((s, x) => s + (x - 4.5) ** 2, 0) / 7);
		expect(value).toBe(4.5);
		expect(se).toBeCloseTo(sd / Math.sqrt(8), 12);
	});

	it('a percentile uses half the distance between the order statistics at n·q ± sqrt(n·q(1−q))', () => {
		const n = 10_000;
		const values = Array.from({ length: n }, (_, i) => i); // order statistic r is r
		const { value, se } = estimate(values, { kind: 'percentile', q: 0.5 });
		expect(value).toBeCloseTo(4999.5, 9);
		const [low, high] = percentileErrorRanks(n, 0.5);
		expect(high - low).toBe(100); // ±sqrt(10000·0.25) = ±50
		expect(se).toBe(50);
	});

	it('min and max over paths are exact', () => {
		expect(estimate([3, 1, 2], { kind: 'min' })).toEqual({ value: 1, se: 0, n: 3 });
		expect(estimate([3, 1, 2], { kind: 'max' })).toEqual({ value: 3, se: 0, n: 3 });
	});

	it('common random numbers: the SE of a mean difference is taken path by path', () => {
		const x = Array.from({ length: 100 }, (_, i) => i);
		const y = x.map((v) => v + 1); // the same paths shifted: the difference has no noise
		const stat = { kind: 'mean' } as const;
		expect(differenceError(stat, x, y, 1, estimate(x, stat), estimate(y, stat))).toBe(0);
	});

	it('percentile differences combine the two SEs as sqrt(se_x² + times²·se_y²)', () => {
		const x = Array.from({ length: 10_000 }, (_, i) => i);
		const stat = { kind: 'percentile', q: 0.5 } as const;
		const ex = estimate(x, stat);
		expect(differenceError(stat, x, x, 2, ex, ex)).toBeCloseTo(Math.sqrt(50 ** 2 + (2 * 50) ** 2), 9);
	});
});

describe('verdicts', () => {
	it('passes or fails only when the margin is at least factor × SE', () => {
		expect(judge('>', 10, 1, 3, 1000).verdict).toBe('pass');
		expect(judge('>', -10, 1, 3, 1000).verdict).toBe('fail');
		expect(judge('>', 2, 1, 3, 1000).verdict).toBe('inconclusive');
		expect(judge('<', -2.5, 1, 3, 1000).verdict).toBe('inconclusive');
	});

	it('names the path count that would settle an inconclusive verdict: n·(factor·SE/|margin|)²', () => {
		expect(judge('>=', 1, 1, 3, 1000).settlePaths).toBe(9000);
		expect(judge('>=', 2, 1, 3, 1000).settlePaths).toBe(2250);
		expect(judge('>=', 0.7, 1, 2, 500).settlePaths).toBe(Math.ceil(500 * (2 / 0.7) ** 2));
		expect(judge('>=', 0, 1, 3, 1000).settlePaths).toBe(Infinity);
	});

	it('exact figures (SE 0) decide on the inequality alone, strict or not', () => {
		expect(judge('>=', 0, 0, 3, 10).verdict).toBe('pass');
		expect(judge('>', 0, 0, 3, 10).verdict).toBe('fail');
		expect(judge('<=', -1e-9, 0, 3, 10).verdict).toBe('fail');
	});
});
