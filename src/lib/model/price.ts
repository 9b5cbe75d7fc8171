/** Below this share of requirements the market is treated as fully cut off (caps the tightness ratio). */
const MIN_SUPPLY_SHARE = 0.05;
/**
 * Log-price stays within [P0/2, 100·P0]. The ceiling is wider than any recorded rare-earth spike;
 * the floor is an assumption: China's 2024 export value came after two years of falling prices
 * (Pr oxide −37 % in 2023, −26 % in 2024) and is taken to be near cost.
 */
const LOG_PRICE_FLOOR = -Math.log(2);
const LOG_PRICE_CEILING = Math.log(100);

/** Tightness: what buyers want delivered this month over what arrives; 1 in a balanced market. */
export function tightness(required: number, supply: number): number {
	if (required <= 0) return MIN_SUPPLY_SHARE;
	return required / Math.max(supply, MIN_SUPPLY_SHARE * required);
}

/**
 * log P ← log P + θ·(log P* − log P) + σ·ε + jump, with P* = P0 · tightness^(1/ε_s).
 * Works on log(P/P0).
 */
export function nextLogPriceRatio(
	logRatio: number,
	tightnessRatio: number,
	supplyElasticity: number,
	reversion: number,
	volatility: number,
	epsilon: number,
	jump: number
): number {
	const target = Math.log(tightnessRatio) / supplyElasticity;
	const next = logRatio + reversion * (target - logRatio) + volatility * epsilon + jump;
	return Math.min(LOG_PRICE_CEILING, Math.max(LOG_PRICE_FLOOR, next));
}

/** Delivered average price: China-made at the market price, the rest at their premiums. */
export function deliveredPrice(
	marketPrice: number,
	china: number,
	allied: number,
	domestic: number,
	stockpile: number,
	alliedPremium: number,
	domesticPremium: number
): number {
	const supply = china + allied + domestic + stockpile;
	if (supply <= 0) return marketPrice;
	return (marketPrice * (china + stockpile + allied * alliedPremium + domestic * domesticPremium)) / supply;
}
