/**
 * How numbers reach the screen: always with a unit. Fractions are shown as percentages; the
 * model's dimensionless "–" unit is spelled out so no number stands bare.
 */
export function displayUnit(unit: string): string {
	if (unit === 'fraction' || unit === 'probability') return '%';
	if (unit === '–' || unit === '') return '(dimensionless)';
	if (unit === 'code') return '(regime code)';
	return unit;
}

/** The factor from a model value to its displayed value (100 for fractions shown as %). */
export function displayScale(unit: string): number {
	return unit === 'fraction' || unit === 'probability' ? 100 : 1;
}

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number in engineering-friendly form: 3 significant digits below 1,000, grouped digits above. */
export function formatNumber(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	return Math.abs(value) >= 1000 ? grouped.format(value) : significant.format(value);
}

/** A model value with its unit, e.g. "1,234 t/month", "12.5 %". */
export function formatQuantity(value: number, unit: string): string {
	return `${formatNumber(value * displayScale(unit))} ${displayUnit(unit)}`;
}

/** A probability as a percentage with its Monte Carlo standard error, e.g. "12.3 % ± 0.3 %". */
export function formatProbability(p: number, se: number): string {
	return `${(p * 100).toFixed(1)} % ± ${(se * 100).toFixed(1)} %`;
}

/** A count of paths, e.g. "10,000 paths". */
export function formatPaths(count: number): string {
	return `${grouped.format(count)} path${count === 1 ? '' : 's'}`;
}

/** A duration in milliseconds, e.g. "84 ms". */
export function formatMilliseconds(ms: number): string {
	return `${grouped.format(ms)} ms`;
}

/** The d3-format Plotly uses for hover values of this unit. */
export function hoverFormat(unit: string): string {
	return unit === 'fraction' || unit === 'probability' ? '.1f' : ',.3~r';
}
