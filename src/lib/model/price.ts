/**
 * Prices in layers: the NdPr oxide price in China (a driver), China's export price of magnets built
 * from its costs, the allied premium over it, the landed U.S. price with tariffs, and what U.S.
 * buyers paid on average.
 */

/** ln(P/start) stays within [ln(1/5), ln(30)]: wider than the 2010–11 spike (Nd metal ~22×). */
const LOG_NDPR_FLOOR = -Math.log(5);
const LOG_NDPR_CEILING = Math.log(30);

/**
 * One month of the NdPr oxide price, in logs relative to its start: a mean-reverting walk toward
 * the long-run level (`logLongRun`, same base), with an extra drift while China licenses or
 * restricts, noise and a jump when restrictions start.
 */
export function nextLogNdpr(logRatio: number, logLongRun: number, reversion: number, drift: number, volatility: number, epsilon: number, jump: number): number {
	const next = logRatio + reversion * (logLongRun - logRatio) + drift + volatility * epsilon + jump;
	return Math.min(LOG_NDPR_CEILING, Math.max(LOG_NDPR_FLOOR, next));
}

/** Bounds of China's export tightness (orders ÷ shipments; used in logs in the month loop, path.ts), so a surge or a stop moves the price by a bounded factor. */
export const MIN_TIGHTNESS = 1 / 20;
export const MAX_TIGHTNESS = 1 / MIN_TIGHTNESS;

/** A magnet's material and conversion cost (USD/kg): NdPr oxide content × price + Dy content × price + conversion. */
export function magnetCost(conversion: number, ndprOxidePerKg: number, ndprPrice: number, dyPerKg: number, dyPrice: number): number {
	return conversion + ndprOxidePerKg * ndprPrice + dyPerKg * dyPrice;
}

/** Tonnage-weighted price U.S. buyers paid across origins; the China landed price when nothing arrived. */
export function averagePaid(
	china: number,
	landedChina: number,
	allied: number,
	alliedPrice: number,
	domestic: number,
	domesticPrice: number,
	stockpile: number
): number {
	const tonnes = china + allied + domestic + stockpile;
	if (tonnes <= 0) return landedChina;
	return ((china + stockpile) * landedChina + allied * alliedPrice + domestic * domesticPrice) / tonnes;
}
