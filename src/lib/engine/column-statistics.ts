/**
 * Exact statistics of many float32 columns whose values are fed in blocks, over several passes,
 * without ever holding a column: multi-pass radix selection.
 *
 * The caller feeds every column's values once per pass, in blocks, and must feed the same values
 * in every pass (a run recomputes them from its seed: path i depends only on the seed and i). Pass
 * 1 adds each column's values in feed order in double precision (the same sum as one loop over the
 * whole column), counts those above zero, and histograms an order-preserving 32-bit key of their
 * float bits (the order of `Float32Array.prototype.sort`: −0 before +0, NaN last). The buckets of
 * pass 1 span the central range of a sample of the column's first block, with everything below
 * and above it in the two edge buckets, and note the lowest and highest key each bucket saw. Each
 * requested rank lies in one bucket, whose count and keys' range are then known: a bucket of one
 * key (a run of zeros, a whole number) resolves its ranks at once; for the others, later passes
 * count a bucket's values key by key (when it has more values than keys) or gather its keys and
 * sort them, within a memory budget, else histogram them on the next bits of the key, until every
 * rank is resolved to one key. Results are the order statistics
 * of the whole column, exactly as sorting it would give; the number of passes depends on the data
 * and the budget (2 for the library's scenarios up to a million paths), never the results.
 * Memory: one pass-1 histogram per column and, per open bucket, its gathered keys or a histogram,
 * within the budget (buckets over it wait for a later pass).
 */

import { keyOf, valueOfKey } from './float-keys';

/** Bits of the key resolved per histogram after the first pass. */
const REFINE_BITS = 11;
const REFINE_BUCKETS = 1 << REFINE_BITS;
/** A pass's first bucket is gathered even over the budget when its keys take no more memory than a histogram. */
const ALWAYS_GATHER = REFINE_BUCKETS;
/**
 * Pass-1 histograms take at most this many bytes in all (fewer buckets a column when columns are
 * many): per bucket its count and the lowest and highest key it saw, so that a bucket of one value
 * (zeros, whole numbers) is resolved at once.
 */
const FIRST_HISTOGRAM_BYTES = 96 * 2 ** 20;
const FIRST_BUCKET_INTS = 3;
const MAX_FIRST_BUCKETS = 4096;
const MIN_FIRST_BUCKETS = 256;
/** Bytes of gathered keys and histograms a later pass may hold. */
export const REFINE_BUDGET_BYTES = 256 * 2 ** 20;
/** Values of the first block, evenly spaced, whose quantiles place the pass-1 buckets. */
const PILOT_SAMPLE = 4096;
/** Pass-1 buckets are fine this many standard errors of the sample's quantile on either side of each requested rank. */
const PILOT_ERRORS = 5;
/** Cells of a column's pass-1 range (at most, and at most half its buckets): a cell near a requested rank is split into fine buckets, another is one bucket. */
const CELLS = 1024;

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
	/** What each pass after the first did (or will do): buckets gathered (and their keys), histogrammed (of them, key by key), left waiting. */
	readonly plans: { gathered: number; keys: number; histogrammed: number; exact: number; waiting: number }[] = [];
	/** Per column: its values added in feed order (pass 1), in double precision. */
	readonly sums: Float64Array;
	/** Per column: how many values are above zero. */
	readonly aboveZero: Int32Array;
	/** Per column c, per rank k: `orderStatistics[c * ranks.length + k]`, the value at rank `ranks[k]`. */
	readonly orderStatistics: Float64Array;

	private readonly refineBudgetBytes: number;
	private readonly fed: Float64Array;
	// Pass 1.
	/**
	 * Pass-1 buckets a column (at most): its range [cellLow, cellHigh] is cut into at most CELLS
	 * cells of 2^cellShift keys (keys outside go to the edge cells); a cell near a requested rank
	 * (by the first block's sample) is split into fine buckets. A key's bucket, without branches:
	 * cellBase[cell] + (offset in the cell >>> cellSplit[cell]), where cellSplit is cellShift for a
	 * whole cell.
	 */
	private readonly firstBuckets: number;
	private readonly cellLow: Int32Array;
	private readonly cellHigh: Int32Array;
	private readonly cellShift: Uint8Array;
	private readonly hasCells: Uint8Array;
	/** Per column c and cell k, at c × CELLS + k. */
	private readonly cellBase: Int32Array;
	private readonly cellSplit: Uint8Array;
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
		const perColumn = FIRST_HISTOGRAM_BYTES / (FIRST_BUCKET_INTS * Int32Array.BYTES_PER_ELEMENT * Math.max(1, columnCount));
		this.firstBuckets = Math.max(MIN_FIRST_BUCKETS, Math.min(MAX_FIRST_BUCKETS, Math.floor(perColumn)));
		this.cellLow = new Int32Array(columnCount);
		this.cellHigh = new Int32Array(columnCount);
		this.cellShift = new Uint8Array(columnCount);
		this.hasCells = new Uint8Array(columnCount);
		this.cellBase = new Int32Array(columnCount * CELLS);
		this.cellSplit = new Uint8Array(columnCount * CELLS);
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
		const resolvedNext = this.open.length === 0 && this.pass.every((bucket) => bucket.gather || bucket.shift === 0);
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

	/**
	 * Places a column's pass-1 buckets from a sample of its first block (paths are independent, so
	 * the first block is a random sample of the column): the range spans the sample's quantiles at
	 * the requested ranks ± PILOT_ERRORS standard errors, and the cells within those intervals are
	 * split as finely as the bucket budget allows. A rank outside them costs a pass, never a wrong value.
	 */
	private chooseCells(column: number, values: Float32Array): void {
		const n = values.length;
		const m = Math.min(n, PILOT_SAMPLE);
		this.pilot ??= new Int32Array(PILOT_SAMPLE);
		const keys = this.pilot.subarray(0, m);
		const bits = new Int32Array(values.buffer, values.byteOffset, n);
		for (let k = 0; k < m; k++) keys[k] = keyOf(bits[Math.floor((k * n) / m)]);
		keys.sort();
		// Each requested rank's interval of keys in the sample.
		const intervals: [number, number][] = [];
		for (const rank of this.ranks) {
			const f = this.valueCount > 1 ? rank / (this.valueCount - 1) : 0.5;
			const halfWidth = PILOT_ERRORS * Math.sqrt(Math.max(f * (1 - f), 1 / m) / m) + 2 / m;
			intervals.push([keys[Math.max(0, Math.floor((f - halfWidth) * (m - 1)))], keys[Math.min(m - 1, Math.ceil((f + halfWidth) * (m - 1)))]]);
		}
		if (intervals.length === 0) intervals.push([keys[0], keys[m - 1]]);
		const from = Math.min(...intervals.map(([start]) => start));
		const to = Math.max(...intervals.map(([, end]) => end));
		// Cells of 2^shift keys covering [from, to], and one more on either side: the edge cells take
		// every key beyond, apart from the interior's buckets (whose lowest and highest keys stay tight).
		const interior = Math.min(CELLS, Math.floor(this.firstBuckets / 2)) - 2;
		const shift = Math.max(0, Math.ceil(Math.log2((to - from + 1) / interior)));
		const low = Math.max(-0x80000000, from - 2 ** shift);
		const high = Math.min(0x7fffffff, to + 2 ** shift);
		const cells = Math.floor((high - low) / 2 ** shift) + 1;
		const at = column * CELLS;
		const split = new Uint8Array(cells);
		for (const [start, end] of intervals) split.fill(1, Math.floor((start - low) / 2 ** shift), Math.floor((end - low) / 2 ** shift) + 1);
		const splitCount = split.reduce((sum, s) => sum + s, 0);
		// Split cells into 2^fineBits buckets, within the column's buckets, and never finer than one key.
		const fineBits = Math.max(0, Math.min(shift, Math.floor(Math.log2((this.firstBuckets - cells + splitCount) / splitCount))));
		let next = 0;
		for (let k = 0; k < cells; k++) {
			this.cellBase[at + k] = next;
			this.cellSplit[at + k] = split[k] === 1 ? shift - fineBits : shift;
			next += split[k] === 1 ? 2 ** fineBits : 1;
		}
		this.cellLow[column] = low;
		this.cellHigh[column] = high;
		this.cellShift[column] = shift;
		this.hasCells[column] = 1;
	}

	private addFirst(column: number, values: Float32Array): void {
		if (!this.firstCounts) {
			// Per bucket: count, lowest key seen, highest key seen.
			this.firstCounts = new Int32Array(this.columnCount * this.firstBuckets * FIRST_BUCKET_INTS);
			for (let b = 0; b < this.firstCounts.length; b += FIRST_BUCKET_INTS) {
				this.firstCounts[b + 1] = 0x7fffffff;
				this.firstCounts[b + 2] = -0x80000000;
			}
		}
		if (this.hasCells[column] === 0) this.chooseCells(column, values);
		const n = values.length;
		const bits = new Int32Array(values.buffer, values.byteOffset, n);
		const counts = this.firstCounts;
		const { base, cellBase, cellSplit, low, high, shift, mask, cellAt } = this.firstLayout(column);
		let sum = this.sums[column];
		let above = this.aboveZero[column];
		for (let i = 0; i < n; i++) {
			const value = values[i];
			sum += value;
			if (value > 0) above++;
			const key = keyOf(bits[i]);
			// The key's bucket: its cell, and the fine bucket within a split cell. (clamped − low) lies in
			// [0, 2³²): `| 0` wraps it to 32 bits, `>>>` reads it back unsigned.
			const offset = ((key < low ? low : key > high ? high : key) - low) | 0;
			const cell = cellAt + (offset >>> shift);
			const at = (base + cellBase[cell] + ((offset & mask) >>> cellSplit[cell])) * FIRST_BUCKET_INTS;
			counts[at]++;
			if (key < counts[at + 1]) counts[at + 1] = key;
			if (key > counts[at + 2]) counts[at + 2] = key;
		}
		this.sums[column] = sum;
		this.aboveZero[column] = above;
	}

	/**
	 * Where a value of `column` falls in pass 1: its key, clamped to [low, high], minus low gives an
	 * offset; `offset >>> shift` its cell (from `cellAt`); within the cell, `(offset & mask) >>>
	 * cellSplit[cell]` its bucket after `base + cellBase[cell]`.
	 */
	private firstLayout(column: number) {
		const shift = this.cellShift[column];
		return {
			base: column * this.firstBuckets,
			cellBase: this.cellBase,
			cellSplit: this.cellSplit,
			low: this.cellLow[column],
			high: this.cellHigh[column],
			shift,
			mask: 2 ** shift - 1,
			cellAt: column * CELLS
		};
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
			const { base, cellBase, cellSplit, low, high, shift, mask, cellAt } = this.firstLayout(column);
			for (let i = 0; i < n; i++) {
				const key = keyOf(bits[i]);
				const offset = ((key < low ? low : key > high ? high : key) - low) | 0;
				const cell = cellAt + (offset >>> shift);
				const j = slots[base + cellBase[cell] + ((offset & mask) >>> cellSplit[cell])];
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
	 * Finds each rank of [firstRank, endRank) among `bucketCount` consecutive buckets of a column,
	 * bucket b holding `countOf(b)` values with keys in `boundsOf(b)` (inclusive), with `before`
	 * values of the column below the first: a bucket of one key resolves its ranks, another opens.
	 */
	private locate(
		column: number,
		bucketCount: number,
		countOf: (bucket: number) => number,
		boundsOf: (bucket: number) => [number, number],
		before: number,
		firstRank: number,
		endRank: number,
		opened: OpenBucket[],
		firstPass: boolean
	): void {
		let bucket = 0;
		let below = before;
		let k = firstRank;
		while (k < endRank) {
			const rank = this.ranks[k];
			while (bucket < bucketCount && below + countOf(bucket) <= rank) below += countOf(bucket++);
			if (bucket >= bucketCount) throw new Error(`rank ${rank} of column ${column} is beyond its values: were the same values fed in every pass?`);
			const count = countOf(bucket);
			let end = k + 1;
			while (end < endRank && this.ranks[end] < below + count) end++;
			const [low, high] = boundsOf(bucket);
			if (low === high) this.resolve(column, k, end, low);
			else opened.push({ column, low, high, count, before: below, firstRank: k, endRank: end, firstPassBucket: firstPass ? bucket : -1 });
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
			const at = (b: number) => (c * buckets + b) * FIRST_BUCKET_INTS;
			this.locate(
				c,
				buckets,
				(b) => counts[at(b)],
				(b) => [counts[at(b) + 1], counts[at(b) + 2]],
				0,
				0,
				this.ranks.length,
				this.open,
				true
			);
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
				const bucketCount = Math.floor((bucket.high - bucket.low) / width) + 1;
				this.locate(
					column,
					bucketCount,
					(b) => this.pool[bucket.offset + b],
					(b) => [Math.max(seenLow, bucket.low + b * width), Math.min(seenHigh, bucket.low + (b + 1) * width - 1)],
					before,
					firstRank,
					endRank,
					opened,
					false
				);
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
		const take = (bucket: OpenBucket, gather: boolean, shift = 0) => {
			const size = gather ? bucket.count : Math.floor((bucket.high - bucket.low) / 2 ** shift) + 1;
			this.pass.push({ ...bucket, gather, offset: used, shift });
			used += size;
			budget -= size;
		};
		// Smallest first, each the cheapest way that resolves it this pass: a histogram of every key
		// in its range when that is no larger than its keys (many values on few keys), else its keys
		// gathered, while the budget lasts; else a histogram on the next REFINE_BITS bits of the key;
		// else left for a later pass. The first bucket is always taken, so every pass makes progress.
		const bySize = [...this.open].sort((a, b) => a.count - b.count);
		for (const bucket of bySize) {
			const first = this.pass.length === 0;
			const keys = bucket.high - bucket.low + 1;
			if (keys <= bucket.count && keys <= budget) take(bucket, false, 0);
			else if (bucket.count <= budget || (first && bucket.count <= ALWAYS_GATHER)) take(bucket, true);
			else if (REFINE_BUCKETS <= budget || first) take(bucket, false, Math.max(0, 32 - Math.clz32(bucket.high - bucket.low) - REFINE_BITS));
			else waiting.push(bucket);
		}
		this.open = waiting;
		this.pool = new Int32Array(used);
		const gathered = this.pass.filter((bucket) => bucket.gather);
		this.plans.push({
			gathered: gathered.length,
			keys: gathered.reduce((sum, bucket) => sum + bucket.count, 0),
			histogrammed: this.pass.length - gathered.length,
			exact: this.pass.filter((bucket) => !bucket.gather && bucket.shift === 0).length,
			waiting: waiting.length
		});
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
