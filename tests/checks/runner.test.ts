import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/lib/checks/execute';
import { formatReport, summarise } from '../../src/lib/checks/report';
import { checkSchemaText } from '../../src/lib/checks/schema';
import { checksDirectory, findCheckFiles, loadCheckFiles } from '../../src/cli/check-files';
import { planChecks } from '../../src/lib/checks/plan';
import { library, planText, runText, simulateInThread } from './helpers';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

describe('check files', () => {
	it('checks/check.schema.json is the JSON Schema generated from the zod schema', () => {
		expect(readFileSync(join(checksDirectory, 'check.schema.json'), 'utf8')).toBe(checkSchemaText());
	});

	it('every file in checks/ is valid and the suite has at least 25 checks, each with a reason', () => {
		const { files, problems } = findCheckFiles([]);
		expect(problems).toEqual([]);
		const plan = planChecks(loadCheckFiles(files), library);
		expect(plan.checks.length).toBeGreaterThanOrEqual(25);
		for (const check of plan.checks) expect(check.why.length).toBeGreaterThan(10);
	});

	it('a JSON check file gives the same plan as its YAML twin', () => {
		const yaml = planText(fixture('pass.yaml'), 'pass.yaml');
		const json = planText(
			JSON.stringify({
				$schema: './check.schema.json',
				paths: 400,
				groups: [
					{
						describe: 'Fixture',
						checks: [
							{
								it: "median price paid under renewed controls exceeds the baseline's by at least 20 % in 2027",
								why: "a near-embargo removes most of the U.S.'s largest source",
								scenarios: ['renewed-controls'],
								metrics: ['averagePaidPrice'],
								time: 2027,
								statistic: 'median',
								gte: { scenario: 'baseline', times: 1.2 }
							}
						]
					}
				]
			}),
			'pass.json'
		);
		const strip = (plan: typeof yaml) => plan.checks.map(({ source: _source, location: _location, ...rest }) => rest);
		expect(strip(json)).toEqual(strip(yaml));
	});
});

describe('planning', () => {
	it('"every month" against a scenario with a shorter horizon is refused with both horizons named', () => {
		const text = `
groups:
  - describe: Horizons
    checks:
      - it: every month against a shorter scenario
        why: months after 2026 have nothing to compare with
        scenarios: [baseline]
        metrics: [usMagnetPrice]
        time: every month
        statistic: median
        gte: { scenario: export-surge-2025, times: 0.1 }
`;
		expect(() => planText(text)).toThrow(
			'inline.yaml:9:9: groups[0].checks[0].time: "every month" compares each month of baseline (2025-01 … 2035-12) with export-surge-2025, whose horizon is 2025-01 … 2026-12'
		);
	});
});

describe('metrics removed in model 2.0', () => {
	const removed =
		'price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice';

	it('a check file naming one in "metrics" is told what replaced it', () => {
		const text = `
groups:
  - describe: Old names
    checks:
      - it: the delivered price stays below 500 USD/kg
        why: a check written for model 1
        scenarios: [baseline]
        metrics: [price]
        time: 2027
        statistic: median
        lt: 500
`;
		expect(() => planText(text)).toThrow(`inline.yaml:8:19: groups[0].checks[0].metrics[0]: ${removed}`);
	});

	it('a check file naming one in a probability is told what replaced it', () => {
		const text = `
groups:
  - describe: Old names
    checks:
      - it: the delivered price rarely doubles
        why: a check written for model 1
        scenarios: [baseline]
        time: 2027
        statistic: P(price > 100)
        lt: 0.5
`;
		expect(() => planText(text)).toThrow(`groups[0].checks[0].statistic: ${removed}`);
	});
});

describe('verdicts on real runs', () => {
	it('a true check passes', async () => {
		const [result] = await runText(fixture('pass.yaml'), 'pass.yaml');
		expect(result.verdict).toBe('pass');
		expect(result.cases[0].sides[0].margin).toBeGreaterThan(3 * result.cases[0].sides[0].se);
	});

	it('a wrong check fails with a message naming scenario, metric, time, figure and bound', async () => {
		const results = await runText(fixture('fail.yaml'), 'fail.yaml');
		expect(results[0].verdict).toBe('fail');
		const report = formatReport(results).join('\n');
		const figure = results[0].cases[0].figure.value;
		expect(report).toContain('✗ FAIL');
		expect(report).toMatch(/renewed-controls · usMagnetPrice · 2027-06: median = [\d.,]+ USD\/kg/);
		expect(report).toContain(`median = ${Number(figure.toPrecision(4))}`);
		expect(report).toContain('bound > 5,000');
		expect(report).toMatch(/misses by [\d.,]+ \([\d.,]+ SE\)/);
		expect(report).toContain('why: deliberately wrong');
	});

	it('an underpowered check is inconclusive, not a coin flip, and says how many paths would settle it', async () => {
		const probe = (bound: string) => `
paths: 300
groups:
  - describe: Power
    checks:
      - it: the 2030 median landed price is at least the bound
        why: a bound half a standard error above the figure
        scenarios: [baseline]
        metrics: [usMagnetPrice]
        time: 2030
        statistic: median
        gte: ${bound}
`;
		const [first] = await runText(probe('0'));
		const { value, se } = first.cases[0].figure;
		expect(se).toBeGreaterThan(0);
		const bound = value + 0.5 * se;
		const [result] = await runText(probe(String(bound)));
		expect(result.verdict).toBe('inconclusive');
		const side = result.cases[0].sides[0];
		expect(side.margin).toBeCloseTo(-0.5 * se, 9);
		expect(result.settlePaths).toBe(Math.ceil(300 * ((3 * se) / Math.abs(side.margin)) ** 2));
		expect(result.settlePaths).toBeGreaterThan(300 * 30);
		expect(formatReport([result]).join('\n')).toMatch(/\? inconclusive[\s\S]*about [\d,]+ paths would settle it/);
		// Seeded: the same check gives the same figures and verdict every time.
		const [again] = await runText(probe(String(bound)));
		expect(again.cases[0].figure).toEqual(result.cases[0].figure);
		expect(again.verdict).toBe('inconclusive');
		expect(summarise([result])).toEqual({ passed: 0, failed: 0, inconclusive: 1 });
	});

	it('results do not depend on concurrency, and a smaller check reads the prefix of a larger run', async () => {
		const text = `
groups:
  - describe: Prefix
    checks:
      - it: small
        why: reads the first 200 paths
        paths: 200
        scenarios: [baseline]
        metrics: [usMagnetPrice, chinaExports]
        time: 2025-06
        statistic: median
        gt: 0
      - it: large
        why: needs 400 paths of the same run
        paths: 400
        scenarios: [baseline, renewed-controls]
        time: 2027
        over: max
        statistic: P(shortfall > 0)
        gte: { scenario: baseline }
`;
		const plan = planText(text);
		expect(plan.simulations.map((s) => [s.label, s.paths])).toEqual([
			['baseline', 400],
			['renewed-controls', 400]
		]);
		const one = await executePlan(plan, simulateInThread, { concurrency: 1 });
		const two = await executePlan(planText(text), simulateInThread, { concurrency: 3 });
		expect(two.map((r) => r.cases.map((c) => c.figure))).toEqual(one.map((r) => r.cases.map((c) => c.figure)));
		const alone = await runText(text.replace(/ {6}- it: large[\s\S]*$/, ''));
		expect(alone[0].cases.map((c) => c.figure)).toEqual(one[0].cases.map((c) => c.figure));
		expect(alone[0].cases[0].figure.n).toBe(200);
	});

	it('"every month" fails when any month fails and shows the first failing month', async () => {
		const [result] = await runText(`
paths: 200
groups:
  - describe: Every month
    checks:
      - it: exports stay above 100 t every month
        why: wrong in May 2025, under licensing
        scenarios: [export-surge-2025]
        metrics: [chinaExports]
        time: every month
        statistic: median
        gt: 100
`);
		expect(result.verdict).toBe('fail');
		expect(result.cases[0].months!.failed).toBeGreaterThan(0);
		expect(result.cases[0].time).toBe('2025-05');
		expect(formatReport([result]).join('\n')).toMatch(/every month: fails in \d+ of 24; shown: first failure/);
	});
});
