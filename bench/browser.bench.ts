import { chromium, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, freePort, projectRoot, run, startPreview } from '../tests/browser/environment';
import { resolve } from 'node:path';
import { poolSizeFor } from '../src/lib/runner/web/pool';

/**
 * The notebook's speed in headless Chromium, against the built static site:
 * - first paint and the time until the first chart is drawn;
 * - from a slider change to the updated preview chart, to the chart at the full path count, and
 *   to the complete result (every metric and the fingerprint) (median, P95);
 * - the longest main-thread task from each change to its complete result (PerformanceObserver 'longtask');
 * - the longest main-thread task during a drag of a slider (a burst of input events, then the release);
 * and, in the same run, the floors those are held against:
 * - A: the worker pool's own time for the preview stage (the page marks each stage's `elapsedMs`
 *   as a performance mark, 'notebook:stage');
 * - B: one `Plotly.react` of the same fan chart figure with its band data changed (as a slider move
 *   changes it), timed in the page on a chart of the same size beside it, sampled between the runs,
 *   with the site's own Plotly (its bundle sets `window.Plotly`).
 * The targets are ratios: preview P95 ÷ (A + B) ≤ 1.5, and the drag's longest task ÷ B ≤ 1.2.
 *
 * Main-thread tasks are seen two ways: Chromium's long-task entries (only tasks ≥ 50 ms), and a gap
 * probe: a MessageChannel message posted to itself over and over, whose gaps between deliveries are
 * whatever ran in between (a task, or tasks back to back, and the rendering after them). The gap
 * probe is what the drag's figure uses; the floor B is also shown as the probe sees it.
 * Usage: npm run bench:browser [-- --changes 20 --drags 6]   (at most 40 distinct slider positions, 5 drags of 15 steps by default)
 *        add --no-build to time the site as last built (to compare builds in alternation)
 */
const argument = (name: string) => Number(process.argv[process.argv.indexOf(name) + 1]);
const changes = Math.min(40, argument('--changes') || 20);
const drags = Math.min(6, argument('--drags') || 5);
/** Input events in one drag, and the time between them (a user dragging moves the slider every frame or few). */
const DRAG_STEPS = 15;
const DRAG_INTERVAL_MS = 30;
/** The slider dragged: another than the one moved step by step, so no drag ends on a cached run. */
const DRAG_PARAM = 'licenceApprovalRate';
const STAGE_MARK = 'notebook:stage';
/** Each chart's draw, measured by the page (src/lib/components/plotly.ts). */
const DRAW_MEASURE = 'notebook:draw';
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
		({ param, value, chart, mark, drawMeasure }) =>
			new Promise<{
				preview: number | null;
				full: number;
				complete: number;
				longestTask: number;
				workerPreview: number | null;
				previewArrived: number | null;
				previewDraw: { start: number; duration: number } | null;
			}>((resolveTiming, reject) => {
				const element = document.querySelector<HTMLElement>(chart)!;
				// A run that never completes (the chart replaced, say) fails the bench instead of stalling it.
				setTimeout(() => reject(new Error(`slider change to ${value}: no complete result within 2 minutes (chart tag "${element.dataset.drawn}")`)), 120_000);
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
							const stage = (performance.getEntriesByName(mark, 'mark') as PerformanceMark[]).find(
								(entry) => entry.startTime >= start && (entry.detail as { phase: string }).phase === 'preview'
							);
							const testid = element.dataset.testid;
							const draw = stage
								? (performance.getEntriesByName(drawMeasure, 'measure') as PerformanceMeasure[]).find(
										(entry) => entry.startTime >= stage.startTime && (entry.detail as { chart?: string }).chart === testid
									)
								: undefined;
							resolveTiming({
								preview,
								full: full!,
								complete: end - start,
								longestTask: Math.max(0, ...during.map((t) => t.duration)),
								workerPreview: stage ? (stage.detail as { elapsedMs: number }).elapsedMs : null,
								previewArrived: stage ? stage.startTime - start : null,
								previewDraw: draw ? { start: draw.startTime - start, duration: draw.duration } : null
							});
						}, 100);
					}
				});
				observer.observe(element, { attributes: true, attributeFilter: ['data-drawn'] });
				input.value = String(value);
				input.dispatchEvent(new Event('input', { bubbles: true }));
			}),
		{ param, value, chart: CHART, mark: STAGE_MARK, drawMeasure: DRAW_MEASURE }
	);
}

interface DragTiming {
	/** The longest gap the probe saw from the first input until the chart first changed after the last input (the released value's preview). */
	longestGap: number;
	/** What ran in that gap, as far as the page marks it. */
	longestGapHolds: string;
	/** The same from the first input until the released value's complete result is drawn. */
	longestGapToComplete: number;
	/** Long-task entries (≥ 50 ms) in the first window, the longest. */
	longestTask: number;
	/** From the release to the chart's first change, and to the complete result. */
	releaseToChart: number;
	releaseToComplete: number;
	/** The chart's `data-drawn` tags during the drag, in order (what was drawn while the slider moved). */
	drawnDuringDrag: number;
}

/**
 * Drags a slider as a user would: `values` as input events `intervalMs` apart, then the release
 * (a change event). The gap probe runs throughout; the drag is timed until the released value's
 * complete result is drawn.
 */
async function timeDrag(page: Page, param: string, values: number[]): Promise<DragTiming> {
	return page.evaluate(
		({ param, values, chart, intervalMs, mark, drawMeasure }) =>
			new Promise<DragTiming>((resolveTiming, reject) => {
				const inputsAt: number[] = [];
				const element = document.querySelector<HTMLElement>(chart)!;
				const input = document.querySelector<HTMLInputElement>(`input[type="range"][data-param="${param}"]`)!;
				setTimeout(() => reject(new Error(`drag to ${values.at(-1)}: no complete result within 2 minutes (chart tag "${element.dataset.drawn}")`)), 120_000);
				const gaps: { start: number; end: number }[] = [];
				let probing = true;
				let last = performance.now();
				const probe = new MessageChannel();
				probe.port1.onmessage = () => {
					const now = performance.now();
					gaps.push({ start: last, end: now });
					last = now;
					if (probing) probe.port2.postMessage(0);
				};
				probe.port2.postMessage(0);
				let start = NaN;
				let lastInputAt = NaN;
				let releasedAt = NaN;
				let chartAfterLastInput = NaN;
				let drawnDuringDrag = 0;
				const observer = new MutationObserver(() => {
					const now = performance.now();
					const tag = element.dataset.drawn ?? '';
					if (Number.isNaN(lastInputAt)) drawnDuringDrag++;
					else if (Number.isNaN(chartAfterLastInput)) chartAfterLastInput = now;
					if (!Number.isNaN(lastInputAt) && /^full:[0-9a-f]{16}$/.test(tag)) {
						observer.disconnect();
						// Let the tasks around the last draw end, and the long-task entries arrive.
						setTimeout(() => {
							probing = false;
							const end = now;
							// What the longest gap held: input events, stages arriving, and the page's chart draws.
							const holds = (to: number) => {
								const gap = gaps.filter((g) => g.end >= start && g.start <= to).reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
								const inside = (at: number) => at >= gap.start && at <= gap.end;
								const draws = (performance.getEntriesByName(drawMeasure, 'measure') as PerformanceMeasure[])
									.filter((entry) => entry.startTime <= gap.end && entry.startTime + entry.duration >= gap.start)
									.map((entry) => `draw ${(entry.detail as { chart?: string }).chart} ${entry.duration.toFixed(0)} ms`);
								const stages = (performance.getEntriesByName(mark, 'mark') as PerformanceMark[])
									.filter((entry) => inside(entry.startTime))
									.map((entry) => `${(entry.detail as { phase: string }).phase} stage`);
								const events = inputsAt.filter(inside).length;
								return [events > 0 ? `${events} input events` : '', ...stages, ...draws].filter(Boolean).join(', ') || "none of the page's marks";
							};
							const longestIn = (to: number) => Math.max(0, ...gaps.filter((gap) => gap.end >= start && gap.start <= to).map((gap) => gap.end - gap.start));
							const tasks = (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks;
							const longTasks = tasks.filter((t) => t.start + t.duration >= start && t.start <= chartAfterLastInput).map((t) => t.duration);
							resolveTiming({
								longestGap: longestIn(chartAfterLastInput),
								longestGapHolds: holds(chartAfterLastInput),
								longestGapToComplete: longestIn(end),
								longestTask: Math.max(0, ...longTasks),
								releaseToChart: chartAfterLastInput - releasedAt,
								releaseToComplete: end - releasedAt,
								drawnDuringDrag
							});
						}, 150);
					}
				});
				observer.observe(element, { attributes: true, attributeFilter: ['data-drawn'] });
				let i = 0;
				const step = () => {
					input.value = String(values[i]);
					if (i === 0) start = performance.now();
					inputsAt.push(performance.now());
					input.dispatchEvent(new Event('input', { bubbles: true }));
					i++;
					if (i < values.length) setTimeout(step, intervalMs);
					else {
						lastInputAt = performance.now();
						setTimeout(() => {
							releasedAt = performance.now();
							input.dispatchEvent(new Event('change', { bubbles: true }));
						}, intervalMs);
					}
				};
				// Let the probe run a moment before the drag starts.
				setTimeout(step, 50);
			}),
		{ param, values, chart: CHART, intervalMs: DRAG_INTERVAL_MS, mark: STAGE_MARK, drawMeasure: DRAW_MEASURE }
	);
}

/**
 * Floor B: `count` draws of the watched fan chart's figure with `Plotly.react`, on a chart of the
 * same size beside it, each with the band and median data changed (alternately scaled by 1.03 and
 * not), as a slider move changes them. Each is timed directly (the call until its promise resolves)
 * and as the gap probe sees it (the react and the rendering after it).
 */
async function timeReactFloor(page: Page, count: number): Promise<{ react: number[]; probed: number[] }> {
	return page.evaluate(
		async ({ chart, count }) => {
			type Plotly = { react: (element: HTMLElement, data: unknown[], layout: unknown, config: unknown) => Promise<unknown> };
			const globals = window as unknown as { Plotly: Plotly; floorChart?: HTMLDivElement; floorFlip?: boolean };
			const source = document.querySelector<HTMLElement & { data: { name?: string; y?: number[] }[]; layout: object }>(`div${chart}`)!;
			if (!globals.floorChart) {
				const div = document.createElement('div');
				div.className = [...source.classList].filter((name) => !/plotly/.test(name)).join(' ');
				div.setAttribute('aria-hidden', 'true');
				source.parentElement!.append(div);
				globals.floorChart = div;
			}
			const target = globals.floorChart;
			// The site's configuration (src/lib/components/plotly.ts).
			const config = {
				responsive: true,
				displayModeBar: 'hover',
				modeBarButtons: [['zoom2d', 'pan2d', 'resetScale2d']],
				showSendToCloud: false,
				displaylogo: false
			};
			const nextFrame = () => new Promise((resolveFrame) => requestAnimationFrame(() => setTimeout(resolveFrame, 0)));
			const react: number[] = [];
			const probed: number[] = [];
			for (let k = 0; k < count; k++) {
				globals.floorFlip = !globals.floorFlip;
				const factor = globals.floorFlip ? 1.03 : 1;
				const data = structuredClone(source.data).map((trace) =>
					['P5–P95', 'P25–P75', 'Median'].includes(trace.name ?? '') && trace.y ? { ...trace, y: trace.y.map((y) => y * factor) } : trace
				);
				const layout = structuredClone(source.layout);
				const gaps: number[] = [];
				let probing = true;
				let last = performance.now();
				const probe = new MessageChannel();
				probe.port1.onmessage = () => {
					const now = performance.now();
					gaps.push(now - last);
					last = now;
					if (probing) probe.port2.postMessage(0);
				};
				probe.port2.postMessage(0);
				await nextFrame();
				const gapsBefore = gaps.length;
				const started = performance.now();
				await globals.Plotly.react(target, data, layout, config);
				react.push(performance.now() - started);
				await nextFrame();
				await nextFrame();
				probing = false;
				probed.push(Math.max(...gaps.slice(gapsBefore)));
			}
			return { react, probed };
		},
		{ chart: CHART, count }
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
		// The functions run in the page are compiled by tsx, which names its local functions with a helper of its own.
		await page.addInitScript({ content: 'window.__name = (f) => f;' });
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
		// Floor B's Plotly is the site's own: Plotly's bundle also sets itself as `window.Plotly` when loaded.
		await page.waitForFunction(() => 'Plotly' in window);
		await timeReactFloor(page, 6);
		const reacts: number[] = [];
		const reactsProbed: number[] = [];
		const sampleFloor = async () => {
			const floor = await timeReactFloor(page, 3);
			reacts.push(...floor.react);
			reactsProbed.push(...floor.probed);
		};
		const previewsInOrder: (number | null)[] = [];
		const workerPreviews: number[] = [];
		/** Where a preview's time outside the worker pool goes: before its run starts there (the page's input handling, the message, a busy worker), and from its stage's arrival on the page to the drawn chart. */
		const beforeWorker: number[] = [];
		const afterArrival: number[] = [];
		/** Of which: from the arrival to the start of the chart's draw, and the draw itself (the page's Plotly.react of the preview figure). */
		const arrivalToDraw: number[] = [];
		const previewDraws: number[] = [];
		const fulls: number[] = [];
		const completes: number[] = [];
		const longest: number[] = [];
		// Distinct slider positions (the slider's step is 0.005 1/yr), so no run is answered from the result cache.
		for (let i = 0; i < changes; i++) {
			const timing = await timeSliderChange(page, 'demandGrowth', Number((0.2 - 0.005 * i).toFixed(3)));
			previewsInOrder.push(timing.preview);
			if (timing.workerPreview !== null) workerPreviews.push(timing.workerPreview);
			if (timing.workerPreview !== null && timing.previewArrived !== null && timing.preview !== null) {
				beforeWorker.push(timing.previewArrived - timing.workerPreview);
				afterArrival.push(timing.preview - timing.previewArrived);
				if (timing.previewDraw) {
					arrivalToDraw.push(timing.previewDraw.start - timing.previewArrived);
					previewDraws.push(timing.previewDraw.duration);
				}
			}
			fulls.push(timing.full);
			completes.push(timing.complete);
			longest.push(timing.longestTask);
			if (i % 5 === 4) await sampleFloor();
		}
		// Drags: each from where the last ended, 15 steps of the slider's 0.01 step, every value new.
		const dragTimings: DragTiming[] = [];
		for (let k = 0; k < drags; k++) {
			const values = Array.from({ length: DRAG_STEPS }, (_, i) => Number((0.1 + 0.01 * (k * DRAG_STEPS + i + 1)).toFixed(2)));
			dragTimings.push(await timeDrag(page, DRAG_PARAM, values));
			await sampleFloor();
		}
		const previews = previewsInOrder.filter((preview) => preview !== null);
		const ms = (x: number) => `${x.toFixed(0)} ms`;
		const median = (values: number[]) => percentile(values, 0.5);
		const paths = await page.textContent('[data-testid="fingerprint-phase"]');
		console.log(
			`Notebook speed in headless Chromium (${load.cores} cores, worker pool of ${poolSizeFor(load.cores)}), ${changes} slider changes and ${drags} drags, run ${paths}`
		);
		console.log(`  first contentful paint            ${ms(load.firstPaint)}`);
		console.log(`  first chart drawn                 ${ms(load.firstChart)}`);
		console.log(
			`  slider → preview chart (1,000)    median ${ms(percentile(previews, 0.5))}, P95 ${ms(percentile(previews, 0.95))}  (${previews.length} of ${changes} previews drawn)`
		);
		console.log(`  slider → full-count chart (10,000) median ${ms(percentile(fulls, 0.5))}, P95 ${ms(percentile(fulls, 0.95))}`);
		console.log(
			`  slider → complete result           median ${ms(percentile(completes, 0.5))}, P95 ${ms(percentile(completes, 0.95))}  (every metric summarised, fingerprint shown)`
		);
		console.log(
			`  longest main-thread task per run  median ${ms(percentile(longest, 0.5))}, max ${ms(Math.max(...longest))}  (long-task entries, ≥ 50 ms only)`
		);
		// In order, so that the first moves after loading (code not yet optimised) stand apart from the rest.
		console.log(
			`  each change, preview / full-count chart (ms): ${fulls.map((full, i) => `${previewsInOrder[i]?.toFixed(0) ?? '–'}/${full.toFixed(0)}`).join(' ')}`
		);
		const workerFloor = median(workerPreviews);
		const reactFloor = median(reacts);
		console.log('  floors, this run:');
		console.log(
			`    A: worker pool's preview stage  median ${ms(workerFloor)}, P95 ${ms(percentile(workerPreviews, 0.95))}  (${workerPreviews.length} previews; each: ${workerPreviews.map((x) => x.toFixed(0)).join(' ')})`
		);
		console.log(
			`    B: one Plotly.react of the fan chart  median ${reactFloor.toFixed(1)} ms, P95 ${percentile(reacts, 0.95).toFixed(1)} ms  (${reacts.length} draws between the runs; as the gap probe sees it, with the rendering after it: median ${reactsProbed.length ? median(reactsProbed).toFixed(1) : '–'} ms)`
		);
		console.log(
			`    outside the floors: slider → the worker's run starting median ${ms(median(beforeWorker))}, P95 ${ms(percentile(beforeWorker, 0.95))}; stage arrived on the page → chart drawn median ${ms(median(afterArrival))}, P95 ${ms(percentile(afterArrival, 0.95))}; of which arrival → draw starts median ${ms(median(arrivalToDraw))}, the page's draw median ${ms(median(previewDraws))}, P95 ${ms(percentile(previewDraws, 0.95))}`
		);
		const previewP95 = percentile(previews, 0.95);
		const previewRatio = previewP95 / (workerFloor + reactFloor);
		console.log(
			`  preview P95 ÷ (A + B) = ${ms(previewP95)} ÷ (${ms(workerFloor)} + ${reactFloor.toFixed(1)} ms) = ${previewRatio.toFixed(2)}×  (target ≤ 1.5); median ÷ (A + B) = ${(percentile(previews, 0.5) / (workerFloor + reactFloor)).toFixed(2)}×`
		);
		const dragLongest = dragTimings.map((drag) => drag.longestGap);
		const dragMedian = median(dragLongest);
		console.log(
			`  drags (${DRAG_STEPS} input events ${DRAG_INTERVAL_MS} ms apart, then release), longest main-thread task by the gap probe, first input → the released value's preview drawn:`
		);
		console.log(
			`    each drag (ms): ${dragLongest.map((x) => x.toFixed(0)).join(' ')}; median ${dragMedian.toFixed(1)} ms = ${(dragMedian / reactFloor).toFixed(2)}× B, max ${Math.max(...dragLongest).toFixed(0)} ms = ${(Math.max(...dragLongest) / reactFloor).toFixed(2)}× B`
		);
		console.log(`    the longest gap of each drag held: ${dragTimings.map((drag) => `[${drag.longestGapHolds}]`).join(' ')}`);
		console.log(
			`    through the complete result (ms): ${dragTimings.map((drag) => drag.longestGapToComplete.toFixed(0)).join(' ')}; long-task entries in the drag (ms): ${dragTimings.map((drag) => drag.longestTask.toFixed(0)).join(' ')}`
		);
		console.log(
			`    release → chart (ms): ${dragTimings.map((drag) => drag.releaseToChart.toFixed(0)).join(' ')}; release → complete (ms): ${dragTimings.map((drag) => drag.releaseToComplete.toFixed(0)).join(' ')}; charts drawn while dragging: ${dragTimings.map((drag) => drag.drawnDuringDrag).join(' ')}`
		);
		console.log(
			`page: preview P95 ${ms(previewP95)} = ${previewRatio.toFixed(2)}× floor (target ≤ 1.5); longest task during drag ${ms(dragMedian)} = ${(dragMedian / reactFloor).toFixed(2)}× one Plotly.react (target ≤ 1.2)`
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
