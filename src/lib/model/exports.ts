/*
 * The licence backlog. Orders placed with Chinese exporters that have not shipped, bounded. Under licensing or
 * restrictions an order waits `reviewMonths` in review (a ring of monthly cohorts); reviewed
 * orders are approved at the approval rate under licensing (of the rest, a share is filed again
 * and waits another review, the others go elsewhere) and held under restrictions; approved orders
 * ship at the release rate, at most `maxRelease` tonnes a month, so a released backlog is spread
 * over months. Waiting orders are cancelled or diverted each month, held ones faster the longer
 * restrictions last, and whatever exceeds `cap` tonnes is diverted at once. A licensing push (a
 * dated event) reviews a share of the cohorts not yet due in the same month. When licences flow
 * again the accumulated backlog ships on top of current orders: that is what produced the June
 * 2025 surge.
 *
 * The month step is written out in the month loop (`simulatePath` in path.ts), its state in local variables.
 */

/** Months an order waits in review, at most. */
export const MAX_REVIEW_MONTHS = 6;

/** Months of restriction after which held orders are cancelled at twice the starting rate. */
export const HELD_RATE_DOUBLING_MONTHS = 6;
