import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectRanks, summariseSeries } from '../../src/lib/analysis/stats';
import { medianErrorRanks, percentileRanks } from '../../src/lib/engine/quantiles';

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
			{ numRuns: 500 }
		);
	});

	it('summarises a series exactly as sorting each month does', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4 }), fc.array(awkwardDouble, { minLength: 240, maxLength: 240 }), (paths, months, pool) => {
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
					expect(summary.se50[t]).toEqual((sorted[errorHigh] - sorted[errorLow]) / 2);
				}
			}),
			{ numRuns: 200 }
		);
	});
});
