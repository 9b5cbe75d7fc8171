/**
 * Exact statistics of many float32 columns whose values are fed in blocks, over several passes,
 * without ever holding a column: multi-pass radix selection.
 *
 * The caller feeds every column's values once per pass, in blocks, and must feed the same values
 * in every pass (a run recomputes them from its seed: path i depends only on the seed and i). Pass
 * 1 adds each column's values in feed order in double precision (the same sum as one loop over the
 * whole column), counts those above zero, and histograms an order-preserving 32-bit key of their
 * float bits (the order of `Float32Array.prototype.sort`: −0 before +0, NaN last). The buckets of
 * pass 1 span the central range of a sample of the column's first block, with everything below and above it in
 * the two edge buckets. Each requested rank lies in one bucket, whose count and keys' range are
 * known: later passes either gather a bucket's keys (when small) and sort them, or histogram them
 * on the next bits of the key, until every rank is resolved to one key. Results are the order
 * statistics of the whole column, exactly as sorting it would give; the number of passes depends
 * on the data (2 for smooth columns; more where many values share a narrow range), never the
 * results. Memory: one pass-1 histogram per column and, per open bucket, its gathered keys or a
 * histogram, within a budget (buckets over it wait for a later pass).
 */

/** Bits of the key resolved per histogram after the first pass. */
const REFINE_BITS = 11;
const REFINE_BUCKETS = 1 << REFINE_BITS;
/** A pass's first bucket is gathered even over the budget when its keys take no more memory than a histogram. */
const ALWAYS_GATHER = REFINE_BUCKETS;
/** Pass-1 histograms take at most this many bytes in all (fewer buckets a column when columns are many). */
const FIRST_HISTOGRAM_BYTES = 64 * 2 ** 20;
const MAX_FIRST_BUCKETS = 4096;
const MIN_FIRST_BUCKETS = 256;
/** Bytes of gathered keys and histograms a later pass may hold. */
export const REFINE_BUDGET_BYTES = 256 * 2 ** 20;
/** The pass-1 range: between these quantiles of the first block, widened by a quarter of their distance on each side. */
const PILOT_LOW = 0.02;
const PILOT_HIGH = 0.98;
/** Values of the first block, evenly spaced, whose quantiles set the pass-1 range. */
const PILOT_SAMPLE = 1024;

const keyBits = new Int32Array(1);
const keyFloat = new Float32Array(keyBits.buffer);

/**
 * The order-preserving key of a float32's bits, as a signed 32-bit integer (the same mapping as the
 * engine's in-memory selection in quantiles.ts, kept here so the two can change independently):
 * positive floats already sort right as signed integers; negative ones sort backwards, so their
 * magnitude bits are flipped (−0 becomes −1, just below +0); NaN, whatever its sign, goes last.
 */
export function keyOf(bits: number): number {
	return (bits & 0x7fffffff) > 0x7f800000 ? 0x7fffffff : bits ^ ((bits >> 31) & 0x7fffffff);
}

/** The float32 value of a key (the inverse of `keyOf`; NaN for the NaN key). */
export function valueOfKey(key: number): number {
	keyBits[0] = key < 0 ? key ^ 0x7fffffff : key;
	return keyFloat[0];
}

/** A bucket of one column holding some requested ranks, not yet resolved to one key. */
interface OpenBucket {
	column: number;
	/** Lowest and highest key any value in the bucket may have (inclusive). */
	low: number;
	high: number;
	/** Values of the column in the bucket. */
	count: number;
	/** Values of the column below the bucket. */
	before: number;
	/** Requested ranks in the bucket: indices [firstRank, endRank) of `ranks`. */
	firstRank: number;
	endRank: number;
	/** The pass-1 bucket it is, or −1 for a bucket of a later pass. */
	firstPassBucket: number;
}

/** What a later pass does with an open bucket: gather its keys, or histogram them (its state during the pass is in typed arrays). */
interface PassBucket extends OpenBucket {
	gather: boolean;
	/** Gathered: where its keys start in the pool; histogram: where its counts start. */
	offset: number;
	shift: number;
}

export interface ColumnStatisticsOptions {
	/** Bytes of gathered keys and histograms a later pass may hold (REFINE_BUDGET_BYTES by default). */
	refineBudgetBytes?: number;
}

/**
 * Sums, counts above zero and exact order statistics at `ranks` of `columnCount` columns of
 * `valueCount` values each, fed block by block over as many passes as needed:
 *
 *     while (!stats.done) { for each block: for each column c: stats.add(c, values); stats.endPass(); }
 *
 * Sums need pass 1's values in column order (path order); the order statistics do not care.
 */
export class ColumnStatistics {
	readonly columnCount: number;
	readonly valueCount: number;
	readonly ranks: Int32Array;
	/** Passes done so far. */
	passesDone = 0;
	/** Per column: its values added in feed order (pass 1), in double precision. */
	readonly sums: Float64Array;
	/** Per column: how many values are above zero. */
	readonly aboveZero: Int32Array;
	/** Per column c, per rank k: `orderStatistics[c * ranks.length + k]`, the value at rank `ranks[k]`. */
	readonly orderStatistics: Float64Array;

	private readonly refineBudgetBytes: number;
	private readonly fed: Float64Array;
	// Pass 1.
	private readonly firstBuckets: number;
	private readonly minKey: Int32Array;
	private readonly maxKey: Int32Array;
	private readonly rangeLow: Int32Array;
	private readonly rangeHigh: Int32Array;
	private readonly rangeShift: Uint8Array;
	private readonly hasRange: Uint8Array;
	private firstCounts: Int32Array | undefined;
	/** Keys sampled from a column's first block, sorted to choose its pass-1 range. */
	private pilot: Int32Array | undefined;
	// Later passes.
	private open: OpenBucket[] = [];
	private pass: PassBucket[] = [];
	/** Per column: its buckets in this pass, `pass[columnStart[c]…columnStart[c + 1])`, in key order. */
	private columnStart: Int32Array;
	private pool: Int32Array = new Int32Array(0);
	/** Per bucket of the pass (index into `pass`): its key range, what it does and where, and the keys it saw. */
	private bucketLow: Int32Array = new Int32Array(0);
	private bucketHigh: Int32Array = new Int32Array(0);
	private bucketGather: Uint8Array = new Uint8Array(0);
	private bucketCursor: Int32Array = new Int32Array(0);
	private bucketShift: Uint8Array = new Uint8Array(0);
	private seenLow: Int32Array = new Int32Array(0);
	private seenHigh: Int32Array = new Int32Array(0);
	/**
	 * When every bucket of the pass is a pass-1 bucket (pass 2, usually the last): per column and
	 * pass-1 bucket, its index in `pass` or −1. A value's pass-1 bucket then finds its bucket at once.
	 */
	private firstPassSlots: Int32Array | undefined;

	constructor(columnCount: number, valueCount: number, ranks: ArrayLike<number>, options: ColumnStatisticsOptions = {}) {
		if (valueCount < 1) throw new Error('columns need at least one value');
		for (let k = 0; k < ranks.length; k++) {
			if (!Number.isInteger(ranks[k]) || ranks[k] < 0 || ranks[k] >= valueCount) throw new Error(`rank ${ranks[k]} is outside [0, ${valueCount})`);
			if (k > 0 && ranks[k] <= ranks[k - 1]) throw new Error('ranks must be strictly ascending');
		}
		this.columnCount = columnCount;
		this.valueCount = valueCount;
		this.ranks = Int32Array.from(ranks);
		this.refineBudgetBytes = options.refineBudgetBytes ?? REFINE_BUDGET_BYTES;
		this.sums = new Float64Array(columnCount);
		this.aboveZero = new Int32Array(columnCount);
		this.orderStatistics = new Float64Array(columnCount * this.ranks.length);
		this.fed = new Float64Array(columnCount);
		const perColumn = FIRST_HISTOGRAM_BYTES / (Int32Array.BYTES_PER_ELEMENT * Math.max(1, columnCount));
		this.firstBuckets = Math.max(MIN_FIRST_BUCKETS, Math.min(MAX_FIRST_BUCKETS, 2 ** Math.floor(Math.log2(Math.max(1, perColumn)))));
		this.minKey = new Int32Array(columnCount).fill(0x7fffffff);
		this.maxKey = new Int32Array(columnCount).fill(-0x80000000);
		this.rangeLow = new Int32Array(columnCount);
		this.rangeHigh = new Int32Array(columnCount);
		this.rangeShift = new Uint8Array(columnCount);
		this.hasRange = new Uint8Array(columnCount);
		this.columnStart = new Int32Array(columnCount + 1);
	}

	/** True once every requested rank of every column is resolved. */
	get done(): boolean {
		return this.passesDone > 0 && this.pass.length === 0 && this.open.length === 0;
	}

	/**
	 * Passes the work needs at least, as far as known now: 1 before the first ends, then one more
	 * while buckets are open, and another when some are refined by histogram or wait.
	 */
	get passesExpected(): number {
		if (this.passesDone === 0) return this.ranks.length > 0 ? 2 : 1;
		if (this.done) return this.passesDone;
		const resolvedNext = this.open.length === 0 && this.pass.every((bucket) => bucket.gather);
		return this.passesDone + (resolvedNext ? 1 : 2);
	}

	/** Feeds the next values of column `column` in this pass. */
	add(column: number, values: Float32Array): void {
		if (values.length === 0) return;
		this.fed[column] += values.length;
		if (this.fed[column] > this.valueCount) throw new Error(`column ${column} was fed more than ${this.valueCount} values in pass ${this.passesDone + 1}`);
		if (this.passesDone === 0) this.addFirst(column, values);
		else this.addLater(column, values);
	}

	/** The central range of a column's first block: its pass-1 histogram spans it. */
	private chooseRange(column: number, values: Float32Array): void {
		const n = values.length;
		const sampled = Math.min(n, PILOT_SAMPLE);
		this.pilot ??= new Int32Array(PILOT_SAMPLE);
		const keys = this.pilot.subarray(0, sampled);
		const bits = new Int32Array(values.buffer, values.byteOffset, n);
		for (let k = 0; k < sampled; k++) keys[k] = keyOf(bits[Math.floor((k * n) / sampled)]);
		keys.sort();
		const lowKey = keys[Math.floor((sampled - 1) * PILOT_LOW)];
		const highKey = keys[Math.ceil((sampled - 1) * PILOT_HIGH)];
		const buckets = this.firstBuckets;
		let low: number;
		let high: number;
		if (highKey - lowKey < buckets) {
			// A narrow range (ties: zeros, whole numbers): buckets one key wide around it.
			low = Math.max(-0x80000000, Math.min(lowKey - Math.floor((buckets - (highKey - lowKey)) / 2), 0x7fffffff - (buckets - 1)));
			high = low + buckets - 1;
		} else {
			const margin = Math.floor((highKey - lowKey) / 4);
			low = Math.max(-0x80000000, lowKey - margin);
			high = Math.min(0x7fffffff, highKey + margin);
		}
		// Buckets of 2^shift keys: (high − low) >> shift < buckets.
		const span = high - low;
		const shift = Math.max(0, Math.ceil(Math.log2((span + 1) / buckets)));
		this.rangeShift[column] = shift;
		this.rangeLow[column] = low;
		this.rangeHigh[column] = Math.min(0x7fffffff, low + buckets * 2 ** shift - 1);
		this.hasRange[column] = 1;
	}

	private addFirst(column: number, values: Float32Array): void {
		if (!this.firstCounts) this.firstCounts = new Int32Array(this.columnCount * this.firstBuckets);
		if (this.hasRange[column] === 0) this.chooseRange(column, values);
		const n = values.length;
		const bits = new Int32Array(values.buffer, values.byteOffset, n);
		const counts = this.firstCounts;
		const base = column * this.firstBuckets;
		const low = this.rangeLow[column];
		const high = this.rangeHigh[column];
		const shift = this.rangeShift[column];
		let sum = this.sums[column];
		let above = this.aboveZero[column];
		let min = this.minKey[column];
		let max = this.maxKey[column];
		for (let i = 0; i < n; i++) {
			const value = values[i];
			sum += value;
			if (value > 0) above++;
			const key = keyOf(bits[i]);
			if (key < min) min = key;
			if (key > max) max = key;
			const clamped = key < low ? low : key > high ? high : key;
			// (clamped − low) lies in [0, 2³²): `| 0` wraps it to 32 bits, `>>>` reads it back unsigned.
			counts[base + (((clamped - low) | 0) >>> shift)]++;
		}
		this.sums[column] = sum;
		this.aboveZero[column] = above;
		this.minKey[column] = min;
		this.maxKey[column] = max;
	}

	private addLater(column: number, values: Float32Array): void {
		const start = this.columnStart[column];
		const end = this.columnStart[column + 1];
		if (start === end) return;
		const n = values.length;
		const bits = new Int32Array(values.buffer, values.byteOffset, n);
		const lows = this.bucketLow;
		const highs = this.bucketHigh;
		const slots = this.firstPassSlots;
		if (slots) {
			// The value's pass-1 bucket, as in pass 1, then its bucket in this pass, if any.
			const base = column * this.firstBuckets;
			const low = this.rangeLow[column];
			const high = this.rangeHigh[column];
			const shift = this.rangeShift[column];
			for (let i = 0; i < n; i++) {
				const key = keyOf(bits[i]);
				const clamped = key < low ? low : key > high ? high : key;
				const j = slots[base + (((clamped - low) | 0) >>> shift)];
				if (j >= 0) this.take(j, key);
			}
			return;
		}
		const hullLow = lows[start];
		const hullHigh = highs[end - 1];
		for (let i = 0; i < n; i++) {
			const key = keyOf(bits[i]);
			if (key < hullLow || key > hullHigh) continue;
			for (let j = start; j < end; j++) {
				if (key < lows[j]) break;
				if (key <= highs[j]) {
					this.take(j, key);
					break;
				}
			}
		}
	}

	/** A key of bucket j of the pass: gathered, or counted in the bucket's histogram. */
	private take(j: number, key: number): void {
		if (this.bucketGather[j] === 1) {
			this.pool[this.bucketCursor[j]++] = key;
		} else {
			this.pool[this.bucketCursor[j] + (((key - this.bucketLow[j]) | 0) >>> this.bucketShift[j])]++;
			if (key < this.seenLow[j]) this.seenLow[j] = key;
			if (key > this.seenHigh[j]) this.seenHigh[j] = key;
		}
	}

	/** Ends a pass: every column must have been fed all its values. Resolves what it can and plans the next pass. */
	endPass(): void {
		for (let c = 0; c < this.columnCount; c++) {
			if (this.fed[c] !== this.valueCount)
				throw new Error(`column ${c} was fed ${this.fed[c]} of its ${this.valueCount} values in pass ${this.passesDone + 1}`);
		}
		this.fed.fill(0);
		if (this.passesDone === 0) this.endFirstPass();
		else this.endLaterPass();
		this.passesDone++;
		this.planPass();
	}

	private resolve(column: number, firstRank: number, endRank: number, key: number): void {
		const value = valueOfKey(key);
		const offset = column * this.ranks.length;
		for (let k = firstRank; k < endRank; k++) this.orderStatistics[offset + k] = value;
	}

	/**
	 * Finds each rank of [firstRank, endRank) among `bucketCount` consecutive buckets of a column
	 * (counts at `counts[base…]`, bucket b holding keys [boundsOf(b)] ∩ [low, high]), with `before`
	 * values below the first: a bucket one key wide resolves its ranks, another becomes open.
	 */
	private locate(
		column: number,
		counts: Int32Array,
		base: number,
		bucketCount: number,
		before: number,
		firstRank: number,
		endRank: number,
		low: number,
		high: number,
		boundsOf: (bucket: number) => [number, number],
		opened: OpenBucket[],
		firstPass = false
	): void {
		let bucket = 0;
		let below = before;
		let k = firstRank;
		while (k < endRank) {
			const rank = this.ranks[k];
			while (bucket < bucketCount && below + counts[base + bucket] <= rank) below += counts[base + bucket++];
			if (bucket >= bucketCount) throw new Error(`rank ${rank} of column ${column} is beyond its values: were the same values fed in every pass?`);
			let end = k + 1;
			while (end < endRank && this.ranks[end] < below + counts[base + bucket]) end++;
			const [bucketLow, bucketHigh] = boundsOf(bucket);
			const keyLow = Math.max(low, bucketLow);
			const keyHigh = Math.min(high, bucketHigh);
			if (keyLow === keyHigh) this.resolve(column, k, end, keyLow);
			else
				opened.push({
					column,
					low: keyLow,
					high: keyHigh,
					count: counts[base + bucket],
					before: below,
					firstRank: k,
					endRank: end,
					firstPassBucket: firstPass ? bucket : -1
				});
			k = end;
		}
	}

	private endFirstPass(): void {
		const counts = this.firstCounts;
		this.firstCounts = undefined;
		this.pilot = undefined;
		if (!counts || this.ranks.length === 0) return;
		const buckets = this.firstBuckets;
		for (let c = 0; c < this.columnCount; c++) {
			const low = this.rangeLow[c];
			const shift = this.rangeShift[c];
			const width = 2 ** shift;
			const boundsOf = (b: number): [number, number] => [b === 0 ? -0x80000000 : low + b * width, b === buckets - 1 ? 0x7fffffff : low + (b + 1) * width - 1];
			this.locate(c, counts, c * buckets, buckets, 0, 0, this.ranks.length, this.minKey[c], this.maxKey[c], boundsOf, this.open, true);
		}
	}

	private endLaterPass(): void {
		const opened: OpenBucket[] = [];
		this.pass.forEach((bucket, j) => {
			const { column, firstRank, endRank, before } = bucket;
			const seenLow = this.seenLow[j];
			const seenHigh = this.seenHigh[j];
			if (bucket.gather) {
				if (this.bucketCursor[j] !== bucket.offset + bucket.count)
					throw new Error(`a bucket of column ${column} changed between passes: were the same values fed?`);
				const keys = this.pool.subarray(bucket.offset, bucket.offset + bucket.count).sort();
				const offset = column * this.ranks.length;
				for (let k = firstRank; k < endRank; k++) this.orderStatistics[offset + k] = valueOfKey(keys[this.ranks[k] - before]);
			} else if (seenLow === seenHigh) {
				this.resolve(column, firstRank, endRank, seenLow);
			} else {
				const width = 2 ** bucket.shift;
				const boundsOf = (b: number): [number, number] => [bucket.low + b * width, bucket.low + (b + 1) * width - 1];
				const bucketCount = Math.floor((bucket.high - bucket.low) / width) + 1;
				this.locate(column, this.pool, bucket.offset, bucketCount, before, firstRank, endRank, seenLow, seenHigh, boundsOf, opened);
			}
		});
		// Buckets that waited for this pass stay open beside the new ones.
		this.open = [...this.open, ...opened];
	}

	/** Chooses what the next pass does with each open bucket, within the memory budget. */
	private planPass(): void {
		this.pass = [];
		this.pool = new Int32Array(0);
		this.firstPassSlots = undefined;
		if (this.open.length === 0) {
			this.columnStart.fill(0);
			return;
		}
		let budget = Math.floor(this.refineBudgetBytes / Int32Array.BYTES_PER_ELEMENT);
		let used = 0;
		const waiting: OpenBucket[] = [];
		const take = (bucket: OpenBucket, gather: boolean) => {
			const span = bucket.high - bucket.low;
			const shift = gather ? 0 : Math.max(0, 32 - Math.clz32(span) - REFINE_BITS);
			const size = gather ? bucket.count : Math.floor(span / 2 ** shift) + 1;
			this.pass.push({ ...bucket, gather, offset: used, shift });
			used += size;
			budget -= size;
		};
		// Smallest first: gathered while the budget lasts (they resolve this pass), else histogrammed
		// (REFINE_BUCKETS counts at most), else left for a later pass. The first bucket is always
		// taken, so every pass makes progress.
		const bySize = [...this.open].sort((a, b) => a.count - b.count);
		for (const bucket of bySize) {
			const first = this.pass.length === 0;
			if (bucket.count <= budget || (first && bucket.count <= ALWAYS_GATHER)) take(bucket, true);
			else if (REFINE_BUCKETS <= budget || first) take(bucket, false);
			else waiting.push(bucket);
		}
		this.open = waiting;
		this.pool = new Int32Array(used);
		// Per column, its buckets in key order (disjoint ranges).
		this.pass.sort((a, b) => a.column - b.column || a.low - b.low);
		this.columnStart.fill(0);
		for (const bucket of this.pass) this.columnStart[bucket.column + 1]++;
		for (let c = 0; c < this.columnCount; c++) this.columnStart[c + 1] += this.columnStart[c];
		const count = this.pass.length;
		this.bucketLow = Int32Array.from(this.pass, (bucket) => bucket.low);
		this.bucketHigh = Int32Array.from(this.pass, (bucket) => bucket.high);
		this.bucketGather = Uint8Array.from(this.pass, (bucket) => (bucket.gather ? 1 : 0));
		this.bucketCursor = Int32Array.from(this.pass, (bucket) => bucket.offset);
		this.bucketShift = Uint8Array.from(this.pass, (bucket) => bucket.shift);
		this.seenLow = new Int32Array(count).fill(0x7fffffff);
		this.seenHigh = new Int32Array(count).fill(-0x80000000);
		if (this.pass.every((bucket) => bucket.firstPassBucket >= 0)) {
			const slots = new Int32Array(this.columnCount * this.firstBuckets).fill(-1);
			this.pass.forEach((bucket, j) => (slots[bucket.column * this.firstBuckets + bucket.firstPassBucket] = j));
			this.firstPassSlots = slots;
		}
	}
}
