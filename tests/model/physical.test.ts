import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { simulatePaths, type PathBlock } from '../../src/lib/engine/simulate';
import { metricIndex, type MetricName } from '../../src/lib/model/metrics';
import { parameterDefinitions } from '../../src/lib/model/parameters';
import { buildTimeline } from '../../src/lib/engine/timeline';
import type { Scenario } from '../../src/lib/scenario/schema';

const nonNegative: MetricName[] = [
	'demand',
	'chinaExports',
	'domesticSupply',
	'alliedSupply',
	'inventory',
	'coverMonths',
	'shortfall',
	'replacement',
	'importBill',
	'backlog'
];
const prices: MetricName[] = ['ndprPrice', 'chinaMagnetPrice', 'exChinaPremium', 'usMagnetPrice', 'averagePaidPrice'];
const shares: MetricName[] = ['chinaShare', 'domesticShare'];

/** Describes the first value that leaves its physical range, or returns null. */
function firstViolation(block: PathBlock): string | null {
	for (const name of nonNegative) {
		const values = block.metrics[metricIndex[name]];
		for (let k = 0; k < values.length; k++) if (!(values[k] >= 0) || !Number.isFinite(values[k])) return `${name}[${k}] = ${values[k]}`;
	}
	for (const name of shares) {
		const values = block.metrics[metricIndex[name]];
		for (let k = 0; k < values.length; k++) if (!(values[k] >= 0 && values[k] <= 1)) return `${name}[${k}] = ${values[k]}`;
	}
	for (const name of prices) {
		const values = block.metrics[metricIndex[name]];
		for (let k = 0; k < values.length; k++) if (!(values[k] > 0) || !Number.isFinite(values[k])) return `${name}[${k}] = ${values[k]}`;
	}
	// 1 − China's share ÷ its 2024 share: at most 1 (no China at all), finite.
	const cut = block.metrics[metricIndex.relianceCut];
	for (let k = 0; k < cut.length; k++) if (!(cut[k] <= 1) || !Number.isFinite(cut[k])) return `relianceCut[${k}] = ${cut[k]}`;
	return null;
}

describe('physical sanity on every path', () => {
	const scenarios = resolveScenarioArguments([
		'baseline',
		'export-surge-2025',
		'renewed-controls',
		'us-capacity-30pct-2030',
		'allied-stockpiling',
		'controls-and-delays',
		'history-2025'
	]);
	for (const scenario of scenarios) {
		it(`${scenario.id}: no negative tonnes, inventory or price; shares within [0, 1]`, () => {
			expect(firstViolation(simulatePaths(buildTimeline(scenario), scenario.seed, 0, 1_000))).toBeNull();
		});
	}

	it('holds for any parameter values within their bounds (property test)', () => {
		const [baseline] = resolveScenarioArguments(['renewed-controls']);
		const bounded = fc.record(Object.fromEntries(parameterDefinitions.map((p) => [p.id, fc.double({ min: p.bounds[0], max: p.bounds[1], noNaN: true })])));
		fc.assert(
			fc.property(bounded, fc.integer({ min: 0, max: 2 ** 32 - 1 }), (parameters, seed) => {
				const scenario: Scenario = { ...baseline, parameters: { ...baseline.parameters, ...parameters } };
				const violation = firstViolation(simulatePaths(buildTimeline(scenario), seed, 0, 20));
				return violation === null;
			}),
			{ numRuns: 60, seed: 20250604 }
		);
	});
});
