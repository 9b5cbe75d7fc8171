import { metricCount } from '../model/metrics';
import { parameterDefinitions } from '../model/parameters';
import { simulatePath, type MonthlyDraws } from '../model/path';
import { pinRegimes, type Timeline } from '../model/timeline';
import { compileSampler, type Sampler } from './distributions';
import { NormalSource, openStream, type Stream } from './random';

/** Simulated paths [firstPath, firstPath + pathCount): every metric, month-major (`metrics[m][t * pathCount + i]`). */
export interface PathBlock {
	firstPath: number;
	pathCount: number;
	monthCount: number;
	metrics: Float32Array[];
}

class StreamDraws implements MonthlyDraws {
	private readonly policy: Stream;
	private readonly demand: NormalSource;
	private readonly exports: NormalSource;
	private readonly price: NormalSource;
	constructor(seed: number, path: number) {
		this.policy = openStream(seed, path, 'policy');
		this.demand = new NormalSource(openStream(seed, path, 'demand'));
		this.exports = new NormalSource(openStream(seed, path, 'exports'));
		this.price = new NormalSource(openStream(seed, path, 'price'));
	}
	policyUniform() {
		return this.policy();
	}
	demandNormal() {
		return this.demand.next();
	}
	exportNormal() {
		return this.exports.next();
	}
	priceNormal() {
		return this.price.next();
	}
}

/** One inverse-CDF sampler per catalogue parameter, truncated to its bounds; whole-month parameters are rounded. */
export function compileParameterSamplers(timeline: Timeline): Sampler[] {
	return parameterDefinitions.map((definition, k) => {
		const sampler = compileSampler(timeline.parameterSpecs[k], definition.bounds[0], definition.bounds[1]);
		return 'integer' in definition && definition.integer ? (u: number) => Math.round(sampler(u)) : sampler;
	});
}

/** Draws one path's parameters: draw k of its "parameters" stream goes to catalogue parameter k. */
export function drawPathParameters(samplers: readonly Sampler[], seed: number, path: number, into: Float64Array): Float64Array {
	const uniform = openStream(seed, path, 'parameters');
	for (let k = 0; k < samplers.length; k++) into[k] = samplers[k](uniform());
	return into;
}

export function allocateBlock(firstPath: number, pathCount: number, monthCount: number): PathBlock {
	return {
		firstPath,
		pathCount,
		monthCount,
		metrics: Array.from({ length: metricCount }, () => new Float32Array(monthCount * pathCount))
	};
}

/** Where simulated paths go: metric-major arrays of `stride` values per month, path i at column `firstColumn + i`. */
export interface PathTarget {
	metrics: Float32Array[];
	stride: number;
	firstColumn: number;
}

/**
 * Simulates paths [firstPath, firstPath + pathCount). Path i's numbers depend only on (seed, i),
 * never on the range, so any split across chunks or workers gives the same bytes. Writes into
 * `target` when given (e.g. shared memory), else into a new block.
 */
export function simulatePaths(timeline: Timeline, seed: number, firstPath: number, pathCount: number, target?: PathTarget): PathBlock {
	const monthCount = timeline.months.length;
	const block = target ? { firstPath, pathCount, monthCount, metrics: target.metrics } : allocateBlock(firstPath, pathCount, monthCount);
	const samplers = compileParameterSamplers(timeline);
	const parameters = new Float64Array(samplers.length);
	const pinned = new Int8Array(monthCount);
	const output = { metrics: block.metrics, stride: target?.stride ?? pathCount, column: 0 };
	const firstColumn = target?.firstColumn ?? 0;
	for (let i = 0; i < pathCount; i++) {
		const path = firstPath + i;
		drawPathParameters(samplers, seed, path, parameters);
		pinRegimes(timeline, openStream(seed, path, 'events'), pinned);
		output.column = firstColumn + i;
		simulatePath(timeline, parameters, pinned, new StreamDraws(seed, path), output);
	}
	return block;
}

/** Joins consecutive blocks (in path order) into one. */
export function concatBlocks(blocks: readonly PathBlock[]): PathBlock {
	const sorted = [...blocks].sort((a, b) => a.firstPath - b.firstPath);
	if (sorted.length === 1) return sorted[0];
	const first = sorted[0];
	const monthCount = first.monthCount;
	let expected = first.firstPath;
	for (const block of sorted) {
		if (block.firstPath !== expected || block.monthCount !== monthCount) throw new Error('path blocks are not contiguous');
		expected += block.pathCount;
	}
	const total = allocateBlock(first.firstPath, expected - first.firstPath, monthCount);
	for (let m = 0; m < metricCount; m++) {
		const target = total.metrics[m];
		for (let t = 0; t < monthCount; t++) {
			let offset = t * total.pathCount;
			for (const block of sorted) {
				target.set(block.metrics[m].subarray(t * block.pathCount, (t + 1) * block.pathCount), offset);
				offset += block.pathCount;
			}
		}
	}
	return total;
}
