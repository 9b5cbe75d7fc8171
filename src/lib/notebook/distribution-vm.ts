import type { StageSummary } from '../runner/protocol';
import type { CellOf } from './cells';
import { distributionFigure, monthIndexOf, stageTag, type Figure } from './figures';

/** A distribution cell: a metric's histogram across paths in one month of the run on screen. */
export interface DistributionCellView {
	/** The run's months, for the month slider (none before the first result). */
	months: readonly string[];
	monthIndex: number;
	/** The month shown: the cell's, or the nearest the run has. */
	month: string;
	chart: { figure: Figure | undefined; tag: string; provisional: boolean; filename: string } | undefined;
}

export function distributionCellView(cell: CellOf<'distribution'>, stage: StageSummary | undefined): DistributionCellView {
	const months = stage?.result.months ?? [];
	const monthIndex = months.length > 0 ? monthIndexOf(months, cell.month) : 0;
	if (!stage) return { months, monthIndex, month: cell.month, chart: undefined };
	const summary = stage.result.metrics[cell.metric];
	const histogram = stage.histograms[cell.metric];
	return {
		months,
		monthIndex,
		month: months[monthIndex] ?? cell.month,
		chart: {
			figure: summary && histogram ? distributionFigure(stage.result, summary, histogram, cell.metric, cell.month) : undefined,
			tag: stageTag(stage),
			provisional: stage.phase === 'preview',
			filename: `${stage.result.scenario.id}-${cell.metric}-${cell.month}-histogram`
		}
	};
}
