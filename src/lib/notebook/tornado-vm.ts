import type { Data } from 'plotly.js-dist-min';
import type { TornadoBar, TornadoResult } from '../analysis/tornado';
import { chartColours, type Figure } from './figures';
import { displayScale, displayUnit, formatEstimate, formatQuantity, hoverFormat } from './format';
import { parameterById, parameterUnitWords, type ParameterId } from '../model/parameters';
import { describeIndicator } from './cell-titles';
import type { AnalysisCellState } from './analyses';
import { analysisResult, analysisStatus, memoized, type AnalysisStatusView } from './cell-vm';

/**
 * The tornado cell: each slider swung to its min and max, each uncertain parameter pinned at its
 * P10 and P90, the rest held; bars are the change in the indicator, largest swing on top.
 */

/** Bars drawn at most (the rest are listed in the table). */
export const TORNADO_BARS = 16;

/** A lever's setting with its unit in words (a parameter's own words, e.g. "0.8 correlation from one month to the next"). */
function settingText(value: number, bar: TornadoBar): string {
	return formatQuantity(value, bar.unit, bar.param in parameterById ? parameterUnitWords(bar.param as ParameterId) : undefined);
}

export function tornadoFigure(result: TornadoResult): Figure {
	const unit = result.indicator.unit;
	const factor = displayScale(unit);
	const bars = result.bars.slice(0, TORNADO_BARS);
	const y = bars.map((bar) => bar.label);
	const side = (name: string, which: 'low' | 'high', colour: string): Data =>
		({
			type: 'bar',
			orientation: 'h',
			name,
			y,
			x: bars.map((bar) => bar[which].effect * factor),
			customdata: bars.map((bar) => [settingText(bar[which].setting, bar), bar[which].se * factor]),
			marker: { color: colour },
			hovertemplate: `%{y} at %{customdata[0]}: %{x:+${hoverFormat(unit)}} ${displayUnit(unit)} (± %{customdata[1]:${hoverFormat(unit)}})<extra>${name}</extra>`
		}) as Data;
	return {
		data: [side('Low (slider min / P10)', 'low', chartColours.other), side('High (slider max / P90)', 'high', chartColours.median)],
		layout: {
			title: { text: `What moves the ${describeIndicator(result.indicator.label)}`, font: { size: 15 } },
			barmode: 'overlay',
			xaxis: { title: { text: `change from ${formatQuantity(result.base.value, unit)}, ${displayUnit(unit)}` }, zeroline: true, zerolinewidth: 2 },
			yaxis: { autorange: 'reversed', automargin: true },
			legend: { orientation: 'h', x: 0, y: 1, yanchor: 'bottom' },
			margin: { t: 72, r: 16, b: 56, l: 16 },
			height: Math.max(260, 130 + 26 * bars.length)
		}
	};
}

export interface TornadoRow {
	rank: number;
	label: string;
	kind: string;
	low: string;
	high: string;
	swing: string;
}

export function tornadoRows(result: TornadoResult): TornadoRow[] {
	const unit = result.indicator.unit;
	return result.bars.map((bar, k) => ({
		rank: k + 1,
		label: bar.label,
		kind: bar.kind === 'control' ? 'slider' : 'uncertain parameter',
		low: `${settingText(bar.low.setting, bar)} → ${formatEstimate(bar.low.value, bar.low.se, unit, { withSe: false })}`,
		high: `${settingText(bar.high.setting, bar)} → ${formatEstimate(bar.high.value, bar.high.se, unit, { withSe: false })}`,
		swing: formatQuantity(bar.swing, unit)
	}));
}

export interface TornadoCellView {
	status: AnalysisStatusView;
	result: TornadoResult | undefined;
	figure: Figure | undefined;
	rows: TornadoRow[];
	/** How long the workers took, e.g. ", 1.2 s"; empty while unknown. */
	elapsed: string;
	tag: string;
}

const tornadoDrawing = memoized((result: TornadoResult) => ({ figure: tornadoFigure(result), rows: tornadoRows(result) }));

export function tornadoCellView(state: AnalysisCellState): TornadoCellView {
	const { result, tag } = analysisResult(state, 'tornado');
	const outcome = state.view?.outcome;
	const elapsed = outcome?.status === 'done' ? `, ${(outcome.elapsedMs / 1000).toFixed(1)} s` : '';
	return { status: analysisStatus(state), result, ...(result ? tornadoDrawing(result, undefined) : { figure: undefined, rows: [] }), elapsed, tag };
}
