/**
 * Innovation scale of the AR(1) demand shock, σ·sqrt(1 − ρ²): the shock's stationary standard
 * deviation is then `volatility` (σ). A path constant, computed once per path.
 */
export function demandShockInnovation(persistence: number, volatility: number): number {
	return volatility * Math.sqrt(1 - persistence * persistence);
}

/** AR(1) demand shock in logs: z ← ρ·z + σ·sqrt(1 − ρ²)·ε, with `innovation` = σ·sqrt(1 − ρ²). */
export function nextDemandShock(shock: number, persistence: number, innovation: number, epsilon: number): number {
	return persistence * shock + innovation * epsilon;
}

/**
 * Stock adjustment: buyers order enough to close the gap to their desired cover over
 * `adjustmentMonths`, and order less when they hold more than it; `position` is their inventory
 * plus the part of their waiting orders they count as coming. Under licensing or restrictions the
 * desired cover is raised (precautionary buying). Rebuilding stock adds at most `maxRestockShare`
 * of demand a month, so a refill after a shortage is spread out. Never below zero.
 */
export function requiredDeliveries(demand: number, position: number, desiredCoverMonths: number, adjustmentMonths: number, maxRestockShare: number): number {
	const adjustment = Math.min(maxRestockShare * demand, (desiredCoverMonths * demand - position) / adjustmentMonths);
	return Math.max(0, demand + adjustment);
}
