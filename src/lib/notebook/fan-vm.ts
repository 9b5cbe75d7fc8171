import type { MetricSummary } from '../engine/summary';
import type { Scenario } from '../scenario/schema';
import type { StageSummary } from '../runner/protocol';
import type { CellOf } from './cells';
import { eventMarks, fanChartFigure, stageTag, type EventNote, type Figure } from './figures';
import { chanceAndSizeFigure, isMostlyZero, withTarget } from './headline-figures';

/** A fan chart cell: one metric's bands over the run on screen, with the scenario's events and the cell's target line. */
export interface FanCellView {
	figure: Figure | undefined;
	events: EventNote[];
	/** What the chart is drawn from (the stage and fingerprint). */
	tag: string;
	/** A preview's chart is drawn only while on screen. */
	provisional: boolean;
	filename: string;
}

type FanCell = Pick<CellOf<'fan'>, 'metric' | 'target'>;

/** The figure drawn last for a series object: a new stage carrying the same series (and months, scenario, paths and target) keeps it, so it is not drawn again. */
const drawnFans = new WeakMap<MetricSummary, { months: readonly string[]; scenario: Scenario; paths: number; target: string; figure: Figure }>();

/** A mostly-zero metric (a shortfall) is drawn as its chance and expected size; any other as bands, with the target line if the cell has one. */
function fanFigure(months: readonly string[], summary: MetricSummary, paths: number, scenario: Scenario, cell: FanCell): Figure {
	const target = JSON.stringify(cell.target ?? null);
	const drawn = drawnFans.get(summary);
	if (drawn && drawn.months === months && drawn.scenario === scenario && drawn.paths === paths && drawn.target === target) return drawn.figure;
	const bands = () => fanChartFigure(months, summary, scenario, cell.metric);
	const figure = isMostlyZero(cell.metric)
		? chanceAndSizeFigure(months, summary, paths, scenario, cell.metric)
		: cell.target
			? withTarget(bands(), cell.target, summary.unit)
			: bands();
	drawnFans.set(summary, { months, scenario, paths, target, figure });
	return figure;
}

/** The cell's view of the run on screen, or undefined while there is none yet. */
export function fanCellView(cell: FanCell, stage: StageSummary | undefined, scenario: Scenario | undefined): FanCellView | undefined {
	if (!stage) return undefined;
	const { months, paths } = stage.result;
	const summary = stage.result.metrics[cell.metric];
	return {
		figure: summary && scenario ? fanFigure(months, summary, paths, scenario, cell) : undefined,
		events: scenario ? eventMarks(scenario.events, months).notes : [],
		tag: stageTag(stage),
		provisional: stage.phase === 'preview',
		filename: `${stage.result.scenario.id}-${cell.metric}-${stage.result.fingerprint ?? stage.phase}`
	};
}
