import type { Data } from 'plotly.js-dist-min';
import type { AttributionResult, LeverGroup } from '../analysis/attribution';
import { chartColours, type Figure } from './figures';
import { displayScale, displayUnit, formatQuantity, hoverFormat } from './format';

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

export function attributionFigure(result: AttributionResult): Figure {
	const unit = result.indicator.unit;
	const factor = displayScale(unit);
	const format = hoverFormat(unit);
	const traces: Data[] = (['assumptions', 'policyEvents'] as const).map(
		(group) =>
			({
				type: 'bar',
				orientation: 'h',
				name: groupLabels[group],
				y: result.contributions.filter((c) => c.group === group).map((c) => c.label),
				x: result.contributions.filter((c) => c.group === group).map((c) => c.contribution * factor),
				marker: { color: groupColours[group] },
				hovertemplate: `%{y}: %{x:+${format}} ${displayUnit(unit)}<extra></extra>`
			}) as Data
	);
	traces.push({
		type: 'bar',
		orientation: 'h',
		name: 'Total',
		y: [`Total: ${result.scenario.id} − ${result.base.id}`],
		x: [result.total.value * factor],
		marker: { color: chartColours.difference },
		hovertemplate: `Total: %{x:+${format}} ${displayUnit(unit)}<extra></extra>`
	} as Data);
	const order = [...result.contributions.map((c) => c.label), `Total: ${result.scenario.id} − ${result.base.id}`];
	return {
		data: traces,
		layout: {
			title: { text: `What moves ${result.indicator.label}`, font: { size: 15 } },
			barmode: 'relative',
			xaxis: { title: { text: `contribution, ${displayUnit(unit)}` }, zeroline: true, zerolinewidth: 2 },
			yaxis: { autorange: 'reversed', automargin: true, categoryorder: 'array', categoryarray: order },
			legend: { orientation: 'h', y: -0.2 },
			margin: { t: 48, r: 16, b: 64, l: 16 },
			height: Math.max(240, 90 + 28 * order.length)
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
