import { DRAWS_PER_MONTH } from '../model/path';
import { STREAM_STATE_SIZE, type PathStreams } from './random';

/**
 * Paths whose random numbers each thread keeps, at most: ~4.5 KB a path at 132 months, 45 MB for
 * 10,000. A path's numbers depend on (seed, path) alone, never on a slider or a scenario's
 * parameters, so after a slider move the same paths read them back instead of reseeding six
 * streams and drawing again, about a fifth of a path's time. Other paths are drawn afresh each time.
 */
export const CACHED_DRAW_PATHS = 10_000;
/** Numbers a thread's cache holds at most (48 MB): a scenario of many years caches fewer paths. */
export const CACHED_DRAW_VALUES = 6_000_000;

/** How many paths a cache of months of draws and parameter uniforms holds. */
export function cachedPathsFor(monthCount: number, parameterCount: number): number {
	return Math.min(CACHED_DRAW_PATHS, Math.floor(CACHED_DRAW_VALUES / (monthCount * DRAWS_PER_MONTH + parameterCount)));
}

/**
 * One seed's draws: each cached path's parameter uniforms, its first `monthCapacity` months of
 * draws and the state its "events" stream opens in (reseeding that stream from its name string
 * would cost a cached path as much as the rest of its loading).
 */
class DrawCache {
	readonly pathCapacity: number;
	readonly monthly: Float64Array;
	readonly uniforms: Float64Array;
	readonly eventStates: Int32Array;
	readonly filled: Uint8Array;
	/** Per cached path, its sampled parameter values and the id of the sampler that gave each (0: none yet). */
	sampled: Float64Array | undefined;
	sampledBy: Int32Array | undefined;

	constructor(
		public seed: number,
		readonly monthCapacity: number,
		readonly parameterCount: number
	) {
		this.pathCapacity = cachedPathsFor(monthCapacity, parameterCount);
		this.monthly = new Float64Array(this.pathCapacity * monthCapacity * DRAWS_PER_MONTH);
		this.uniforms = new Float64Array(this.pathCapacity * parameterCount);
		this.eventStates = new Int32Array(this.pathCapacity * STREAM_STATE_SIZE);
		this.filled = new Uint8Array(this.pathCapacity);
	}

	/** Starts over for `seed`, keeping the buffers: fresh pages of 45 MB cost more than drawing into warm ones. */
	restart(seed: number): void {
		this.seed = seed;
		this.filled.fill(0);
		this.sampledBy?.fill(0);
	}

	/** The sampled-parameter arrays for `count` parameters a path, allocated on first use. */
	samplesFor(count: number): void {
		if (this.sampled?.length === this.pathCapacity * count) return;
		this.sampled = new Float64Array(this.pathCapacity * count);
		this.sampledBy = new Int32Array(this.pathCapacity * count);
	}
}

/** This thread's cache: one seed at a time, as long in months as the longest scenario seen with it. */
let cache: DrawCache | undefined;

function cacheFor(seed: number, monthCount: number, parameterCount: number): DrawCache {
	if (cache && cache.monthCapacity >= monthCount && cache.parameterCount === parameterCount) {
		if (cache.seed !== seed) cache.restart(seed);
		return cache;
	}
	// A longer scenario (or another parameter count) needs another layout.
	cache = undefined; // let the old one go before allocating the new
	cache = new DrawCache(seed, monthCount, parameterCount);
	return cache;
}

/** Forgets this thread's cached draws (tests use it to compare fresh draws with cached ones); the next run draws every path again. */
export function forgetDraws(): void {
	cache?.restart(Number.NaN);
}

/** Draws a path's parameter uniforms (draw k of its "parameters" stream for parameter k) and `monthCount` months. */
function drawPath(
	streams: PathStreams,
	uniforms: Float64Array,
	uniformAt: number,
	parameterCount: number,
	monthly: Float64Array,
	monthlyAt: number,
	monthCount: number
): void {
	const parameterStream = streams.parameters;
	for (let k = 0; k < parameterCount; k++) uniforms[uniformAt + k] = parameterStream.uniform();
	let at = monthlyAt;
	for (let t = 0; t < monthCount; t++, at += DRAWS_PER_MONTH) {
		monthly[at] = streams.policyUniform();
		monthly[at + 1] = streams.demandNormal();
		monthly[at + 2] = streams.exportNormal();
		monthly[at + 3] = streams.priceNormal();
		monthly[at + 4] = streams.licenceNormal();
	}
}

/**
 * The random numbers of one path at a time, for a run of one seed and month count: after `load`,
 * the path's parameter uniforms are `uniforms[uniformAt + k]`, its month t's draws
 * `monthly[monthlyAt + DRAWS_PER_MONTH * t + k]`, and `streams.events` is open at the path's start.
 */
export class PathDraws {
	monthly: Float64Array;
	monthlyAt = 0;
	uniforms: Float64Array;
	uniformAt = 0;
	/**
	 * After `load` of a cached path (else undefined): where its sampled parameters are kept between
	 * runs, `sampled[sampledAt + k]`, and the id of the sampler each was computed with,
	 * `sampledBy[sampledAt + k]` — a slider move changes one sampler, so the others' values are read
	 * back instead of computed again. Ids are the caller's; 0 means none.
	 */
	sampled: Float64Array | undefined;
	sampledBy: Int32Array | undefined;
	sampledAt = 0;
	private readonly cache: DrawCache;
	private readonly scratchMonthly: Float64Array;
	private readonly scratchUniforms: Float64Array;

	constructor(
		readonly streams: PathStreams,
		private readonly seed: number,
		private readonly monthCount: number,
		private readonly parameterCount: number,
		private readonly sampledCount = 0
	) {
		this.cache = cacheFor(seed, monthCount, parameterCount);
		if (sampledCount > 0) this.cache.samplesFor(sampledCount);
		this.scratchMonthly = new Float64Array(monthCount * DRAWS_PER_MONTH);
		this.scratchUniforms = new Float64Array(parameterCount);
		this.monthly = this.scratchMonthly;
		this.uniforms = this.scratchUniforms;
	}

	load(path: number): void {
		const { cache, streams, seed, parameterCount } = this;
		if (path >= cache.pathCapacity) {
			this.sampled = this.sampledBy = undefined;
			streams.open(seed, path);
			this.monthly = this.scratchMonthly;
			this.monthlyAt = 0;
			this.uniforms = this.scratchUniforms;
			this.uniformAt = 0;
			drawPath(streams, this.uniforms, 0, parameterCount, this.monthly, 0, this.monthCount);
			return;
		}
		this.monthly = cache.monthly;
		this.monthlyAt = path * cache.monthCapacity * DRAWS_PER_MONTH;
		this.uniforms = cache.uniforms;
		this.uniformAt = path * parameterCount;
		if (this.sampledCount > 0) {
			this.sampled = cache.sampled;
			this.sampledBy = cache.sampledBy;
			this.sampledAt = path * this.sampledCount;
		}
		if (cache.filled[path] === 1) {
			streams.events.restoreState(cache.eventStates, path * STREAM_STATE_SIZE);
			return;
		}
		streams.open(seed, path);
		streams.events.saveState(cache.eventStates, path * STREAM_STATE_SIZE);
		this.sampledBy?.fill(0, this.sampledAt, this.sampledAt + this.sampledCount);
		drawPath(streams, this.uniforms, this.uniformAt, parameterCount, this.monthly, this.monthlyAt, cache.monthCapacity);
		cache.filled[path] = 1;
	}
}
