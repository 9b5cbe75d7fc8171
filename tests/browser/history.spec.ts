import { expect, test } from '@playwright/test';
import { collectErrors, settled, writtenPayload } from './pages';

test('an edited notebook asks before another scenario replaces it, Back brings it back to the same fingerprint, Undo a removed cell', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	const fingerprint = await settled(page);
	const cellCount = await page.locator('[data-cell-kind]').count();

	await page
		.locator('[data-cell-kind="comparison"]')
		.getByRole('button', { name: /^Remove/ })
		.click();
	await expect(page.locator('[data-cell-kind]')).toHaveCount(cellCount - 1);
	await page.getByTestId('undo').click();
	await expect(page.locator('[data-cell-kind]')).toHaveCount(cellCount);
	await expect(page.locator('[data-cell-kind]').last()).toHaveAttribute('data-cell-kind', 'comparison');

	await page.locator('[data-add-cell="narrative"]').click();
	await expect.poll(async () => (await writtenPayload(page))?.state.cells.length).toBe(cellCount + 1);

	await page.getByTestId('scenario-picker').locator('summary').click();
	await page.locator('[data-scenario="renewed-controls"]').click();
	const dialog = page.getByTestId('switch-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('button', { name: 'Keep my work' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Baseline');

	// The library closed on the first pick.
	await page.getByTestId('scenario-picker').locator('summary').click();
	await page.locator('[data-scenario="renewed-controls"]').click();
	await dialog.getByRole('button', { name: 'Open its own notebook' }).click();
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Renewed controls');
	expect(await settled(page)).not.toBe(fingerprint);
	await expect.poll(async () => (await writtenPayload(page))?.state.scenario.id).toBe('renewed-controls');

	await page.goBack();
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Baseline');
	await expect(page.locator('[data-cell-kind]')).toHaveCount(cellCount + 1);
	expect(await settled(page)).toBe(fingerprint);
	expect(errors).toEqual([]);
});
