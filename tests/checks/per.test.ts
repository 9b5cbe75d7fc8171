import { describe, expect, it } from 'vitest';
import { perPathQuotient, valuesAt, type SimulatedPaths } from '../../src/lib/checks/evaluate';
import { executePlan } from '../../src/lib/checks/execute';
import type { Plan } from '../../src/lib/checks/plan';
import { formatReport } from '../../src/lib/checks/report';
import type { MetricName } from '../../src/lib/model/metrics';
import { monthToAbsolute } from '../../src/lib/time/months';
import { planText, simulateInThread } from './helpers';

/** A one-check file; `body` is the check's keys after it/why, indented by 8 spaces. */
const file = (body: string, paths = 201) => `
paths: ${paths}
seed: 7
groups:
  - describe: Per
    checks:
      - it: a check with per
        why: exports are judged as a share of demand
${body
	.trim()
	.split('\n')
	.map((line) => `        ${line.trim()}`)
	.join('\n')}
`;

/** Runs the plan's simulations in this thread and keeps them, so a test can recompute by hand. */
async function runKept(plan: Plan) {
	const runs = new Map<string, SimulatedPaths>();
	for (const spec of plan.simulations) runs.set(spec.key, await simulateInThread(spec));
	const results = await executePlan(plan, async (spec) => runs.get(spec.key)!);
	return { results, runs: [...runs.values()], plan };
}

/** Path i's value of a metric at a month, read straight from the stored month-major array. */
function at(paths: SimulatedPaths, metric: MetricName, month: string, i: number): number {
	const t = monthToAbsolute(month) - monthToAbsolute(paths.months[0]);
	return paths.metrics.get(metric)![t * paths.pathCount + i];
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const mean = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length;

describe('per: dividing by another metric, path by path and month by month', () => {
	it('0/0 is 0, x/0 is ±Infinity, otherwise the quotient', () => {
		expect(perPathQuotient(0, 0)).toBe(0);
		expect(perPathQuotient(3, 0)).toBe(Infinity);
		expect(perPathQuotient(-3, 0)).toBe(-Infinity);
		expect(perPathQuotient(3, 4)).toBe(0.75);
		expect(perPathQuotient(0, 4)).toBe(0);
	});

	it('valuesAt divides before reducing over time and in the ratio form (synthetic paths)', () => {
		// Two paths, three months, month-major: value of path i at month t is at t * 2 + i.
		const paths: SimulatedPaths = {
			months: ['2025-01', '2025-02', '2025-03'],
			pathCount: 2,
			metrics: new Map<MetricName, Float32Array>([
				['chinaExports', Float32Array.from([2, 0, 6, 5, 0, 4])],
				['demand', Float32Array.from([4, 0, 3, 0, 0, 8])]
			])
		};
		const month = { kind: 'month', month: '2025-02' } as const;
		expect(Array.from(valuesAt(paths, 'chinaExports', month, 'mean', 2, 'demand'))).toEqual([2, Infinity]);
		expect(Array.from(valuesAt(paths, 'chinaExports', { kind: 'month', month: '2025-01' }, 'mean', 2, 'demand'))).toEqual([0.5, 0]);
		const range = { kind: 'range', from: '2025-01', to: '2025-03', label: '2025-01…2025-03' } as const;
		// Path 0: 2/4, 6/3, 0/0 → 0.5, 2, 0; path 1: 0/0, 5/0, 4/8 → 0, Infinity, 0.5.
		expect(Array.from(valuesAt(paths, 'chinaExports', range, 'mean', 2, 'demand'))).toEqual([2.5 / 3, Infinity]);
		expect(Array.from(valuesAt(paths, 'chinaExports', range, 'min', 2, 'demand'))).toEqual([0, 0]);
		expect(Array.from(valuesAt(paths, 'chinaExports', range, 'max', 2, 'demand'))).toEqual([2, Infinity]);
		// Not the mean of exports over the mean of demand: path 0 would give (8/3) / (7/3).
		expect(valuesAt(paths, 'chinaExports', range, 'mean', 2, 'demand')[0]).not.toBeCloseTo(8 / 7);
		// Ratio of the quotients: path 0, (6/3) / (2/4) = 4; path 1, (5/0) / (0/0) = Infinity / 0 → +Infinity.
		const ratio = { kind: 'ratio', numerator: '2025-02', denominator: '2025-01', label: '2025-02 / 2025-01' } as const;
		expect(Array.from(valuesAt(paths, 'chinaExports', ratio, 'mean', 2, 'demand'))).toEqual([4, Infinity]);
		// Two infinite quotients have no finite ratio: +Infinity.
		const infinite: SimulatedPaths = {
			...paths,
			metrics: new Map<MetricName, Float32Array>([
				['chinaExports', Float32Array.from([1, 1, 2, 2, 0, 0])],
				['demand', Float32Array.from([0, 0, 0, 0, 0, 0])]
			])
		};
		expect(Array.from(valuesAt(infinite, 'chinaExports', ratio, 'mean', 2, 'demand'))).toEqual([Infinity, Infinity]);
		// Without per the values are the metric's own.
		expect(Array.from(valuesAt(paths, 'chinaExports', month, 'mean', 2))).toEqual([6, 5]);
	});

	it('the plan keeps the per metric in every simulation the check reads, subjects and references', () => {
		const plan = planText(
			file(`
				scenarios: [renewed-controls]
				metrics: [chinaExports]
				per: demand
				time: 2027
				statistic: mean
				gte: { scenario: baseline, times: 0.1 }
			`)
		);
		expect(plan.checks[0].per).toBe('demand');
		expect(plan.simulations).toHaveLength(2);
		for (const spec of plan.simulations) expect([...spec.metrics].sort()).toEqual(['chinaExports', 'demand']);
	});

	it('a month: the P95 is that of the per-path quotients of a real run (hand computation)', async () => {
		const { results, runs } = await runKept(
			planText(
				file(`
					scenarios: [history-2025]
					metrics: [chinaExports]
					per: demand
					time: "2025-05"
					statistic: p95
					lte: 3
				`)
			)
		);
		const [run] = runs;
		const q = Array.from({ length: 201 }, (_, i) => at(run, 'chinaExports', '2025-05', i) / at(run, 'demand', '2025-05', i));
		// n = 201: (n − 1) × 0.95 = 190 exactly, so the P95 is the 191st smallest quotient.
		const p95 = sorted(q)[190];
		const figure = results[0].cases[0].figure;
		expect(figure.n).toBe(201);
		expect(figure.value).toBeCloseTo(p95, 12);
		// The quotients are not the metric itself: a check of the raw exports gives another figure.
		const raw = sorted(Array.from({ length: 201 }, (_, i) => at(run, 'chinaExports', '2025-05', i)))[190];
		expect(Math.abs(raw - p95)).toBeGreaterThan(1);
		expect(q.some((x) => x !== q[0])).toBe(true);
	});

	it("a year with over: max: each path's largest monthly quotient, then the median (hand computation)", async () => {
		const { results, runs } = await runKept(
			planText(
				file(`
					scenarios: [baseline]
					metrics: [chinaExports]
					per: demand
					time: 2026
					over: max
					statistic: median
					lt: 5
				`)
			)
		);
		const [run] = runs;
		const months = Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`);
		const perPath = Array.from({ length: 201 }, (_, i) => Math.max(...months.map((month) => at(run, 'chinaExports', month, i) / at(run, 'demand', month, i))));
		// Dividing the yearly maxima instead would be another figure.
		const ofMaxima = Array.from(
			{ length: 201 },
			(_, i) => Math.max(...months.map((month) => at(run, 'chinaExports', month, i))) / Math.max(...months.map((month) => at(run, 'demand', month, i)))
		);
		expect(sorted(perPath)[100]).not.toBeCloseTo(sorted(ofMaxima)[100], 6);
		expect(results[0].cases[0].figure.value).toBeCloseTo(sorted(perPath)[100], 12);
		expect(results[0].cases[0].time).toBe('2026');
	});

	it("the ratio form divides the two months' quotients (hand computation)", async () => {
		const { results, runs } = await runKept(
			planText(
				file(`
					scenarios: [history-2025]
					metrics: [chinaExports]
					per: demand
					time: { ratio: "2025-06", over: "2025-05" }
					statistic: mean
					gt: 0
				`)
			)
		);
		const [run] = runs;
		const share = (month: string, i: number) => at(run, 'chinaExports', month, i) / at(run, 'demand', month, i);
		const ratios = Array.from({ length: 201 }, (_, i) => (share('2025-05', i) === 0 ? Infinity : share('2025-06', i) / share('2025-05', i)));
		expect(results[0].cases[0].figure.value).toBeCloseTo(mean(ratios), 9);
	});

	it('"every month": each month judges the quotients; the shown month\'s figure is its P95 by hand', async () => {
		const { results, runs } = await runKept(
			planText(
				file(`
					scenarios: [history-2025]
					metrics: [chinaExports]
					per: demand
					time: every month
					statistic: p95
					lte: 3
				`)
			)
		);
		const [run] = runs;
		const result = results[0].cases[0];
		expect(result.months?.total).toBe(run.months.length);
		const q = Array.from({ length: 201 }, (_, i) => at(run, 'chinaExports', result.time, i) / at(run, 'demand', result.time, i));
		expect(result.figure.value).toBeCloseTo(sorted(q)[190], 12);
		// Every month's P95 of the quotient is at most 3 (the raw exports are hundreds of t/month), so every month passes.
		const worst = Math.max(
			...run.months.map((month) => sorted(Array.from({ length: 201 }, (_, i) => at(run, 'chinaExports', month, i) / at(run, 'demand', month, i)))[190])
		);
		expect(worst).toBeLessThan(3);
		expect(result.verdict).toBe('pass');
		expect(result.months).toEqual({ failed: 0, inconclusive: 0, total: run.months.length });
	});

	it('P(> x) counts the paths whose quotient exceeds x', async () => {
		const { results, runs } = await runKept(
			planText(
				file(`
					scenarios: [history-2025]
					metrics: [chinaExports]
					per: demand
					time: "2025-06"
					statistic: P(> 0.5)
					lte: 1
				`)
			)
		);
		const [run] = runs;
		const count = Array.from({ length: 201 }, (_, i) => at(run, 'chinaExports', '2025-06', i) / at(run, 'demand', '2025-06', i)).filter((x) => x > 0.5).length;
		expect(results[0].cases[0].figure.value).toBeCloseTo(count / 201, 12);
	});

	it('against another scenario both sides are divided, and the SE is that of the per-path difference (common random numbers)', async () => {
		const { results, runs, plan } = await runKept(
			planText(
				file(`
					scenarios: [renewed-controls]
					metrics: [chinaExports]
					per: demand
					time: 2027
					statistic: mean
					lte: { scenario: baseline, times: 0.9 }
				`)
			)
		);
		const byId = (id: string) => runs[plan.simulations.findIndex((s) => s.scenario.id === id)];
		const months = Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}`);
		const yearly = (run: SimulatedPaths) =>
			Array.from({ length: 201 }, (_, i) => mean(months.map((month) => at(run, 'chinaExports', month, i) / at(run, 'demand', month, i))));
		const x = yearly(byId('renewed-controls'));
		const y = yearly(byId('baseline'));
		const difference = x.map((xi, i) => xi - 0.9 * y[i]);
		const d = mean(difference);
		const se = Math.sqrt(difference.reduce((s, v) => s + (v - d) ** 2, 0) / 200 / 201);
		const [side] = results[0].cases[0].sides;
		expect(results[0].cases[0].figure.value).toBeCloseTo(mean(x), 9);
		expect(side.bound).toBeCloseTo(0.9 * mean(y), 9);
		expect(side.margin).toBeCloseTo(0.9 * mean(y) - mean(x), 9);
		expect(side.se).toBeCloseTo(se, 9);
	});

	it('the report names the quotient "chinaExports ÷ demand", with no unit', async () => {
		const { results } = await runKept(
			planText(
				file(`
					scenarios: [baseline]
					metrics: [chinaExports]
					per: demand
					time: "2026-03"
					statistic: P(> 0.5)
					gte: 0
				`)
			)
		);
		const text = formatReport(results, { verbose: true }).join('\n');
		expect(text).toContain('baseline · chinaExports ÷ demand · 2026-03: P(chinaExports ÷ demand > 0.5) = ');
		const median = await runKept(planText(file('scenarios: [baseline]\nmetrics: [chinaExports]\nper: demand\ntime: 2026\nstatistic: median\ngte: 0')));
		const line = formatReport(median.results, { verbose: true }).join('\n');
		expect(line).toMatch(/baseline · chinaExports ÷ demand · 2026 \(each path's mean\): median = [\d.]+ ± [\d.e-]+ SE \(201 paths\)/);
		expect(line).not.toContain('t/month');
	});
});

describe('per: bad input', () => {
	const refused = (body: string) => {
		try {
			planText(file(body));
		} catch (error) {
			return (error as Error).message;
		}
		throw new Error('the plan was accepted');
	};

	it('an unknown per metric gets the did-you-mean message at its line and column', () => {
		expect(refused('scenarios: [baseline]\nmetrics: [chinaExports]\nper: demnd\ntime: 2026\nstatistic: median\ngte: 0')).toBe(
			'inline.yaml:11:9: groups[0].checks[0].per: unknown metric "demnd" (did you mean "demand"?); metrics: demand, chinaExports, domesticSupply, alliedSupply, inventory, coverMonths, shortfall, ndprPrice, chinaMagnetPrice, exChinaPremium, usMagnetPrice, averagePaidPrice, chinaShare, relianceCut, domesticShare, replacement, importBill, backlog, regime'
		);
	});

	it('names are looked up as own properties: "constructor" is no metric', () => {
		expect(refused('scenarios: [baseline]\nmetrics: [chinaExports]\nper: constructor\ntime: 2026\nstatistic: median\ngte: 0')).toMatch(
			/^inline\.yaml:11:9: groups\[0\]\.checks\[0\]\.per: unknown metric "constructor"/
		);
	});

	it('a removed metric gets its removed-metric message', () => {
		expect(refused('scenarios: [baseline]\nmetrics: [chinaExports]\nper: price\ntime: 2026\nstatistic: median\ngte: 0')).toBe(
			'inline.yaml:11:9: groups[0].checks[0].per: price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice'
		);
	});

	it('per with coverage or pit is refused: observed series are not ratios', () => {
		const body = (statistic: string) =>
			`scenarios: [history-2025]\nmetrics: [chinaExports]\nper: demand\ntime: { from: 2024-01, to: 2025-06 }\nstatistic: ${statistic}\ngte: 0`;
		for (const statistic of ['coverage', 'pit']) {
			expect(refused(body(statistic))).toBe(
				`inline.yaml:11:9: groups[0].checks[0].per: "per" does not apply to ${statistic}: it compares the paths with the scenario's observed series, which are values of the metric, not ratios; drop "per" or use another statistic`
			);
		}
	});

	it('a metric per itself is refused', () => {
		expect(refused('scenarios: [baseline]\nmetrics: [chinaExports, demand]\nper: demand\ntime: 2026\nstatistic: median\ngte: 0')).toBe(
			'inline.yaml:11:9: groups[0].checks[0].per: demand per demand is 1 on every path (0 where it is 0): divide by another metric'
		);
	});

	it('per must be a string', () => {
		expect(refused('scenarios: [baseline]\nmetrics: [chinaExports]\nper: 3\ntime: 2026\nstatistic: median\ngte: 0')).toContain(
			'inline.yaml:11:9: groups[0].checks[0].per: expected string, found number 3'
		);
	});
});
