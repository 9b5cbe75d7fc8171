import { LICENSING, OPEN, RESTRICTED, type RegimeCode } from './regime';

export const MAX_REVIEW_MONTHS = 6;

/** Months of restriction after which held orders are cancelled at twice the starting rate. */
const HELD_RATE_DOUBLING_MONTHS = 6;

/**
 * Orders placed with Chinese exporters that have not shipped, bounded. Under licensing or
 * restrictions an order waits `reviewMonths` in review (a ring of monthly cohorts); reviewed
 * orders are approved at the approval rate under licensing (of the rest, a share is filed again
 * and waits another review, the others go elsewhere) and held under restrictions; approved orders
 * ship at the release rate, at most `maxRelease` tonnes a month, so a released backlog is spread
 * over months. Waiting orders are cancelled or diverted each month, held ones faster the longer
 * restrictions last, and whatever exceeds `cap` tonnes is diverted at once. A licensing push (a
 * dated event) reviews a share of the cohorts not yet due in the same month. When licences flow
 * again the accumulated backlog ships on top of current orders: that is what produced the June
 * 2025 surge.
 */
export class ExportBacklog {
	readonly inReview = new Float64Array(MAX_REVIEW_MONTHS);
	held = 0;
	approved = 0;
	private restrictedMonths = 0;

	constructor(private readonly reviewMonths: number) {}

	total(): number {
		let sum = this.held + this.approved;
		for (let i = 0; i < this.reviewMonths; i++) sum += this.inReview[i];
		return sum;
	}

	/**
	 * Ships this month's exports (t): the share of new orders that leaves at once plus the
	 * release of approved backlog. Mutates the backlog.
	 */
	ship(
		month: number,
		regime: RegimeCode,
		orders: number,
		noise: number,
		immediateShare: number,
		approvalRate: number,
		releaseRate: number,
		cancellationRate: number,
		heldCancellationRate: number,
		cap: number,
		pushShare: number,
		resubmittedShare: number,
		maxRelease: number
	): number {
		this.restrictedMonths = regime === RESTRICTED ? this.restrictedMonths + 1 : 0;
		const keep = 1 - cancellationRate;
		const heldRate = heldCancellationRate * Math.min(2, 1 + this.restrictedMonths / HELD_RATE_DOUBLING_MONTHS);
		this.held *= regime === RESTRICTED ? 1 - Math.min(1, heldRate) : keep;
		this.approved *= keep;
		let immediate: number;
		if (regime === OPEN) {
			immediate = orders * noise;
			for (let i = 0; i < this.reviewMonths; i++) {
				this.approved += this.inReview[i] * keep;
				this.inReview[i] = 0;
			}
			this.approved += this.held;
			this.held = 0;
		} else {
			immediate = immediateShare * orders * noise;
			const slot = month % this.reviewMonths;
			let reviewed = this.inReview[slot] * keep;
			for (let i = 0; i < this.reviewMonths; i++) {
				this.inReview[i] *= keep;
				// A licensing push reviews part of the cohorts not yet due as well.
				if (i !== slot && pushShare > 0) {
					reviewed += pushShare * this.inReview[i];
					this.inReview[i] *= 1 - pushShare;
				}
			}
			this.inReview[slot] = orders * (1 - immediateShare);
			if (regime === LICENSING) {
				const decided = reviewed + this.held;
				this.approved += approvalRate * decided;
				// Some refused orders are filed again and wait through another review.
				this.inReview[slot] += resubmittedShare * (1 - approvalRate) * decided;
				this.held = 0;
			} else {
				this.held += reviewed;
			}
		}
		this.capAt(cap);
		const released = Math.min(maxRelease, releaseRate * this.approved);
		this.approved -= released;
		return immediate + released;
	}

	/** Diverts whatever waits beyond `cap` tonnes, from every pool in proportion. */
	private capAt(cap: number): void {
		const total = this.total();
		if (total <= cap) return;
		const kept = total > 0 ? cap / total : 0;
		this.held *= kept;
		this.approved *= kept;
		for (let i = 0; i < this.reviewMonths; i++) this.inReview[i] *= kept;
	}
}
