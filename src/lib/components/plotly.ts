import type { Config } from 'plotly.js-dist-min';
import { stampedFigure, type ChartStamp, type Figure } from '../notebook/figures';
import { nextTask } from '../tasks';
import { downloadUrl } from './download';

type PlotlyModule = typeof import('plotly.js-basic-dist-min');
type PlotlyApi = PlotlyModule['default'];

let plotly: Promise<PlotlyApi> | undefined;

/** Resolves after the browser has painted once: Plotly (1.2 MB) must not delay the first paint. */
function afterFirstPaint(): Promise<void> {
	return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Loads Plotly once, lazily, after the first paint. */
export function loadPlotly(): Promise<PlotlyApi> {
	plotly ??= afterFirstPaint()
		.then(() => import('plotly.js-basic-dist-min'))
		// The bundle is UMD: bundlers hand it over as its default export or as the module itself.
		.then((module): PlotlyApi => module.default ?? module);
	return plotly;
}

/**
 * The mode bar: zoom, pan and reset only, shown while the pointer is over the chart. Never Plotly's
 * "send to cloud" (it would upload the chart's data to Plotly's servers) nor its logo link; the cell's own
 * download button replaces Plotly's, adding what the run was to the image.
 */
const plotConfig: Partial<Config> = {
	responsive: true,
	displayModeBar: 'hover',
	modeBarButtons: [['zoom2d', 'pan2d', 'resetScale2d']],
	showSendToCloud: false,
	displaylogo: false
};

/** The mode bar's buttons are for the pointer: a keyboard user meets one control per chart, its download button. */
function keepModeBarOutOfTabOrder(element: HTMLElement): void {
	for (const button of element.querySelectorAll('.modebar-btn')) button.setAttribute('tabindex', '-1');
}

/**
 * Each chart's draw as a performance measure (nothing on screen): the browser benchmark holds the
 * page's draws against one `Plotly.react` of the same figure.
 */
export const DRAW_MEASURE = 'notebook:draw';

function markDraw(element: HTMLElement, start: number): void {
	performance.measure(DRAW_MEASURE, { start, detail: { chart: element.dataset.testid } });
	// Measures are kept until cleared: keep the latest few.
	if (performance.getEntriesByName(DRAW_MEASURE, 'measure').length > 200) performance.clearMeasures(DRAW_MEASURE);
}

const pending = new Map<HTMLElement, { figure: Figure; done: () => void }>();
let drawing = false;

/**
 * Draws figures one per task, newest figure per element only: many charts updating at once must
 * not block the main thread in one long task, and a figure superseded before it is drawn is skipped.
 */
export function drawFigure(element: HTMLElement, figure: Figure): Promise<void> {
	return new Promise((resolve) => {
		pending.get(element)?.done();
		pending.set(element, { figure, done: resolve });
		if (!drawing) void drainQueue();
	});
}

function onScreen(element: HTMLElement): boolean {
	const box = element.getBoundingClientRect();
	return box.bottom > 0 && box.top < innerHeight;
}

/** The next element to draw: the first one on screen, else the first in line. */
function nextToDraw(): HTMLElement {
	for (const element of pending.keys()) if (onScreen(element)) return element;
	return pending.keys().next().value!;
}

async function drainQueue(): Promise<void> {
	drawing = true;
	const Plotly = await loadPlotly();
	for (let first = true; pending.size > 0; first = false) {
		// The first chart is drawn in the task that delivered its data: the page then renders once,
		// not once before the chart and again after it, and a preview is drawn while the workers
		// leave the cores to the page (see PREVIEW_DRAW_ALLOWANCE_MS). Each further chart gets a task of its own.
		if (!first) await nextTask();
		if (pending.size === 0) break;
		const element = nextToDraw();
		const { figure, done } = pending.get(element)!;
		pending.delete(element);
		if (element.isConnected) {
			const start = performance.now();
			await Plotly.react(element, figure.data, figure.layout, plotConfig);
			keepModeBarOutOfTabOrder(element);
			markDraw(element, start);
		}
		done();
	}
	drawing = false;
	drained?.resolve();
	drained = undefined;
}

let drained: PromiseWithResolvers<void> | undefined;
const resizing = new Set<Promise<unknown>>();

/** Fits a drawn chart to its element's width again (the element's width changed: printing started or ended). */
export async function resizeFigure(element: HTMLElement): Promise<void> {
	const Plotly = await loadPlotly();
	if (!element.isConnected) return;
	const resized = Plotly.relayout(element, { autosize: true });
	resizing.add(resized);
	await resized.finally(() => resizing.delete(resized));
}

/** Resolves once every chart asked to draw or resize (in this task or earlier) has done so. */
export async function chartsDrawn(): Promise<void> {
	await nextTask();
	while (drawing || pending.size > 0 || resizing.size > 0) {
		if (drawing || pending.size > 0) {
			drained ??= Promise.withResolvers();
			await drained.promise;
		}
		await Promise.all(resizing);
		await nextTask();
	}
}

export function forgetFigure(element: HTMLElement): void {
	pending.get(element)?.done();
	pending.delete(element);
	if (plotly) void plotly.then((Plotly) => Plotly.purge(element));
}

/** Saves a figure as a PNG image, stamped with the run it was drawn from when given. */
export async function downloadPng(figure: Figure, filename: string, width: number, stamp?: ChartStamp): Promise<void> {
	const Plotly = await loadPlotly();
	// Plotly writes into the figure it draws: the exported copy must not touch the chart on screen.
	const shown = structuredClone(stamp ? stampedFigure(figure, stamp, width) : { ...figure, layout: { ...figure.layout, width } });
	const url = await Plotly.toImage(shown, { format: 'png', width, height: shown.layout.height ?? 400 });
	downloadUrl(`${filename}.png`, url);
}
