import { describe, expect, it } from 'vitest';
import { chooseBox, primTrajectory } from '../../src/lib/analysis/prim';
import { TycheiStream } from '../../src/lib/engine/random';

/** 4,000 seeded points in [0, 1]³; the cases of interest are exactly those with x0 > 0.7 and x2 < 0.4 (x1 plays no part). */
const n = 4000;
const stream = new TycheiStream().reseed('prim-test');
const x = Float64Array.from({ length: n * 3 }, () => stream.uniform());
const interesting = Array.from({ length: n }, (_, i) => x[i * 3] > 0.7 && x[i * 3 + 2] < 0.4);

describe('PRIM scenario discovery', () => {
	const trajectory = primTrajectory(x, 3, interesting, { peel: 0.05, minimumSupport: 0.05 });

	it('starts from the box of every point and peels to higher density', () => {
		expect(trajectory[0].coverage).toBe(1);
		expect(trajectory[0].restricted).toEqual([]);
		expect(trajectory[0].density).toBeCloseTo(0.3 * 0.4, 1);
		expect(trajectory.at(-1)!.density).toBeGreaterThan(0.95);
		for (const box of trajectory) expect(box.points).toBeGreaterThanOrEqual(0.05 * n);
	});

	it('finds the known box: x0 above ~0.7 and x2 below ~0.4, x1 left alone', () => {
		const box = chooseBox(trajectory, 0.9);
		expect(box.restricted).toEqual([0, 2]);
		expect(box.low[0]).toBeGreaterThan(0.65);
		expect(box.low[0]).toBeLessThan(0.75);
		expect(box.high[2]).toBeGreaterThan(0.35);
		expect(box.high[2]).toBeLessThan(0.45);
		expect(box.coverage).toBeGreaterThan(0.8);
		expect(box.density).toBeGreaterThanOrEqual(0.9);
	});

	it('refuses input it cannot use, with a message', () => {
		expect(() => primTrajectory(x, 3, new Array(n).fill(false))).toThrow(/nothing to discover/);
		expect(() => primTrajectory(x.subarray(1), 3, interesting)).toThrow(/needs 3 values/);
		expect(() => primTrajectory(x, 3, interesting, { peel: 0.7 })).toThrow(/peel/);
	});
});
