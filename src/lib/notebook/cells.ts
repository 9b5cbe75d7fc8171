import { z } from 'zod';
import { narrativeMetrics } from '../analysis/narrative';
import { metricDefinitions, metricNames, type MetricName } from '../model/metrics';
import { removedMetricMessage } from '../problems';
import { chartTargetSchema, type OpeningView, type Scenario } from '../scenario/schema';
import type { RunFocus } from '../runner/protocol';
import { firstOpenYear, firstUnknownMonth } from '../scenario/now';
import { monthPattern } from '../time/months';
import { defaultSweepText } from '../sweep/notebook-text';

// A link made before a metric was removed says what replaced it (the share link shows this message).
const metric = z.enum(metricNames as [MetricName, ...MetricName[]], {
	error: (issue) => (typeof issue.input === 'string' ? removedMetricMessage(issue.input) : undefined)
});
const base = { id: z.string().regex(/^cell-\d{1,6}$/), collapsed: z.boolean() };

/** Path counts an analysis cell may run per scenario variant (tornado, attribution). */
export const analysisPathLimits = { min: 100, max: 10_000, default: 1_000 } as const;
/** Path caps a refine may be given. */
export const refineLimits = { minPaths: 500, maxPaths: 50_000, defaultMaxPaths: 20_000 } as const;

/**
 * The most characters each text setting of a cell may hold, and the most cells a notebook has:
 * enforced where the user types, when the notebook is saved, and when a link or a saved notebook is read.
 */
export const cellTextLimits = { markdown: 20_000, threshold: 200, indicator: 200, expression: 2_000, unit: 40, sweep: 20_000 } as const;
export const MAX_CELLS = 50;
export type LimitedText = keyof typeof cellTextLimits;

const analysisPaths = z.number().int().min(analysisPathLimits.min).max(analysisPathLimits.max);
const text = (max: number) =>
	z.string().max(max, {
		error: (issue) =>
			`at most ${max.toLocaleString('en-US')} characters${typeof issue.input === 'string' ? ` (it has ${issue.input.length.toLocaleString('en-US')})` : ''}`
	});
export const leverChoices = ['both', 'controls', 'parameters'] as const;
export type LeverChoice = (typeof leverChoices)[number];

/** "Refine until the standard error of <indicator> is at most <target>", with a path cap. */
const refineSchema = z.strictObject({
	indicator: text(cellTextLimits.indicator),
	target: z.number().positive(),
	maxPaths: z.number().int().min(refineLimits.minPaths).max(refineLimits.maxPaths)
});
export type RefineSetting = z.infer<typeof refineSchema>;

export const cellSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('narrative'), ...base, markdown: text(cellTextLimits.markdown) }),
	// Kept so that links made while the sliders were a cell still open.
	z.strictObject({ kind: z.literal('controls'), ...base }),
	// `target` is optional so that links made before it existed still open.
	z.strictObject({ kind: z.literal('fan'), ...base, metric, target: chartTargetSchema.optional() }),
	z.strictObject({ kind: z.literal('distribution'), ...base, metric, month: z.string().regex(monthPattern) }),
	// `refine` is optional so that links made before it existed still open.
	z.strictObject({ kind: z.literal('indicators'), ...base, refine: refineSchema.optional() }),
	z.strictObject({ kind: z.literal('comparison'), ...base, metric, against: z.string().min(1).max(100) }),
	z.strictObject({ kind: z.literal('threshold'), ...base, threshold: text(cellTextLimits.threshold) }),
	z.strictObject({ kind: z.literal('tornado'), ...base, indicator: text(cellTextLimits.indicator), paths: analysisPaths, levers: z.enum(leverChoices) }),
	z.strictObject({
		kind: z.literal('attribution'),
		...base,
		against: z.string().min(1).max(100),
		indicator: text(cellTextLimits.indicator),
		paths: analysisPaths
	}),
	z.strictObject({ kind: z.literal('formula'), ...base, expression: text(cellTextLimits.expression), unit: text(cellTextLimits.unit) }),
	// The sweep definition (YAML, as `npm run sweep` reads it) travels whole in the link.
	z.strictObject({ kind: z.literal('sweep'), ...base, sweep: text(cellTextLimits.sweep) })
]);
/** Ids used by more than one cell, each with the positions (from 1) of the cells that share it. */
export function duplicateCellIds(cells: readonly { id: string }[]): Map<string, number[]> {
	const positions = new Map<string, number[]>();
	cells.forEach((cell, i) => positions.set(cell.id, [...(positions.get(cell.id) ?? []), i + 1]));
	return new Map([...positions].filter(([, at]) => at.length > 1));
}

export const cellsSchema = z
	.array(cellSchema)
	.max(MAX_CELLS, { error: `a notebook has at most ${MAX_CELLS} cells` })
	.superRefine((cells, context) => {
		for (const [id, at] of duplicateCellIds(cells)) {
			context.addIssue({ code: 'custom', path: [at[1] - 1, 'id'], message: `cells ${at.join(', ')} all have the id "${id}"; each cell needs its own id` });
		}
	});

export type Cell = z.infer<typeof cellSchema>;
export type CellKind = Cell['kind'];
export type ChartTarget = z.infer<typeof chartTargetSchema>;
export type CellOf<K extends CellKind> = Extract<Cell, { kind: K }>;
/** A cell before it has an id. */
type CellDraft = Cell extends infer C ? (C extends Cell ? Omit<C, 'id'> : never) : never;
/** Settings a cell may change; each applies to the kinds that have it. */
export type CellChange = Partial<{
	collapsed: boolean;
	markdown: string;
	metric: MetricName;
	target: ChartTarget | undefined;
	month: string;
	against: string;
	threshold: string;
	indicator: string;
	paths: number;
	levers: LeverChoice;
	expression: string;
	unit: string;
	refine: RefineSetting | undefined;
	sweep: string;
}>;

/** The settings each kind of cell has (optional ones included). */
const cellKeys = Object.fromEntries(cellSchema.options.map((option) => [option.shape.kind.value, new Set(Object.keys(option.shape))])) as Record<
	CellKind,
	Set<string>
>;

export const cellKindLabels: Record<CellKind, string> = {
	narrative: 'Narrative',
	controls: 'Controls',
	fan: 'Fan chart',
	distribution: 'Distribution',
	indicators: 'Indicators',
	comparison: 'Comparison',
	threshold: 'Threshold',
	tornado: 'Tornado',
	attribution: 'Attribution',
	formula: 'Formula',
	sweep: 'Sweep'
};

export const DEFAULT_THRESHOLD = 'usMagnetPrice > 2 × start';
export const DEFAULT_FORMULA = { expression: 'max(0, demand - domesticSupply - alliedSupply)', unit: 't/month' } as const;

const laterMonth = (a: string, b: string) => (a > b ? a : b);

/** A year inside the scenario's horizon and not already over: the one asked for, else the nearest. */
export function yearWithin(scenario: Scenario, year: number): number {
	const first = Math.max(Number(scenario.start.slice(0, 4)), firstOpenYear(scenario));
	const last = Number(scenario.end.slice(0, 4));
	return Math.min(last, Math.max(first, year));
}

/**
 * The scenario a comparison or attribution cell sets this one against: the one its opening
 * comparison names, else baseline, else (for baseline itself, in a library without such a view)
 * the first other scenario. Never the scenario itself while there is another.
 */
export function defaultOtherScenario(scenario: Scenario, libraryIds: readonly string[]): string {
	const named = scenario.opensWith?.find((view) => view.kind === 'comparison')?.against;
	if (named !== undefined && named !== scenario.id && libraryIds.includes(named)) return named;
	if (scenario.id !== 'baseline' && libraryIds.includes('baseline')) return 'baseline';
	return libraryIds.find((id) => id !== scenario.id) ?? scenario.id;
}

/** The charts a scenario opens with when its file gives none: its observed series first, then the usual ones. */
export function usualOpeningView(scenario: Scenario): OpeningView[] {
	const observed = metricNames.filter((m) => (scenario.observed[m]?.length ?? 0) > 0);
	const usual: MetricName[] = ['chinaExports', 'shortfall', 'usMagnetPrice', 'relianceCut', 'coverMonths'];
	return [
		...[...new Set([...observed, ...usual])].map((metric): OpeningView => ({ kind: 'fan', metric })),
		{ kind: 'distribution', metric: 'shortfall' },
		{ kind: 'indicators' },
		{ kind: 'comparison', metric: 'chinaExports' }
	];
}

/** The month a distribution cell starts on: mid-horizon, in January, and not before the scenario's "now". */
export function defaultDistributionMonth(scenario: Scenario): string {
	const first = Number(scenario.start.slice(0, 4));
	const last = Number(scenario.end.slice(0, 4));
	const midHorizon = `${Math.max(first, Math.min(last, Math.round((first + last) / 2)))}-01`;
	const month = [midHorizon, scenario.start, firstUnknownMonth(scenario)].reduce(laterMonth);
	return month > scenario.end ? scenario.end : month;
}

/** A threshold of an opening view as the threshold cell writes it: shares in %, other metrics in their own unit. */
export function thresholdText(view: Extract<OpeningView, { kind: 'threshold' }>): string {
	const unit = metricDefinitions.find((m) => m.name === view.metric)!.unit;
	const level = unit === 'fraction' ? `${Number((view.value * 100).toPrecision(6))} %` : `${view.value}`;
	return `${view.metric} ${view.comparison} ${level}`;
}

/** A sentence of live figures (they follow the sliders) for a scenario's opening narrative. */
export function liveSummary(scenario: Scenario): string {
	const priceYear = yearWithin(scenario, 2027);
	const shortfallYear = yearWithin(scenario, 2030);
	return `Under this scenario the median landed price of a Chinese magnet in ${priceYear} is {{ median(usMagnetPrice, ${priceYear}) }}, and the chance of a shortfall by the end of ${shortfallYear} is {{ shortfallBy(${shortfallYear}) }} (live figures: they follow the sliders).`;
}

/**
 * What the open cells on or near the screen show of a run: the metrics of fan charts,
 * distributions (with histograms) and narrative figures. These are summarised first, and alone in
 * the preview and at the full count; the rest come with the complete result. `offScreen` holds the
 * ids of cells known to be far from the screen.
 */
export function runFocus(cells: readonly Cell[], offScreen: ReadonlySet<string> = new Set()): RunFocus {
	const summaries = new Set<MetricName>();
	const histograms = new Set<MetricName>();
	for (const cell of cells) {
		if (cell.collapsed || offScreen.has(cell.id)) continue;
		if (cell.kind === 'fan') summaries.add(cell.metric);
		else if (cell.kind === 'distribution') {
			summaries.add(cell.metric);
			histograms.add(cell.metric);
		} else if (cell.kind === 'narrative') for (const metric of narrativeMetrics(cell.markdown)) summaries.add(metric);
	}
	return { summaries: [...summaries], histograms: [...histograms] };
}

/** The histograms of every open distribution cell, on screen or not: a run's complete result carries them all. */
export function runHistograms(cells: readonly Cell[]): MetricName[] {
	return [...new Set(cells.flatMap((cell) => (cell.kind === 'distribution' && !cell.collapsed ? [cell.metric] : [])))];
}

/** An opening view as a notebook cell, without its id. */
function openingCell(view: OpeningView, scenario: Scenario, libraryIds: readonly string[]): CellDraft {
	switch (view.kind) {
		case 'fan':
			return { kind: 'fan', collapsed: false, metric: view.metric, ...(view.target && { target: view.target }) };
		case 'distribution': {
			const month = view.month !== undefined && view.month >= firstUnknownMonth(scenario) ? view.month : defaultDistributionMonth(scenario);
			return { kind: 'distribution', collapsed: false, metric: view.metric, month };
		}
		case 'threshold':
			return { kind: 'threshold', collapsed: false, threshold: thresholdText(view) };
		case 'indicators':
			return { kind: 'indicators', collapsed: false };
		case 'comparison': {
			// An inherited view may name the scenario itself (a child of the scenario it compares with).
			const against =
				view.against !== undefined && view.against !== scenario.id && libraryIds.includes(view.against)
					? view.against
					: defaultOtherScenario(scenario, libraryIds);
			return { kind: 'comparison', collapsed: false, metric: view.metric, against };
		}
	}
}

/**
 * The notebook a scenario opens with: its story, then the charts its file opens with (its headline
 * view first), or the usual ones. The sliders are not a cell: the page docks them beside the notebook.
 */
export function defaultCells(scenario: Scenario, libraryIds: readonly string[]): Cell[] {
	const cells: CellDraft[] = [
		{ kind: 'narrative', collapsed: false, markdown: `## ${scenario.title}\n\n${scenario.description}\n\n${liveSummary(scenario)}` },
		...(scenario.opensWith ?? usualOpeningView(scenario)).map((view) => openingCell(view, scenario, libraryIds))
	];
	return cells.map((cell, i) => ({ ...cell, id: `cell-${i + 1}` }) as Cell);
}

function nextCellId(cells: readonly Cell[]): string {
	const highest = Math.max(0, ...cells.map((c) => Number(c.id.slice('cell-'.length))));
	return `cell-${highest + 1}`;
}

/** A new cell of a kind, with sensible settings for the scenario. */
export function newCell(kind: CellKind, cells: readonly Cell[], scenario: Scenario, libraryIds: readonly string[]): Cell {
	const id = nextCellId(cells);
	switch (kind) {
		case 'narrative':
			return { kind, id, collapsed: false, markdown: 'Write your notes here. *Markdown* works.' };
		case 'controls':
		case 'indicators':
			return { kind, id, collapsed: false };
		case 'fan':
			return { kind, id, collapsed: false, metric: 'chinaExports' };
		case 'distribution':
			return { kind, id, collapsed: false, metric: 'shortfall', month: defaultDistributionMonth(scenario) };
		case 'comparison':
			return { kind, id, collapsed: false, metric: 'chinaExports', against: defaultOtherScenario(scenario, libraryIds) };
		case 'threshold':
			return { kind, id, collapsed: false, threshold: DEFAULT_THRESHOLD };
		case 'tornado':
			return { kind, id, collapsed: false, indicator: `median usMagnetPrice ${yearWithin(scenario, 2030)}`, paths: analysisPathLimits.default, levers: 'both' };
		case 'attribution':
			return {
				kind,
				id,
				collapsed: false,
				against: defaultOtherScenario(scenario, libraryIds),
				indicator: `median usMagnetPrice ${yearWithin(scenario, 2027)}`,
				paths: analysisPathLimits.default
			};
		case 'formula':
			return { kind, id, collapsed: false, ...DEFAULT_FORMULA };
		case 'sweep':
			return { kind, id, collapsed: false, sweep: defaultSweepText(scenario, yearWithin(scenario, 2029)) };
	}
}

export function addCell(cells: readonly Cell[], cell: Cell, at = cells.length): Cell[] {
	return [...cells.slice(0, at), cell, ...cells.slice(at)];
}

export function removeCell(cells: readonly Cell[], id: string): Cell[] {
	return cells.filter((c) => c.id !== id);
}

/** Moves a cell up (−1) or down (+1); at either end it stays. */
export function moveCell(cells: readonly Cell[], id: string, offset: -1 | 1): Cell[] {
	const from = cells.findIndex((c) => c.id === id);
	const to = from + offset;
	if (from < 0 || to < 0 || to >= cells.length) return [...cells];
	const result = [...cells];
	[result[from], result[to]] = [result[to], result[from]];
	return result;
}

/**
 * A change with every text cut to its limit, and which texts were cut: what the user typed beyond
 * a limit is not kept, so the notebook never holds what it could not save and read back.
 */
export function withinTextLimits(change: CellChange): { change: CellChange; cut: LimitedText[] } {
	const limited: CellChange = { ...change };
	const cut: LimitedText[] = [];
	for (const key of Object.keys(cellTextLimits) as LimitedText[]) {
		const value = limited[key];
		if (typeof value === 'string' && value.length > cellTextLimits[key]) {
			limited[key] = value.slice(0, cellTextLimits[key]);
			cut.push(key);
		}
	}
	return { change: limited, cut };
}

export function updateCell(cells: readonly Cell[], id: string, change: CellChange): Cell[] {
	return cells.map((c) => {
		if (c.id !== id) return c;
		const applicable = Object.entries(change).filter(([key]) => key !== 'kind' && key !== 'id' && cellKeys[c.kind].has(key));
		const updated: Record<string, unknown> = { ...c };
		// A fan chart's target is a level of its metric: it goes when the metric changes.
		if (c.kind === 'fan' && change.metric !== undefined && change.metric !== c.metric && !('target' in change)) delete updated.target;
		for (const [key, value] of applicable) {
			if (value === undefined) delete updated[key];
			else updated[key] = value;
		}
		return updated as Cell;
	});
}
