import type { StageSummary } from '../runner/protocol';
import type { CellOf } from './cells';
import { distributionFigure, monthIndexOf, stageTag, type Figure } from './figures';
import { aboveZeroSentence, isMostlyZero, positiveDistributionFigure } from './headline-figures';

/** A distribution cell: a metric's histogram across paths in one month of the run on screen. */
export interface DistributionCellView {
	/** The run's months, for the month slider (none before the first result). */
	months: readonly string[];
	monthIndex: number;
	/** The month shown: the cell's, or the nearest the run has. */
	month: string;
	chart:
		| {
				figure: Figure | undefined;
				/** For a metric that is zero on most paths: the chance it is above zero, and how many paths are at zero (the chart shows the others). */
				aboveZero: string | undefined;
				/** Every path is at zero in the month: there is no histogram to draw. */
				allAtZero: boolean;
				tag: string;
				provisional: boolean;
				filename: string;
		  }
		| undefined;
}

export function distributionCellView(cell: CellOf<'distribution'>, stage: StageSummary | undefined): DistributionCellView {
	const months = stage?.result.months ?? [];
	const monthIndex = months.length > 0 ? monthIndexOf(months, cell.month) : 0;
	if (!stage) return { months, monthIndex, month: cell.month, chart: undefined };
	const { result } = stage;
	const summary = result.metrics[cell.metric];
	const histogram = stage.histograms[cell.metric];
	const month = months[monthIndex] ?? cell.month;
	const mostlyZero = isMostlyZero(cell.metric);
	const allAtZero = mostlyZero && summary !== undefined && summary.shareAboveZero[monthIndex] === 0;
	let figure: Figure | undefined;
	if (summary && histogram && !allAtZero) {
		figure = mostlyZero
			? positiveDistributionFigure(result, summary, histogram, cell.metric, cell.month)
			: distributionFigure(result, summary, histogram, cell.metric, cell.month);
	}
	return {
		months,
		monthIndex,
		month,
		chart: {
			figure,
			aboveZero: mostlyZero && summary ? aboveZeroSentence(summary, result.paths, cell.metric, month, monthIndex) : undefined,
			allAtZero,
			tag: stageTag(stage),
			provisional: stage.phase === 'preview',
			filename: `${result.scenario.id}-${cell.metric}-${cell.month}-histogram`
		}
	};
}
