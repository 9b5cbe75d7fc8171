import { expect, type Page } from '@playwright/test';
import { modelVersion } from '../../src/lib/model/version';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, shareFragment, sharedStateOf, type SharePayload } from '../../src/lib/notebook/link';

/** Shared by the browser specs: what they read off the notebook page, and how they open it. */
export const runStatus = '[data-testid="run-status"]';

/** The first fan chart of the default notebook (China's exports). */
export const exportsChart = '[data-testid="fan-chart-chinaExports"]';

/** The first fan chart of any notebook (each scenario opens on its own). */
export const firstFanChart = '[data-testid^="fan-chart-"]';

/** Waits for the full-count run and the notebook's first fan chart drawn from it; returns the fingerprint. */
export async function settled(page: Page): Promise<string> {
	await expect(page.locator(runStatus)).toHaveAttribute('data-state', 'done');
	const fingerprint = (await page.getByTestId('fingerprint').textContent())!;
	const chart = page.locator(firstFanChart).first();
	await chart.scrollIntoViewIfNeeded();
	await expect(chart).toHaveAttribute('data-drawn', `full:${fingerprint}`);
	return fingerprint;
}

/** Console errors and uncaught exceptions of a page. */
export function collectErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
	});
	page.on('pageerror', (error) => errors.push(error.message));
	return errors;
}

/** A share link to a notebook state, carrying the fingerprint of a result when given. */
export async function linkTo(state: Parameters<typeof encodeSharePayload>[0]['state'], fingerprint?: string): Promise<string> {
	return `/${shareFragment(await encodeSharePayload({ format: SHARE_FORMAT, modelVersion, state, ...(fingerprint ? { fingerprint } : {}) }))}`;
}

/** What the page last wrote to its URL (and, at the same moment, to local storage), decoded. */
export async function writtenPayload(page: Page): Promise<SharePayload | undefined> {
	const shared = sharedStateOf(new URL(page.url()).hash);
	if (shared === undefined) return undefined;
	const decoded = await decodeSharePayload(shared);
	return decoded.ok ? decoded.payload : undefined;
}
