/**
 * Goal seeking on common random numbers: the smallest lever value at which a Monte Carlo estimate
 * falls to a target, e.g. the smallest domestic capacity target such that P(shortfall in
 * 2027–2030) ≤ 5 %. With the same random numbers at every lever value (CRN), the estimate is a
 * step function of the lever that moves one way, so bisection finds where it crosses the target
 * without the noise of fresh draws. The answer's Monte Carlo error follows from the estimate's
 * standard error at the answer and the estimate's slope there (delta method):
 * SE(lever) ≈ SE(estimate) / |d estimate / d lever|, the slope taken across `slopeStep`.
 */

export interface Estimate {
	value: number;
	se: number;
}

export interface GoalSeekOptions {
	/** Stop when the bracket is narrower than this (default: (high − low) / 1,000). */
	tolerance?: number;
	/** Lever step for the slope at the answer (default: (high − low) / 50). */
	slopeStep?: number;
}

export interface GoalSeekResult {
	/** The smallest lever value found whose estimate is at or below the target (within `tolerance`). */
	lever: number;
	/** The estimate there. */
	estimate: Estimate;
	/** Monte Carlo standard error of `lever`: NaN when the estimate is flat at the answer. */
	se: number;
	/** Evaluations made. */
	evaluations: number;
}

/** The target is met already at the low end of the lever's range, or not even at its high end. */
export class GoalOutOfRange extends RangeError {
	constructor(
		readonly end: 'low' | 'high',
		readonly lever: number,
		readonly estimate: Estimate,
		target: number
	) {
		super(
			end === 'low'
				? `the target ${target} is met already at the lowest lever value ${lever} (estimate ${estimate.value})`
				: `the target ${target} is not met even at the highest lever value ${lever} (estimate ${estimate.value})`
		);
		this.name = 'GoalOutOfRange';
	}
}

/**
 * The smallest lever in [low, high] with `evaluate(lever).value ≤ target`, for an estimate that
 * does not rise with the lever. Throws, saying which, when the target is met already at `low` or
 * not even at `high`.
 */
export async function goalSeek(
	evaluate: (lever: number) => Estimate | Promise<Estimate>,
	low: number,
	high: number,
	target: number,
	options: GoalSeekOptions = {}
): Promise<GoalSeekResult> {
	if (!(high > low)) throw new RangeError(`the lever's range must have high > low (${low} … ${high})`);
	const tolerance = options.tolerance ?? (high - low) / 1000;
	let evaluations = 0;
	const at = async (lever: number) => {
		evaluations++;
		return evaluate(lever);
	};
	const atLow = await at(low);
	if (atLow.value <= target) throw new GoalOutOfRange('low', low, atLow, target);
	let atHigh = await at(high);
	if (atHigh.value > target) throw new GoalOutOfRange('high', high, atHigh, target);
	let below = low;
	let above = high;
	while (above - below > tolerance) {
		const middle = below + (above - below) / 2;
		// The bracket is one float step wide: no tolerance can be met more closely.
		if (middle <= below || middle >= above) break;
		const estimate = await at(middle);
		if (estimate.value <= target) {
			above = middle;
			atHigh = estimate;
		} else {
			below = middle;
		}
	}
	const step = options.slopeStep ?? (high - low) / 50;
	const [left, right] = await Promise.all([at(Math.max(low, above - step)), at(Math.min(high, above + step))]);
	const slope = (right.value - left.value) / (Math.min(high, above + step) - Math.max(low, above - step));
	return { lever: above, estimate: atHigh, se: slope !== 0 ? atHigh.se / Math.abs(slope) : Number.NaN, evaluations };
}
