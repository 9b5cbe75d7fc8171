import type { Page } from '@playwright/test';
import { modelVersion } from '../../src/lib/model/version';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, shareFragment, sharedStateOf, type SharePayload } from '../../src/lib/scenario/share';

/** Shared by the browser specs: what they read off the notebook page, and how they open it. */
export const runStatus = '[data-testid="run-status"]';

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
