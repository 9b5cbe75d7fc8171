import type { MetricSummary } from '../engine/summary';
import type { MetricName } from '../model/metrics';
import type { Scenario } from '../scenario/schema';
import type { StageSummary } from '../runner/protocol';
import { eventMarks, fanChartFigure, stageTag, type EventNote, type Figure } from './figures';

/** A fan chart cell: one metric's bands over the run on screen, with the scenario's events. */
export interface FanCellView {
	figure: Figure | undefined;
	events: EventNote[];
	/** What the chart is drawn from (the stage and fingerprint). */
	tag: string;
	/** A preview's chart is drawn only while on screen. */
	provisional: boolean;
	filename: string;
}

/** The figure drawn last for a series object: a new stage carrying the same series (and months and scenario) keeps it, so it is not drawn again. */
const drawnFans = new WeakMap<MetricSummary, { months: readonly string[]; scenario: Scenario; figure: Figure }>();

function fanFigure(months: readonly string[], summary: MetricSummary, scenario: Scenario, metric: MetricName): Figure {
	const drawn = drawnFans.get(summary);
	if (drawn && drawn.months === months && drawn.scenario === scenario) return drawn.figure;
	const figure = fanChartFigure(months, summary, scenario, metric);
	drawnFans.set(summary, { months, scenario, figure });
	return figure;
}

/** The cell's view of the run on screen, or undefined while there is none yet. */
export function fanCellView(metric: MetricName, stage: StageSummary | undefined, scenario: Scenario | undefined): FanCellView | undefined {
	if (!stage) return undefined;
	const { months } = stage.result;
	const summary = stage.result.metrics[metric];
	return {
		figure: summary && scenario ? fanFigure(months, summary, scenario, metric) : undefined,
		events: scenario ? eventMarks(scenario.events, months).notes : [],
		tag: stageTag(stage),
		provisional: stage.phase === 'preview',
		filename: `${stage.result.scenario.id}-${metric}-${stage.result.fingerprint ?? stage.phase}`
	};
}
