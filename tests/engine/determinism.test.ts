import { describe, expect, it } from 'vitest';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { runScenario } from '../../src/lib/engine/run';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { buildTimeline } from '../../src/lib/engine/timeline';

const [baseline] = resolveScenarioArguments(['baseline']);
const timeline = buildTimeline(baseline);

function bytesOf(metrics: Float32Array[]): Buffer {
	return Buffer.concat(metrics.map((m) => Buffer.from(m.buffer, m.byteOffset, m.byteLength)));
}

/** Values of paths [0, count) from a month-major block of `stride` paths. */
function prefix(metrics: Float32Array[], stride: number, count: number, months: number): Float32Array[] {
	return metrics.map((values) => {
		const out = new Float32Array(count * months);
		for (let t = 0; t < months; t++) out.set(values.subarray(t * stride, t * stride + count), t * count);
		return out;
	});
}

describe('determinism', () => {
	it('the same seed gives identical bytes and the same fingerprint', () => {
		const first = runScenario(baseline, { seed: 7, paths: 300 });
		const second = runScenario(baseline, { seed: 7, paths: 300 });
		expect(JSON.stringify(second)).toBe(JSON.stringify(first));
		expect(runScenario(baseline, { seed: 8, paths: 300 }).fingerprint).not.toBe(first.fingerprint);
	});

	it('the first 1,000 paths of a 10,000-path run equal a 1,000-path run', () => {
		const months = timeline.months.length;
		const full = simulatePaths(timeline, baseline.seed, 0, 10_000);
		const small = simulatePaths(timeline, baseline.seed, 0, 1_000);
		expect(bytesOf(prefix(full.metrics, 10_000, 1_000, months)).equals(bytesOf(small.metrics))).toBe(true);
	});

	it('a path is the same whatever range it is simulated in', () => {
		const whole = simulatePaths(timeline, 3, 0, 40);
		const late = simulatePaths(timeline, 3, 25, 15);
		const months = timeline.months.length;
		for (let m = 0; m < whole.metrics.length; m++) {
			for (let t = 0; t < months; t++) {
				expect(Array.from(late.metrics[m].subarray(t * 15, t * 15 + 15))).toEqual(Array.from(whole.metrics[m].subarray(t * 40 + 25, t * 40 + 40)));
			}
		}
	});
});
