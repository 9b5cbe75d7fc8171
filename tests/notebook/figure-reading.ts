import type { Figure } from '../../src/lib/notebook/figures';

/** The fields of a Plotly trace these tests read. */
export interface Trace {
	name: string;
	x: (string | number)[];
	y: (number | null)[];
	customdata: unknown[];
	hovertemplate: string;
	hovertext: string[];
	text: string[];
	yaxis?: string;
	fill?: string;
}

export function traceNamed(figure: Figure, name: string): Trace {
	const trace = figure.data.find((t) => t.name === name);
	if (trace === undefined) throw new Error(`no trace "${name}" among ${figure.data.map((t) => t.name).join(', ')}`);
	return trace as Trace;
}

export function axisTitle(axis: unknown): string | undefined {
	return (axis as { title?: { text?: string } } | undefined)?.title?.text;
}

/** Percentiles by month as a fan chart draws them: each band polygon runs out along its upper percentile and back along its lower. */
export interface DrawnBands {
	months: (string | number)[];
	p5: number[];
	p25: number[];
	p50: number[];
	p75: number[];
	p95: number[];
}

export function drawnBands(figure: Figure, medianName = 'Median'): DrawnBands {
	const outer = traceNamed(figure, 'P5–P95');
	const inner = traceNamed(figure, 'P25–P75');
	const median = traceNamed(figure, medianName);
	const n = median.x.length;
	for (const band of [outer, inner]) {
		if (band.fill !== 'toself' || band.x.length !== 2 * n || band.y.length !== 2 * n)
			throw new Error(`"${band.name}" is not one closed polygon over ${n} months`);
	}
	const upper = (band: Trace) => band.y.slice(0, n) as number[];
	const lower = (band: Trace) => (band.y.slice(n) as number[]).reverse();
	return { months: median.x, p5: lower(outer), p25: lower(inner), p50: median.y as number[], p75: upper(inner), p95: upper(outer) };
}

/** The months where P5 ≤ P25 ≤ P50 ≤ P75 ≤ P95 does not hold, with their values: empty when the bands nest. */
export function unorderedMonths(bands: DrawnBands): string[] {
	return bands.months.flatMap((month, t) => {
		const values = [bands.p5[t], bands.p25[t], bands.p50[t], bands.p75[t], bands.p95[t]];
		const ordered = values.every((value, k) => Number.isFinite(value) && (k === 0 || values[k - 1] <= value));
		return ordered ? [] : [`${month}: ${values.join(' ≤ ')}`];
	});
}
