import { TycheiStream } from '../engine/random';
import { saltelliDesign } from '../analysis/sobol';
import type { SweepPlan } from './plan';

/**
 * The points of a sweep's design: factor values, row-major (point × factor). They depend only on
 * the sweep file and its base scenario (the design's random numbers come from the sweep's seed),
 * so every shard computes the same table and runs its own rows of it.
 *
 * - grid: every combination of the factors' levels, the first factor varying slowest;
 * - latin-hypercube: for each factor an independent permutation of N slices, a uniform point in
 *   each slice (stream "seed/latin-hypercube");
 * - sobol: Saltelli's A, B and A_B^i blocks (see analysis/sobol.ts), in that order.
 */
export function designValues(plan: Pick<SweepPlan, 'definition' | 'factors' | 'pointCount' | 'seed'>): Float64Array {
	const k = plan.factors.length;
	const values = new Float64Array(plan.pointCount * k);
	const design = plan.definition.design;
	if (design.kind === 'grid') {
		const levels = plan.factors.map((factor) => factor.levels(design.levels ?? 5));
		for (let point = 0; point < plan.pointCount; point++) {
			let rest = point;
			for (let j = k - 1; j >= 0; j--) {
				values[point * k + j] = levels[j][rest % levels[j].length];
				rest = Math.floor(rest / levels[j].length);
			}
		}
		return values;
	}
	if (design.kind === 'latin-hypercube') {
		const n = design.points;
		const stream = new TycheiStream().reseed(`${plan.seed}/latin-hypercube`);
		const slice = new Int32Array(n);
		for (let j = 0; j < k; j++) {
			for (let i = 0; i < n; i++) slice[i] = i;
			// Fisher–Yates from the seeded stream.
			for (let i = n - 1; i > 0; i--) {
				const other = Math.floor(stream.uniform() * (i + 1));
				[slice[i], slice[other]] = [slice[other], slice[i]];
			}
			for (let i = 0; i < n; i++) values[i * k + j] = plan.factors[j].fromUnit((slice[i] + stream.uniform()) / n);
		}
		return values;
	}
	const saltelli = saltelliDesign(k, design.rows, plan.seed);
	const blocks = [saltelli.a, saltelli.b, ...saltelli.ab];
	blocks.forEach((block, b) => {
		for (let r = 0; r < design.rows; r++) for (let j = 0; j < k; j++) values[(b * design.rows + r) * k + j] = plan.factors[j].fromUnit(block[r * k + j]);
	});
	return values;
}

/** The points of shard `index` of `count`: a contiguous range [first, end), the shards' sizes differing by at most one. */
export function shardRange(points: number, index: number, count: number): { first: number; end: number } {
	return { first: Math.floor((index * points) / count), end: Math.floor(((index + 1) * points) / count) };
}
