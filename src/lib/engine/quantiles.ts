/**
 * Exact order statistics of float32 columns by radix selection on the float bits.
 *
 * Each value's 32 bits are mapped to an unsigned key whose order is the numeric order of the
 * values, exactly as `Float32Array.prototype.sort` orders them (−0 before +0, NaN last). A
 * histogram on the top bits of the keys' range tells which bucket holds each requested rank; only
 * the values of those buckets are gathered and refined on the next bits, until a bucket is one
 * key wide or small enough to sort. Three passes over the column instead of a sort or a
 * quickselect's data-dependent swaps: the results are the same order statistics as sorting.
 */

/** Bits of the key resolved per histogram pass. */
const RADIX_BITS = 11;
const BUCKETS = 1 << RADIX_BITS;
/** Below this many values a bucket is sorted instead of refined. */
const SMALL = 32;
/** A 32-bit key needs at most ceil(32 / RADIX_BITS) levels of refinement. */
const LEVELS = Math.ceil(32 / RADIX_BITS) + 1;

const keyBits = new Uint32Array(1);
const keyFloat = new Float32Array(keyBits.buffer);

/** The float32 value of an order-preserving key (the inverse of the mapping in `load`). */
function valueOfKey(key: number): number {
	keyBits[0] = key >= 0x80000000 ? key ^ 0x80000000 : ~key;
	return keyFloat[0];
}

/**
 * Selects order statistics of one column at a time. Reuses its buffers: create one per thread
 * and column length, then `load` a column and `select` the ranks wanted.
 */
export class OrderStatistics {
	private readonly levelKeys: Uint32Array[];
	private readonly counts: Int32Array[];
	private readonly slots: Int32Array[];
	private readonly small: Uint32Array;
	private count = 0;
	private low = 0;
	private high = 0;

	constructor(readonly capacity: number) {
		this.levelKeys = Array.from({ length: LEVELS }, () => new Uint32Array(capacity));
		this.counts = Array.from({ length: LEVELS }, () => new Int32Array(BUCKETS));
		this.slots = Array.from({ length: LEVELS }, () => new Int32Array(BUCKETS).fill(-1));
		this.small = new Uint32Array(SMALL);
	}

	/**
	 * Loads a column (at most `capacity` values) and returns the sum of its values, added in index
	 * order in double precision (the same sum as a plain loop over the column).
	 */
	load(column: Float32Array): number {
		const n = column.length;
		if (n > this.capacity) throw new Error(`column of ${n} values exceeds capacity ${this.capacity}`);
		const bits = new Uint32Array(column.buffer, column.byteOffset, n);
		const keys = this.levelKeys[0];
		let sum = 0;
		let low = 0xffffffff;
		let high = 0;
		for (let i = 0; i < n; i++) {
			sum += column[i];
			const x = bits[i];
			// Negative values: flip every bit; positive: flip the sign bit. NaN (any sign) goes last.
			const key = (x & 0x7fffffff) > 0x7f800000 ? 0xffffffff : (x ^ ((x >> 31) | 0x80000000)) >>> 0;
			keys[i] = key;
			if (key < low) low = key;
			if (key > high) high = key;
		}
		this.count = n;
		this.low = low;
		this.high = high;
		return sum;
	}

	/**
	 * Writes to `into[k]` the value of rank `ranks[k]` (0-based, ascending, repeats allowed) of the
	 * loaded column: the value at index `ranks[k]` of the column sorted by `Float32Array.prototype.sort`.
	 */
	select(ranks: ArrayLike<number>, into: Float64Array): void {
		const rankCount = ranks.length;
		for (let k = 1; k < rankCount; k++) if (ranks[k] < ranks[k - 1]) throw new Error('ranks must be ascending');
		if (rankCount === 0) return;
		if (ranks[0] < 0 || ranks[rankCount - 1] >= this.count) throw new Error('rank out of range');
		this.refine(0, 0, this.count, this.low, this.high - this.low, 0, ranks, 0, rankCount, into);
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
		for (let i = from; i < end; i++) counts[(keys[i] - low) >>> shift]++;

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

		const slotCount = wanted.length / 6;
		const cursor = new Int32Array(slotCount);
		for (let s = 0; s < slotCount; s++) cursor[s] = wanted[s * 6 + 1];
		for (let i = from; i < end; i++) {
			const key = keys[i];
			const s = slots[(key - low) >>> shift];
			if (s >= 0) next[cursor[s]++] = key;
		}
		const width = 2 ** shift;
		for (let s = 0; s < slotCount; s++) {
			const b = wanted[s * 6];
			slots[b] = -1;
			const bucketLow = low + b * width;
			const bucketSpan = Math.min(width - 1, low + span - bucketLow);
			this.refine(level + 1, wanted[s * 6 + 1], wanted[s * 6 + 2], bucketLow, bucketSpan, wanted[s * 6 + 3], ranks, wanted[s * 6 + 4], wanted[s * 6 + 5], into);
		}
	}
}

/** Linear-interpolation percentile (Hyndman & Fan type 7, as R and NumPy default) from selected ranks. */
export function percentileRanks(n: number, p: number): [number, number, number] {
	const h = (n - 1) * p;
	const low = Math.floor(h);
	return [low, Math.min(n - 1, low + 1), h - low];
}

/**
 * Ranks bracketing the median by ±1 binomial standard deviation: half the distance between the
 * order statistics at those ranks estimates the Monte Carlo standard error of the median.
 */
export function medianErrorRanks(n: number): [number, number] {
	const half = Math.sqrt(n * 0.25);
	return [Math.max(0, Math.round(n / 2 - half) - 1), Math.min(n - 1, Math.round(n / 2 + half) - 1)];
}
