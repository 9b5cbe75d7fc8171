/**
 * Order statistics by selection rather than sorting: `selectRanks` rearranges `values` so that
 * values[r] is the r-th smallest for every requested rank (quickselect, recursing only into the
 * parts that hold a requested rank). Much cheaper than a full sort for a handful of percentiles.
 */
export function selectRanks(values: Float32Array | Float64Array, ranks: readonly number[]): void {
	const sorted = [...ranks].sort((a, b) => a - b);
	selectWithin(values, 0, values.length - 1, sorted, 0, sorted.length - 1);
}

function selectWithin(
	values: Float32Array | Float64Array,
	left: number,
	right: number,
	ranks: readonly number[],
	firstRank: number,
	lastRank: number
): void {
	while (right > left && firstRank <= lastRank) {
		if (right - left < 16) {
			insertionSort(values, left, right);
			return;
		}
		const pivot = medianOfThree(values[left], values[(left + right) >>> 1], values[right]);
		let i = left;
		let j = right;
		while (i <= j) {
			while (values[i] < pivot) i++;
			while (values[j] > pivot) j--;
			if (i <= j) {
				const swap = values[i];
				values[i] = values[j];
				values[j] = swap;
				i++;
				j--;
			}
		}
		// Now values[left..j] <= pivot <= values[i..right], and values[j+1..i-1] equal the pivot.
		let split = firstRank;
		while (split <= lastRank && ranks[split] <= j) split++;
		let afterMiddle = split;
		while (afterMiddle <= lastRank && ranks[afterMiddle] < i) afterMiddle++;
		if (split - 1 >= firstRank) selectWithin(values, left, j, ranks, firstRank, split - 1);
		left = i;
		firstRank = afterMiddle;
	}
}

function insertionSort(values: Float32Array | Float64Array, left: number, right: number) {
	for (let i = left + 1; i <= right; i++) {
		const value = values[i];
		let j = i - 1;
		while (j >= left && values[j] > value) {
			values[j + 1] = values[j];
			j--;
		}
		values[j + 1] = value;
	}
}

function medianOfThree(a: number, b: number, c: number): number {
	if (a < b) return b < c ? b : a < c ? c : a;
	return a < c ? a : b < c ? c : b;
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
