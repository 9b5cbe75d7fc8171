import type { MetricName } from '../model/metrics';
import { buildTimeline } from './timeline';
import { modelVersion } from '../model/version';
import type { Scenario } from '../scenario/schema';
import { fingerprintOf } from './fingerprint';
import { computeIndicators, type Indicators } from './indicators';
import { simulatePaths, type PathBlock } from './simulate';
import { summariseBlock, type MetricSummaries } from './summary';

export interface RunSettings {
	seed: number;
	paths: number;
}

/** What a run reports: summaries per metric per month, indicators and a fingerprint of both. */
export interface RunResult {
	scenario: { id: string; title: string };
	seed: number;
	paths: number;
	modelVersion: string;
	fingerprint: string;
	months: string[];
	metrics: MetricSummaries;
	indicators: Indicators;
}

export function settingsFor(scenario: Scenario, overrides: Partial<RunSettings> = {}): RunSettings {
	return { seed: overrides.seed ?? scenario.seed, paths: overrides.paths ?? scenario.paths };
}

/** Assembles a result from its parts; the fingerprint covers months, metrics and indicators. */
export function assembleResult(scenario: Scenario, settings: RunSettings, months: string[], metrics: MetricSummaries, indicators: Indicators): RunResult {
	return {
		scenario: { id: scenario.id, title: scenario.title },
		seed: settings.seed,
		paths: settings.paths,
		modelVersion,
		fingerprint: fingerprintOf({ months, metrics, indicators }),
		months,
		metrics,
		indicators
	};
}

export function summariseRun(scenario: Scenario, settings: RunSettings, block: PathBlock, months: string[]): RunResult {
	return assembleResult(scenario, settings, months, summariseBlock(block) as Record<MetricName, MetricSummaries[MetricName]>, computeIndicators(block, months));
}

/** Runs a scenario in this thread. Workers and the CLI split the same steps across threads. */
export function runScenario(scenario: Scenario, settings: RunSettings): RunResult {
	const timeline = buildTimeline(scenario);
	const block = simulatePaths(timeline, settings.seed, 0, settings.paths);
	return summariseRun(scenario, settings, block, timeline.months);
}
