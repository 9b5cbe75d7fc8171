import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { ParameterValue } from '../model/parameter-values';

/** Turns one uniform number into a parameter value. */
export type Sampler = (u: number) => number;

/** Grid intervals of the tabulated PERT (Beta) CDF; interpolation error is below 1e-6 of the range. */
const PERT_GRID = 4096;

/**
 * Compiles a parameter's distribution into an inverse CDF truncated to [low, high]. One uniform
 * per parameter keeps draws aligned across scenarios (common random numbers): moving a slider
 * shifts a path's value, it does not redraw it.
 */
export function compileSampler(spec: ParameterValue, low: number, high: number): Sampler {
	const clamp = (x: number) => Math.min(high, Math.max(low, x));
	if (typeof spec === 'number') return constant(clamp(spec));
	switch (spec.dist) {
		case 'fixed':
			return constant(clamp(spec.value));
		case 'uniform':
			return (u) => clamp(spec.min + u * (spec.max - spec.min));
		case 'empirical': {
			const values = Float64Array.from(spec.values, clamp);
			return (u) => values[Math.min(values.length - 1, Math.floor(u * values.length))];
		}
		case 'triangular': {
			const { min: a, mode: c, max: b } = spec;
			if (b === a) return constant(clamp(a));
			const split = (c - a) / (b - a);
			return (u) => clamp(u < split ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c)));
		}
		case 'pert': {
			const { min: a, mode: c, max: b } = spec;
			if (b === a) return constant(clamp(a));
			const lambda = spec.lambda ?? 4;
			const inverse = betaInverseTable(1 + (lambda * (c - a)) / (b - a), 1 + (lambda * (b - c)) / (b - a));
			return (u) => clamp(a + (b - a) * inverse(u));
		}
		case 'normal': {
			if (spec.sd === 0) return constant(clamp(spec.mean));
			const lo = Math.max(low, spec.min ?? -Infinity);
			const hi = Math.min(high, spec.max ?? Infinity);
			return truncatedNormal(spec.mean, spec.sd, lo, hi, clamp);
		}
		case 'lognormal': {
			if (spec.sigma === 0) return constant(clamp(spec.median));
			const lo = Math.max(low, spec.min ?? 0);
			const hi = Math.min(high, spec.max ?? Infinity);
			const logOf = (x: number) => (x > 0 ? Math.log(x) : -Infinity);
			const standard = truncatedNormal(Math.log(spec.median), spec.sigma, logOf(lo), logOf(hi), (x) => x);
			return (u) => clamp(Math.exp(standard(u)));
		}
	}
}

function constant(value: number): Sampler {
	return () => value;
}

function truncatedNormal(mean: number, sd: number, low: number, high: number, clamp: (x: number) => number): Sampler {
	const pLow = low === -Infinity ? 0 : normalCdf(low, mean, sd);
	const pHigh = high === Infinity ? 1 : normalCdf(high, mean, sd);
	// Keep p strictly inside (0, 1): a uniform of exactly 0 would give -Infinity.
	return (u) => clamp(normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, pLow + u * (pHigh - pLow))), mean, sd));
}

/**
 * Inverse CDF of Beta(α, β) for α, β ≥ 1 (PERT's case: the density is bounded), by integrating
 * the density on a fine grid (Simpson within each cell) and inverting by interpolation.
 */
function betaInverseTable(alpha: number, beta: number): Sampler {
	const density = (x: number) => Math.pow(x, alpha - 1) * Math.pow(1 - x, beta - 1);
	const cdf = new Float64Array(PERT_GRID + 1);
	const h = 1 / PERT_GRID;
	for (let k = 1; k <= PERT_GRID; k++) {
		const x0 = (k - 1) * h;
		cdf[k] = cdf[k - 1] + (h / 6) * (density(x0) + 4 * density(x0 + h / 2) + density(x0 + h));
	}
	const total = cdf[PERT_GRID];
	for (let k = 1; k <= PERT_GRID; k++) cdf[k] /= total;
	return (u) => {
		let lo = 0;
		let hi = PERT_GRID;
		while (hi - lo > 1) {
			const mid = (lo + hi) >>> 1;
			if (cdf[mid] <= u) lo = mid;
			else hi = mid;
		}
		const width = cdf[hi] - cdf[lo];
		return (lo + (width > 0 ? (u - cdf[lo]) / width : 0)) * h;
	};
}
