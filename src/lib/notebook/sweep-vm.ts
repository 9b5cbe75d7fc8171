import type { Data, Shape } from 'plotly.js-dist-min';
import { parameterById, parameterUnitWords, type ParameterId } from '../model/parameters';
import { unitInWords } from '../model/units';
import type { SweepResult } from '../sweep/result';
import type { AnalysisCellState } from './analyses';
import { describeIndicator } from './cell-titles';
import { analysisResult, analysisStatus, type AnalysisStatusView } from './cell-vm';
import { chartColours, type Figure } from './figures';
import { displayScale, formatEstimateNumber, formatNumber } from './format';

/**
 * The sweep cell: a sweep's outcomes against its factors, the PRIM box of the cases of interest,
 * and Sobol' bars, from a result run in the workers or loaded from `npm run sweep`'s file. Plain
 * functions of a result and the choices of the cell's selects, tested without a browser.
 */

/** Points drawn at most in a scatter (a loaded result may hold far more: every k-th is drawn). */
export const MAX_DRAWN_POINTS = 5_000;

type ResultFactor = SweepResult['factors'][number];
type ResultOutput = SweepResult['outputs'][number];

/** A unit in words, for a unit the model may not know (a loaded file's): as written then. */
function wordsOf(unit: string): string {
	const words = unitInWords(unit);
	return typeof words === 'string' ? words : unit;
}

/** A factor's unit in plain words: a parameter's own words, months for events. */
export function factorUnitWords(factor: ResultFactor): string {
	if (factor.param !== undefined && Object.hasOwn(parameterById, factor.param)) return parameterUnitWords(factor.param as ParameterId);
	return wordsOf(factor.unit);
}

/** "alliedGrowth (per year)": a factor and its unit, for an axis. */
export function factorAxisTitle(factor: ResultFactor): string {
	const words = factorUnitWords(factor);
	const scale = displayScale(factor.unit);
	return words && words !== '–' ? `${factor.name} (${scale === 100 ? '%' : words})` : factor.name;
}

/** An output in words with its unit: "chance shortfall above 0 tonnes per month in 2029 (%)". */
export function outputAxisTitle(output: ResultOutput): string {
	return `${describeIndicator(output.name)} (${wordsOf(output.unit)})`;
}

/** Every k-th index so that at most `max` are drawn. */
function drawnIndices(count: number, max = MAX_DRAWN_POINTS): number[] {
	const step = Math.max(1, Math.ceil(count / max));
	const indices: number[] = [];
	for (let i = 0; i < count; i += step) indices.push(i);
	return indices;
}

function factorNamed(result: SweepResult, name: string): ResultFactor | undefined {
	return result.factors.find((f) => f.name === name);
}

function outputNamed(result: SweepResult, name: string): ResultOutput | undefined {
	return result.outputs.find((o) => o.name === name);
}

function factorValue(result: SweepResult, index: number, name: string): number {
	const factors = result.points[index].factors;
	return Object.hasOwn(factors, name) ? factors[name] : Number.NaN;
}

function outputEstimate(result: SweepResult, index: number, name: string): { value: number; se: number } {
	const outputs = result.points[index].outputs;
	return Object.hasOwn(outputs, name) ? outputs[name] : { value: Number.NaN, se: Number.NaN };
}

/** (a) One output against one factor, each point with its Monte Carlo error bar (±1 SE) when asked. */
export function outcomeFigure(result: SweepResult, outputName: string, factorName: string, withErrors: boolean): Figure | undefined {
	const output = outputNamed(result, outputName);
	const factor = factorNamed(result, factorName);
	if (!output || !factor) return undefined;
	const indices = drawnIndices(result.points.length);
	const xScale = displayScale(factor.unit);
	const yScale = displayScale(output.unit);
	const estimates = indices.map((i) => outputEstimate(result, i, output.name));
	const trace = {
		type: 'scatter',
		mode: 'markers',
		name: 'points',
		x: indices.map((i) => factorValue(result, i, factor.name) * xScale),
		y: estimates.map((e) => e.value * yScale),
		customdata: estimates.map((e) => {
			const shown = formatEstimateNumber(e.value * yScale, e.se * yScale);
			return `${shown.value} ± ${shown.se}`;
		}),
		marker: { color: chartColours.median, size: 6, opacity: 0.8 },
		hovertemplate: `${factor.name} = %{x:.3~r}<br>%{customdata} ${wordsOf(output.unit)}<extra></extra>`,
		...(withErrors
			? { error_y: { type: 'data', array: estimates.map((e) => e.se * yScale), visible: true, color: 'rgba(31, 119, 180, 0.45)', thickness: 1, width: 0 } }
			: {})
	} as Data;
	return {
		data: [trace],
		layout: {
			title: { text: `${capital(describeIndicator(output.name))} against ${factor.name}`, font: { size: 15 } },
			xaxis: { title: { text: factorAxisTitle(factor) }, zeroline: false },
			yaxis: { title: { text: wordsOf(output.unit) }, zeroline: false },
			showlegend: false,
			margin: { t: 48, r: 16, b: 56, l: 64 },
			height: 360
		}
	};
}

function capital(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The level that makes a point a case of interest, read back from the discovery's criterion ("… > 0.5"). */
export function criterionOf(criterion: string): { above: boolean; level: number } | undefined {
	const match = /\s([<>])\s(\S+)$/.exec(criterion);
	if (!match) return undefined;
	const level = Number(match[2]);
	return Number.isFinite(level) ? { above: match[1] === '>', level } : undefined;
}

/** What makes a point a case of interest, in the output's display unit: "above 10 %", "below 70 USD per kg". */
export function criterionWords(result: SweepResult): string {
	const discovery = result.analyses.discovery;
	const criterion = discovery && criterionOf(discovery.criterion);
	if (!discovery || !criterion) return discovery ? discovery.criterion.slice(discovery.output.length).trim() : '';
	const unit = outputNamed(result, discovery.output)?.unit ?? '';
	const words = wordsOf(unit);
	return `${criterion.above ? 'above' : 'below'} ${formatNumber(criterion.level * displayScale(unit))}${words ? ` ${words}` : ''}`;
}

/** The two factors the discovery chart starts with: those the box restricts first, then the sweep's first ones. */
export function defaultDiscoveryFactors(result: SweepResult): [string, string] | undefined {
	if (result.factors.length < 2) return undefined;
	const restricted = result.analyses.discovery?.box?.limits.map((l) => l.name) ?? [];
	const names = [...new Set([...restricted, ...result.factors.map((f) => f.name)])];
	return [names[0], names[1]];
}

/** The PRIM box on two factors: each side at the box's limit where it restricts the factor, else at the factor's range. */
export function boxRectangle(result: SweepResult, xName: string, yName: string): { x0: number; x1: number; y0: number; y1: number } | undefined {
	const box = result.analyses.discovery?.box;
	const x = factorNamed(result, xName);
	const y = factorNamed(result, yName);
	if (!box || !x || !y) return undefined;
	const side = (factor: ResultFactor) => {
		const limit = box.limits.find((l) => l.name === factor.name);
		const scale = displayScale(factor.unit);
		return { low: (limit?.low ?? factor.min) * scale, high: (limit?.high ?? factor.max) * scale };
	};
	const sx = side(x);
	const sy = side(y);
	return { x0: sx.low, x1: sx.high, y0: sy.low, y1: sy.high };
}

/** A share as a percentage of whole counts: "72 % (18 of 25)". */
function shareText(part: number, whole: number): string {
	return whole > 0 ? `${formatNumber((100 * part) / whole)} % (${part.toLocaleString('en-US')} of ${whole.toLocaleString('en-US')})` : 'none';
}

/** The line under the discovery chart: what a case is, and the box's coverage and density. */
export function discoveryLine(result: SweepResult): string | undefined {
	const discovery = result.analyses.discovery;
	if (!discovery) return undefined;
	const cases = `Cases of interest: ${describeIndicator(discovery.output)} ${criterionWords(result)}, ${shareText(discovery.cases, discovery.points)} of the points.`;
	if (!discovery.box) return `${cases} ${discovery.unavailable ?? 'No box was found.'}`;
	const box = discovery.box;
	const limits = box.limits.map((l) => {
		const factor = factorNamed(result, l.name);
		const scale = displayScale(l.unit);
		const words = scale === 100 ? '%' : factor ? factorUnitWords(factor) : wordsOf(l.unit);
		return `${l.name} ${formatNumber(l.low * scale)} – ${formatNumber(l.high * scale)}${words && words !== '–' ? ` ${words}` : ''}`;
	});
	return `${cases} The box (${limits.join('; ') || 'no factor restricted'}) holds ${shareText(box.cases, discovery.cases)} of the cases: coverage ${formatNumber(100 * box.coverage)} %; of its ${box.points.toLocaleString('en-US')} points ${formatNumber(100 * box.density)} % are cases: density (at least ${formatNumber(100 * discovery.minimumDensity)} % asked).`;
}

/** (b) Two factors, points coloured by whether they are cases of interest, the PRIM box drawn as a rectangle. */
export function discoveryFigure(result: SweepResult, xName: string, yName: string): Figure | undefined {
	const discovery = result.analyses.discovery;
	const x = factorNamed(result, xName);
	const y = factorNamed(result, yName);
	const criterion = discovery && criterionOf(discovery.criterion);
	if (!discovery || !x || !y || !criterion) return undefined;
	const indices = drawnIndices(result.points.length);
	const isCase = (i: number) => {
		const value = outputEstimate(result, i, discovery.output).value;
		return criterion.above ? value > criterion.level : value < criterion.level;
	};
	const xScale = displayScale(x.unit);
	const yScale = displayScale(y.unit);
	const trace = (name: string, chosen: number[], colour: string, symbol: string): Data =>
		({
			type: 'scatter',
			mode: 'markers',
			name,
			x: chosen.map((i) => factorValue(result, i, x.name) * xScale),
			y: chosen.map((i) => factorValue(result, i, y.name) * yScale),
			marker: { color: colour, size: 7, symbol, opacity: 0.85 },
			hovertemplate: `${x.name} = %{x:.3~r}<br>${y.name} = %{y:.3~r}<extra>${name}</extra>`
		}) as Data;
	const rectangle = boxRectangle(result, x.name, y.name);
	const shapes: Partial<Shape>[] = rectangle
		? [{ type: 'rect', xref: 'x', yref: 'y', ...rectangle, line: { color: chartColours.observed, width: 2 }, fillcolor: 'rgba(214, 39, 40, 0.06)' }]
		: [];
	return {
		data: [
			trace(
				'other points',
				indices.filter((i) => !isCase(i)),
				'rgb(150, 150, 150)',
				'circle-open'
			),
			trace(`cases (${criterionWords(result)})`, indices.filter(isCase), chartColours.other, 'circle')
		],
		layout: {
			title: { text: `Where the cases of interest are${rectangle ? ', with the PRIM box' : ''}`, font: { size: 15 } },
			xaxis: { title: { text: factorAxisTitle(x) }, zeroline: false },
			yaxis: { title: { text: factorAxisTitle(y) }, zeroline: false },
			shapes,
			legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
			margin: { t: 72, r: 16, b: 56, l: 64 },
			height: 380
		}
	};
}

export interface SobolBars {
	factors: string[];
	first: { estimate: number; low: number; high: number }[];
	total: { estimate: number; low: number; high: number }[];
}

/** The Sobol' indices of an output as bars, or why there are none. */
export function sobolBars(result: SweepResult, outputName: string): SobolBars | { unavailable: string } | undefined {
	const entry = result.analyses.sobol?.find((s) => s.output === outputName);
	if (!entry) return undefined;
	if (!entry.factors) return { unavailable: entry.unavailable ?? 'no indices' };
	return {
		factors: entry.factors.map((f) => f.name),
		first: entry.factors.map((f) => f.first),
		total: entry.factors.map((f) => f.total)
	};
}

/** (c) First- and total-order Sobol' indices per factor, with their bootstrap intervals as error bars. */
export function sobolFigure(result: SweepResult, outputName: string): Figure | undefined {
	const bars = sobolBars(result, outputName);
	const output = outputNamed(result, outputName);
	if (!bars || 'unavailable' in bars || !output) return undefined;
	const side = (name: string, estimates: SobolBars['first'], colour: string): Data =>
		({
			type: 'bar',
			name,
			x: bars.factors,
			y: estimates.map((e) => e.estimate),
			error_y: {
				type: 'data',
				symmetric: false,
				array: estimates.map((e) => Math.max(0, e.high - e.estimate)),
				arrayminus: estimates.map((e) => Math.max(0, e.estimate - e.low)),
				visible: true
			},
			customdata: estimates.map((e) => `${formatNumber(e.low)} to ${formatNumber(e.high)}`),
			marker: { color: colour },
			hovertemplate: `%{x}: %{y:.2f} (bootstrap interval %{customdata})<extra>${name}</extra>`
		}) as Data;
	return {
		data: [side('First order', bars.first, chartColours.median), side('Total order', bars.total, chartColours.other)],
		layout: {
			title: { text: `Share of the variance of the ${describeIndicator(output.name)}, by factor`, font: { size: 15 } },
			barmode: 'group',
			xaxis: { automargin: true },
			yaxis: { title: { text: "Sobol' index (share of the output's variance)" }, rangemode: 'tozero' },
			legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
			margin: { t: 72, r: 16, b: 56, l: 64 },
			height: 340
		}
	};
}

/** What the cell offers to choose from, and what it starts with. */
export interface SweepChoices {
	outputs: { name: string; label: string }[];
	factors: { name: string; label: string }[];
	output: string;
	factor: string;
	discovery: [string, string] | undefined;
}

export function sweepChoices(result: SweepResult): SweepChoices {
	return {
		outputs: result.outputs.map((o) => ({ name: o.name, label: capital(describeIndicator(o.name)) })),
		factors: result.factors.map((f) => ({ name: f.name, label: factorAxisTitle(f) })),
		output: result.analyses.discovery?.output ?? result.outputs[0].name,
		factor: result.analyses.discovery?.box?.limits[0]?.name ?? result.factors[0].name,
		discovery: defaultDiscoveryFactors(result)
	};
}

/** A one-line summary of a result: what ran, where it came from. */
export function resultSummary(result: SweepResult, loaded: boolean): string {
	const drawn = result.points.length > MAX_DRAWN_POINTS ? ` (every ${Math.ceil(result.points.length / MAX_DRAWN_POINTS)}th point drawn)` : '';
	const where = loaded ? 'loaded from file; not in the link' : 'run in the workers';
	return `${result.title}: ${result.points.length.toLocaleString('en-US')} points of ${result.pathsPerPoint.toLocaleString('en-US')} paths on ${result.scenario.id}, seed ${result.seed}, ${result.design.kind} design${drawn}; ${where}.`;
}

export interface SweepCellView {
	status: AnalysisStatusView;
	/** Whether the text plans (so it can be run). */
	runnable: boolean;
	/** Whether the cell's current sweep was asked to run (running, done, or waiting for the notebook's run). */
	asked: boolean;
	running: boolean;
	/** Points done of the design's. */
	progress: { done: number; total: number } | undefined;
	result: SweepResult | undefined;
	tag: string;
}

export function sweepCellView(state: AnalysisCellState, asked: boolean): SweepCellView {
	const { result, tag } = analysisResult(state, 'sweep');
	const runnable = state.analysis !== undefined && 'key' in state.analysis;
	const status = analysisStatus(state);
	const running = status.kind === 'running' || (asked && status.kind === 'waiting');
	return {
		// Until asked, a runnable sweep waits for the Run button, not for the notebook.
		status: !asked && status.kind === 'waiting' ? { kind: 'none' } : status,
		runnable,
		asked,
		running,
		progress: status.kind === 'running' ? { done: status.done, total: status.total } : undefined,
		result,
		tag
	};
}
