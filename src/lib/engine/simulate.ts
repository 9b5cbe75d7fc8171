import { metricCount } from '../model/metrics';
import { parameterDefinitions } from '../model/parameters';
import { EXTRA_UNIFORMS, PLANT_UNIFORMS, simulatePath } from '../model/path';
import { pinRegimes, type Timeline } from '../model/timeline';
import { compileSampler, type Sampler } from './distributions';
import { PathDraws } from './draws';
import { PathStreams } from './random';

/** Simulated paths [firstPath, firstPath + pathCount): every metric, month-major (`metrics[m][t * pathCount + i]`). */
export interface PathBlock {
	firstPath: number;
	pathCount: number;
	monthCount: number;
	metrics: Float32Array[];
}

/**
 * Compiled samplers per timeline: compiling tabulates PERT inverse CDFs (~10 ms or more), and a
 * worker simulates one timeline in many chunks. Keyed by the timeline object, checked against its
 * parameter specs so that a timeline changed in place is recompiled.
 */
const compiledSamplers = new WeakMap<Timeline, { specs: string; samplers: Sampler[] }>();

/**
 * Compiled samplers by parameter and spec, across timelines: a slider move changes one
 * parameter's spec, so the next run compiles one sampler, not all of them.
 */
const samplersBySpec = new Map<string, Sampler>();
const SAMPLERS_KEPT = 512;

function samplerFor(k: number, spec: Timeline['parameterSpecs'][number]): Sampler {
	const definition = parameterDefinitions[k];
	const key = `${definition.id} ${JSON.stringify(spec)}`;
	let sampler = samplersBySpec.get(key);
	if (!sampler) {
		const inverse = compileSampler(spec, definition.bounds[0], definition.bounds[1]);
		sampler = 'integer' in definition && definition.integer ? (u: number) => Math.round(inverse(u)) : inverse;
		samplersBySpec.set(key, sampler);
		if (samplersBySpec.size > SAMPLERS_KEPT) samplersBySpec.delete(samplersBySpec.keys().next().value!);
	}
	return sampler;
}

/** A number per sampler object (from 1), so the draw cache can tell which parameter values a path may read back. */
const samplerIds = new WeakMap<Sampler, number>();
let lastSamplerId = 0;
function samplerId(sampler: Sampler): number {
	let id = samplerIds.get(sampler);
	if (id === undefined) samplerIds.set(sampler, (id = ++lastSamplerId));
	return id;
}

/** One inverse-CDF sampler per catalogue parameter, truncated to its bounds; whole-month parameters are rounded. */
export function compileParameterSamplers(timeline: Timeline): Sampler[] {
	const specs = JSON.stringify(timeline.parameterSpecs);
	const cached = compiledSamplers.get(timeline);
	if (cached?.specs === specs) return cached.samplers;
	const samplers = parameterDefinitions.map((_, k) => samplerFor(k, timeline.parameterSpecs[k]));
	compiledSamplers.set(timeline, { specs, samplers });
	return samplers;
}

/** Whether `values` live in shared memory (never without cross-origin isolation: there is no SharedArrayBuffer at all). */
export function inSharedMemory(values: Float32Array): boolean {
	return typeof SharedArrayBuffer !== 'undefined' && values.buffer instanceof SharedArrayBuffer;
}

/** A block of zeros; in shared memory when `shared` (other threads then write into it and read it without copies). */
export function allocateBlock(firstPath: number, pathCount: number, monthCount: number, shared = false): PathBlock {
	const values = () =>
		shared ? new Float32Array(new SharedArrayBuffer(monthCount * pathCount * Float32Array.BYTES_PER_ELEMENT)) : new Float32Array(monthCount * pathCount);
	return { firstPath, pathCount, monthCount, metrics: Array.from({ length: metricCount }, values) };
}

/** Where simulated paths go: metric-major arrays of `stride` values per month, path i at column `firstColumn + i`. */
export interface PathTarget {
	metrics: Float32Array[];
	stride: number;
	firstColumn: number;
}

/**
 * Paths are simulated in groups of this many into a month-major staging area, then copied row by
 * row into the target. Writing each path straight into the full-size arrays touches a different
 * memory page for every month and metric (13 × months pages per path), and the TLB misses cost
 * more than the model's arithmetic. Rows of 256 paths (1 KB) copy as block moves; with 64-path rows
 * the copy took ~15 % of the simulation, and 256 made the whole ~5–10 % faster (node, cached draws).
 */
export const STAGING_PATHS = 256;

/** A staging area for `STAGING_PATHS` paths: one array per metric, `STAGING_PATHS` values per month. */
function allocateStaging(monthCount: number): Float32Array[] {
	return Array.from({ length: metricCount }, () => new Float32Array(monthCount * STAGING_PATHS));
}

/** This thread's staging area (1.8 MB at 132 months), kept between calls: a fresh one each chunk would fault in its pages again. */
let threadStaging: Float32Array[] | undefined;
export function stagingFor(monthCount: number): Float32Array[] {
	if (!threadStaging || threadStaging[0].length < monthCount * STAGING_PATHS) threadStaging = allocateStaging(monthCount);
	return threadStaging;
}

/** Copies the first `count` columns of every month of a staging area to columns [firstColumn, firstColumn + count) of `target`. */
export function flushStaging(staging: Float32Array[], count: number, monthCount: number, target: Float32Array[], stride: number, firstColumn: number): void {
	for (let m = 0; m < staging.length; m++) {
		const from = staging[m];
		const to = target[m];
		for (let t = 0; t < monthCount; t++) {
			const source = t * STAGING_PATHS;
			to.set(from.subarray(source, source + count), t * stride + firstColumn);
		}
	}
}

/**
 * Simulates paths [firstPath, firstPath + pathCount). Path i's numbers depend only on (seed, i),
 * never on the range, so any split across chunks or workers gives the same bytes. Writes into
 * `target` when given (e.g. shared memory), else into a new block.
 */
export function simulatePaths(timeline: Timeline, seed: number, firstPath: number, pathCount: number, target?: PathTarget): PathBlock {
	const monthCount = timeline.months.length;
	const block = target ? { firstPath, pathCount, monthCount, metrics: target.metrics } : allocateBlock(firstPath, pathCount, monthCount);
	const stride = target?.stride ?? pathCount;
	const firstColumn = target?.firstColumn ?? 0;
	const samplers = compileParameterSamplers(timeline);
	const parameterCount = samplers.length;
	const parameters = new Float64Array(parameterCount);
	const pinned = new Int8Array(monthCount);
	const staging = stagingFor(monthCount);
	const output = { metrics: staging, stride: STAGING_PATHS, column: 0 };
	const draws = new PathDraws(new PathStreams(), seed, monthCount, parameterCount + EXTRA_UNIFORMS, parameterCount);
	const samplerIds = Int32Array.from(samplers, samplerId);
	// Empirical parameters all read the path's one joint uniform, so they are drawn as whole rows.
	const uniformSlot = Int32Array.from(timeline.parameterSpecs, (spec, k) =>
		typeof spec === 'object' && spec.dist === 'empirical' ? parameterCount + PLANT_UNIFORMS : k
	);
	const events = draws.streams.events;
	const eventUniform = () => events.uniform();
	for (let first = 0; first < pathCount; first += STAGING_PATHS) {
		const count = Math.min(STAGING_PATHS, pathCount - first);
		for (let j = 0; j < count; j++) {
			draws.load(firstPath + first + j);
			const uniforms = draws.uniforms;
			const uniformAt = draws.uniformAt;
			const { sampled, sampledBy, sampledAt } = draws;
			if (sampled === undefined || sampledBy === undefined) {
				for (let k = 0; k < parameterCount; k++) parameters[k] = samplers[k](uniforms[uniformAt + uniformSlot[k]]);
			} else {
				for (let k = 0; k < parameterCount; k++) {
					const at = sampledAt + k;
					if (sampledBy[at] !== samplerIds[k]) {
						sampled[at] = samplers[k](uniforms[uniformAt + uniformSlot[k]]);
						sampledBy[at] = samplerIds[k];
					}
					parameters[k] = sampled[at];
				}
			}
			pinRegimes(timeline, eventUniform, pinned, parameters);
			output.column = j;
			simulatePath(timeline, parameters, uniforms, uniformAt + parameterCount, pinned, draws.monthly, draws.monthlyAt, output);
		}
		flushStaging(staging, count, monthCount, block.metrics, stride, firstColumn + first);
	}
	return block;
}

/** Copies a block's paths into `target`, the block's first path going to column `target.firstColumn`. */
export function copyBlockInto(block: PathBlock, target: PathTarget): void {
	const n = block.pathCount;
	for (let m = 0; m < block.metrics.length; m++) {
		const from = block.metrics[m];
		const to = target.metrics[m];
		for (let t = 0; t < block.monthCount; t++) to.set(from.subarray(t * n, (t + 1) * n), t * target.stride + target.firstColumn);
	}
}

/** Where path `firstPath` and the ones after it go in `block`. */
export function targetIn(block: PathBlock, firstPath: number): PathTarget {
	return { metrics: block.metrics, stride: block.pathCount, firstColumn: firstPath - block.firstPath };
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
	for (const block of sorted) copyBlockInto(block, targetIn(total, block.firstPath));
	return total;
}
