import { describe, expect, it } from 'vitest';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { concatBlocks, simulatePaths, type PathBlock } from '../../src/lib/engine/simulate';
import { buildTimeline } from '../../src/lib/engine/timeline';

function bytesOf(block: PathBlock): Buffer {
	return Buffer.concat(block.metrics.map((m) => Buffer.from(m.buffer, m.byteOffset, m.byteLength)));
}

describe('splitting paths into ranges', () => {
	const [baseline] = resolveScenarioArguments(['baseline']);
	const timeline = buildTimeline(baseline);

	it('paths [0, 300) + [300, 500) equal paths [0, 500) byte for byte', () => {
		for (const seed of [1, 20260101]) {
			const whole = simulatePaths(timeline, seed, 0, 500);
			const joined = concatBlocks([simulatePaths(timeline, seed, 0, 300), simulatePaths(timeline, seed, 300, 200)]);
			expect(joined.pathCount).toBe(500);
			expect(bytesOf(joined).equals(bytesOf(whole))).toBe(true);
		}
	});

	it('ranges that do not line up with the engine’s staging groups, and shared targets, give the same bytes', () => {
		const seed = 42;
		const whole = simulatePaths(timeline, seed, 0, 500);
		const pieces = [0, 1, 63, 64, 65, 200, 257, 500];
		const joined = concatBlocks(pieces.slice(1).map((end, k) => simulatePaths(timeline, seed, pieces[k], end - pieces[k])));
		expect(bytesOf(joined).equals(bytesOf(whole))).toBe(true);

		// Written into one shared target by ranges, as workers do.
		const metrics = whole.metrics.map((m) => new Float32Array(m.length));
		for (let k = 0; k + 1 < pieces.length; k++)
			simulatePaths(timeline, seed, pieces[k], pieces[k + 1] - pieces[k], { metrics, stride: 500, firstColumn: pieces[k] });
		expect(bytesOf({ ...whole, metrics }).equals(bytesOf(whole))).toBe(true);
	});
});
