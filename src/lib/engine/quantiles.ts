/**
 * Exact order statistics of float32 columns by radix selection on the float bits.
 *
 * Each value's 32 bits are mapped to a signed 32-bit key whose order is the numeric order of the
 * values, exactly as `Float32Array.prototype.sort` orders them (−0 before +0, NaN last). A
 * histogram on the top bits of the keys' range tells which bucket holds each requested rank; only
 * the values of those buckets are gathered and refined on the next bits, until a bucket is one
 * key wide or small enough to sort. One pass over the column (which also chains each bucket's
 * values, so a wanted bucket is gathered without a second pass) instead of a sort or a
 * quickselect's data-dependent swaps: the results are the same order statistics as sorting.
 */

import { keyOf, keyOfValue, valueOfKey } from './float-keys';

/** Bits of the key resolved per histogram pass. */
const RADIX_BITS = 11;
const BUCKETS = 1 << RADIX_BITS;
/** Below this many values a bucket is sorted instead of refined. */
const SMALL = 32;
/** A 32-bit key range shrinks by RADIX_BITS bits a level: at most ceil(32 / RADIX_BITS) levels. */
const LEVELS = Math.ceil(32 / RADIX_BITS) + 1;

/**
 * Selects order statistics of one column at a time, reusing its buffers: create one per thread
 * and column length. Consecutive columns of one series (months of a metric) have similar
 * distributions, so the first histogram spans the range of the previous column's requested ranks
 * (widened by half) rather than its minimum to maximum: outliers would otherwise squeeze the bulk
 * of the values into a few buckets. Values outside the range fall into the edge buckets, which are
 * refined like any other when a rank lands there. Call `forgetRange()` before a column unrelated
 * to the previous one; forgetting costs speed, never a wrong result.
 */
export class OrderStatistics {
	private readonly levelKeys: Int32Array[];
	private readonly counts: Int32Array[];
	private readonly slots: Int32Array[];
	private readonly small: Int32Array;
	private hasRange = false;
	private rangeLow = 0;
	private rangeHigh = 0;
	private readonly oddCounts = new Int32Array(BUCKETS);
	/** Per bucket, the last index counted into it (−1: none), for even and odd indices; per index, the one counted before it in its bucket. */
	private readonly lastInBucket = new Int32Array(BUCKETS);
	private readonly oddLastInBucket = new Int32Array(BUCKETS);
	private readonly previousInBucket: Int32Array;
	/** How many values of the last column `select` read were above zero (NaN is not). */
	aboveZero = 0;

	constructor(readonly capacity: number) {
		this.levelKeys = Array.from({ length: LEVELS }, () => new Int32Array(capacity));
		this.counts = Array.from({ length: LEVELS + 1 }, () => new Int32Array(BUCKETS));
		this.slots = Array.from({ length: LEVELS + 1 }, () => new Int32Array(BUCKETS).fill(-1));
		this.small = new Int32Array(SMALL);
		this.previousInBucket = new Int32Array(capacity);
	}

	/** Per level: where each wanted bucket's next key goes, and the lowest and highest key seen in it. */
	private readonly gathering = Array.from({ length: LEVELS + 1 }, () => ({
		cursor: new Int32Array(BUCKETS),
		slotLow: new Int32Array(BUCKETS),
		slotHigh: new Int32Array(BUCKETS)
	}));

	private gatherState(level: number, wanted: readonly number[], slotCount: number) {
		const state = this.gathering[level];
		for (let s = 0; s < slotCount; s++) {
			state.cursor[s] = wanted[s * 6 + 1];
			state.slotLow[s] = 0x7fffffff;
			state.slotHigh[s] = -0x80000000;
		}
		return state;
	}

	/** Drops the range remembered from the previous column. */
	forgetRange(): void {
		this.hasRange = false;
	}

	/**
	 * Writes to `into[k]` the value of rank `ranks[k]` (0-based, ascending, repeats allowed) of
	 * `column`: the value at index `ranks[k]` of the column sorted by `Float32Array.prototype.sort`.
	 * Returns the sum of the column's values, added in index order in double precision (the same
	 * sum as a plain loop). The column is not modified.
	 */
	select(column: Float32Array, ranks: ArrayLike<number>, into: Float64Array): number {
		const n = column.length;
		if (n > this.capacity) throw new Error(`column of ${n} values exceeds capacity ${this.capacity}`);
		const rankCount = ranks.length;
		for (let k = 1; k < rankCount; k++) if (ranks[k] < ranks[k - 1]) throw new Error('ranks must be ascending');
		if (rankCount > 0 && (ranks[0] < 0 || ranks[rankCount - 1] >= n)) throw new Error('rank out of range');
		const bits = new Int32Array(column.buffer, column.byteOffset, n);

		let low = this.rangeLow;
		let high = this.rangeHigh;
		// Without a remembered range, the column's own: then no key falls outside and the edge
		// buckets are exact like the others.
		const exactEdges = !this.hasRange;
		if (exactEdges) {
			low = 0x7fffffff;
			high = -0x80000000;
			for (let i = 0; i < n; i++) {
				const key = keyOf(bits[i]);
				if (key < low) low = key;
				if (key > high) high = key;
			}
		}
		const span = high - low;
		const shift = Math.max(0, 32 - Math.clz32(span) - RADIX_BITS);
		const bucketCount = Math.floor(span / 2 ** shift) + 1;
		const counts = this.counts[LEVELS];
		const oddCounts = this.oddCounts;
		// Each bucket's values as a chain of indices, so that gathering a bucket visits only its own values.
		const lastInBucket = this.lastInBucket;
		const oddLastInBucket = this.oddLastInBucket;
		const previousInBucket = this.previousInBucket;
		lastInBucket.fill(-1, 0, bucketCount);
		oddLastInBucket.fill(-1, 0, bucketCount);
		counts.fill(0, 0, bucketCount);
		oddCounts.fill(0, 0, bucketCount);

		// One pass: the sum, the count above zero and the histogram (keys outside [low, high] clamped
		// to the edge buckets). (key − low) lies in [0, 2³²); `| 0` keeps V8 in 32-bit integer
		// arithmetic (three times faster here than the float subtraction), and `>>>` reads the
		// wrapped value back as unsigned. A key is above zero's (0) and below NaN's (0x7fffffff)
		// exactly when both differences are negative.
		// Even and odd indices count into separate histograms: runs of equal values (zeros, regime
		// codes, clamped edges) would otherwise wait on the previous increment of the same counter.
		let sum = 0;
		let above = 0;
		const pairs = n & ~1;
		for (let i = 0; i < pairs; i += 2) {
			sum += column[i];
			sum += column[i + 1];
			const key = keyOf(bits[i]);
			const oddKey = keyOf(bits[i + 1]);
			above += (((0 - key) & (key - 0x7fffffff)) >>> 31) + (((0 - oddKey) & (oddKey - 0x7fffffff)) >>> 31);
			const clamped = key < low ? low : key > high ? high : key;
			const oddClamped = oddKey < low ? low : oddKey > high ? high : oddKey;
			const bucket = ((clamped - low) | 0) >>> shift;
			const oddBucket = ((oddClamped - low) | 0) >>> shift;
			counts[bucket]++;
			oddCounts[oddBucket]++;
			previousInBucket[i] = lastInBucket[bucket];
			lastInBucket[bucket] = i;
			previousInBucket[i + 1] = oddLastInBucket[oddBucket];
			oddLastInBucket[oddBucket] = i + 1;
		}
		if (pairs < n) {
			sum += column[pairs];
			const key = keyOf(bits[pairs]);
			above += ((0 - key) & (key - 0x7fffffff)) >>> 31;
			const clamped = key < low ? low : key > high ? high : key;
			const bucket = ((clamped - low) | 0) >>> shift;
			counts[bucket]++;
			previousInBucket[pairs] = lastInBucket[bucket];
			lastInBucket[bucket] = pairs;
		}
		for (let b = 0; b < bucketCount; b++) counts[b] += oddCounts[b];
		this.aboveZero = above;
		if (rankCount === 0) return sum;
		if (exactEdges && span === 0) {
			this.hasRange = false;
			into.fill(valueOfKey(low), 0, rankCount);
			return sum;
		}

		// Each rank's bucket; exact when a bucket is one key wide and cannot hold clamped keys.
		const lastBucket = bucketCount - 1;
		const slots = this.slots[LEVELS];
		const wanted: number[] = [];
		let bucket = 0;
		let below = 0;
		let gathered = 0;
		for (let k = 0; k < rankCount; k++) {
			const rank = ranks[k];
			while (below + counts[bucket] <= rank) below += counts[bucket++];
			if (shift === 0 && (exactEdges || (bucket !== 0 && bucket !== lastBucket))) {
				into[k] = valueOfKey(low + bucket);
			} else if (slots[bucket] < 0) {
				slots[bucket] = wanted.length / 6;
				// bucket, where its keys go, how many, rank offset, first rank index, end rank index
				wanted.push(bucket, gathered, counts[bucket], below, k, k + 1);
				gathered += counts[bucket];
			} else {
				wanted[wanted.length - 1] = k + 1;
			}
		}
		if (wanted.length === 0) return this.rememberRange(into, rankCount, sum);

		const slotCount = wanted.length / 6;
		const next = this.levelKeys[0];
		const { cursor, slotLow, slotHigh } = this.gatherState(LEVELS, wanted, slotCount);
		for (let s = 0; s < slotCount; s++) {
			const bucket = wanted[s * 6];
			let at = cursor[s];
			let lowest = 0x7fffffff;
			let highest = -0x80000000;
			for (let chain = 0; chain < 2; chain++) {
				for (let i = chain === 0 ? lastInBucket[bucket] : oddLastInBucket[bucket]; i >= 0; i = previousInBucket[i]) {
					const key = keyOf(bits[i]);
					next[at++] = key;
					if (key < lowest) lowest = key;
					if (key > highest) highest = key;
				}
			}
			slotLow[s] = lowest;
			slotHigh[s] = highest;
		}
		for (let s = 0; s < slotCount; s++) {
			slots[wanted[s * 6]] = -1;
			this.refine(
				0,
				wanted[s * 6 + 1],
				wanted[s * 6 + 2],
				slotLow[s],
				slotHigh[s] - slotLow[s],
				wanted[s * 6 + 3],
				ranks,
				wanted[s * 6 + 4],
				wanted[s * 6 + 5],
				into
			);
		}
		return this.rememberRange(into, rankCount, sum);
	}

	/** Keeps the keys of the lowest and highest requested ranks, widened by a quarter of their distance on each side. */
	private rememberRange(into: Float64Array, rankCount: number, sum: number): number {
		const low = keyOfValue(into[0]);
		const high = keyOfValue(into[rankCount - 1]);
		const margin = Math.floor((high - low) / 4);
		this.hasRange = high > low;
		this.rangeLow = Math.max(-0x80000000, low - margin);
		this.rangeHigh = Math.min(0x7fffffff, high + margin);
		return sum;
	}

	/**
	 * Resolves ranks [firstRank, endRank) of the `count` keys at `levelKeys[level][from…]`, all within
	 * [low, low + span]; `before` is how many keys of the whole column sort before these.
	 */
	private refine(
		level: number,
		from: number,
		count: number,
		low: number,
		span: number,
		before: number,
		ranks: ArrayLike<number>,
		firstRank: number,
		endRank: number,
		into: Float64Array
	): void {
		const keys = this.levelKeys[level];
		if (span === 0) {
			const value = valueOfKey(low);
			for (let k = firstRank; k < endRank; k++) into[k] = value;
			return;
		}
		if (count <= SMALL) {
			const small = this.small;
			for (let i = 0; i < count; i++) {
				const key = keys[from + i];
				let j = i - 1;
				while (j >= 0 && small[j] > key) {
					small[j + 1] = small[j];
					j--;
				}
				small[j + 1] = key;
			}
			for (let k = firstRank; k < endRank; k++) into[k] = valueOfKey(small[ranks[k] - before]);
			return;
		}

		// Histogram on the top RADIX_BITS bits of (key − low).
		const shift = Math.max(0, 32 - Math.clz32(span) - RADIX_BITS);
		const bucketCount = Math.floor(span / 2 ** shift) + 1;
		const counts = this.counts[level];
		counts.fill(0, 0, bucketCount);
		const end = from + count;
		for (let i = from; i < end; i++) counts[((keys[i] - low) | 0) >>> shift]++;

		// Find each rank's bucket; exact when a bucket is one key wide, else gather the bucket.
		const slots = this.slots[level];
		const next = this.levelKeys[level + 1];
		const wanted: number[] = [];
		let bucket = 0;
		let below = before;
		let gathered = 0;
		for (let k = firstRank; k < endRank; k++) {
			const rank = ranks[k];
			while (below + counts[bucket] <= rank) below += counts[bucket++];
			if (shift === 0) {
				into[k] = valueOfKey(low + bucket);
			} else if (slots[bucket] < 0) {
				slots[bucket] = wanted.length / 6;
				// bucket, where its keys go, how many, rank offset, first rank index, end rank index
				wanted.push(bucket, gathered, counts[bucket], below, k, k + 1);
				gathered += counts[bucket];
			} else {
				wanted[wanted.length - 1] = k + 1;
			}
		}
		if (shift === 0) return;

		// Gather the wanted buckets' keys for the next level, noting each bucket's actual range so
		// that a bucket of ties (zeros, regime codes) is resolved at once.
		const slotCount = wanted.length / 6;
		const { cursor, slotLow, slotHigh } = this.gatherState(level, wanted, slotCount);
		for (let i = from; i < end; i++) {
			const key = keys[i];
			const s = slots[((key - low) | 0) >>> shift];
			if (s >= 0) {
				next[cursor[s]++] = key;
				if (key < slotLow[s]) slotLow[s] = key;
				if (key > slotHigh[s]) slotHigh[s] = key;
			}
		}
		for (let s = 0; s < slotCount; s++) {
			slots[wanted[s * 6]] = -1;
			this.refine(
				level + 1,
				wanted[s * 6 + 1],
				wanted[s * 6 + 2],
				slotLow[s],
				slotHigh[s] - slotLow[s],
				wanted[s * 6 + 3],
				ranks,
				wanted[s * 6 + 4],
				wanted[s * 6 + 5],
				into
			);
		}
	}
}
