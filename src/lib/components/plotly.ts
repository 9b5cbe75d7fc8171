import type { Figure } from '../notebook/figures';
import { nextTask } from '../tasks';

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
		// not once before the chart and again after it. Each further chart gets a task of its own.
		if (!first) await nextTask();
		if (pending.size === 0) break;
		const element = nextToDraw();
		const { figure, done } = pending.get(element)!;
		pending.delete(element);
		if (element.isConnected) {
			await Plotly.react(element, figure.data, figure.layout, { responsive: true, displaylogo: false, modeBarButtonsToRemove: ['lasso2d', 'select2d'] });
		}
		done();
	}
	drawing = false;
}

export function forgetFigure(element: HTMLElement): void {
	pending.get(element)?.done();
	pending.delete(element);
	if (plotly) void plotly.then((Plotly) => Plotly.purge(element));
}

export async function downloadPng(element: HTMLElement, filename: string): Promise<void> {
	const Plotly = await loadPlotly();
	await Plotly.downloadImage(element, { format: 'png', filename, width: element.clientWidth || 900, height: element.clientHeight || 400 });
}
