import type { Data } from 'plotly.js-dist-min';
import type { AttributionResult, LeverGroup } from '../analysis/attribution';
import { chartColours, type Figure } from './figures';
import { displayScale, displayUnit, formatQuantity, hoverFormat } from './format';
import type { AnalysisCellState } from './analyses';
import { analysisResult, analysisStatus, memoized, type AnalysisStatusView, type ScenarioOption } from './cell-vm';

/**
 * The attribution cell: "scenario minus base" of an indicator split into the contributions of each
 * changed lever (exact Shapley values up to 8 levers, sequential beyond), assumptions kept apart
 * from policy/event changes. The contributions add up to the total.
 */

export const groupLabels: Record<LeverGroup, string> = {
	assumptions: 'Assumptions (parameters)',
	policyEvents: 'Policy and events'
};

const groupColours: Record<LeverGroup, string> = {
	assumptions: chartColours.median,
	policyEvents: chartColours.other
};

/** A bar label short enough to leave the chart room; the whole label is in the hover. */
export function shortLabel(label: string, max = 60): string {
	return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export function attributionFigure(result: AttributionResult): Figure {
	const unit = result.indicator.unit;
	const factor = displayScale(unit);
	const format = hoverFormat(unit);
	const totalLabel = `Total: ${result.scenario.id} − ${result.base.id}`;
	const traces: Data[] = (['assumptions', 'policyEvents'] as const)
		.map((group) => result.contributions.filter((c) => c.group === group))
		.filter((levers) => levers.length > 0)
		.map(
			(levers) =>
				({
					type: 'bar',
					orientation: 'h',
					name: groupLabels[levers[0].group],
					y: levers.map((c) => shortLabel(c.label)),
					x: levers.map((c) => c.contribution * factor),
					customdata: levers.map((c) => c.label),
					marker: { color: groupColours[levers[0].group] },
					hovertemplate: `%{customdata}: %{x:+${format}} ${displayUnit(unit)}<extra></extra>`
				}) as Data
		);
	traces.push({
		type: 'bar',
		orientation: 'h',
		name: 'Total',
		y: [totalLabel],
		x: [result.total.value * factor],
		marker: { color: chartColours.difference },
		hovertemplate: `Total: %{x:+${format}} ${displayUnit(unit)}<extra></extra>`
	} as Data);
	const order = [...result.contributions.map((c) => shortLabel(c.label)), totalLabel];
	return {
		data: traces,
		layout: {
			title: { text: `What moves ${result.indicator.label}`, font: { size: 15 } },
			barmode: 'relative',
			xaxis: { title: { text: `contribution, ${displayUnit(unit)}` }, zeroline: true, zerolinewidth: 2 },
			yaxis: { autorange: 'reversed', automargin: true, categoryorder: 'array', categoryarray: order },
			legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
			margin: { t: 72, r: 16, b: 56, l: 16 },
			height: Math.max(260, 140 + 30 * order.length)
		}
	};
}

export interface AttributionRow {
	label: string;
	group: string;
	contribution: string;
}

export function attributionRows(result: AttributionResult): AttributionRow[] {
	const unit = result.indicator.unit;
	return result.contributions.map((c) => ({ label: c.label, group: groupLabels[c.group], contribution: signed(c.contribution, unit) }));
}

/** A change with its sign and unit, e.g. "+1.2 USD/kg". */
export function signed(value: number, unit: string): string {
	const text = formatQuantity(value, unit);
	return value > 0 ? `+${text}` : text;
}

export function methodText(result: AttributionResult): string {
	switch (result.method) {
		case 'none':
			return `${result.scenario.id} and ${result.base.id} do not differ in any parameter, event or regime: there is nothing to attribute.`;
		case 'shapley':
			return `Exact Shapley values over ${result.contributions.length} lever${result.contributions.length === 1 ? '' : 's'} (${result.evaluations} scenario variants, each ${result.paths.toLocaleString('en-US')} paths with the same draws).`;
		case 'sequential':
			return `Sequential: levers switched on one at a time in the order listed (${result.evaluations} variants of ${result.paths.toLocaleString('en-US')} paths); more than 8 levers make exact Shapley values too costly.`;
	}
}

export interface AttributionCellView {
	status: AnalysisStatusView;
	/** The scenarios the cell can explain the one on screen against. */
	scenarios: ScenarioOption[];
	result: AttributionResult | undefined;
	/** The chart, when some lever changed (the method is not "none"). */
	figure: Figure | undefined;
	rows: AttributionRow[];
	tag: string;
}

const attributionDrawing = memoized((result: AttributionResult) => ({
	figure: result.method !== 'none' ? attributionFigure(result) : undefined,
	rows: attributionRows(result)
}));

export function attributionCellView(state: AnalysisCellState, scenarios: ScenarioOption[]): AttributionCellView {
	const { result, tag } = analysisResult(state, 'attribution');
	return { status: analysisStatus(state), scenarios, result, ...(result ? attributionDrawing(result, undefined) : { figure: undefined, rows: [] }), tag };
}
