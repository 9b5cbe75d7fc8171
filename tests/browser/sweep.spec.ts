import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { runNotebookSweep } from '../../src/lib/sweep/notebook-run';
import { serializeResult } from '../../src/lib/sweep/result';
import { scenario } from '../notebook/fixtures';
import { collectErrors, runStatus, writtenPayload } from './pages';

/**
 * The sweep cell in the built site: added from the notebook, a small sweep runs in the worker pool
 * to the end and draws its scatter and its PRIM box; a bad definition shows a message naming its line.
 */

const SMALL_SWEEP = `title: A tiny sweep
scenario: renewed-controls
paths: 100
design:
  kind: latin-hypercube
  points: 24
factors:
  - param: alliedGrowth
    min: 0
    max: 0.3
  - param: demandGrowth
    min: -0.15
    max: 0.2
outputs:
  - P(shortfall > 0) in 2029
discover:
  output: P(shortfall > 0) in 2029
  above: 0.1
  minimumDensity: 0.6
`;

async function addSweepCell(page: Page): Promise<Locator> {
	await page.goto('/');
	await expect(page.locator(runStatus)).toHaveAttribute('data-state', 'done');
	await page.locator('[data-add-cell="sweep"]').click();
	const cell = page.locator('[data-cell-kind="sweep"]').last();
	await expect(cell.getByTestId('sweep-input')).toBeVisible();
	return cell;
}

test('a sweep cell runs a small sweep in the workers and draws the scatter and the PRIM box', async ({ page }) => {
	const errors = collectErrors(page);
	const cell = await addSweepCell(page);
	await cell.getByTestId('sweep-input').fill(SMALL_SWEEP);
	await expect(cell.getByTestId('sweep-run')).toBeEnabled();
	await cell.getByTestId('sweep-run').click();
	const summary = cell.getByTestId('sweep-summary');
	await expect(summary).toContainText('24 points of 100 paths', { timeout: 90_000 });
	const scatter = cell.getByTestId('sweep-scatter');
	await scatter.scrollIntoViewIfNeeded();
	await expect(scatter).not.toHaveAttribute('data-drawn', '');
	await expect(scatter.locator('.scatterlayer .point')).toHaveCount(24);
	const discovery = cell.getByTestId('sweep-discovery');
	await discovery.scrollIntoViewIfNeeded();
	await expect(discovery).not.toHaveAttribute('data-drawn', '');
	// The PRIM box: one rectangle among the chart's shapes.
	await expect(discovery.locator('.shapelayer path')).toHaveCount(1);
	await expect(cell.getByTestId('sweep-discovery-line')).toContainText('coverage');
	await expect(cell.getByTestId('sweep-discovery-line')).toContainText('density');
	// The same numbers as the same sweep run here in Node (NaN as null, as the page's JSON has it).
	const node = await runNotebookSweep(SMALL_SWEEP, scenario('renewed-controls'));
	const pre = cell.getByTestId('analysis-json-sweep');
	await expect(pre).toBeAttached();
	expect(JSON.parse((await pre.textContent())!)).toEqual(JSON.parse(JSON.stringify(node)));
	// The definition travels in the link.
	await expect
		.poll(async () => {
			const cells = (await writtenPayload(page))?.state.cells ?? [];
			return cells.find((c) => c.kind === 'sweep');
		})
		.toMatchObject({ kind: 'sweep', sweep: SMALL_SWEEP });
	// The cell, its charts and controls have no serious accessibility problem.
	const { violations } = await new AxeBuilder({ page }).include('[data-cell-kind="sweep"]').analyze();
	expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
	expect(errors).toEqual([]);
});

test('a bad sweep definition shows a message with its line, and the text stays', async ({ page }) => {
	const cell = await addSweepCell(page);
	const input = cell.getByTestId('sweep-input');
	const bad = SMALL_SWEEP.replace('    max: 0.3', '    max: 3');
	await input.fill(bad);
	const error = cell.getByTestId('error');
	await expect(error).toContainText('line 10');
	await expect(error).toContainText('outside the slider range');
	await expect(cell.getByTestId('sweep-run')).toBeDisabled();
	await input.fill(SMALL_SWEEP.replace('design:', 'design: [oops'));
	await expect(error).toContainText(/line \d+/);
	await expect(input).toHaveValue(SMALL_SWEEP.replace('design:', 'design: [oops'));
	await input.fill(SMALL_SWEEP.replace('points: 24', 'points: 900'));
	await expect(error).toContainText('npm run sweep');
});

test('a running sweep can be cancelled, and the page stays usable', async ({ page }) => {
	const cell = await addSweepCell(page);
	// The default sweep: 60 points of 300 paths.
	await cell.getByTestId('sweep-run').click();
	await expect(cell.getByTestId('sweep-progress')).toContainText('of 60 points');
	await cell.getByTestId('sweep-cancel').click();
	await expect(cell.getByTestId('sweep-progress')).toHaveCount(0);
	await expect(cell.getByTestId('sweep-summary')).toHaveCount(0);
	await expect(cell.getByTestId('sweep-run')).toBeEnabled();
});

test('a merged result file loads and shows the same charts, Sobol bars included; a bad file is refused with a message', async ({ page }) => {
	const sobolSweep = SMALL_SWEEP.replace('  kind: latin-hypercube\n  points: 24', '  kind: sobol\n  rows: 6');
	const result = await runNotebookSweep(sobolSweep, scenario('renewed-controls'));
	const cell = await addSweepCell(page);
	const input = cell.getByTestId('sweep-load');
	await input.setInputFiles({ name: 'sweep.json', mimeType: 'application/json', buffer: Buffer.from(serializeResult(result)) });
	await expect(cell.getByTestId('sweep-summary')).toContainText('loaded from file; not in the link');
	const sobol = cell.getByTestId('sweep-sobol');
	await sobol.scrollIntoViewIfNeeded();
	await expect(sobol).toHaveAttribute('data-drawn', 'file:sweep.json');
	await expect(sobol.locator('.barlayer .point')).toHaveCount(4);
	await input.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something else"}') });
	await expect(cell.getByTestId('sweep-load-error')).toContainText('other.json was not loaded');
	await expect(cell.getByTestId('sweep-load-error')).toContainText('magnet-sweep/1');
});
