import { metricUnit } from '../model/metrics';
import type { Verdict } from '../stats/verdict';
import { formatNumber, type CaseResult, type CheckResult, type SideResult } from './evaluate';
import type { ObservationRow, ObservedDetail } from './observed';
import { describeStatistic } from './statistics';

const opSymbol = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' } as const;

const marks: Record<Verdict, string> = { pass: '✓ pass', fail: '✗ FAIL', inconclusive: '? inconclusive' };

function sideToShow(result: CaseResult): SideResult {
	return (
		result.sides.find((s) => s.verdict === 'fail') ??
		result.sides.filter((s) => s.verdict === 'inconclusive').sort((a, b) => (b.settlePaths ?? 0) - (a.settlePaths ?? 0))[0] ??
		[...result.sides].sort((a, b) => (a.se > 0 ? a.margin / a.se : Infinity) - (b.se > 0 ? b.margin / b.se : Infinity) || a.margin - b.margin)[0]
	);
}

export function formatPaths(n: number): string {
	return Number.isFinite(n) ? n.toLocaleString('en-US') : 'no finite number of';
}

function inStandardErrors(side: SideResult): string {
	return side.se > 0 ? `${formatNumber(Math.abs(side.margin) / side.se)} SE` : 'exact for these paths';
}

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

/** The line of a coverage or pit case: its counts or PIT figures, bound and verdict. */
function describeObservedCase(result: CaseResult, detail: ObservedDetail, check: Pick<CheckResult['check'], 'factor' | 'statistic'>): string {
	const side = sideToShow(result);
	const name = describeStatistic(check.statistic, result.metric);
	const paths = `${result.figure.n.toLocaleString('en-US')} paths`;
	const bound = `bound ${opSymbol[side.op]} ${side.boundText}`;
	if (detail.kind === 'coverage') {
		const outside = detail.rows.filter((r) => !r.inside).map((r) => r.label);
		const unsettled = detail.rows.filter((r) => r.settled === 'unsettled').map((r) => r.label);
		const head = `${result.subject} · ${result.metric} · ${result.time}: ${name} = ${detail.inside} of ${plural(detail.rows.length, 'observation')} inside (${detail.settledInside} settled inside, ${detail.unsettled} unsettled, ${detail.settledOutside} settled outside at ${formatNumber(check.factor)} × SE; ${paths}); ${bound}`;
		const lists = `; outside: ${outside.length > 0 ? outside.join(', ') : 'none'}; unsettled: ${unsettled.length > 0 ? unsettled.join(', ') : 'none'}`;
		const verdict =
			side.verdict === 'pass'
				? 'holds whichever way the unsettled observations fall'
				: side.verdict === 'fail'
					? 'fails whichever way the unsettled observations fall'
					: `depends on the unsettled observations: ${side.settlePaths !== undefined && Number.isFinite(side.settlePaths) ? `about ${formatPaths(side.settlePaths)} paths would settle them` : 'one sits exactly on a band edge, so no path count settles it'}`;
		return `${head}; ${verdict}${lists}`;
	}
	const head = `${result.subject} · ${result.metric} · ${result.time}: ${name} = ${formatNumber(result.figure.value)} (${detail.above} of ${plural(detail.rows.length, 'PIT')} above 0.5, ${detail.below} below; sign-test p ${formatNumber(detail.signTestP)}, mean PIT ${formatNumber(detail.mean)}; ${paths}, PIT error not counted); ${bound}`;
	return side.verdict === 'pass' ? `${head}; holds by ${formatNumber(side.margin)}` : `${head}; misses by ${formatNumber(-side.margin)}`;
}

/** One line per observation of a coverage or pit case: its value, and its band and place or its PIT. */
export function describeObservations(result: CaseResult): string[] {
	const detail = result.observations;
	if (!detail) return [];
	const width = Math.max(...detail.rows.map((r) => r.label.length));
	const at = (row: ObservationRow) => `${row.label.padEnd(width)}  observed ${formatNumber(row.value)}`;
	if (detail.kind === 'pit') return detail.rows.map((row) => `${at(row)}  PIT ${formatNumber(row.pit)}`);
	return detail.rows.map((row) => {
		const { low, high } = row.band;
		const place = row.settled === 'unsettled' ? `unsettled (${row.inside ? 'inside' : 'outside'} by less than the SE margin)` : row.settled;
		return `${at(row)}  band [${formatNumber(low.value)}, ${formatNumber(high.value)}] (SE ${formatNumber(low.se)}, ${formatNumber(high.se)})  ${place}`;
	});
}

/** What a case judges: the metric, or with `per` its quotient, "chinaExports ÷ demand". */
export function describeFigure(metric: string, per: string | undefined): string {
	return per === undefined ? metric : `${metric} ÷ ${per}`;
}

/** One line naming the scenario, metric (or quotient), time, figure, bound and verdict of a case. */
export function describeCase(result: CaseResult, check: Pick<CheckResult['check'], 'factor' | 'statistic' | 'over' | 'time' | 'per'>): string {
	if (result.observations) return describeObservedCase(result, result.observations, check);
	const { factor, statistic } = check;
	const over = check.time.kind === 'range' ? check.over : check.time.kind === 'ratio' ? 'ratio' : undefined;
	const side = sideToShow(result);
	// A quotient (per) or a ratio of months has no unit.
	const unit =
		statistic.kind === 'probability' || over === 'ratio' || check.per !== undefined
			? ''
			: ` ${over === 'sum' ? metricUnit[result.metric].replace(/\/month$/, '') : metricUnit[result.metric]}`;
	const figure = describeFigure(result.metric, check.per);
	const name = describeStatistic(statistic, figure);
	const everyMonth = result.months
		? ` (every month: ${result.months.failed > 0 ? `fails in ${result.months.failed}` : result.months.inconclusive > 0 ? `inconclusive in ${result.months.inconclusive}` : `holds in all ${result.months.total}`}${result.months.failed > 0 || result.months.inconclusive > 0 ? ` of ${result.months.total}` : ''}; shown: ${result.months.failed > 0 ? 'first failure' : result.months.inconclusive > 0 ? 'least settled month' : 'closest call'})`
		: '';
	const se = result.figure.se > 0 ? ` ± ${formatNumber(result.figure.se)} SE` : '';
	const head = `${result.subject} · ${figure} · ${result.time}${over ? ` (each path's ${over})` : ''}${everyMonth}: ${name} = ${formatNumber(result.figure.value)}${unit}${se} (${result.figure.n.toLocaleString('en-US')} paths); bound ${opSymbol[side.op]} ${side.boundText}`;
	switch (side.verdict) {
		case 'pass':
			return `${head}; holds by ${formatNumber(side.margin)} (${inStandardErrors(side)})`;
		case 'fail':
			return `${head}; misses by ${formatNumber(-side.margin)} (${inStandardErrors(side)})`;
		case 'inconclusive': {
			const settle =
				side.settlePaths === undefined || !Number.isFinite(side.settlePaths)
					? 'the figure equals the bound: no path count settles it'
					: `about ${formatPaths(result.settlePaths ?? side.settlePaths)} paths would settle it`;
			return `${head}; margin ${formatNumber(side.margin)} is within ${formatNumber(factor)} × SE ${formatNumber(side.se)} = ${formatNumber(factor * side.se)}: ${settle}`;
		}
	}
}

export interface ReportOptions {
	verbose?: boolean;
	/** Case lines shown per failed or inconclusive check. */
	limit?: number;
}

export function formatCheckResult(result: CheckResult, options: ReportOptions = {}): string[] {
	const { check } = result;
	const lines: string[] = [];
	const cases = result.cases.length === 1 ? '' : ` (${result.cases.length} cases)`;
	lines.push(`    ${marks[result.verdict]}  ${check.name}${cases}`);
	const indent = '        ';
	if (result.verdict === 'pass' && !options.verbose) {
		const tightest = [...result.cases].sort((a, b) => score(a) - score(b))[0];
		lines.push(`${indent}${result.cases.length > 1 ? 'tightest: ' : ''}${describeCase(tightest, check)}`);
		lines.push(...describeObservations(tightest).map((row) => `${indent}  ${row}`));
		return lines;
	}
	const shown = options.verbose ? result.cases : result.cases.filter((c) => c.verdict === result.verdict);
	const limit = options.verbose ? Infinity : (options.limit ?? 6);
	for (const c of shown.slice(0, limit)) {
		lines.push(`${indent}${options.verbose ? `[${c.verdict}] ` : ''}${describeCase(c, check)}`);
		lines.push(...describeObservations(c).map((row) => `${indent}  ${row}`));
	}
	if (shown.length > limit) lines.push(`${indent}… and ${shown.length - limit} more ${result.verdict === 'fail' ? 'failures' : 'inconclusive cases'}`);
	if (result.verdict === 'inconclusive' && result.settlePaths !== undefined) {
		lines.push(
			`${indent}→ inconclusive at ${check.paths.toLocaleString('en-US')} paths and factor ${formatNumber(check.factor)}: ${Number.isFinite(result.settlePaths) ? `about ${formatPaths(result.settlePaths)} paths would settle it` : 'a figure equals its bound, so no path count settles it'}`
		);
	}
	if (result.verdict !== 'pass') lines.push(`${indent}why: ${check.why}`, `${indent}at: ${check.location}`);
	return lines;
}

function score(result: CaseResult): number {
	return Math.min(...result.sides.map((s) => (s.se > 0 ? s.margin / s.se : 1e9 + s.margin)));
}

export interface ReportSummary {
	passed: number;
	failed: number;
	inconclusive: number;
}

export function summarise(results: readonly CheckResult[]): ReportSummary {
	return {
		passed: results.filter((r) => r.verdict === 'pass').length,
		failed: results.filter((r) => r.verdict === 'fail').length,
		inconclusive: results.filter((r) => r.verdict === 'inconclusive').length
	};
}

/** The readable report: file, group, each check with its figure, bound and verdict. */
export function formatReport(results: readonly CheckResult[], options: ReportOptions = {}): string[] {
	const lines: string[] = [];
	let file = '';
	let group = '';
	for (const result of results) {
		if (result.check.source !== file) {
			file = result.check.source;
			group = '';
			lines.push(file);
		}
		if (result.check.group !== group) {
			group = result.check.group;
			lines.push(`  ${group}`);
		}
		lines.push(...formatCheckResult(result, options));
	}
	return lines;
}
