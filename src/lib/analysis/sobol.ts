import { TycheiStream } from '../engine/random';

/**
 * Variance-based global sensitivity (Sobol' indices) by Saltelli's scheme. For k factors and a
 * base sample of n rows, the design holds two independent n × k matrices A and B of points in the
 * unit cube, and for each factor i the matrix A_B^i: A with column i taken from B. The model is
 * evaluated on all n · (k + 2) points; with f_A, f_B, f_ABi the outputs,
 *   first-order  S_i  = mean(f_B · (f_ABi − f_A)) / V          (Saltelli et al. 2010, table 2 (b))
 *   total-order  ST_i = mean((f_A − f_ABi)²) / (2V)            (Jansen 1999; Saltelli et al. 2010 (f))
 * with V the variance of f_A and f_B together. Intervals come from a bootstrap over the n rows.
 * Written here rather than taken from a library: no maintained JavaScript package computes them,
 * and the estimators are a few lines; SALib's `sobol.analyze` uses the same two.
 * Every number depends only on the seed, so a design and its indices are reproducible exactly.
 */

/** Points of a Saltelli design, row-major in the unit cube: `a`, `b`, and `ab[i]` (A with column i from B), each n × k. */
export interface SaltelliDesign {
	factors: number;
	rows: number;
	a: Float64Array;
	b: Float64Array;
	ab: Float64Array[];
}

/** A Saltelli design of `rows` base rows over `factors` factors, from independent uniforms of the seeded stream "seed/sobol". */
export function saltelliDesign(factors: number, rows: number, seed: number): SaltelliDesign {
	if (!Number.isInteger(factors) || factors < 1) throw new RangeError(`factors must be a whole number ≥ 1, not ${factors}`);
	if (!Number.isInteger(rows) || rows < 2) throw new RangeError(`rows must be a whole number ≥ 2, not ${rows}`);
	const stream = new TycheiStream().reseed(`${seed}/sobol`);
	const a = new Float64Array(rows * factors);
	const b = new Float64Array(rows * factors);
	for (let r = 0; r < rows; r++) {
		for (let j = 0; j < factors; j++) a[r * factors + j] = stream.uniform();
		for (let j = 0; j < factors; j++) b[r * factors + j] = stream.uniform();
	}
	const ab = Array.from({ length: factors }, (_, i) => {
		const mixed = a.slice();
		for (let r = 0; r < rows; r++) mixed[r * factors + i] = b[r * factors + i];
		return mixed;
	});
	return { factors, rows, a, b, ab };
}

/** An index's estimate and its bootstrap percentile interval. */
export interface IndexEstimate {
	estimate: number;
	low: number;
	high: number;
}

export interface SobolIndices {
	first: IndexEstimate[];
	total: IndexEstimate[];
	/** Variance of the output over the A and B rows. */
	variance: number;
}

export interface SobolOptions {
	/** Bootstrap resamples of the rows (default 500). */
	resamples?: number;
	/** Coverage of the percentile intervals (default 0.95). */
	confidence?: number;
	/** Seed of the bootstrap's resampling (stream "seed/sobol-bootstrap"). */
	seed?: number;
}

function estimates(fA: ArrayLike<number>, fB: ArrayLike<number>, fAB: readonly ArrayLike<number>[], rows: Int32Array) {
	const n = rows.length;
	let sum = 0;
	for (let r = 0; r < n; r++) sum += fA[rows[r]] + fB[rows[r]];
	const mean = sum / (2 * n);
	let squares = 0;
	for (let r = 0; r < n; r++) squares += (fA[rows[r]] - mean) ** 2 + (fB[rows[r]] - mean) ** 2;
	const variance = squares / (2 * n - 1);
	const first = fAB.map((fABi) => {
		let s = 0;
		for (let r = 0; r < n; r++) s += fB[rows[r]] * (fABi[rows[r]] - fA[rows[r]]);
		return s / n / variance;
	});
	const total = fAB.map((fABi) => {
		let s = 0;
		for (let r = 0; r < n; r++) s += (fA[rows[r]] - fABi[rows[r]]) ** 2;
		return s / (2 * n) / variance;
	});
	return { first, total, variance };
}

function percentile(sorted: Float64Array, p: number): number {
	const h = (sorted.length - 1) * p;
	const low = Math.floor(h);
	const high = Math.min(sorted.length - 1, low + 1);
	return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

/** First- and total-order indices of the outputs of a Saltelli design (f_A, f_B, f_ABi per factor, n each), with bootstrap intervals. */
export function sobolIndices(fA: ArrayLike<number>, fB: ArrayLike<number>, fAB: readonly ArrayLike<number>[], options: SobolOptions = {}): SobolIndices {
	const n = fA.length;
	if (n < 2 || fB.length !== n || fAB.some((f) => f.length !== n)) throw new RangeError('f_A, f_B and every f_ABi need the same number (≥ 2) of outputs');
	// Centred first (as SALib does before its estimators): the first-order estimator's terms carry
	// the output's mean otherwise, and its variance grows with mean² / variance.
	let sum = 0;
	for (let r = 0; r < n; r++) sum += fA[r] + fB[r];
	const mean = sum / (2 * n);
	const centred = (f: ArrayLike<number>) => Float64Array.from(f, (x) => x - mean);
	return centredIndices(centred(fA), centred(fB), fAB.map(centred), options);
}

function centredIndices(fA: Float64Array, fB: Float64Array, fAB: readonly Float64Array[], options: SobolOptions): SobolIndices {
	const n = fA.length;
	const resamples = options.resamples ?? 500;
	const confidence = options.confidence ?? 0.95;
	const all = Int32Array.from({ length: n }, (_, r) => r);
	const point = estimates(fA, fB, fAB, all);
	if (!(point.variance > 0)) throw new RangeError('the output does not vary over the design: its indices are undefined');
	const k = fAB.length;
	const firstDraws = Array.from({ length: k }, () => new Float64Array(resamples));
	const totalDraws = Array.from({ length: k }, () => new Float64Array(resamples));
	const stream = new TycheiStream().reseed(`${options.seed ?? 0}/sobol-bootstrap`);
	const rows = new Int32Array(n);
	for (let s = 0; s < resamples; s++) {
		for (let r = 0; r < n; r++) rows[r] = Math.floor(stream.uniform() * n);
		const resampled = estimates(fA, fB, fAB, rows);
		for (let i = 0; i < k; i++) {
			firstDraws[i][s] = resampled.first[i];
			totalDraws[i][s] = resampled.total[i];
		}
	}
	const tail = (1 - confidence) / 2;
	const interval = (estimate: number, draws: Float64Array): IndexEstimate => {
		draws.sort();
		return { estimate, low: percentile(draws, tail), high: percentile(draws, 1 - tail) };
	};
	return {
		first: point.first.map((estimate, i) => interval(estimate, firstDraws[i])),
		total: point.total.map((estimate, i) => interval(estimate, totalDraws[i])),
		variance: point.variance
	};
}
