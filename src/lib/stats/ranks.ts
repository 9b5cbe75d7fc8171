/**
 * Which order statistics a percentile and its standard error are read from: pure rank arithmetic,
 * shared by the engine's summaries (exact selection) and the statistics core (sorted values).
 */

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
