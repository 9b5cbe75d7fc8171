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
 * D = D0 · (1+g)^years · exp(z) · (P/P0)^(−η), written with one exponential:
 * `logGrowth` is ln(1+g), `logPriceRatio` is ln(P/P0).
 */
export function demandTonnes(base: number, logGrowth: number, years: number, shock: number, elasticity: number, logPriceRatio: number): number {
	return base * Math.exp(logGrowth * years + shock - elasticity * logPriceRatio);
}

/**
 * Stock adjustment: buyers order enough to close the gap to their desired cover over
 * `adjustmentMonths`, and order less when they hold more than it. Under licensing or restrictions
 * the desired cover is raised (precautionary buying, the "panic buying" of past restrictions).
 * Returns what buyers want delivered this month, never below zero.
 */
export function requiredDeliveries(demand: number, inventory: number, desiredCoverMonths: number, adjustmentMonths: number): number {
	return Math.max(0, demand + (desiredCoverMonths * demand - inventory) / adjustmentMonths);
}
