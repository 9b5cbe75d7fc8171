import type { RunResult } from '../engine/run';
import { metricUnit, type MetricName } from '../model/metrics';
import { didYouMean, isMetricName, unknownMetricMessage, type Problem } from '../problems';
import { monthPattern } from '../time/months';

/**
 * Narrative cells bound to results: text with `{{ … }}` references to live figures, resolved
 * against a RunResult, so the prose updates with the sliders.
 *
 *   The median landed price in 2027 is {{ median(usMagnetPrice, 2027) }}; the chance of a shortfall
 *   by 2030 is {{ shortfallBy(2030) }}, and dependency on China in 2030 is {{ dependency2030(p50) | 0 }}.
 *
 * A figure is `name(arguments)` with an optional `| N` (decimals). A bad reference does not stop
 * the text: it is shown as an error marker and listed in `problems`.
 */

const statistics = ['p5', 'p25', 'p50', 'median', 'p75', 'p95', 'mean'] as const;
type Statistic = (typeof statistics)[number];

interface FigureDefinition {
	usage: string;
	description: string;
}

export const narrativeFigures: Record<string, FigureDefinition> = {
	...Object.fromEntries(
		statistics.map((s) => [
			s,
			{ usage: `${s}(<metric>, <year or YYYY-MM>)`, description: `${s === 'median' ? 'p50' : s} of a metric in a month, or averaged over the months of a year` }
		])
	),
	shortfallIn: { usage: 'shortfallIn(<year>)', description: 'P(any shortfall in the year)' },
	shortfallBy: { usage: 'shortfallBy(<year>)', description: 'P(any shortfall from the start through the year)' },
	cumulativeShortfall: { usage: 'cumulativeShortfall()', description: 'expected shortfall summed over the horizon (t)' },
	dependency2030: { usage: 'dependency2030(p5 | p50 | p95)', description: "China's share of U.S. supply, averaged over 2030" },
	relianceCut2030: { usage: 'relianceCut2030(p5 | p50 | p95)', description: 'cut in reliance on China since 2024, averaged over 2030' },
	priceAbove: { usage: 'priceAbove()', description: 'P(usMagnetPrice exceeds its multiple of the first month in some month)' },
	relianceCutBy2030: { usage: 'relianceCutBy2030()', description: "P(a year's average relianceCut reaches its threshold by 2030)" },
	relianceCutYear: { usage: 'relianceCutYear()', description: 'median first year whose average relianceCut reaches its threshold' },
	paths: { usage: 'paths()', description: 'paths in the run' }
};
const figureNames = Object.keys(narrativeFigures);

/** Figures of earlier model versions that were renamed, so old templates say what to write now. */
const renamedFigures: Record<string, string> = {
	replacementBy2030: 'relianceCutBy2030',
	replacementYear: 'relianceCutYear'
};

export interface NarrativeFigure {
	/** The reference as written, without the braces. */
	source: string;
	/** 1-based character where `{{` starts. */
	position: number;
	label: string;
	value: number | null;
	unit: string;
	formatted: string;
}

export type NarrativePart =
	{ kind: 'text'; text: string } | ({ kind: 'figure' } & NarrativeFigure) | { kind: 'error'; source: string; position: number; message: string };

export interface NarrativeResult {
	/** The text with figures filled in and bad references shown as "⟨error: …⟩". */
	text: string;
	parts: NarrativePart[];
	problems: Problem[];
}

interface Reference {
	source: string;
	position: number;
	name: string;
	args: string[];
	decimals?: number;
}

const referencePattern = /^\s*([A-Za-z_]\w*)\s*(?:\(\s*([^()]*?)\s*\))?\s*(?:\|\s*(\d{1,2})\s*)?$/;

function parseReference(source: string, position: number): Reference | string {
	const match = referencePattern.exec(source);
	if (!match) return `cannot read "{{${source}}}": write a figure such as {{ median(usMagnetPrice, 2027) }}, optionally with "| N" decimals`;
	const [, name, argText, decimals] = match;
	if (Object.hasOwn(renamedFigures, name))
		return `the figure "${name}" was renamed in model 2.0: write ${renamedFigures[name]}() (reliance on China cut by a year's average relianceCut)`;
	if (!Object.hasOwn(narrativeFigures, name)) return `unknown figure "${name}"${didYouMean(name, figureNames)}; figures: ${figureNames.join(', ')}`;
	const args = argText === undefined || argText === '' ? [] : argText.split(',').map((a) => a.trim());
	return { source, position, name, args, decimals: decimals === undefined ? undefined : Number(decimals) };
}

/** Splits a template into text and references; reports unclosed braces. */
function scan(template: string): ({ text: string } | { reference: string; position: number } | { error: string; position: number })[] {
	const pieces: ({ text: string } | { reference: string; position: number } | { error: string; position: number })[] = [];
	let at = 0;
	while (at < template.length) {
		const open = template.indexOf('{{', at);
		if (open < 0) {
			pieces.push({ text: template.slice(at) });
			break;
		}
		if (open > at) pieces.push({ text: template.slice(at, open) });
		const close = template.indexOf('}}', open + 2);
		if (close < 0) {
			pieces.push({ error: `"{{" at character ${open + 1} is never closed with "}}"`, position: open + 1 });
			break;
		}
		pieces.push({ reference: template.slice(open + 2, close), position: open + 1 });
		at = close + 2;
	}
	return pieces;
}

function formatNumber(value: number, decimals?: number): string {
	if (decimals !== undefined) return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
	if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
	return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}

/** A figure with its unit, the way the notebook writes numbers. */
export function formatFigure(value: number | null, unit: string, decimals?: number): string {
	if (value === null || !Number.isFinite(value)) return 'n/a';
	switch (unit) {
		case 'probability':
		case 'fraction':
			return `${formatNumber(value * 100, decimals ?? (Math.abs(value) < 0.01 && value !== 0 ? 1 : 0))} %`;
		case 'USD/kg':
			return `USD ${formatNumber(value, decimals ?? 1)}/kg`;
		case 'USD/month':
			return `USD ${formatNumber(value / 1e6, decimals ?? 1)} million/month`;
		case 'year':
			return String(Math.round(value));
		case 'paths':
			return formatNumber(value, 0);
		default:
			return `${formatNumber(value, decimals)} ${unit}`;
	}
}

function monthsFor(period: string, result: RunResult): number[] | string {
	if (/^\d{4}$/.test(period)) {
		const rows = result.months.flatMap((m, t) => (m.startsWith(`${period}-`) ? [t] : []));
		return rows.length > 0 ? rows : `${period} is outside the run's horizon ${result.months[0]} … ${result.months.at(-1)}`;
	}
	if (monthPattern.test(period)) {
		const t = result.months.indexOf(period);
		return t >= 0 ? [t] : `${period} is outside the run's horizon ${result.months[0]} … ${result.months.at(-1)}`;
	}
	return `expected a year (e.g. 2027) or a month (e.g. 2027-06), found "${period}"`;
}

function yearArgument(text: string | undefined, result: RunResult): number | string {
	if (text === undefined || !/^\d{4}$/.test(text))
		return `expected a year such as ${result.months[0].slice(0, 4)}, found ${text === undefined ? 'nothing' : `"${text}"`}`;
	return Number(text);
}

type Resolved = { label: string; value: number | null; unit: string } | string;

function resolve(reference: Reference, result: RunResult): Resolved {
	const { name, args } = reference;
	const expectArgs = (count: number): string | undefined =>
		args.length === count
			? undefined
			: `${narrativeFigures[name].usage} takes ${count === 0 ? 'no' : count} argument${count === 1 ? '' : 's'}, found ${args.length}`;
	if ((statistics as readonly string[]).includes(name)) {
		const wrong = expectArgs(2);
		if (wrong) return wrong;
		const [metricText, period] = args;
		if (!isMetricName(metricText)) return unknownMetricMessage(metricText);
		const rows = monthsFor(period, result);
		if (typeof rows === 'string') return rows;
		const key = (name === 'median' ? 'p50' : name) as Exclude<Statistic, 'median'>;
		const series = result.metrics[metricText][key];
		const value = rows.reduce((sum, t) => sum + series[t], 0) / rows.length;
		const what =
			rows.length > 1
				? `${name} of ${metricText} in ${period} (average of the monthly ${name === 'mean' ? 'means' : `${name}s`})`
				: `${name} of ${metricText} in ${period}`;
		return { label: what, value, unit: metricUnit[metricText] };
	}
	const { indicators } = result;
	switch (name) {
		case 'shortfallIn':
		case 'shortfallBy': {
			const wrong = expectArgs(1);
			if (wrong) return wrong;
			const year = yearArgument(args[0], result);
			if (typeof year === 'string') return year;
			const entry = indicators.shortfallByYear.find((e) => e.year === year);
			if (!entry) return `${year} is outside the run's horizon ${result.months[0]} … ${result.months.at(-1)}`;
			return name === 'shortfallIn'
				? { label: `P(any shortfall in ${year})`, value: entry.inYear.p, unit: 'probability' }
				: { label: `P(any shortfall by ${year})`, value: entry.byYear.p, unit: 'probability' };
		}
		case 'cumulativeShortfall':
			return expectArgs(0) ?? { label: 'expected cumulative shortfall', value: indicators.cumulativeShortfall.mean, unit: 't' };
		case 'dependency2030': {
			if (args.length > 1) return `${narrativeFigures[name].usage} takes at most 1 argument, found ${args.length}`;
			const statistic = args[0] ?? 'p50';
			if (!['p5', 'p50', 'p95'].includes(statistic)) return `expected p5, p50 or p95, found "${statistic}"`;
			if (!indicators.dependency2030) return "2030 is outside the run's horizon";
			return { label: `dependency on China in 2030 (${statistic})`, value: indicators.dependency2030[statistic as 'p5' | 'p50' | 'p95'], unit: 'fraction' };
		}
		case 'relianceCut2030': {
			if (args.length > 1) return `${narrativeFigures[name].usage} takes at most 1 argument, found ${args.length}`;
			const statistic = args[0] ?? 'p50';
			if (!['p5', 'p50', 'p95'].includes(statistic)) return `expected p5, p50 or p95, found "${statistic}"`;
			if (!indicators.relianceCut2030) return "2030 is outside the run's horizon";
			return {
				label: `cut in reliance on China in 2030 (${statistic})`,
				value: indicators.relianceCut2030[statistic as 'p5' | 'p50' | 'p95'],
				unit: 'fraction'
			};
		}
		case 'priceAbove':
			return (
				expectArgs(0) ?? {
					label: `P(usMagnetPrice > ${indicators.priceAboveMultiple.multiple} × start)`,
					value: indicators.priceAboveMultiple.p,
					unit: 'probability'
				}
			);
		case 'relianceCutBy2030':
			if (expectArgs(0)) return expectArgs(0)!;
			if (!indicators.relianceCut.by2030) return "2030 is outside the run's horizon";
			return { label: `P(relianceCut ≥ ${indicators.relianceCut.threshold * 100} % by 2030)`, value: indicators.relianceCut.by2030.p, unit: 'probability' };
		case 'relianceCutYear':
			return (
				expectArgs(0) ?? {
					label: `median year relianceCut reaches ${indicators.relianceCut.threshold * 100} %`,
					value: indicators.relianceCut.medianYear,
					unit: 'year'
				}
			);
		case 'paths':
			return expectArgs(0) ?? { label: 'paths', value: result.paths, unit: 'paths' };
	}
	return `unknown figure "${name}"`;
}

/** The metrics a template's figures read: a run must have summarised them to fill it in. */
export function narrativeMetrics(template: string): MetricName[] {
	const metrics = new Set<MetricName>();
	for (const piece of scan(template)) {
		if (!('reference' in piece)) continue;
		const parsed = parseReference(piece.reference, piece.position);
		const metric = typeof parsed === 'string' ? undefined : parsed.args[0];
		if (typeof parsed !== 'string' && (statistics as readonly string[]).includes(parsed.name) && metric !== undefined && isMetricName(metric))
			metrics.add(metric);
	}
	return [...metrics];
}

/** Checks a template's syntax, figure names and metric names (no result needed). */
export function checkNarrative(template: string): Problem[] {
	const problems: Problem[] = [];
	for (const piece of scan(template)) {
		if ('error' in piece) problems.push({ source: 'narrative', path: `character ${piece.position}`, message: piece.error });
		else if ('reference' in piece) {
			const parsed = parseReference(piece.reference, piece.position);
			if (typeof parsed === 'string') problems.push({ source: 'narrative', path: `character ${piece.position}`, message: parsed });
			else if ((statistics as readonly string[]).includes(parsed.name) && parsed.args[0] !== undefined && !isMetricName(parsed.args[0])) {
				problems.push({ source: 'narrative', path: `character ${piece.position}`, message: unknownMetricMessage(parsed.args[0]) });
			}
		}
	}
	return problems;
}

/** Fills a template's figures from a run. Never throws on bad references: it marks them. */
export function renderNarrative(template: string, result: RunResult): NarrativeResult {
	const parts: NarrativePart[] = [];
	const problems: Problem[] = [];
	const fail = (source: string, position: number, message: string) => {
		parts.push({ kind: 'error', source, position, message });
		problems.push({ source: 'narrative', path: `character ${position}`, message });
	};
	for (const piece of scan(template)) {
		if ('text' in piece) {
			parts.push({ kind: 'text', text: piece.text });
			continue;
		}
		if ('error' in piece) {
			fail(template.slice(piece.position - 1), piece.position, piece.error);
			continue;
		}
		const parsed = parseReference(piece.reference, piece.position);
		if (typeof parsed === 'string') {
			fail(piece.reference, piece.position, parsed);
			continue;
		}
		const resolved = resolve(parsed, result);
		if (typeof resolved === 'string') {
			fail(piece.reference, piece.position, resolved);
			continue;
		}
		parts.push({
			kind: 'figure',
			source: piece.reference.trim(),
			position: piece.position,
			...resolved,
			formatted: formatFigure(resolved.value, resolved.unit, parsed.decimals)
		});
	}
	const text = parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'figure' ? p.formatted : `⟨error: ${p.message}⟩`)).join('');
	return { text, parts, problems };
}
