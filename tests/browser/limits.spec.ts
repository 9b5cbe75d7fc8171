import { expect, test, type Page } from '@playwright/test';
import { defaultCells, type Cell } from '../../src/lib/notebook/cells';
import { notebookLimits } from '../../src/lib/notebook/state';
import { decodeSharePayload } from '../../src/lib/notebook/link';
import { collectErrors, linkTo, settled, writtenPayload } from './pages';
import { scenario, testLibrary } from '../notebook/fixtures';

/** Hostile input: nothing the user keeps is lost to limits, to a bad link or to a good one. */

const seedInput = 'input[data-testid="seed"]';
/** Persistence's `STORAGE_KEY` (its module uses runes, which only Svelte's compiler can load). */
const STORAGE_KEY = 'magnet-scenarios:notebook';

/** The notebook saved in the page's local storage, decoded (undefined when it cannot be read). */
async function savedState(page: Page) {
	const encoded = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
	if (!encoded) return undefined;
	const decoded = await decodeSharePayload(encoded);
	return decoded.ok ? decoded.payload.state : undefined;
}

/** Opens the default notebook and sets its seed, and waits until that is saved. */
async function savedWithSeed(page: Page, seed: number): Promise<void> {
	await page.goto('/');
	await settled(page);
	await page.locator(seedInput).fill(String(seed));
	await page.locator(seedInput).press('Enter');
	await settled(page);
	await expect.poll(async () => (await savedState(page))?.seed).toBe(seed);
	await expect.poll(async () => (await writtenPayload(page))?.state.seed).toBe(seed);
}

const markdownOf = (cells: Cell[] | undefined) => cells?.find((cell) => cell.kind === 'narrative')?.markdown;

test('a narrative beyond the limit is cut where it is typed, with a message, and nothing saved is lost across a reload', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	await settled(page);
	const narrative = page.locator('[data-cell-kind="narrative"]').first();
	await narrative.getByRole('button', { name: 'Edit text' }).click();
	const text = `## Long note\n\n${'x'.repeat(25_000)}`;
	await narrative.locator('textarea').fill(text);
	await expect(narrative.getByTestId('narrative-limit')).toContainText('at most 20,000 characters');
	expect(await narrative.locator('textarea').inputValue()).toBe(text.slice(0, notebookLimits.maxNarrativeChars));
	await narrative.getByRole('button', { name: 'Done' }).click();
	await expect.poll(async () => markdownOf((await savedState(page))?.cells)?.length).toBe(notebookLimits.maxNarrativeChars);

	for (const open of [() => page.reload(), () => page.goto('/')]) {
		await open();
		await settled(page);
		await expect(page.locator('[data-cell-kind="narrative"]').first()).toContainText('Long note');
		await expect(page.getByTestId('error')).toHaveCount(0);
		expect(markdownOf((await savedState(page))?.cells)).toBe(text.slice(0, notebookLimits.maxNarrativeChars));
	}
	expect(errors).toEqual([]);
});

test('a link whose cells share an id is refused with a message, and the saved notebook is kept', async ({ page }) => {
	const errors = collectErrors(page);
	await savedWithSeed(page, 77);
	const cells = defaultCells(scenario('renewed-controls'), [...testLibrary().keys()]).map((cell) => ({ ...cell, id: 'cell-1' }));
	const link = await linkTo({ scenario: { id: 'renewed-controls', values: {} }, seed: 5, paths: 1_000, cells });
	const refusal = page.getByTestId('error').filter({ hasText: 'each cell needs its own id' });

	// Pasted over the open notebook, then opened afresh: refused both times.
	await page.goto(link);
	await expect(refusal).toBeVisible();
	await expect(refusal).toContainText('Your notebook is unchanged');
	await page.reload();
	await expect(refusal).toBeVisible();
	await expect(refusal).toContainText('Showing your saved notebook instead');
	await settled(page);
	await expect(page.locator(seedInput)).toHaveValue('77');
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Baseline');
	expect((await savedState(page))?.seed).toBe(77);
	expect(errors.filter((error) => /each_key_duplicate/.test(error))).toEqual([]);
});

test('after a link replaces the notebook, the previous notebook can be restored', async ({ page, context }) => {
	await savedWithSeed(page, 77);
	const renewed = scenario('renewed-controls');
	const link = await linkTo({
		scenario: { id: 'renewed-controls', values: {} },
		seed: 5,
		paths: 1_000,
		cells: defaultCells(renewed, [...testLibrary().keys()])
	});

	// A link pasted into the address bar of the open page.
	await page.goto(link);
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Renewed controls');
	await expect(page.getByTestId('notice')).toContainText('This link replaced the notebook you had open');
	await settled(page);
	await expect.poll(async () => (await savedState(page))?.seed).toBe(5);
	await page.getByRole('button', { name: 'Restore your previous notebook' }).click();
	await expect(page.getByTestId('scenario-picker')).toContainText('current: Baseline');
	await expect(page.locator(seedInput)).toHaveValue('77');
	await settled(page);
	await expect.poll(async () => (await savedState(page))?.seed).toBe(77);
	await page.reload();
	await settled(page);
	await expect(page.locator(seedInput)).toHaveValue('77');

	// A link opened in a new tab replaces the notebook saved in this browser: it too can be restored.
	const other = await context.newPage();
	await other.goto(link);
	await expect(other.getByTestId('notice')).toContainText('This link replaced the notebook saved in this browser');
	await settled(other);
	await expect(other.locator(seedInput)).toHaveValue('5');
	await other.getByRole('button', { name: 'Restore your previous notebook' }).click();
	await expect(other.locator(seedInput)).toHaveValue('77');
	await expect(other.getByTestId('scenario-picker')).toContainText('current: Baseline');
	await expect.poll(async () => (await savedState(other))?.seed).toBe(77);
});
