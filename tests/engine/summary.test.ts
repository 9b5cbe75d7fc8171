import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/lib/analysis/common';
import { summariseBlock, summariseColumn } from '../../src/lib/engine/summary';
import { emptySummary } from '../../src/lib/stats/series';
import { metricIndex } from '../../src/lib/model/metrics';
import { scenario } from '../notebook/fixtures';

describe('share of paths above zero', () => {
	it('counts the values above zero in a column (zero and negatives are not)', () => {
		const summary = emptySummary('t/month', 1);
		summariseColumn(Float32Array.from([0, 0, 2.5, 0, -1, 7, 0, 0]), new Float32Array(8), summary, 0);
		expect(summary.shareAboveZero[0]).toBe(2 / 8);
		expect(summary.p50[0]).toBe(0);
	});

	it('is the share of a seeded run’s shortfall paths above zero, month by month, where the median is 0', async () => {
		const renewed = scenario('renewed-controls');
		const { block, months } = await simulateScenario(renewed, { seed: 11, paths: 300 });
		const summary = summariseBlock(block, ['shortfall']).shortfall!;
		const values = block.metrics[metricIndex.shortfall];
		const counted = months.map((_, t) => values.subarray(t * 300, (t + 1) * 300).filter((x) => x > 0).length / 300);
		expect(summary.shareAboveZero).toEqual(counted);
		// The case it is for: months where some paths fall short but the median says nothing.
		expect(months.filter((_, t) => summary.p50[t] === 0 && summary.shareAboveZero[t] > 0.05).length).toBeGreaterThan(0);
	});
});
