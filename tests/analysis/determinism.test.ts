import { describe, expect, it } from 'vitest';
import { attribute } from '../../src/lib/analysis/attribution';
import { simulateScenario, type PathSource } from '../../src/lib/analysis/common';
import { compareScenarios } from '../../src/lib/analysis/compare';
import { refineUntilPrecise } from '../../src/lib/analysis/convergence';
import { formulaCell } from '../../src/lib/analysis/formula';
import { renderNarrative } from '../../src/lib/analysis/narrative';
import { thresholdProbabilities } from '../../src/lib/analysis/threshold';
import { tornado } from '../../src/lib/analysis/tornado';
import { runScenario } from '../../src/lib/engine/run';
import { concatBlocks, simulatePaths } from '../../src/lib/engine/simulate';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { scenario } from './helpers';

/** A path source that simulates any range in pieces of `size` paths, as a worker pool would. */
function piecewise(size: number): PathSource {
	return (s, seed, first, count) => {
		const timeline = buildTimeline(s);
		const blocks = [];
		for (let from = first; from < first + count; from += size) blocks.push(simulatePaths(timeline, seed, from, Math.min(size, first + count - from)));
		return concatBlocks(blocks);
	};
}

/** Runs an analysis three times: twice whole, once in small pieces; all three JSONs must be identical. */
async function sameEverywhere(run: (options: { source?: PathSource; chunkPaths?: number }) => Promise<unknown>) {
	const first = JSON.stringify(await run({}));
	const second = JSON.stringify(await run({}));
	const pieces = JSON.stringify(await run({ source: piecewise(97), chunkPaths: 211 }));
	expect(second).toBe(first);
	expect(pieces).toBe(first);
	return JSON.parse(first);
}

const base = { seed: 11, paths: 500 };

describe('each analysis gives the same numbers across runs and path chunkings', () => {
	it('comparison', async () => {
		await sameEverywhere((o) =>
			compareScenarios(scenario('baseline'), scenario('renewed-controls'), { ...base, ...o, metrics: ['usMagnetPrice', 'shortfall'] })
		);
	});

	it('threshold probabilities', async () => {
		await sameEverywhere(async (o) => thresholdProbabilities(await simulateScenario(scenario('baseline'), { ...base, ...o }), 'usMagnetPrice > 2 × start'));
	});

	it('tornado', async () => {
		await sameEverywhere((o) =>
			tornado(scenario('baseline'), { ...base, ...o, indicator: 'median usMagnetPrice 2028', only: ['tariffLater', 'demandGrowth'] })
		);
	});

	it('attribution', async () => {
		await sameEverywhere((o) =>
			attribute(scenario('baseline'), scenario('controls-and-delays'), { ...base, ...o, paths: 300, indicator: 'P(shortfall > 0) by 2027' })
		);
	});

	it('refine until precise', async () => {
		const result = await sameEverywhere((o) =>
			refineUntilPrecise(scenario('baseline'), {
				seed: 11,
				indicator: 'mean chinaShare 2029',
				targetSe: 0.004,
				startPaths: 300,
				step: 200,
				maxPaths: 3000,
				source: o.source
			})
		);
		expect(result.met).toBe(true);
	});

	it('formula cell (all but its timing)', async () => {
		await sameEverywhere(async (o) => {
			const { timing, ...rest } = formulaCell(
				'max(0, demand - domesticSupply - alliedSupply) / demand',
				await simulateScenario(scenario('baseline'), { ...base, ...o }),
				{ unit: 'fraction' }
			);
			expect(timing.elapsedMs).toBeGreaterThanOrEqual(0);
			return rest;
		});
	});

	it('narrative', async () => {
		await sameEverywhere(async () => renderNarrative('{{ median(usMagnetPrice, 2027) }} / {{ shortfallBy(2030) }}', runScenario(scenario('baseline'), base)));
	});
});

describe('simulating only through the indicator year', () => {
	it('gives the same months as the full horizon (analyses rely on it)', async () => {
		const full = await simulateScenario(scenario('controls-and-delays'), { seed: 3, paths: 200 });
		const { truncatedTo } = await import('../../src/lib/analysis/common');
		const cut = await simulateScenario(truncatedTo(scenario('controls-and-delays'), 2027), { seed: 3, paths: 200 });
		expect(cut.months).toEqual(full.months.slice(0, 36));
		full.block.metrics.forEach((values, m) => expect(Array.from(cut.block.metrics[m])).toEqual(Array.from(values.subarray(0, 36 * 200))));
	});
});
