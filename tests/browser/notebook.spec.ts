import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { defaultCells } from '../../src/lib/notebook/cells';
import { encodeSharePayload, SHARE_FORMAT, shareFragment, type SharePayload } from '../../src/lib/notebook/link';
import { metricCount } from '../../src/lib/model/metrics';
import { projectRoot } from './environment';
import { collectErrors, exportsChart, linkTo, runStatus, settled, writtenPayload } from './pages';
import { scenario, testLibrary } from '../notebook/fixtures';

/** Opens the default notebook, lets its run settle, and moves one slider a step up with the keyboard; returns the slider. */
async function openAndNudge(page: Page, param: string) {
	await page.goto('/');
	await settled(page);
	const slider = page.locator(`input[type="range"][data-param="${param}"]`);
	await slider.focus();
	await slider.press('ArrowRight');
	return slider;
}

async function medianOfExportsChart(page: Page): Promise<number[]> {
	return page
		.locator(exportsChart)
		.evaluate((element) => (element as unknown as { data: { name: string; y: number[] }[] }).data.find((t) => t.name === 'Median')!.y);
}

test('the page loads with controls first and no console error', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	await expect(page.locator('input[type="range"][data-param="demandGrowth"]')).toBeVisible();
	const fingerprint = await settled(page);
	expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
	await page.locator('[data-testid="fan-chart-shortfall"]').scrollIntoViewIfNeeded();
	await expect(page.locator('[data-testid="fan-chart-shortfall"]')).toHaveAttribute('data-drawn', `full:${fingerprint}`);
	await expect(page.getByTestId('indicators')).toContainText('Expected shortfall');
	await page.locator('[data-testid="comparison-chinaExports"]').scrollIntoViewIfNeeded();
	await expect(page.locator('[data-testid="comparison-chinaExports"]')).toHaveAttribute('data-drawn', new RegExp(`^${fingerprint}:`));
	// Served with cross-origin isolation, the workers share the run's paths instead of copying them.
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	expect(errors).toEqual([]);
});

test('moving a slider with the keyboard changes the chart, preview first', async ({ page }) => {
	await page.goto('/');
	const before = await settled(page);
	const medianBefore = await medianOfExportsChart(page);
	const slider = page.locator('input[type="range"][data-param="licenceApprovalRate"]');
	await slider.focus();
	await slider.press('ArrowLeft');
	await slider.press('ArrowLeft');
	await expect(page.locator(runStatus)).toHaveAttribute('data-state', 'running');
	const after = await settled(page);
	expect(after).not.toBe(before);
	expect(await medianOfExportsChart(page)).not.toEqual(medianBefore);
	await expect(page.getByRole('button', { name: /Reset .*licence/i }).first()).toBeEnabled();
});

test('figures far from the screen during a run are drawn from its complete result when scrolled to', async ({ page }) => {
	await openAndNudge(page, 'demandGrowth');
	// The run summarises the charts near the screen first; these two are far below it.
	const fingerprint = await settled(page);
	for (const figure of ['[data-testid="fan-chart-coverMonths"]', '[data-testid="distribution-shortfall"]']) {
		await page.locator(figure).scrollIntoViewIfNeeded();
		await expect(page.locator(figure)).toHaveAttribute('data-drawn', new RegExp(`^full:${fingerprint}`));
	}
});

test('a share URL opened in a fresh context reproduces the fingerprint', async ({ page, browser }) => {
	const slider = await openAndNudge(page, 'demandGrowth');
	const fingerprint = await settled(page);
	await expect.poll(async () => (await writtenPayload(page))?.fingerprint).toBe(fingerprint);
	const shared = page.url();

	const fresh = await browser.newContext();
	const receiver = await fresh.newPage();
	await receiver.goto(shared);
	expect(await settled(receiver)).toBe(fingerprint);
	await expect(receiver.getByTestId('share-check')).toContainText('Identical to the shared result');
	await expect(receiver.locator('input[type="range"][data-param="demandGrowth"]')).toHaveValue(await slider.inputValue());
	await fresh.close();
});

test('a link whose results differ says the model has changed, with both fingerprints', async ({ page }) => {
	const baseline = scenario('baseline');
	const state = { scenario: { id: 'baseline', values: {} }, seed: baseline.seed, paths: 1_000, cells: defaultCells(baseline, [...testLibrary().keys()]) };
	await page.goto(await linkTo(state, 'ffffffffffffffff'));
	const fingerprint = await settled(page);
	await expect(page.getByTestId('share-check')).toContainText('The model has changed since this link was made');
	await expect(page.getByTestId('share-check')).toContainText('ffffffffffffffff');
	await expect(page.getByTestId('share-check')).toContainText(fingerprint);
});

test('a link made with model 1.1 opens, says what it changed, and that the model has changed', async ({ page }) => {
	const baseline = scenario('baseline');
	const cells = defaultCells(baseline, [...testLibrary().keys()]).map((cell) =>
		cell.kind === 'fan' && cell.metric === 'usMagnetPrice' ? { ...cell, metric: 'price' } : cell
	);
	const state = { scenario: { id: 'baseline', values: { demandGrowth: 0.1, domesticCapacityTarget: 8000 } }, seed: baseline.seed, paths: 1_000, cells };
	const encoded = await encodeSharePayload({ format: SHARE_FORMAT, modelVersion: '1.1.0', state, fingerprint: 'ffffffffffffffff' } as unknown as SharePayload);
	await page.goto(`/${shareFragment(encoded)}`);
	const fingerprint = await settled(page);
	await expect(page.getByTestId('error').first()).toContainText('made with an earlier model');
	await expect(page.getByTestId('error').first()).toContainText('"domesticCapacityTarget"');
	await expect(page.getByTestId('error').first()).toContainText('usMagnetPrice');
	await expect(page.getByTestId('share-check')).toContainText('The model has changed since this link was made');
	await expect(page.getByTestId('share-check')).toContainText('model 1.1.0');
	await expect(page.getByTestId('share-check')).toContainText(fingerprint);
	await expect(page.locator('input[type="range"][data-param="demandGrowth"]')).toHaveValue('0.1');
});

test('the summary downloads as CSV with every metric and month, and a chart as a PNG image', async ({ page }) => {
	await page.goto('/');
	const fingerprint = await settled(page);
	const saved = async (click: () => Promise<void>) => {
		const downloading = page.waitForEvent('download');
		await click();
		const download = await downloading;
		const file = join(mkdtempSync(join(tmpdir(), 'notebook-export-')), download.suggestedFilename());
		await download.saveAs(file);
		return { name: download.suggestedFilename(), bytes: readFileSync(file) };
	};

	const csv = await saved(() => page.getByTestId('export-csv').click());
	expect(csv.name).toBe(`baseline-${fingerprint}-summary.csv`);
	const lines = csv.bytes.toString('utf8').trim().split('\n');
	expect(lines[0]).toBe('metric,unit,month,p5,p25,p50,p75,p95,mean,se50');
	expect(lines).toHaveLength(1 + metricCount * 132);
	expect(lines.some((line) => line.startsWith('usMagnetPrice,USD/kg,2030-06,'))).toBe(true);

	const figure = page.locator('.figure', { has: page.locator(exportsChart) });
	const png = await saved(() => figure.getByRole('button', { name: 'Download PNG' }).click());
	expect(png.name).toMatch(/\.png$/);
	expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	expect(png.bytes.length).toBeGreaterThan(10_000);
});

test('an exported scenario run through the CLI gives the same fingerprint', async ({ page }) => {
	await openAndNudge(page, 'targetCoverMonths');
	await page.getByTestId('paths').fill('3000');
	await page.getByTestId('paths').press('Enter');
	await expect(page.getByTestId('fingerprint-phase')).toContainText('3,000 paths');
	const fingerprint = await settled(page);
	const downloading = page.waitForEvent('download');
	await page.getByTestId('export-scenario').click();
	const download = await downloading;
	const file = join(mkdtempSync(join(tmpdir(), 'notebook-export-')), download.suggestedFilename());
	await download.saveAs(file);
	const { stdout } = await promisify(execFile)(join(projectRoot, 'node_modules/.bin/tsx'), ['src/cli/batch.ts', file], {
		cwd: projectRoot,
		maxBuffer: 64 * 1024 * 1024
	});
	expect(JSON.parse(stdout).fingerprint).toBe(fingerprint);
});

test('a tampered URL shows a clear message and the default scenario', async ({ page }) => {
	const baseline = scenario('baseline');
	const link = await linkTo({ scenario: { id: 'renewed-controls', values: {} }, seed: 5, paths: 1_000, cells: defaultCells(baseline, []) });
	const middle = Math.floor(link.length / 2);
	const tampered = link.slice(0, middle) + (link[middle] === 'A' ? 'B' : 'A') + link.slice(middle + 1);
	const errors = collectErrors(page);
	await page.goto(tampered);
	await expect(page.getByTestId('error').first()).toContainText('This link could not be opened');
	await expect(page.getByTestId('error').first()).toContainText('default scenario');
	await settled(page);
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Baseline');
	expect(errors).toEqual([]);
});

test('an unknown scenario id, a huge state and a foreign fragment are each refused with a message', async ({ page }) => {
	const baseline = scenario('baseline');
	await page.goto(await linkTo({ scenario: { id: 'no-such-scenario', values: {} }, seed: 5, paths: 1_000, cells: defaultCells(baseline, []) }));
	await expect(page.getByTestId('error').first()).toContainText('unknown scenario "no-such-scenario"');
	await settled(page);

	// Each link is refused twice: when it replaces the open notebook's fragment, and when the page is opened on it.
	const refusal = (text: string) => page.getByTestId('error').filter({ hasText: text });
	for (const [link, reason] of [
		[`/#s=${'A'.repeat(120_000)}`, 'the limit is 100,000 characters'],
		['/#about', 'not a notebook link']
	]) {
		await page.goto(link);
		await expect(refusal(reason)).toBeVisible();
		await page.reload();
		await expect(refusal(reason)).toBeVisible();
	}
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Baseline');
});

test('a value typed out of range is clamped and the user is told', async ({ page }) => {
	await page.goto('/');
	await settled(page);
	const number = page.locator('input[data-param-number="demandGrowth"]');
	await number.fill('5');
	await number.press('Enter');
	await expect(page.getByTestId('error').first()).toContainText('outside the slider range');
	await expect(number).toHaveValue('0.2');
	await expect(page.locator('input[type="range"][data-param="demandGrowth"]')).toHaveValue('0.2');
	await settled(page);
});

test('an imported scenario that fails validation is reported like the CLI, and the notebook is kept', async ({ page }) => {
	await page.goto('/');
	const fingerprint = await settled(page);
	const bad = JSON.stringify({ id: 'my-case', extends: 'baseline', title: 'Mine', description: 'x', parameters: { demandGrowht: 0.05 } });
	const directory = mkdtempSync(join(tmpdir(), 'notebook-import-'));
	writeFileSync(join(directory, 'my-case.json'), bad);
	await page.getByTestId('import-scenario').setInputFiles(join(directory, 'my-case.json'));
	await expect(page.getByTestId('error').first()).toContainText('my-case.json: parameters.demandGrowht: unknown key (did you mean "demandGrowth"?)');
	await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint);

	writeFileSync(join(directory, 'my-case.json'), bad.replace('demandGrowht', 'demandGrowth'));
	await page.getByTestId('import-scenario').setInputFiles(join(directory, 'my-case.json'));
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Mine');
	expect(await settled(page)).not.toBe(fingerprint);
});

test('the notebook survives a reload, cells and all', async ({ page }) => {
	await page.goto('/');
	await settled(page);
	await page.locator('[data-cell-kind="indicators"] button[aria-label^="Remove"]').click();
	await page.getByRole('button', { name: 'Narrative', exact: true }).click();
	await page.locator('[data-cell-kind="narrative"]').last().getByRole('button', { name: 'Edit text' }).click();
	await page.locator('[data-cell-kind="narrative"]').last().locator('textarea').fill('## My note\n\n<img src="data:," onerror="window.hacked=1">');
	await page.locator('[data-cell-kind="narrative"]').last().getByRole('button', { name: 'Done' }).click();
	expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
	await expect.poll(async () => JSON.stringify((await writtenPayload(page))?.state.cells)).toContain('My note');
	await page.goto('/');
	await settled(page);
	await expect(page.locator('[data-cell-kind="indicators"]')).toHaveCount(0);
	await expect(page.locator('[data-cell-kind="narrative"]').last()).toContainText('My note');
});
