import { parentPort } from 'node:worker_threads';
import { computeIndicators, type Indicators } from '../lib/engine/indicators';
import { simulatePaths, type PathBlock } from '../lib/engine/simulate';
import { summariseBlock, type MetricSummaries } from '../lib/engine/summary';
import { metricCount, type MetricName } from '../lib/model/metrics';
import { buildTimeline, type Timeline } from '../lib/model/timeline';
import type { Scenario } from '../lib/scenario/schema';

/** Paths of one run held in shared memory: one SharedArrayBuffer per metric, month-major. */
export interface SharedPaths {
	buffers: SharedArrayBuffer[];
	pathCount: number;
	monthCount: number;
}

export type WorkerTask =
	| { kind: 'simulate'; scenario: Scenario; seed: number; firstPath: number; pathCount: number; shared: SharedPaths }
	| { kind: 'summarise'; metrics: MetricName[]; shared: SharedPaths }
	| { kind: 'indicators'; months: string[]; shared: SharedPaths };

interface TaskResults {
	simulate: null;
	summarise: Partial<MetricSummaries>;
	indicators: Indicators;
}
export type WorkerTaskResult<K extends WorkerTask['kind']> = TaskResults[K];

export function sharedBlock(shared: SharedPaths): PathBlock {
	return {
		firstPath: 0,
		pathCount: shared.pathCount,
		monthCount: shared.monthCount,
		metrics: shared.buffers.map((buffer) => new Float32Array(buffer))
	};
}

export function allocateSharedPaths(pathCount: number, monthCount: number): SharedPaths {
	return {
		buffers: Array.from({ length: metricCount }, () => new SharedArrayBuffer(pathCount * monthCount * Float32Array.BYTES_PER_ELEMENT)),
		pathCount,
		monthCount
	};
}

/* The last scenario's timeline is kept: a run sends the same scenario in every chunk. */
let cachedTimeline: { key: string; timeline: Timeline } | undefined;
function timelineFor(scenario: Scenario): Timeline {
	const key = JSON.stringify(scenario);
	if (cachedTimeline?.key !== key) cachedTimeline = { key, timeline: buildTimeline(scenario) };
	return cachedTimeline.timeline;
}

function perform(task: WorkerTask): TaskResults[WorkerTask['kind']] {
	switch (task.kind) {
		case 'simulate': {
			const block = sharedBlock(task.shared);
			simulatePaths(timelineFor(task.scenario), task.seed, task.firstPath, task.pathCount, {
				metrics: block.metrics,
				stride: task.shared.pathCount,
				firstColumn: task.firstPath
			});
			return null;
		}
		case 'summarise':
			return summariseBlock(sharedBlock(task.shared), task.metrics);
		case 'indicators':
			return computeIndicators(sharedBlock(task.shared), task.months);
	}
}

parentPort?.on('message', (task: WorkerTask) => {
	try {
		parentPort!.postMessage({ ok: true, value: perform(task) });
	} catch (error) {
		parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
	}
});
