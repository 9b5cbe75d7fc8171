import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { evaluateIndicator, toIndicator } from '../../src/lib/analysis/indicator';
import { runScenario } from '../../src/lib/engine/run';
import { formatProbability } from '../../src/lib/notebook/format';
import { indicatorRows } from '../../src/lib/notebook/indicators';
import { proportionError } from '../../src/lib/stats/estimates';
import { scenario } from '../analysis/helpers';
import { runText } from './helpers';

/**
 * One question asked of the check engine and of the notebook must get one answer: the same
 * estimate and the same standard error, from the one statistics core.
 */
const seed = 20260101;
const paths = 400;
const baseline = scenario('baseline');

/** A check file judging `statistic` over `time` for the baseline, with each path's max over the window. */
const checkFile = (statistic: string, time: string) => `
paths: ${paths}
seed: ${seed}
groups:
  - describe: Same figures
    checks:
      - it: asks the notebook's question
        why: the check engine and the notebook share one statistics core
        scenarios: [baseline]
        statistic: "${statistic}"
        time: ${time}
        over: max
        lte: 1
`;

async function checkFigure(statistic: string, time: string) {
	const [result] = await runText(checkFile(statistic, time));
	return result.cases[0].figure;
}

describe('the check engine and the notebook report the same figures', () => {
	it('P(shortfall > 0) in 2027: the same estimate and SE as the notebook’s indicator', async () => {
		const simulated = await simulateScenario(baseline, { seed, paths });
		const notebook = evaluateIndicator(simulated, toIndicator('P(shortfall > 0) in 2027', simulated.months));
		const check = await checkFigure('P(shortfall > 0)', '2027');
		expect(notebook.value).toBeGreaterThan(0);
		expect(notebook.value).toBeLessThan(1);
		expect({ value: check.value, se: check.se }).toEqual({ value: notebook.value, se: notebook.se });
	});

	it('a probability no path reaches: the same one-path floor in both, not an SE of 0', async () => {
		const simulated = await simulateScenario(baseline, { seed, paths });
		const notebook = evaluateIndicator(simulated, toIndicator('P(shortfall > 1000000) in 2027', simulated.months));
		const check = await checkFigure('P(shortfall > 1000000)', '2027');
		expect(notebook.value).toBe(0);
		expect(check.se).toBeGreaterThan(0);
		expect({ value: check.value, se: check.se }).toEqual({ value: notebook.value, se: notebook.se });
	});

	it('P(shortfall > 0) by the end of 2027: the same text in the notebook’s indicator table as in the check', async () => {
		const label = 'Chance of a shortfall by the end of 2027';
		const { indicators } = runScenario(baseline, { seed, paths });
		const row = indicatorRows(indicators, paths).find((r) => r.label === label);
		const check = await checkFigure('P(shortfall > 0)', `{ from: ${baseline.start}, to: 2027-12 }`);
		expect(row && `${row.estimate} ± ${row.standardError}`).toBe(formatProbability(check.value, check.se));
		const byEnd2027 = indicators.shortfallByYear.find((entry) => entry.year === 2027)?.byYear;
		expect(check.value).toBe(byEnd2027?.p);
		expect(check.se).toBe(proportionError(check.value, paths));
	});
});
