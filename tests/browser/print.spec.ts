import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { collectErrors, exportsChart, settled } from './pages';

test('print emulation draws every chart at the printed width under a header naming the run, and the PDF carries them', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	const fingerprint = await settled(page);
	const charts = page.locator('[data-drawn]');
	const chartCount = await charts.count();
	expect(chartCount).toBeGreaterThan(4);
	// The last charts of the notebook are far below the screen: not drawn before printing.
	await expect(charts.last()).toHaveAttribute('data-drawn', '');

	await page.emulateMedia({ media: 'print' });
	for (let k = 0; k < chartCount; k++) await expect(charts.nth(k)).toHaveAttribute('data-drawn', new RegExp(`${fingerprint}`));
	await expect(page.getByText('Drawing the chart…')).toHaveCount(0);
	const header = page.getByTestId('print-header');
	await expect(header).toBeVisible();
	await expect(header).toContainText(/Scenario: Baseline.*\(baseline\)/);
	await expect(header).toContainText('Seed 20250604 · 10,000 paths · model version');
	await expect(header).toContainText(fingerprint);
	await expect(page.getByTestId('export-report')).toBeHidden();
	const widths = await page.locator('[data-drawn] .main-svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
	for (const width of widths) expect(width).toBeLessThanOrEqual(650);

	const pdf = await page.pdf({ format: 'A4', path: 'test-results/print-report.pdf' });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	expect(pdf.length).toBeGreaterThan(100_000);
	await page.emulateMedia({ media: 'screen' });
	await expect(page.locator(exportsChart)).toHaveAttribute('data-drawn', `full:${fingerprint}`);
	expect(errors).toEqual([]);
});

test("the charts' mode bar offers zoom, pan and reset only, never Plotly's cloud, and keeps out of the tab order", async ({ page }) => {
	await page.goto('/');
	await settled(page);
	const chart = page.locator(exportsChart);
	await chart.hover();
	const buttons = chart.locator('.modebar-btn');
	await expect(buttons).toHaveCount(3);
	expect(await buttons.evaluateAll((all) => all.map((button) => button.getAttribute('data-attr') + ':' + button.getAttribute('data-val')))).toEqual([
		'dragmode:zoom',
		'dragmode:pan',
		'zoom:reset'
	]);
	for (const cloud of [
		'[data-title*="Cloud" i]',
		'[data-title*="Chart Studio" i]',
		'[data-attr="sendDataToCloud"]',
		'.modebar-btn--logo',
		'a[href*="plot.ly"]',
		'a[href*="plotly.com"]'
	])
		await expect(page.locator(cloud)).toHaveCount(0);
	expect(await buttons.evaluateAll((all) => all.map((button) => button.getAttribute('tabindex')))).toEqual(['-1', '-1', '-1']);
	// The mode bar sits in the row above the chart, clear of the title drawn inside it.
	const bar = (await chart.locator('.modebar-container').boundingBox())!;
	const title = (await chart.locator('.gtitle').boundingBox())!;
	expect(bar.y + bar.height).toBeLessThanOrEqual(title.y);
});

test('a downloaded chart image is taller than the chart: the run and the event key are stamped above and below it', async ({ page }) => {
	await page.goto('/');
	await settled(page);
	const figure = page.locator('.figure', { has: page.locator(exportsChart) });
	const downloading = page.waitForEvent('download');
	await figure.getByRole('button', { name: 'Download PNG' }).click();
	const download = await downloading;
	// Kept under test-results/ for a reviewer to look at.
	const file = 'test-results/chart-export.png';
	await download.saveAs(file);
	const png = readFileSync(file);
	// A PNG's width and height are the first two big-endian words of its IHDR chunk.
	const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
	expect(width).toBeGreaterThanOrEqual(900);
	expect(height).toBeGreaterThan(340 + 2 * 15 + 7 * 15);
});
