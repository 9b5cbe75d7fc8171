import { PathDraws } from '../src/lib/engine/draws';
import { PathStreams } from '../src/lib/engine/random';
import { allocateBlock, flushStaging, stagingFor, STAGING_PATHS, type PathBlock, type PathTarget } from '../src/lib/engine/simulate';
import { metricCount } from '../src/lib/model/metrics';
import { DRAWS_PER_MONTH, EXTRA_UNIFORMS } from '../src/lib/model/path';
import { parameterDefinitions } from '../src/lib/model/parameters';
import type { Timeline } from '../src/lib/model/timeline';

/**
 * The floor under `simulatePaths`: everything it does except the model's arithmetic. For each
 * path it loads the same draws (this thread's cache, drawn into it on first use: one uniform per
 * parameter, then each month one policy uniform and one demand, export, price and licence normal), draws two
 * event uniforms per regime pin, and writes every metric's value each month through the same staging area into
 * the same month-major layout and array sizes.
 * The values written are the draws themselves, so nothing can be optimised away.
 */
export function floorPaths(timeline: Timeline, seed: number, firstPath: number, pathCount: number, target?: PathTarget): PathBlock {
	const monthCount = timeline.months.length;
	const block = target ? { firstPath, pathCount, monthCount, metrics: target.metrics } : allocateBlock(firstPath, pathCount, monthCount);
	const metrics = block.metrics;
	if (metrics.length !== metricCount) throw new Error('the floor writes every metric');
	const stride = target?.stride ?? pathCount;
	const firstColumn = target?.firstColumn ?? 0;
	const parameterCount = parameterDefinitions.length;
	const pinDraws = 2 * timeline.regimePins.length;
	const parameters = new Float64Array(parameterCount);
	const draws = new PathDraws(new PathStreams(), seed, monthCount, parameterCount + EXTRA_UNIFORMS);
	const events = draws.streams.events;
	const staging = stagingFor(monthCount);
	const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18] = staging;
	for (let i = 0; i < pathCount; i++) {
		const j = i % STAGING_PATHS;
		draws.load(firstPath + i);
		const { uniforms, uniformAt, monthly } = draws;
		for (let k = 0; k < parameterCount; k++) parameters[k] = uniforms[uniformAt + k];
		let pins = 0;
		for (let k = 0; k < pinDraws; k++) pins += events.uniform();
		let at = j;
		let d = draws.monthlyAt;
		for (let t = 0; t < monthCount; t++, at += STAGING_PATHS, d += DRAWS_PER_MONTH) {
			const u = monthly[d];
			const demand = monthly[d + 1];
			const exports = monthly[d + 2];
			const price = monthly[d + 3];
			const licence = monthly[d + 4];
			m0[at] = demand;
			m1[at] = exports;
			m2[at] = price;
			m3[at] = u;
			m4[at] = demand;
			m5[at] = exports;
			m6[at] = price;
			m7[at] = u;
			m8[at] = demand;
			m9[at] = exports;
			m10[at] = price;
			m11[at] = u;
			m12[at] = demand;
			m13[at] = exports;
			m14[at] = price;
			m15[at] = licence;
			m16[at] = demand;
			m17[at] = pins;
			m18[at] = parameters[t % parameterCount];
		}
		if (j === STAGING_PATHS - 1 || i === pathCount - 1) flushStaging(staging, j + 1, monthCount, metrics, stride, firstColumn + i - j);
	}
	return block;
}
