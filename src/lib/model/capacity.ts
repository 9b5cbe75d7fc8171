/** ln(9): a logistic curve goes from 10 % to 90 % in 2·ln(9)/k. */
const LOG_NINE = Math.log(9);

/**
 * U.S. capacity (t/month) along an S-curve from `initial` toward `plannedAchieved`, centred on
 * `midpointMonth` (months after the scenario start, slip included) and normalised so it starts at
 * `initial`. `next()` gives month 0, 1, 2, …; the logistic's exponential is updated by one
 * multiplication a month.
 */
export class CapacityRamp {
	private readonly initial: number;
	private readonly gain: number;
	private readonly atStart: number;
	private readonly monthlyFactor: number;
	private exponential: number;

	constructor(initial: number, plannedAchieved: number, midpointMonth: number, rampMonths: number) {
		const steepness = (2 * LOG_NINE) / rampMonths;
		this.initial = initial;
		this.gain = plannedAchieved - initial;
		this.exponential = Math.exp(steepness * midpointMonth);
		this.atStart = 1 / (1 + this.exponential);
		this.monthlyFactor = Math.exp(-steepness);
	}

	next(): number {
		const logistic = 1 / (1 + this.exponential);
		this.exponential *= this.monthlyFactor;
		// A ramp centred far before the start is complete from month 0.
		const remaining = 1 - this.atStart;
		const progress = remaining < 1e-9 ? 1 : Math.max(0, (logistic - this.atStart) / remaining);
		return this.initial + this.gain * progress;
	}
}
