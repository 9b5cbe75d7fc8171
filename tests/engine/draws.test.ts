import { describe, expect, it } from 'vitest';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { CACHED_DRAW_PATHS, cachedPathsFor, forgetDraws, PathDraws } from '../../src/lib/engine/draws';
import { PathStreams } from '../../src/lib/engine/random';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { DRAWS_PER_MONTH } from '../../src/lib/model/path';
import { parameterDefinitions } from '../../src/lib/model/parameters';
import { buildTimeline } from '../../src/lib/engine/timeline';

const [baseline] = resolveScenarioArguments(['baseline']);
const long = buildTimeline(baseline);
const short = buildTimeline({ ...baseline, end: '2027-12' });
const parameterCount = parameterDefinitions.length;

function bytesOf(metrics: Float32Array[]): Buffer {
	return Buffer.concat(metrics.map((m) => Buffer.from(m.buffer, m.byteOffset, m.byteLength)));
}

/** A path's numbers drawn straight from its streams, in the order the model consumes them. */
function drawnAfresh(seed: number, path: number, monthCount: number) {
	const streams = new PathStreams().open(seed, path);
	const uniforms = Array.from({ length: parameterCount }, () => streams.parameters.uniform());
	const monthly = Array.from({ length: monthCount }, () => [
		streams.policyUniform(),
		streams.demandNormal(),
		streams.exportNormal(),
		streams.priceNormal(),
		streams.licenceNormal()
	]).flat();
	return { uniforms, monthly, firstEvent: streams.events.uniform() };
}

function loaded(draws: PathDraws, path: number, monthCount: number) {
	draws.load(path);
	return {
		uniforms: Array.from(draws.uniforms.subarray(draws.uniformAt, draws.uniformAt + parameterCount)),
		monthly: Array.from(draws.monthly.subarray(draws.monthlyAt, draws.monthlyAt + monthCount * DRAWS_PER_MONTH)),
		firstEvent: draws.streams.events.uniform()
	};
}

describe('cached draws', () => {
	it('give a path the numbers its streams give, when first drawn, when read back, and beyond the cache', () => {
		forgetDraws();
		const months = long.months.length;
		const draws = new PathDraws(new PathStreams(), 11, months, parameterCount);
		for (const path of [0, 5, CACHED_DRAW_PATHS - 1, CACHED_DRAW_PATHS, CACHED_DRAW_PATHS + 3]) {
			const expected = drawnAfresh(11, path, months);
			expect(loaded(draws, path, months)).toEqual(expected);
			expect(loaded(draws, path, months)).toEqual(expected);
		}
	});

	it('cache fewer paths for a scenario of many years, and still give each path its numbers', () => {
		const months = buildTimeline({ ...baseline, end: '2100-12' }).months.length;
		const capacity = cachedPathsFor(months, parameterCount);
		expect(capacity).toBeLessThan(CACHED_DRAW_PATHS);
		expect(capacity * (months * DRAWS_PER_MONTH + parameterCount)).toBeLessThanOrEqual(6_000_000);
		forgetDraws();
		const draws = new PathDraws(new PathStreams(), 11, months, parameterCount);
		for (const path of [capacity - 1, capacity]) {
			const expected = drawnAfresh(11, path, months);
			expect(loaded(draws, path, months)).toEqual(expected);
			expect(loaded(draws, path, months)).toEqual(expected);
		}
	});

	it('never change a simulated byte: cold, warm, partly filled, another seed in between, shorter and longer scenarios', () => {
		forgetDraws();
		const cold = bytesOf(simulatePaths(long, 7, 0, 300).metrics);
		const coldShort = bytesOf(simulatePaths(short, 7, 0, 300).metrics);
		forgetDraws();
		expect(bytesOf(simulatePaths(long, 7, 0, 300).metrics).equals(cold)).toBe(true);
		expect(bytesOf(simulatePaths(long, 7, 0, 300).metrics).equals(cold)).toBe(true);
		// A shorter scenario reads the longer one's cache; a longer one after a shorter starts a new cache.
		expect(bytesOf(simulatePaths(short, 7, 0, 300).metrics).equals(coldShort)).toBe(true);
		forgetDraws();
		simulatePaths(long, 7, 0, 100);
		simulatePaths(short, 7, 100, 50);
		expect(bytesOf(simulatePaths(long, 7, 0, 300).metrics).equals(cold)).toBe(true);
		forgetDraws();
		simulatePaths(short, 7, 100, 50);
		expect(bytesOf(simulatePaths(long, 7, 0, 300).metrics).equals(cold)).toBe(true);
		simulatePaths(long, 8, 0, 300);
		simulatePaths(long, 7, 150, 20);
		expect(bytesOf(simulatePaths(long, 7, 0, 300).metrics).equals(cold)).toBe(true);
	});

	it("read back a path's sampled parameters only while their sampler is the same: a changed parameter is sampled again, the others are not stale", () => {
		const slot = parameterDefinitions.findIndex((p) => p.id === 'licenceApprovalRate');
		const moved = { ...long, parameterSpecs: long.parameterSpecs.map((spec, k) => (k === slot ? 0.5 : spec)) };
		forgetDraws();
		const coldOriginal = bytesOf(simulatePaths(long, 7, 0, 300).metrics);
		forgetDraws();
		const coldMoved = bytesOf(simulatePaths(moved, 7, 0, 300).metrics);
		expect(coldMoved.equals(coldOriginal)).toBe(false);
		forgetDraws();
		simulatePaths(long, 7, 0, 300);
		expect(bytesOf(simulatePaths(moved, 7, 0, 300).metrics).equals(coldMoved)).toBe(true);
		// Paths 100-299 were last sampled with the moved parameter: the original must not read them back as its own.
		simulatePaths(moved, 7, 100, 200);
		expect(bytesOf(simulatePaths(long, 7, 0, 300).metrics).equals(coldOriginal)).toBe(true);
		expect(bytesOf(simulatePaths(moved, 7, 0, 300).metrics).equals(coldMoved)).toBe(true);
	});
});
