import { describe, expect, it } from 'vitest';
import type { SimulatedPaths } from '../../src/lib/checks/evaluate';
import { executePlan } from '../../src/lib/checks/execute';
import { pitOf, signTestP } from '../../src/lib/checks/observed';
import { loadCheckText } from '../../src/lib/checks/parse';
import { planChecks } from '../../src/lib/checks/plan';
import { formatReport } from '../../src/lib/checks/report';
import type { MetricName } from '../../src/lib/model/metrics';
import { buildLibrary } from '../../src/lib/scenario/resolve';
import { InputError } from '../../src/lib/problems';
import { simulateInThread } from './helpers';

/**
 * A scenario of its own (so the tests do not move with the project's scenarios) with observations
 * placed where the synthetic paths below make their band and PIT known exactly.
 */
const point = (month: string, value: number | null) => ({ month, value, status: value === null ? 'not found' : 'reported', source: 'test' });
const scenarioText = JSON.stringify({
	id: 'observed-fixture',
	title: 'Observed fixture',
	description: 'observations for the coverage and pit tests',
	start: '2024-01',
	end: '2024-12',
	seed: 11,
	observed: {
		chinaExports: [
			point('2024-02', 500),
			point('2024-03', 30),
			point('2024-04', 60),
			point('2024-05', 5),
			point('2024-06', 1200),
			point('2024-07', null),
			point('2024-08', 700)
		]
	}
});
const library = buildLibrary([{ source: 'observed-fixture.json', text: scenarioText }]).library;

const plan = (text: string) => planChecks([loadCheckText(text, 'observed.yaml')], library);

/** Problems of a check file the planner refuses, as "file:line:column: path: message" lines. */
function problemsOf(text: string): string {
	try {
		plan(text);
	} catch (error) {
		if (error instanceof InputError) return error.message;
		throw error;
	}
	throw new Error('expected the file to be refused');
}

/**
 * 1,000 synthetic paths, the same every month: chinaExports of path i is i, so p5 = 49.95 and
 * p95 = 949.05, each with SE 7 (order statistics 43 and 57 vs 44 and 58: half of 14); the per-path
 * sum over two months is 2i (p5 99.9, p95 1,898.1, SE 14). demand of path i at month index t is
 * i·(t+1), so a ratio of June over May is 1.2 on every path but path 0, whose denominator is 0.
 */
const n = 1000;
const months = Array.from({ length: 12 }, (_, t) => `2024-${String(t + 1).padStart(2, '0')}`);
function syntheticPaths(): SimulatedPaths {
	const exports = new Float32Array(12 * n);
	const demand = new Float32Array(12 * n);
	for (let t = 0; t < 12; t++) {
		for (let i = 0; i < n; i++) {
			exports[t * n + i] = i;
			demand[t * n + i] = i * (t + 1);
		}
	}
	return {
		months,
		pathCount: n,
		metrics: new Map<MetricName, Float32Array>([
			['chinaExports', exports],
			['demand', demand]
		])
	};
}
const synthetic = syntheticPaths();
const judged = (text: string) => executePlan(plan(text), async () => synthetic);

const file = (checks: string) => `
paths: 1000
factor: 3
groups:
  - describe: Observed
    checks:
${checks}`;

const coverage = (predicate: string, extra = '') => `
      - it: 'coverage ${predicate}'
        why: synthetic
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: { from: 2024-01, to: 2024-12 }
        statistic: coverage
        observedSums: [{ from: 2024-10, to: 2024-11, value: 1000, source: test }]
        ${predicate}${extra}`;

describe('the sign test and PIT', () => {
	it('gives the exact two-sided binomial p-value', () => {
		expect(signTestP(0, 0)).toBe(1);
		expect(signTestP(5, 5)).toBe(1);
		expect(signTestP(4, 3)).toBe(1);
		expect(signTestP(1, 3)).toBeCloseTo((2 * (1 + 4)) / 16, 15);
		expect(signTestP(10, 0)).toBeCloseTo(2 / 1024, 15);
		expect(signTestP(2, 8)).toBeCloseTo((2 * (1 + 10 + 45)) / 1024, 15);
		expect(signTestP(8, 2)).toBe(signTestP(2, 8));
		expect(signTestP(0, 200)).toBeGreaterThan(0); // no underflow to a wrong 0 … or NaN
		expect(signTestP(0, 200)).toBeLessThan(1e-50);
	});

	it('a PIT is the share of paths at or below the observation', () => {
		expect(pitOf([1, 2, 3, 4], 2)).toBe(0.5);
		expect(pitOf([1, 2, 3, 4], 0)).toBe(0);
		expect(pitOf([1, 2, 3, 4], 9)).toBe(1);
	});
});

describe('coverage: observations inside the band, with Monte Carlo error', () => {
	it('counts settled inside, unsettled and settled outside, and judges the bound against both ends', async () => {
		// Observations: 500 ✓, 30 (below p5 by 19.95 < 3 × 7: unsettled, outside), 60 (inside by 10.05:
		// unsettled, inside), 5 ✗, 1200 ✗, null (skipped), 700 ✓, and the sum 1000 ✓ (band 99.9…1898.1).
		const results = await judged(
			file([coverage('gte: 3'), coverage('gte: 4'), coverage('gte: 6'), coverage('lte: 5'), coverage('lte: 2'), coverage('between: [3, 5]')].join('\n'))
		);
		const [atLeast3, atLeast4, atLeast6, atMost5, atMost2, between] = results;
		const detail = atLeast4.cases[0].observations!;
		expect(detail.kind).toBe('coverage');
		if (detail.kind !== 'coverage') return;
		expect(detail.rows.map((r) => r.label)).toEqual(['2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-08', '2024-10…2024-11 (sum)']);
		expect(detail.rows.map((r) => r.settled)).toEqual(['inside', 'unsettled', 'unsettled', 'outside', 'outside', 'inside', 'inside']);
		expect(detail.rows.map((r) => r.inside)).toEqual([true, false, true, false, false, true, true]);
		expect({ inside: detail.inside, settledInside: detail.settledInside, unsettled: detail.unsettled, settledOutside: detail.settledOutside }).toEqual({
			inside: 4,
			settledInside: 3,
			unsettled: 2,
			settledOutside: 2
		});
		const band = detail.rows[0].band!;
		expect(band.low.value).toBeCloseTo(49.95, 9);
		expect(band.high.value).toBeCloseTo(949.05, 9);
		expect(band.low.se).toBe(7);
		expect(detail.rows[6].band!.low.value).toBeCloseTo(99.9, 9);
		expect(detail.rows[6].band!.high.se).toBe(14);
		expect(atLeast4.cases[0].figure.value).toBe(4);

		expect(atLeast3.verdict).toBe('pass'); // 3 settled inside ≥ 3
		expect(atLeast4.verdict).toBe('inconclusive'); // 3 settled < 4 ≤ 3 + 2
		expect(atLeast6.verdict).toBe('fail'); // 3 + 2 < 6
		expect(atMost5.verdict).toBe('pass'); // even with both unsettled inside, 5 ≤ 5
		expect(atMost2.verdict).toBe('fail'); // 3 settled inside > 2
		expect(between.verdict).toBe('pass');
		// The unsettled observation closest to its edge (60, 10.05 inside p5) decides the paths needed.
		const settle = Math.ceil(n * ((3 * 7) / (60 - 49.95)) ** 2);
		expect(atLeast4.settlePaths).toBeGreaterThanOrEqual(settle - 1);
		expect(atLeast4.settlePaths).toBeLessThanOrEqual(settle + 1);
	});

	it('the band and the time choose what counts, and the report lists every observation', async () => {
		const [narrow] = await judged(
			file(`
      - it: a narrow band over spring
        why: synthetic
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: { from: 2024-02, to: 2024-04 }
        statistic: coverage
        band: [p2.5, median]
        gte: 2`)
		);
		// p2.5 = 24.975, median = 499.5: 500 is now outside (by 0.5 < 3 SE: unsettled), 30 and 60 inside.
		const detail = narrow.cases[0].observations!;
		expect(detail.kind).toBe('coverage');
		if (detail.kind !== 'coverage') return;
		expect(detail.rows.map((r) => [r.label, r.inside, r.settled])).toEqual([
			['2024-02', false, 'unsettled'],
			['2024-03', true, 'unsettled'],
			['2024-04', true, 'inside']
		]);
		expect(narrow.verdict).toBe('inconclusive');
		const report = formatReport([narrow]).join('\n');
		expect(report).toContain(
			'coverage of [p2.5, median] = 2 of 3 observations inside (1 settled inside, 2 unsettled, 0 settled outside at 3 × SE; 1,000 paths); bound ≥ 2'
		);
		expect(report).toContain('outside: 2024-02; unsettled: 2024-02, 2024-03');
		expect(report).toMatch(/2024-02 {2}observed 500 {2}band \[24\.98, 499\.5\] \(SE [\d.]+, [\d.]+\) {2}unsettled \(outside by less than the SE margin\)/);
		expect(report).toMatch(/2024-04 {2}observed 60 {2}band \[24\.98, 499\.5\] .* inside$/m);
	});
});

describe('pit: observations against the spread of paths', () => {
	const pit = (figure: string, predicate: string) => `
      - it: 'pit ${figure} ${predicate}'
        why: synthetic
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: 2024
        statistic: pit
        ${figure}
        observedSums: [{ from: 2024-10, to: 2024-11, value: 1000 }]
        ${predicate}`;

	it('reports each PIT, their mean and the sign-test p, and judges the named figure', async () => {
		const [p, pLow, mean, meanHigh] = await judged(
			file([pit('', 'gte: 0.05'), pit('pit: signTestP', 'lte: 0.5'), pit('pit: mean', 'between: [0.25, 0.75]'), pit('pit: mean', 'gte: 0.45')].join('\n'))
		);
		const detail = p.cases[0].observations!;
		expect(detail.kind).toBe('pit');
		if (detail.kind !== 'pit') return;
		// PIT = share of paths i ≤ observed: (floor(x) + 1)/1000, capped at 1; the sum 1000 against 2i.
		expect(detail.rows.map((r) => r.pit)).toEqual([0.501, 0.031, 0.061, 0.006, 1, 0.701, 0.501]);
		expect([detail.above, detail.below]).toEqual([4, 3]);
		expect(detail.signTestP).toBe(1);
		expect(detail.mean).toBeCloseTo(2.801 / 7, 12);
		expect(p.cases[0].figure).toEqual({ value: 1, se: 0, n });
		expect(p.verdict).toBe('pass');
		expect(pLow.verdict).toBe('fail');
		expect(mean.cases[0].figure.value).toBeCloseTo(2.801 / 7, 12);
		expect(mean.verdict).toBe('pass');
		expect(meanHigh.verdict).toBe('fail');
		const report = formatReport([meanHigh]).join('\n');
		expect(report).toContain(
			'mean PIT = 0.4001 (4 of 7 PITs above 0.5, 3 below; sign-test p 1, mean PIT 0.4001; 1,000 paths, PIT error not counted); bound ≥ 0.45; misses by 0.04986'
		);
		expect(report).toMatch(/2024-10…2024-11 \(sum\) {2}observed 1,000 {2}PIT 0\.501/);
	});
});

describe('ratio of two months, path by path', () => {
	const ratio = (statistic: string, predicate: string) => `
      - it: 'June over May ${statistic} ${predicate.replace(/\n.*/s, '')}'
        why: synthetic
        scenarios: [observed-fixture]
        metrics: [demand]
        time: { ratio: "2024-06", over: "2024-05" }
        statistic: ${statistic}
        ${predicate}`;

	it('divides each path’s values, a zero denominator counting as +Infinity, then applies any statistic', async () => {
		const results = await judged(
			file(
				[
					ratio('median', 'approx: 1.2\n        tolerance: 0.001'),
					ratio('p25', 'lte: 1.1'),
					ratio('max', 'gt: 1e300'),
					ratio('"P(> 2)"', 'approx: 0.001\n        tolerance: 0'),
					ratio('mean', 'gt: 1e300')
				].join('\n')
			)
		);
		const [median, p25, max, probability, mean] = results;
		expect(median.cases[0].figure.value).toBeCloseTo(1.2, 12);
		expect(median.cases[0].time).toBe('2024-06 / 2024-05');
		expect(median.verdict).toBe('pass');
		expect(p25.verdict).toBe('fail');
		expect(max.cases[0].figure.value).toBe(Infinity);
		expect(max.verdict).toBe('pass');
		expect(probability.cases[0].figure.value).toBe(1 / n); // only path 0: 0 / 0 counts as +Infinity
		expect(mean.cases[0].figure).toEqual({ value: Infinity, se: 0, n });
		expect(formatReport([p25]).join('\n')).toContain(
			"observed-fixture · demand · 2024-06 / 2024-05 (each path's ratio): p25 = 1.2 (1,000 paths); bound ≤ 1.1; misses by 0.1"
		);
	});

	it('on a real, seeded run the figure is the statistic of the per-path ratios', async () => {
		const text = file(ratio('median', 'gt: 0'));
		const runs = await Promise.all([0, 1].map(() => executePlan(plan(text), simulateInThread)));
		const spec = plan(text).simulations[0];
		const paths = await simulateInThread(spec);
		const demand = paths.metrics.get('demand')!;
		const at = (month: string) => months.indexOf(month) * paths.pathCount;
		const ratios = Array.from({ length: 1000 }, (_, i) =>
			demand[at('2024-05') + i] === 0 ? Infinity : demand[at('2024-06') + i] / demand[at('2024-05') + i]
		).sort((a, b) => a - b);
		const median = (ratios[499] + ratios[500]) / 2;
		expect(runs[0][0].cases[0].figure.value).toBeCloseTo(median, 12);
		expect(runs[1][0].cases[0].figure).toEqual(runs[0][0].cases[0].figure);
		expect(runs[0][0].verdict).toBe('pass');
	});
});

describe('bad input is reported with its place and what is valid', () => {
	it('band, pit and observedSums outside their statistic, and bad bands, sums and bounds', () => {
		const message = problemsOf(
			file(`
      - it: misplaced options
        why: band, pit and observedSums on a median
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: 2024
        statistic: median
        band: [p5, p95]
        pit: mean
        observedSums: [{ from: 2024-01, to: 2024-02, value: 1 }]
        gt: 0
      - it: a reversed band, a sum outside the time and a scenario bound
        why: coverage counts observations
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: { from: 2024-01, to: 2024-06 }
        statistic: coverage
        band: [p95, p5]
        observedSums: [{ from: 2024-06, to: 2024-07, value: 1 }, { from: 2024-03, to: 2024-02, value: 1 }]
        gte: { scenario: observed-fixture }
      - it: coverage of a ratio
        why: a ratio has no observations
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: { ratio: 2024-06, over: 2024-05 }
        statistic: coverage
        gte: 1
      - it: no observations in the window
        why: only 2024-07 is there, and it is null
        scenarios: [observed-fixture]
        metrics: [chinaExports, demand]
        time: 2024-07
        statistic: pit
        gte: 0.05`)
		);
		for (const line of [
			'observed.yaml:14:9: groups[0].checks[0].band: "band" applies only to statistic: coverage; this check\'s statistic is median',
			'observed.yaml:15:9: groups[0].checks[0].pit: "pit" applies only to statistic: pit; this check\'s statistic is median',
			'observed.yaml:16:9: groups[0].checks[0].observedSums: "observedSums" applies only to statistic: coverage or pit; this check\'s statistic is median',
			'observed.yaml:24:9: groups[0].checks[1].band: the low edge p95 is not below the high edge p5',
			"observed.yaml:25:24: groups[0].checks[1].observedSums[0]: the sum over 2024-06…2024-07 is not inside the check's time, 2024-01…2024-06",
			'observed.yaml:25:66: groups[0].checks[1].observedSums[1]: the sum starts 2024-03, after it ends (2024-02)',
			'observed.yaml:26:9: groups[0].checks[1].gte: coverage compares the scenario with its observations, so its bound is a number (a count of observations), not another scenario',
			'groups[0].checks[2].time: coverage compares the observations inside a window of months: give a month, a year or {from, to}, not 2024-06 over 2024-05',
			'groups[0].checks[3].time: observed-fixture has no observed chinaExports value in 2024-07 (observed months: 2024-02, 2024-03, 2024-04, 2024-05, 2024-06, 2024-08); add observedSums or choose another time',
			'groups[0].checks[3].time: observed-fixture has no observed demand value in 2024-07 (it has no observed demand series); add observedSums or choose another time'
		]) {
			expect(message).toContain(line);
		}
	});

	it('malformed ratios, bands and pit figures', () => {
		const message = problemsOf(
			file(`
      - it: a ratio with a typo
        why: the key over is misspelt
        scenarios: [observed-fixture]
        metrics: [demand]
        time: { ratio: 2024-06, ovr: 2024-05 }
        statistic: median
        gt: 0
      - it: a ratio of a month over itself
        why: always 1
        scenarios: [observed-fixture]
        metrics: [demand]
        time: { ratio: 2024-06, over: 2024-06 }
        statistic: median
        gt: 0
      - it: a ratio past the horizon
        why: 2025 is not simulated
        scenarios: [observed-fixture]
        metrics: [demand]
        time: { ratio: 2025-02, over: 2024-05 }
        over: sum
        statistic: median
        gt: 0
      - it: bad band and pit
        why: not percentiles, not a figure
        scenarios: [observed-fixture]
        metrics: [chinaExports]
        time: 2024
        statistic: pit
        band: [low, p95]
        pit: median
        gt: 0`)
		);
		for (const pattern of [
			/observed\.yaml:12:33: groups\[0\]\.checks\[0\]\.time\.ovr: unknown key \(did you mean "over"\?\)/,
			/groups\[0\]\.checks\[0\]\.time\.over: missing/,
			/groups\[0\]\.checks\[1\]\.time: a ratio of 2024-06 over itself is 1 on every path: name two different months/,
			/groups\[0\]\.checks\[2\]\.time: month 2025-02 of the ratio is outside the horizon of observed-fixture, 2024-01 … 2024-12/,
			/groups\[0\]\.checks\[2\]\.over: "over" reduces a year or a range of months on each path; this check's time is 2025-02 over 2024-05/,
			/groups\[0\]\.checks\[3\]\.band\[0\]: .*a percentile such as "p5", "p95" or "median"/,
			/groups\[0\]\.checks\[3\]\.pit: .*"signTestP".*"mean"/
		]) {
			expect(message).toMatch(pattern);
		}
	});
});
