import { expect, test, type Locator, type Page } from '@playwright/test';
import { attribute } from '../../src/lib/analysis/attribution';
import { simulateScenario } from '../../src/lib/analysis/common';
import { compareScenarios } from '../../src/lib/analysis/compare';
import { refineUntilPrecise } from '../../src/lib/analysis/convergence';
import { formulaCell } from '../../src/lib/analysis/formula';
import { renderNarrative } from '../../src/lib/analysis/narrative';
import { thresholdProbabilities } from '../../src/lib/analysis/threshold';
import { tornado } from '../../src/lib/analysis/tornado';
import { runScenario } from '../../src/lib/engine/run';
import type { Cell } from '../../src/lib/notebook/cells';
import { resolveChoice, type NotebookState } from '../../src/lib/notebook/state';
import { firstUnknownMonth } from '../../src/lib/scenario/now';
import type { ScenarioFile } from '../../src/lib/scenario/schema';
import { testLibrary } from '../notebook/fixtures';
import { collectErrors, linkTo, runStatus } from './pages';

/**
 * The analysis cells in the built site: each runs in the worker pool, and gives the same numbers
 * as the same function of src/lib/analysis run here in Node. Bad input shows a message in the
 * cell and leaves the page usable.
 */

const library = testLibrary();
const SEED = 7;
const PATHS = 1_000;

function resolved(id: string, values: Record<string, number> = {}, file?: ScenarioFile) {
	return resolveChoice(file ? { id, values, file } : { id, values }, library).scenario;
}

/** A cell without its id and collapsed flag (distributed over the kinds). */
type Draft = Cell extends infer C ? (C extends Cell ? Omit<C, 'id' | 'collapsed'> : never) : never;

function numbered(cells: Draft[]): Cell[] {
	return cells.map((cell, i) => ({ ...cell, id: `cell-${i + 1}`, collapsed: false }) as Cell);
}

/** Waits for the notebook's full run. */
async function runDone(page: Page): Promise<string> {
	await expect(page.locator(runStatus)).toHaveAttribute('data-state', 'done');
	return (await page.getByTestId('fingerprint').textContent())!;
}

function cellOf(page: Page, kind: string): Locator {
	return page.locator(`[data-cell-kind="${kind}"]`).last();
}

/** The JSON an analysis cell exposes for its result, once there. */
async function analysisJson(page: Page, kind: string, within?: Locator): Promise<unknown> {
	const pre = (within ?? page).getByTestId(`analysis-json-${kind}`).first();
	await expect(pre).toBeAttached({ timeout: 90_000 });
	return JSON.parse((await pre.textContent())!);
}

/** A result as the page's JSON has it (NaN → null, no wall times). */
function asJson(value: unknown): unknown {
	return JSON.parse(JSON.stringify(value, (key, v) => (key === 'timing' ? undefined : v)));
}

test('each analysis gives the same numbers in the browser worker and in Node', async ({ page }) => {
	const errors = collectErrors(page);
	const state: NotebookState = {
		scenario: { id: 'renewed-controls', values: {} },
		seed: SEED,
		paths: PATHS,
		cells: numbered([
			{ kind: 'comparison', metric: 'chinaExports', against: 'baseline' },
			{ kind: 'threshold', threshold: 'usMagnetPrice > 2 × start' },
			{ kind: 'tornado', indicator: 'median usMagnetPrice 2027', paths: 200, levers: 'controls' },
			{ kind: 'attribution', against: 'baseline', indicator: 'median usMagnetPrice 2027', paths: 200 },
			{ kind: 'formula', expression: 'usMagnetPrice * 2', unit: 'USD/kg' },
			{ kind: 'indicators', refine: { indicator: 'P(shortfall > 0) by 2027', target: 0.01, maxPaths: 5_000 } }
		])
	};
	await page.goto(await linkTo(state));
	await runDone(page);
	const scenario = resolved('renewed-controls');
	const baseline = resolved('baseline');
	const settings = { seed: SEED, paths: PATHS };

	const compare = await compareScenarios(baseline, scenario, { ...settings, metrics: ['chinaExports'] });
	expect(await analysisJson(page, 'compare')).toEqual(asJson(compare));

	const paths = await simulateScenario(scenario, settings);
	// The notebook counts "reached" from the scenario's "now" (the month after its data).
	expect(await analysisJson(page, 'threshold')).toEqual(asJson(thresholdProbabilities(paths, 'usMagnetPrice > 2 × start', firstUnknownMonth(scenario))));

	const formula = (await analysisJson(page, 'formula')) as { summary: { p5: number[]; p50: number[]; p95: number[]; mean: number[] } };
	expect(formula).toEqual(asJson(formulaCell('usMagnetPrice * 2', paths, { unit: 'USD/kg' })));
	// usMagnetPrice * 2 is exactly twice the usMagnetPrice summary of the notebook's own run.
	const price = runScenario(scenario, settings).metrics.usMagnetPrice;
	expect(formula.summary.p50).toEqual(price.p50.map((v) => 2 * v));
	expect(formula.summary.p5).toEqual(price.p5.map((v) => 2 * v));
	expect(formula.summary.p95).toEqual(price.p95.map((v) => 2 * v));

	expect(await analysisJson(page, 'tornado')).toEqual(
		asJson(await tornado(scenario, { seed: SEED, paths: 200, indicator: 'median usMagnetPrice 2027', include: ['control'] }))
	);

	const attribution = (await analysisJson(page, 'attribution')) as { total: { value: number }; contributions: { contribution: number }[] };
	expect(attribution).toEqual(asJson(await attribute(baseline, scenario, { seed: SEED, paths: 200, indicator: 'median usMagnetPrice 2027' })));
	const sum = attribution.contributions.reduce((s, c) => s + c.contribution, 0);
	expect(Math.abs(sum - attribution.total.value)).toBeLessThan(1e-9);

	const refine = (await analysisJson(page, 'refine')) as { se: number; met: boolean; pathsUsed: number };
	expect(refine).toEqual(
		asJson(await refineUntilPrecise(scenario, { indicator: 'P(shortfall > 0) by 2027', targetSe: 0.01, seed: SEED, startPaths: PATHS, maxPaths: 5_000 }))
	);
	expect(refine.met).toBe(true);
	expect(refine.se).toBeLessThanOrEqual(0.01);
	await expect(page.getByTestId('refine-verdict')).toHaveAttribute('data-met', 'true');
	expect(errors).toEqual([]);
});

test('a scenario compared with itself shows a difference of exactly zero on every path', async ({ page }) => {
	const state: NotebookState = {
		scenario: { id: 'baseline', values: {} },
		seed: SEED,
		paths: PATHS,
		cells: numbered([{ kind: 'comparison', metric: 'usMagnetPrice', against: 'renewed-controls' }])
	};
	await page.goto(await linkTo(state));
	await runDone(page);
	const cell = cellOf(page, 'comparison');
	await analysisJson(page, 'compare', cell);
	await expect(cell.getByTestId('comparison-summary')).toHaveAttribute('data-identical', 'false');
	await cell.getByLabel('Compare with').selectOption('baseline');
	await expect(cell.getByTestId('comparison-summary')).toHaveAttribute('data-identical', 'true');
	await expect(cell.getByTestId('comparison-summary')).toContainText('exactly 0 on every path');
	const result = (await analysisJson(page, 'compare', cell)) as {
		a: { id: string };
		metrics: { usMagnetPrice: { difference: Record<string, number[]>; pWorse: { p: number[] } } };
	};
	expect(result.a.id).toBe('baseline');
	const { difference, pWorse } = result.metrics.usMagnetPrice;
	for (const series of [difference.p5, difference.p50, difference.p95, difference.mean, pWorse.p]) expect(series.every((v) => v === 0)).toBe(true);
	await cell.getByTestId('comparison-usMagnetPrice').scrollIntoViewIfNeeded();
	await expect(cell.getByTestId('comparison-usMagnetPrice')).not.toHaveAttribute('data-drawn', '');
});

test('a comparison with a shorter scenario compares the overlap, and says so', async ({ page }) => {
	const state: NotebookState = {
		scenario: { id: 'baseline', values: {} },
		seed: SEED,
		paths: PATHS,
		cells: numbered([{ kind: 'comparison', metric: 'chinaExports', against: 'export-surge-2025' }])
	};
	await page.goto(await linkTo(state));
	await runDone(page);
	const cell = cellOf(page, 'comparison');
	await expect(cell.getByTestId('comparison-notice').first()).toContainText('compared over the overlap 2025-01 … 2026-12');
	const result = (await analysisJson(page, 'compare', cell)) as { months: string[] };
	expect(result.months).toHaveLength(24);
});

test('a formula that does not parse shows the position and reason, and the page stays usable', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	await runDone(page);
	await page.getByRole('button', { name: 'Formula', exact: true }).click();
	const cell = cellOf(page, 'formula');
	await analysisJson(page, 'formula', cell);
	await cell.getByTestId('formula-input').fill('usMagnetPrice * (2 +');
	await cell.getByTestId('formula-evaluate').click();
	const error = cell.getByTestId('error');
	await expect(error).toContainText('does not parse');
	await expect(error).toContainText(/at character \d+/);
	await expect(cell.getByTestId('formula-error-position')).toBeVisible();
	await expect(cell.getByTestId('analysis-json-formula')).toHaveCount(0);

	// Unknown metric: the valid names are listed.
	await cell.getByTestId('formula-input').fill('usMagnetPrise * 2');
	await cell.getByTestId('formula-evaluate').click();
	await expect(error).toContainText('unknown name "usMagnetPrise"');
	await expect(error).toContainText('did you mean "usMagnetPrice"');
	await expect(error).toContainText('chinaExports, domesticSupply');

	// A metric removed in model 2.0: what replaced it.
	await cell.getByTestId('formula-input').fill('price * 2');
	await cell.getByTestId('formula-evaluate').click();
	await expect(error).toContainText('the delivered "price" was removed in model 2.0: use usMagnetPrice');

	// A disabled function.
	await cell.getByTestId('formula-input').fill('evaluate("1 + 1")');
	await cell.getByTestId('formula-evaluate').click();
	await expect(error).toContainText('disabled');

	// The page stays usable: a slider still runs the notebook, and a good formula draws.
	const slider = page.locator('input[type="range"][data-param="demandGrowth"]');
	await slider.focus();
	await slider.press('ArrowRight');
	await runDone(page);
	await cell.getByTestId('formula-input').fill('max(0, demand - domesticSupply - alliedSupply) * 12');
	await cell.getByTestId('formula-unit').fill('t/yr');
	await cell.getByTestId('formula-evaluate').click();
	await expect(cell.getByTestId('error')).toHaveCount(0);
	const result = (await analysisJson(page, 'formula', cell)) as { expression: string; unit: string };
	expect(result).toMatchObject({ expression: 'max(0, demand - domesticSupply - alliedSupply) * 12', unit: 't/yr' });
	await expect(cell.getByTestId('formula-timing')).toContainText('ms over 10,000 paths × 132 months');
	console.log(`formula in the worker: ${await cell.getByTestId('formula-timing').textContent()}`);
	expect(errors).toEqual([]);
});

test('a threshold of the wrong unit or type is refused with a message; a good one gives probabilities by month and year', async ({ page }) => {
	await page.goto('/');
	await runDone(page);
	await page.getByRole('button', { name: 'Threshold', exact: true }).click();
	const cell = cellOf(page, 'threshold');
	const input = cell.getByTestId('threshold-input');
	await input.fill('chinaShare < 60 t/month');
	await input.press('Enter');
	await expect(cell.getByTestId('error')).toContainText('"t/month" does not fit chinaShare, measured in fraction');
	await input.fill('usMagnetPrice > cheap');
	await input.press('Enter');
	await expect(cell.getByTestId('error')).toContainText('cannot read');
	await input.fill('chinaShare < 60 %');
	await input.press('Enter');
	await expect(cell.getByTestId('error')).toHaveCount(0);
	const result = (await analysisJson(page, 'threshold', cell)) as { threshold: { label: string; level: number }; byYear: unknown[] };
	expect(result.threshold).toMatchObject({ label: 'chinaShare < 60 %', level: 0.6 });
	expect(result.byYear).toHaveLength(11);
	await expect(cell.getByTestId('threshold-table')).toContainText('%');
});

test('a tornado on a constructed scenario where one lever dominates ranks it first', async ({ page }) => {
	const file = {
		id: 'tornado-fixture',
		extends: 'baseline',
		title: 'Tornado fixture',
		description: 'Two sliders: extra slip of the U.S. plants (wide range, 12 months set) and NdPr price volatility (narrow).',
		parameters: { capacitySlipExtra: 12 },
		controls: [
			{ param: 'ndprVolatility', label: 'NdPr price volatility', min: 0.055, max: 0.065, step: 0.001, group: 'price' },
			{ param: 'capacitySlipExtra', label: 'U.S. plants slip further', min: 0, max: 48, step: 1, group: 'capacity' }
		]
	} as unknown as ScenarioFile;
	const state: NotebookState = {
		scenario: { id: 'tornado-fixture', values: {}, file },
		seed: SEED,
		paths: PATHS,
		cells: numbered([{ kind: 'tornado', indicator: 'median replacement 2032', paths: 300, levers: 'controls' }])
	};
	await page.goto(await linkTo(state));
	await runDone(page);
	const cell = cellOf(page, 'tornado');
	const result = (await analysisJson(page, 'tornado', cell)) as { bars: { param: string; swing: number }[] };
	// The file's two sliders replace baseline's of the same parameters; the U.S. plants' slip dominates them all, NdPr volatility barely moves it.
	expect(result.bars[0].param).toBe('capacitySlipExtra');
	const volatility = result.bars.find((b) => b.param === 'ndprVolatility')!;
	expect(result.bars[0].swing).toBeGreaterThan(10 * volatility.swing);
	await expect(cell.getByTestId('tornado-first')).toHaveText('U.S. plants slip further');
	const scenario = resolved('tornado-fixture', {}, file);
	expect(result).toEqual(asJson(await tornado(scenario, { seed: SEED, paths: 300, indicator: 'median replacement 2032', include: ['control'] })));
});

test('a tornado at default settings shows progress, is cancelled by a newer request, and never draws a stale result', async ({ page }) => {
	await page.goto('/');
	await runDone(page);
	const started = Date.now();
	await page.getByRole('button', { name: 'Tornado', exact: true }).click();
	const cell = cellOf(page, 'tornado');
	await expect(cell).toContainText('1,000 paths per variant is modest on purpose');
	await expect(cell.getByTestId('analysis-progress')).toBeVisible();
	// A newer request (a slider move) cancels it; the result that arrives is for the new settings.
	const slider = page.locator('input[type="range"][data-param="demandGrowth"]');
	await slider.focus();
	await slider.press('ArrowRight');
	await runDone(page);
	const moved = Date.now();
	const result = (await analysisJson(page, 'tornado', cell)) as { base: { value: number }; bars: unknown[] };
	const finished = Date.now();
	const value = await slider.inputValue();
	const scenario = resolved('baseline', { demandGrowth: Number(value) });
	const baseOnly = await tornado(scenario, { seed: scenario.seed, paths: 1_000, indicator: 'median usMagnetPrice 2030', only: ['demandGrowth'] });
	expect(result.base).toEqual(asJson(baseOnly.base));
	console.log(
		`tornado at default settings (1,000 paths × ${result.bars.length * 2 + 1} variants, through 2030): ${((finished - moved) / 1000).toFixed(1)} s after the notebook's run (${((finished - started) / 1000).toFixed(1)} s from the click, including a cancelled start)`
	);
	await cell.getByTestId('tornado-chart').scrollIntoViewIfNeeded();
	await expect(cell.getByTestId('tornado-chart')).not.toHaveAttribute('data-drawn', '');
});

test('an attribution of slider moves against baseline adds up to the total', async ({ page }) => {
	const state: NotebookState = {
		scenario: { id: 'baseline', values: { demandGrowth: 0.08, licenceApprovalRate: 0.5 } },
		seed: SEED,
		paths: PATHS,
		cells: numbered([{ kind: 'controls' }, { kind: 'attribution', against: 'baseline', indicator: 'median usMagnetPrice 2027', paths: 300 }])
	};
	await page.goto(await linkTo(state));
	await runDone(page);
	const cell = cellOf(page, 'attribution');
	const result = (await analysisJson(page, 'attribution', cell)) as {
		method: string;
		total: { value: number };
		contributions: { id: string; group: string; contribution: number }[];
	};
	expect(result.method).toBe('shapley');
	expect(result.contributions.map((c) => c.id)).toEqual(['parameters.demandGrowth', 'parameters.licenceApprovalRate']);
	expect(result.contributions.every((c) => c.group === 'assumptions')).toBe(true);
	const sum = result.contributions.reduce((s, c) => s + c.contribution, 0);
	expect(Math.abs(sum - result.total.value)).toBeLessThan(1e-9);
	await expect(cell.getByTestId('attribution-summary')).toContainText('Contributions add up to the total');
	// A bad indicator is refused in the cell; the page stays usable.
	await cell.getByTestId('indicator-input').fill('median usMagnetPrise 2027');
	await cell.getByTestId('indicator-input').press('Enter');
	await expect(cell.getByTestId('error')).toContainText('unknown metric "usMagnetPrise"');
	await expect(cell.getByTestId('analysis-json-attribution')).toHaveCount(0);
});

test('narrative cells show live figures that follow the sliders', async ({ page }) => {
	const state: NotebookState = {
		scenario: { id: 'baseline', values: {} },
		seed: SEED,
		paths: PATHS,
		cells: numbered([
			{ kind: 'controls' },
			{
				kind: 'narrative',
				markdown:
					'The median landed price in 2027 is {{ median(usMagnetPrice, 2027) }}; a shortfall by 2030: {{ shortfallBy(2030) }}. Bad: {{ median(usMagnetPrise, 2027) }}.'
			}
		])
	};
	await page.goto(await linkTo(state));
	const fingerprint = await runDone(page);
	const cell = cellOf(page, 'narrative');
	const figure = cell.locator('[data-figure="median(usMagnetPrice, 2027)"]');
	const expected = renderNarrative(
		state.cells[1].kind === 'narrative' ? state.cells[1].markdown : '',
		runScenario(resolved('baseline'), { seed: SEED, paths: PATHS })
	);
	const first = expected.parts.find((p) => p.kind === 'figure')!;
	await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint);
	await expect(figure).toHaveText((first as { formatted: string }).formatted);
	await expect(cell.getByTestId('error')).toContainText('unknown metric "usMagnetPrise"');
	const before = await figure.textContent();
	const slider = page.locator('input[type="range"][data-param="demandGrowth"]');
	await slider.focus();
	for (let i = 0; i < 5; i++) await slider.press('ArrowRight');
	await runDone(page);
	await expect(figure).not.toHaveText(before!);
});

test('old links without the new settings still open', async ({ page }) => {
	const state = {
		scenario: { id: 'baseline', values: {} },
		seed: SEED,
		paths: PATHS,
		cells: numbered([{ kind: 'indicators' }, { kind: 'comparison', metric: 'chinaExports', against: 'renewed-controls' }])
	};
	await page.goto(await linkTo(state));
	await runDone(page);
	await expect(page.getByTestId('indicators')).toContainText('Expected shortfall');
	await expect(page.getByTestId('refine-form')).toBeVisible();
	await analysisJson(page, 'compare');
	await expect(page.getByTestId('error')).toHaveCount(0);
});
