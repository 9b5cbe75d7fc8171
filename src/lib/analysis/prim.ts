/**
 * Scenario discovery by PRIM, the patient rule induction method (Friedman & Fisher 1999), as the
 * EMA Workbench uses it: starting from the box that holds every point, repeatedly peel off the
 * `peel` share of the points at the low or high end of one factor, choosing the peel that leaves
 * the highest share of cases of interest, until fewer than `minimumSupport` of the points remain.
 * Each box of this peeling trajectory has a coverage (the share of all cases of interest inside
 * it) and a density (the share of the points inside it that are cases of interest); the analyst
 * picks a box from the trade-off, `chooseBox` the most covering box of at least a given density.
 * Written here: no maintained JavaScript implementation exists, and peeling is a short loop.
 */

/** A box: per factor, the lowest and highest value it keeps (inclusive). */
export interface PrimBox {
	low: number[];
	high: number[];
	/** Points inside, cases of interest inside, coverage and density. */
	points: number;
	cases: number;
	coverage: number;
	density: number;
	/** Factors whose range the box narrows, in factor order. */
	restricted: number[];
}

export interface PrimOptions {
	/** Share of the box's points peeled at each step (default 0.05). */
	peel?: number;
	/** Peeling stops before the box holds fewer than this share of all points (default 0.05). */
	minimumSupport?: number;
}

/** Quantile of the sorted values (type 7). */
function quantile(sorted: Float64Array, p: number): number {
	const h = (sorted.length - 1) * p;
	const low = Math.floor(h);
	return sorted[low] + (h - low) * (sorted[Math.min(sorted.length - 1, low + 1)] - sorted[low]);
}

/**
 * The peeling trajectory for points `x` (row-major, `factors` columns) and cases of interest
 * `interesting` (one flag per point), from the box holding every point to the last box above the
 * minimum support.
 */
export function primTrajectory(x: ArrayLike<number>, factors: number, interesting: ArrayLike<boolean>, options: PrimOptions = {}): PrimBox[] {
	const n = interesting.length;
	if (n === 0 || x.length !== n * factors) throw new RangeError(`x needs ${factors} values for each of the ${n} points`);
	const peel = options.peel ?? 0.05;
	const minimumPoints = Math.max(1, Math.ceil((options.minimumSupport ?? 0.05) * n));
	if (!(peel > 0 && peel < 0.5)) throw new RangeError(`peel must be between 0 and 0.5, not ${peel}`);
	let totalCases = 0;
	for (let i = 0; i < n; i++) if (interesting[i]) totalCases++;
	if (totalCases === 0) throw new RangeError('no point is a case of interest: there is nothing to discover');

	const low = new Array<number>(factors).fill(Infinity);
	const high = new Array<number>(factors).fill(-Infinity);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < factors; j++) {
			const value = x[i * factors + j];
			if (value < low[j]) low[j] = value;
			if (value > high[j]) high[j] = value;
		}
	}
	const fullLow = [...low];
	const fullHigh = [...high];
	let inside: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
	const boxOf = (members: Int32Array): PrimBox => {
		let cases = 0;
		for (const i of members) if (interesting[i]) cases++;
		return {
			low: [...low],
			high: [...high],
			points: members.length,
			cases,
			coverage: cases / totalCases,
			density: cases / members.length,
			restricted: low.flatMap((value, j) => (value > fullLow[j] || high[j] < fullHigh[j] ? [j] : []))
		};
	};
	const trajectory = [boxOf(inside)];
	for (;;) {
		let best: { members: Int32Array; density: number; factor: number; side: 'low' | 'high'; bound: number } | undefined;
		for (let j = 0; j < factors; j++) {
			const values = Float64Array.from(inside, (i) => x[i * factors + j]).sort();
			for (const side of ['low', 'high'] as const) {
				const bound = quantile(values, side === 'low' ? peel : 1 - peel);
				const members = inside.filter((i) => (side === 'low' ? x[i * factors + j] >= bound : x[i * factors + j] <= bound));
				// A peel must remove something and leave enough.
				if (members.length === inside.length || members.length < minimumPoints) continue;
				let cases = 0;
				for (const i of members) if (interesting[i]) cases++;
				const density = cases / members.length;
				if (!best || density > best.density || (density === best.density && members.length > best.members.length)) {
					best = { members, density, factor: j, side, bound };
				}
			}
		}
		if (!best) return trajectory;
		if (best.side === 'low') low[best.factor] = best.bound;
		else high[best.factor] = best.bound;
		inside = best.members;
		trajectory.push(boxOf(inside));
	}
}

/** The box of the trajectory with the highest coverage among those of at least `minimumDensity` (the densest if none reaches it). */
export function chooseBox(trajectory: readonly PrimBox[], minimumDensity: number): PrimBox {
	const dense = trajectory.filter((box) => box.density >= minimumDensity);
	if (dense.length === 0) return trajectory.reduce((a, b) => (b.density > a.density ? b : a));
	return dense.reduce((a, b) => (b.coverage > a.coverage ? b : a));
}
