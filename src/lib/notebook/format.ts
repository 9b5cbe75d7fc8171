import { unitInWords } from '../model/units';

/**
 * How numbers reach the screen: always with a unit, in words ("tonnes per month", "per year").
 * Fractions are shown as percentages. A dimensionless parameter's words are its own
 * (`parameterUnitWords`); a unit the model does not know (a formula's) is shown as written.
 */
export function displayUnit(unit: string): string {
	return unitInWords(unit);
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

/** Tonnes below one are shown in kilograms, so no figure reads "0.000183 tonnes". */
function readableScale(value: number, unit: string): { factor: number; words: string } {
	const tonnes = unit === 't' || unit === 't/month';
	if (tonnes && value !== 0 && Math.abs(value) < 1) return { factor: 1000, words: unit === 't' ? 'kg' : 'kg per month' };
	return { factor: displayScale(unit), words: displayUnit(unit) };
}

function joined(number: string, words: string): string {
	return words === '' ? number : `${number} ${words}`;
}

/** A model value with its unit, e.g. "1,234 tonnes per month", "12.5 %". */
export function formatQuantity(value: number, unit: string, words?: string): string {
	const scale = readableScale(value, unit);
	return joined(formatNumber(value * scale.factor), words ?? scale.words);
}

const fixedFormats = new Map<number, Intl.NumberFormat>();

/** A number format with exactly `decimals` decimals, made once (making one costs far more than using it). */
function fixedDecimals(decimals: number): Intl.NumberFormat {
	let format = fixedFormats.get(decimals);
	if (!format) fixedFormats.set(decimals, (format = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
	return format;
}

/**
 * A Monte Carlo estimate to the precision its standard error supports: the estimate is rounded
 * where the SE's first significant digit falls (its first two when that digit is 1 or 2, so
 * 0.14 is not cut to 0.1), e.g. 1,234.567 ± 12.3 → "1,235 ± 12". Without a usable SE it falls
 * back to three significant digits.
 */
export function formatEstimateNumber(value: number, se: number): { value: string; se: string } {
	if (!Number.isFinite(value) || !Number.isFinite(se) || se <= 0) return { value: formatNumber(value), se: formatNumber(Math.abs(se)) };
	let place = Math.floor(Math.log10(se));
	if (se / 10 ** place < 3) place -= 1;
	const format = fixedDecimals(Math.max(0, -place));
	const round = (x: number) => (place > 0 ? Math.round(x / 10 ** place) * 10 ** place : x);
	const rounded = format.format(round(value));
	return { value: rounded === '-0' || /^-0\.?0*$/.test(rounded) ? rounded.slice(1) : rounded, se: format.format(round(se)) };
}

/** An estimate and its SE, each with the unit, at the estimate's scale: { value: "1,235 tonnes", se: "12 tonnes" }. */
export function estimateParts(value: number, se: number, unit: string, words?: string): { value: string; se: string } {
	const scale = readableScale(value, unit);
	const shown = formatEstimateNumber(value * scale.factor, se * scale.factor);
	return { value: joined(shown.value, words ?? scale.words), se: joined(shown.se, words ?? scale.words) };
}

/** An estimate with its unit and, by default, its SE: "1,235 ± 12 tonnes", "46.2 ± 0.5 %". */
export function formatEstimate(value: number, se: number, unit: string, options: { withSe?: boolean; words?: string } = {}): string {
	const scale = readableScale(value, unit);
	const shown = formatEstimateNumber(value * scale.factor, se * scale.factor);
	const words = options.words ?? scale.words;
	return joined(options.withSe === false ? shown.value : `${shown.value} ± ${shown.se}`, words);
}

/** A probability as a percentage with its Monte Carlo standard error, e.g. "12.3 % ± 0.3 %". */
export function formatProbability(p: number, se: number): string {
	const shown = formatEstimateNumber(p * 100, se * 100);
	return `${shown.value} % ± ${shown.se} %`;
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
