import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianErrorRanks, percentileRanks } from '../../src/lib/stats/ranks';
import { TycheiStream } from '../../src/lib/engine/random';
import { pairedDifferenceError } from '../../src/lib/stats/differences';
import {
	estimateOf,
	meanEstimate,
	medianEstimate,
	percentiles,
	proportionError,
	proportionEstimate,
	quantileErrorRanks,
	quantileEstimate
} from '../../src/lib/stats/estimates';
import { parseComparison, parseProbability } from '../../src/lib/stats/probability-syntax';
import { selectRanks, summariseSeries } from '../../src/lib/stats/series';
import { combine, judge, pathsForError } from '../../src/lib/stats/verdict';

/** Fixed seeds: every property and sample below is the same on every run. */
const seed = 20251201;

/** `n` seeded standard normal draws. */
function normals(n: number, name: string): Float64Array {
	const stream = new TycheiStream().reseed(name);
	return Float64Array.from({ length: n }, () => stream.normal());
}

describe('estimates and their standard errors', () => {
	it('a mean has SE s/√n, s taken with n − 1', () => {
		const values = [1, 2, 3, 4, 5, 6, 7, 8];
		const sd = Math.sqrt(values.reduce((sum, x) => sum + (x - 4.5) ** 2, 0) / 7);
		const { value, se } = meanEstimate(values);
		expect(value).toBe(4.5);
		expect(se).toBeCloseTo(sd / Math.sqrt(8), 15);
	});

	it('a proportion has SE √(p(1−p)/n)', () => {
		const { value, se } = proportionEstimate(300, 1000);
		expect(value).toBe(0.3);
		expect(se).toBeCloseTo(Math.sqrt((0.3 * 0.7) / 1000), 15);
	});

	it('a proportion of 0 or 1 keeps one path’s worth of uncertainty, (1/n)(1 − 1/n)', () => {
		const onePath = Math.sqrt(((1 / 400) * (1 - 1 / 400)) / 400);
		expect(proportionEstimate(0, 400)).toEqual({ value: 0, se: onePath });
		expect(proportionEstimate(400, 400)).toEqual({ value: 1, se: onePath });
		expect(proportionError(1 / 400, 400)).toBe(onePath);
	});

	it('a quantile uses half the distance between the order statistics at n·q ± √(n·q(1−q))', () => {
		const n = 10_000;
		const values = Array.from({ length: n }, (_, i) => n - 1 - i); // order statistic r is r
		const [low, high] = quantileErrorRanks(n, 0.5);
		expect(high - low).toBe(100); // ±√(10000 · ¼) = ±50
		expect(quantileEstimate(values, 0.5)).toEqual({ value: 4999.5, se: 50 });
		expect(medianEstimate(values)).toEqual(quantileEstimate(values, 0.5));
		expect(percentiles(values, [0.05, 0.95])).toEqual([0.05 * (n - 1), 0.95 * (n - 1)]);
	});

	it('the median’s error ranks are the engine’s, so summaries and estimates agree', () => {
		for (let n = 1; n <= 3000; n++) expect(quantileErrorRanks(n, 0.5)).toEqual(medianErrorRanks(n));
	});

	it('min and max over paths are exact', () => {
		expect(estimateOf({ kind: 'extreme', which: 'min' }, [3, 1, 2])).toEqual({ value: 1, se: 0 });
		expect(estimateOf({ kind: 'extreme', which: 'max' }, [3, 1, 2])).toEqual({ value: 3, se: 0 });
	});

	it('edge cases: no path gives NaN; one path gives its value with an unknown SE; an infinite mean is exact', () => {
		expect(meanEstimate([])).toEqual({ value: NaN, se: NaN });
		expect(proportionEstimate(0, 0)).toEqual({ value: NaN, se: NaN });
		expect(meanEstimate([7])).toEqual({ value: 7, se: NaN });
		expect(quantileEstimate([7], 0.5)).toEqual({ value: 7, se: NaN });
		expect(proportionEstimate(1, 1)).toEqual({ value: 1, se: NaN });
		expect(meanEstimate([1, Infinity, 3])).toEqual({ value: Infinity, se: 0 });
		expect(quantileEstimate([1, ...Array<number>(7).fill(Infinity)], 0.5)).toEqual({ value: Infinity, se: 0 });
	});

	it('a proportion from 0/1 flags is the share of flagged paths', () => {
		expect(estimateOf({ kind: 'proportion' }, [1, 0, 0, 1, 0])).toEqual(proportionEstimate(2, 5));
	});
});

describe('paired (common-random-number) differences', () => {
	it('a mean difference takes its SE path by path: a pure shift has none', () => {
		const x = normals(500, 'shift');
		const y = x.map((v) => v + 1);
		expect(pairedDifferenceError({ kind: 'mean' }, y, x)).toBeLessThan(1e-12);
		const independent = normals(500, 'other');
		expect(pairedDifferenceError({ kind: 'mean' }, independent, x)).toBeCloseTo(Math.sqrt(2 / 500), 1);
	});

	it('a proportion difference is floored at one path’s worth, like a proportion', () => {
		const flags = Float64Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? 1 : 0));
		expect(pairedDifferenceError({ kind: 'proportion' }, flags, flags)).toBe(proportionError(0, 400));
	});

	it('a quantile difference is found by batch means, so common random numbers count', () => {
		const x = normals(4000, 'quantile');
		const shifted = x.map((v) => 2 * v + 3);
		const se = pairedDifferenceError({ kind: 'quantile', q: 0.5 }, shifted, x);
		const independentSe = Math.hypot(quantileEstimate(shifted, 0.5).se, quantileEstimate(x, 0.5).se);
		// The difference 2·median(x) + 3 − median(x) = median(x) + 3 has the SE of one median, not of two.
		expect(se).toBeGreaterThan(0.5 * quantileEstimate(x, 0.5).se);
		expect(se).toBeLessThan(0.8 * independentSe);
		expect(pairedDifferenceError({ kind: 'quantile', q: 0.5 }, x, x)).toBe(0);
	});

	it('with fewer than two batches of 10 paths a quantile difference combines the two SEs as if independent', () => {
		const x = Array.from({ length: 15 }, (_, i) => i);
		const se = quantileEstimate(x, 0.5).se;
		expect(pairedDifferenceError({ kind: 'quantile', q: 0.5 }, x, x, 2)).toBeCloseTo(Math.sqrt(se ** 2 + (2 * se) ** 2), 12);
	});

	it('min and max differences are exact', () => {
		expect(pairedDifferenceError({ kind: 'extreme', which: 'max' }, [1, 5], [2, 3])).toBe(0);
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
		expect(pathsForError(1000, 2, 1)).toBe(4000);
	});

	it('exact figures (SE 0) decide on the inequality alone; an unknown SE (NaN) decides nothing', () => {
		expect(judge('>=', 0, 0, 3, 10).verdict).toBe('pass');
		expect(judge('>', 0, 0, 3, 10).verdict).toBe('fail');
		expect(judge('<=', -1e-9, 0, 3, 10).verdict).toBe('fail');
		expect(judge('>', 5, NaN, 3, 10)).toEqual({ holds: true, verdict: 'inconclusive' });
	});

	it('a fail anywhere fails; otherwise an inconclusive part leaves the whole inconclusive', () => {
		expect(combine(['pass', 'inconclusive', 'fail'])).toBe('fail');
		expect(combine(['pass', 'inconclusive'])).toBe('inconclusive');
		expect(combine(['pass', 'pass'])).toBe('pass');
	});
});

describe('probability syntax (checks, thresholds and indicators)', () => {
	it('reads [metric] comparison number [unit], alone or inside P( )', () => {
		expect(parseComparison('usMagnetPrice>2x start')).toEqual({ metric: 'usMagnetPrice', comparison: '>', value: 2, unit: 'x start' });
		expect(parseComparison('> -1.5e3')).toEqual({ comparison: '>', value: -1500, unit: '' });
		expect(parseProbability('P(shortfall >= 0)')).toEqual({
			inside: 'shortfall >= 0',
			comparison: { metric: 'shortfall', comparison: '>=', value: 0, unit: '' }
		});
		expect(parseProbability('P(shortfall above 0)')).toEqual({ inside: 'shortfall above 0', comparison: undefined });
		expect(parseProbability('median')).toBeUndefined();
		expect(parseProbability('p( > 0 )')?.comparison).toEqual({ comparison: '>', value: 0, unit: '' });
	});
});

/** Finite doubles with many ties and repeated values; −0 is written as 0 (selection, unlike a sort, does not order the two zeros). */
const awkwardDouble = fc
	.oneof(
		{ weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
		{ weight: 2, arbitrary: fc.constantFrom(0, 1, -1, 2.5, 1e-300, -1e-300, 1.7e308, -1.7e308) },
		{ weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) }
	)
	.map((x) => (Object.is(x, -0) ? 0 : x));

describe('selectRanks (quickselect of several order statistics)', () => {
	it('puts at each rank exactly the value a sort puts there', () => {
		fc.assert(
			fc.property(fc.array(awkwardDouble, { minLength: 1, maxLength: 400 }), fc.array(fc.nat(), { minLength: 1, maxLength: 9 }), (list, picks) => {
				const sorted = Float64Array.from(list).sort();
				const ranks = [...new Set(picks.map((p) => p % list.length))].sort((a, b) => a - b);
				const values = Float64Array.from(list);
				selectRanks(values, ranks);
				for (const rank of ranks) if (!Object.is(values[rank], sorted[rank])) throw new Error(`rank ${rank}: got ${values[rank]}, sort gives ${sorted[rank]}`);
				expect(Float64Array.from(values).sort()).toEqual(sorted);
			}),
			{ numRuns: 500, seed }
		);
	});

	it('summarises a series exactly as sorting each month does', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 60 }),
				fc.integer({ min: 1, max: 4 }),
				fc.array(awkwardDouble, { minLength: 240, maxLength: 240 }),
				(paths, months, pool) => {
					const values = Float64Array.from({ length: paths * months }, (_, i) => pool[i % pool.length]);
					const summary = summariseSeries(values, paths, months, 't');
					const [errorLow, errorHigh] = medianErrorRanks(paths);
					for (let t = 0; t < months; t++) {
						const sorted = values.slice(t * paths, (t + 1) * paths).sort();
						const at = (p: number) => {
							const [low, high, weight] = percentileRanks(paths, p);
							return sorted[low] + weight * (sorted[high] - sorted[low]);
						};
						expect([summary.p5[t], summary.p25[t], summary.p50[t], summary.p75[t], summary.p95[t]]).toEqual([at(0.05), at(0.25), at(0.5), at(0.75), at(0.95)]);
						expect(summary.se50[t]).toEqual(paths === 1 ? NaN : (sorted[errorHigh] - sorted[errorLow]) / 2);
					}
				}
			),
			{ numRuns: 200, seed }
		);
	});
});
