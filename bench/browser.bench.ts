import { chromium, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, projectRoot, run, startPreview } from '../tests/browser/environment';
import { resolve } from 'node:path';
import { poolSizeFor } from '../src/lib/runner/web/pool';

/**
 * The notebook's speed in headless Chromium, against the built static site:
 * - first paint and the time until the first chart is drawn;
 * - from a slider change to the updated preview chart, to the chart at the full path count, and
 *   to the complete result (every metric and the fingerprint) (median, P95);
 * - the longest main-thread task from each change to its complete result (PerformanceObserver 'longtask').
 * Usage: npm run bench:browser [-- --changes 20]   (at most 40 distinct slider positions)
 *        add --no-build to time the site as last built (to compare builds in alternation)
 */
const changes = Math.min(40, Number(process.argv[process.argv.indexOf('--changes') + 1]) || 20);
const build = !process.argv.includes('--no-build');
const CHART = '[data-testid="fan-chart-chinaExports"]';

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const h = (sorted.length - 1) * p;
	const low = Math.floor(h);
	return sorted[low] + (h - low) * ((sorted[Math.min(sorted.length - 1, low + 1)] ?? sorted[low]) - sorted[low]);
}

const recordLongTasksAndFirstChart = () => {
	const globals = window as unknown as { longTasks: { start: number; duration: number }[]; firstChartAt?: number };
	globals.longTasks = [];
	new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) globals.longTasks.push({ start: entry.startTime, duration: entry.duration });
	}).observe({ type: 'longtask', buffered: true });
	new MutationObserver(() => {
		if (
			globals.firstChartAt === undefined &&
			document.querySelector('[data-testid^="fan-chart-"][data-drawn^="full:"], [data-testid^="fan-chart-"][data-drawn^="preview:"]')
		) {
			globals.firstChartAt = performance.now();
		}
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-drawn'] });
};

/**
 * Moves a slider and times the preview chart, the chart at the full path count, the complete
 * result (every metric and the fingerprint, which the chart's tag then carries), and the longest
 * main-thread task from the move to the complete result.
 */
async function timeSliderChange(page: Page, param: string, value: number) {
	return page.evaluate(
		({ param, value, chart }) =>
			new Promise<{ preview: number | null; full: number; complete: number; longestTask: number }>((resolveTiming) => {
				const element = document.querySelector<HTMLElement>(chart)!;
				const input = document.querySelector<HTMLInputElement>(`input[type="range"][data-param="${param}"]`)!;
				const before = element.dataset.drawn;
				let preview: number | null = null;
				let full: number | null = null;
				const start = performance.now();
				const observer = new MutationObserver(() => {
					const tag = element.dataset.drawn ?? '';
					if (tag === before) return;
					if (tag.startsWith('preview:') && preview === null) preview = performance.now() - start;
					if (tag.startsWith('full:') && full === null) full = performance.now() - start;
					if (/^full:[0-9a-f]{16}$/.test(tag)) {
						const end = performance.now();
						observer.disconnect();
						// Long-task entries arrive asynchronously: read them a moment later.
						setTimeout(() => {
							const tasks = (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks;
							const during = tasks.filter((t) => t.start + t.duration >= start && t.start <= end);
							resolveTiming({ preview, full: full!, complete: end - start, longestTask: Math.max(0, ...during.map((t) => t.duration)) });
						}, 100);
					}
				});
				observer.observe(element, { attributes: true, attributeFilter: ['data-drawn'] });
				input.value = String(value);
				input.dispatchEvent(new Event('input', { bubbles: true }));
			}),
		{ param, value, chart: CHART }
	);
}

async function main() {
	const executablePath = chromiumPath();
	if (build) await run(resolve(projectRoot, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn']);
	const port = await freePort();
	const server = await startPreview(port);
	const browser = await chromium.launch({ executablePath, args: chromiumArgs });
	try {
		const page = await browser.newPage();
		await page.addInitScript(recordLongTasksAndFirstChart);
		await page.goto(`http://127.0.0.1:${port}/`);
		// The user watches the chart (off-screen charts are not redrawn): scroll to its placeholder as
		// soon as it exists, and to the chart itself once a result replaces the placeholder.
		await page
			.locator(`p${CHART}`)
			.scrollIntoViewIfNeeded()
			.catch(() => undefined);
		await page.locator(`div${CHART}`).scrollIntoViewIfNeeded();
		await page.waitForSelector('[data-testid="run-status"][data-state="done"]', { timeout: 120_000 });
		await page.waitForSelector(`${CHART}[data-drawn^="full:"]`, { timeout: 60_000 });
		const load = await page.evaluate(() => ({
			firstPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
			firstChart: (window as unknown as { firstChartAt?: number }).firstChartAt ?? NaN,
			cores: navigator.hardwareConcurrency
		}));
		// Let the comparison run that follows the first result finish, so it does not share the pool with the timed runs.
		await page.waitForTimeout(8_000);
		const previewsInOrder: (number | null)[] = [];
		const fulls: number[] = [];
		const completes: number[] = [];
		const longest: number[] = [];
		// Distinct slider positions (the slider's step is 0.005 1/yr), so no run is answered from the result cache.
		for (let i = 0; i < Math.min(changes, 40); i++) {
			const timing = await timeSliderChange(page, 'demandGrowth', Number((0.2 - 0.005 * i).toFixed(3)));
			previewsInOrder.push(timing.preview);
			fulls.push(timing.full);
			completes.push(timing.complete);
			longest.push(timing.longestTask);
		}
		const previews = previewsInOrder.filter((preview) => preview !== null);
		const ms = (x: number) => `${x.toFixed(0)} ms`;
		const paths = await page.textContent('[data-testid="fingerprint-phase"]');
		console.log(
			`Notebook speed in headless Chromium (${load.cores} cores, worker pool of ${poolSizeFor(load.cores)}), ${changes} slider changes, run ${paths}`
		);
		console.log(`  first contentful paint            ${ms(load.firstPaint)}`);
		console.log(`  first chart drawn                 ${ms(load.firstChart)}`);
		console.log(
			`  slider → preview chart (1,000)    median ${ms(percentile(previews, 0.5))}, P95 ${ms(percentile(previews, 0.95))}  (target P95 ≤ 100 ms; ${previews.length} of ${changes} previews drawn)`
		);
		console.log(`  slider → full-count chart (10,000) median ${ms(percentile(fulls, 0.5))}, P95 ${ms(percentile(fulls, 0.95))}  (target ≤ 400 ms)`);
		console.log(
			`  slider → complete result           median ${ms(percentile(completes, 0.5))}, P95 ${ms(percentile(completes, 0.95))}  (every metric summarised, fingerprint shown)`
		);
		console.log(`  longest main-thread task per run  median ${ms(percentile(longest, 0.5))}, max ${ms(Math.max(...longest))}  (target ≤ 50 ms)`);
		// In order, so that the first moves after loading (code not yet optimised) stand apart from the rest.
		console.log(
			`  each change, preview / full-count chart (ms): ${fulls.map((full, i) => `${previewsInOrder[i]?.toFixed(0) ?? '–'}/${full.toFixed(0)}`).join(' ')}`
		);
	} finally {
		await browser.close();
		server.kill();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
