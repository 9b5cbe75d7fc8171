import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { testLibrary } from '../notebook/fixtures';
import { collectErrors, firstFanChart, runStatus } from './pages';

/** Screenshots for a reviewer to look at (not compared pixel by pixel). */
const screenshot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });

async function finished(page: Page): Promise<string> {
	await expect(page.locator(runStatus)).toHaveAttribute('data-state', 'done');
	return (await page.getByTestId('fingerprint').textContent())!;
}

/** Elements reaching past the viewport's right edge, and how wide the page scrolls (neither is wanted). */
async function overflow(page: Page) {
	return page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth,
		tooWide: [...document.querySelectorAll('body *')]
			.filter((element) => {
				const box = element.getBoundingClientRect();
				if (box.width === 0 || box.height === 0) return false;
				// Inside a box that scrolls by itself (a table, the panel), width is not the page's problem.
				for (let parent = element.parentElement; parent; parent = parent.parentElement) {
					const style = getComputedStyle(parent);
					if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') return false;
				}
				return box.right > innerWidth + 1;
			})
			.map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}.${[...element.classList].join('.')}`)
			.slice(0, 10)
	}));
}

async function seriousAccessibilityProblems(page: Page) {
	const { violations } = await new AxeBuilder({ page }).analyze();
	return violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

test.describe('on a 1440×900 screen', () => {
	test.use({ viewport: { width: 1440, height: 900 } });

	test('a slider and a fan chart share the screen, and moving the slider with the keyboard redraws that chart', async ({ page }) => {
		const errors = collectErrors(page);
		await page.goto('/');
		const before = await finished(page);
		await screenshot(page, 'desktop-1440x900');
		const panel = page.getByTestId('control-panel');
		const slider = panel.locator('input[type="range"][data-param="licenceApprovalRate"]');
		const chart = page.locator(firstFanChart).first();
		await expect(slider).toBeInViewport();
		await expect(chart).toBeInViewport({ ratio: 0.5 });
		await expect(chart).toHaveAttribute('data-drawn', `full:${before}`);

		await slider.focus();
		await slider.press('ArrowLeft');
		const after = await finished(page);
		expect(after).not.toBe(before);
		await expect(chart).toHaveAttribute('data-drawn', `full:${after}`);
		// The panel stays docked while the notebook scrolls beside it (the wheel over the notebook, not the panel).
		await page.mouse.move(900, 500);
		await page.mouse.wheel(0, 2_000);
		await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(1_000);
		await expect(slider).toBeInViewport();
		expect(errors).toEqual([]);
	});

	test('the panel collapses and comes back; the library is in story order and closes on a pick and on Escape', async ({ page }) => {
		await page.goto('/');
		await finished(page);
		const toggle = page.getByTestId('panel-toggle');
		await toggle.click();
		await expect(toggle).toHaveAttribute('aria-expanded', 'false');
		const panelSlider = page.getByTestId('control-panel').locator('input[type="range"]').first();
		await expect(panelSlider).toBeHidden();
		await toggle.click();
		await expect(panelSlider).toBeVisible();

		const picker = page.getByTestId('scenario-picker');
		await picker.locator('summary').click();
		const ids = await picker.locator('[data-scenario-id]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-scenario-id')));
		expect(ids[0]).toBe('baseline');
		expect(ids).toHaveLength(testLibrary().size);
		await page.keyboard.press('Escape');
		await expect(picker).not.toHaveAttribute('open');
		await picker.locator('summary').click();
		await picker.locator('[data-scenario-id="renewed-controls"]').click();
		await expect(picker).not.toHaveAttribute('open');
		await expect(picker).toContainText('current: Renewed controls');
	});

	test('axe finds no serious or critical accessibility problem', async ({ page }) => {
		await page.goto('/');
		await finished(page);
		expect(await seriousAccessibilityProblems(page)).toEqual([]);
	});
});

test.describe('on a 390×844 phone', () => {
	test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

	test('nothing is wider than the screen, the panel opens and closes, and axe finds no serious problem', async ({ page }) => {
		const errors = collectErrors(page);
		await page.goto('/');
		await finished(page);
		expect(await overflow(page)).toEqual({ scrollWidth: 390, innerWidth: 390, tooWide: [] });
		await screenshot(page, 'phone-390x844');

		const toggle = page.getByTestId('panel-toggle');
		const slider = page.locator('input[type="range"][data-param="licenceApprovalRate"]');
		await expect(slider).toBeHidden();
		await toggle.tap();
		await expect(page.getByTestId('control-panel').locator('input[type="range"]').first()).toBeInViewport();
		await slider.scrollIntoViewIfNeeded();
		await expect(slider).toBeInViewport();
		expect(await overflow(page)).toEqual({ scrollWidth: 390, innerWidth: 390, tooWide: [] });
		await screenshot(page, 'phone-390x844-panel-open');
		expect(await seriousAccessibilityProblems(page)).toEqual([]);
		await toggle.tap();
		await expect(slider).toBeHidden();
		expect(await seriousAccessibilityProblems(page)).toEqual([]);
		expect(errors).toEqual([]);
	});

	test('every library scenario can be opened by tapping', async ({ page }) => {
		await page.goto('/');
		await finished(page);
		const picker = page.getByTestId('scenario-picker');
		for (const [id, { file }] of testLibrary()) {
			await picker.locator('summary').tap();
			const entry = picker.locator(`[data-scenario-id="${id}"]`);
			await entry.scrollIntoViewIfNeeded();
			await entry.tap();
			await expect(picker).toContainText(`current: ${file.title}`);
			await finished(page);
			expect(await overflow(page)).toEqual({ scrollWidth: 390, innerWidth: 390, tooWide: [] });
		}
	});
});
