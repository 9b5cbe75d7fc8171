/** How far outside the viewport an element still counts as near the screen (scrolling there takes a moment). */
const NEAR_SCREEN_MARGIN = '200px 0px';

/** Calls `onchange(near)` as `element` comes within NEAR_SCREEN_MARGIN of the viewport or leaves it; returns the disconnect. */
export function observeNearScreen(element: Element, onchange: (near: boolean) => void): () => void {
	const observer = new IntersectionObserver((entries) => onchange(entries.some((entry) => entry.isIntersecting)), { rootMargin: NEAR_SCREEN_MARGIN });
	observer.observe(element);
	return () => observer.disconnect();
}

/*
 * Printing: charts far from the screen are not drawn, so while the page prints (the browser's print,
 * print media emulated, or the "Export report" action preparing) every chart draws at the printed width.
 */
const printListeners = new Set<(printing: boolean) => void>();
let printEvent = false;
let preparingReport = false;
let printMedia: MediaQueryList | undefined;

function printing(): boolean {
	return printEvent || preparingReport || printMedia!.matches;
}

function tellPrinting(): void {
	for (const listener of printListeners) listener(printing());
}

/** Calls `onchange(printing)` now and as printing starts or ends; returns the disconnect. */
export function observePrinting(onchange: (printing: boolean) => void): () => void {
	if (!printMedia) {
		printMedia = matchMedia('print');
		printMedia.addEventListener('change', tellPrinting);
		addEventListener('beforeprint', () => {
			printEvent = true;
			tellPrinting();
		});
		addEventListener('afterprint', () => {
			printEvent = false;
			tellPrinting();
		});
	}
	printListeners.add(onchange);
	onchange(printing());
	return () => printListeners.delete(onchange);
}

/**
 * Opens the browser's print dialog once every chart has drawn for print: the browser lays out the printed
 * page as soon as printing starts, too early for charts that only then begin to draw.
 */
export async function printReport(chartsDrawn: () => Promise<void>): Promise<void> {
	preparingReport = true;
	tellPrinting();
	try {
		await chartsDrawn();
		print();
	} finally {
		preparingReport = false;
		tellPrinting();
	}
}
