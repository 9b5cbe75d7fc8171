import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/lib/engine/run';
import { metricCount } from '../../src/lib/model/metrics';
import { exportedScenarioFile, scenarioFileText, summaryCsv } from '../../src/lib/notebook/export-scenario';
import { resolveChoice } from '../../src/lib/notebook/state';
import { buildLibrary, resolveScenario } from '../../src/lib/scenario/resolve';
import { loadScenarioText } from '../../src/lib/scenario/read';
import { scenarioTexts, testLibrary } from './fixtures';

/** Resolves an exported file the way the batch CLI does: against the library in scenarios/. */
function resolveLikeCli(text: string) {
	const { library } = buildLibrary(scenarioTexts());
	const loaded = loadScenarioText(text, 'exported.json');
	if (!loaded.file) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
	library.set(loaded.file.id, { ...loaded, file: loaded.file });
	return resolveScenario(loaded.file.id, library);
}

describe('exported scenario', () => {
	it('reproduces the notebook’s run: same parameters, seed, paths and fingerprint', () => {
		const choice = { id: 'baseline', values: { demandGrowth: 0.12, capacitySlipExtra: 30, targetCoverMonths: 5.5 } };
		const { base, scenario, problems } = resolveChoice(choice, testLibrary());
		expect(problems).toEqual([]);
		const file = exportedScenarioFile(choice, base, scenario, 99, 150);
		expect(file).toMatchObject({ $schema: './scenario.schema.json', extends: 'baseline', seed: 99, paths: 150 });
		const resolved = resolveLikeCli(scenarioFileText(file));
		expect(resolved.parameters).toEqual(scenario.parameters);
		const fromFile = runScenario(resolved, { seed: resolved.seed, paths: resolved.paths });
		expect(fromFile.fingerprint).toBe(runScenario(scenario, { seed: 99, paths: 150 }).fingerprint);
	});

	it('exports an imported scenario whole, with the slider values', () => {
		const imported = { id: 'my-case', extends: 'baseline', title: 'Mine', description: 'mine', parameters: { demandBase: 900 } };
		const choice = { id: 'my-case', values: { demandGrowth: 0.02 }, file: imported };
		const { base, scenario } = resolveChoice(choice, testLibrary());
		const file = exportedScenarioFile(choice, base, scenario, 5, 100);
		expect(file.parameters).toMatchObject({ demandBase: 900 });
		expect(resolveLikeCli(scenarioFileText(file)).parameters).toEqual(scenario.parameters);
	});

	it('summary CSV has a header and a row per metric and month', () => {
		const { scenario } = resolveChoice({ id: 'history-2025', values: {} }, testLibrary());
		const result = runScenario(scenario, { seed: 1, paths: 20 });
		const lines = summaryCsv(result).trim().split('\n');
		expect(lines[0]).toBe('metric,unit,month,p5,p25,p50,p75,p95,mean,se50');
		expect(lines).toHaveLength(1 + metricCount * result.months.length);
		expect(lines[1]).toMatch(/^demand,t\/month,2024-01,/);
	});
});
