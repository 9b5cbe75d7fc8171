import type { RunResult } from '../lib/engine/run';
import { summaryPercentiles, type MetricSummary } from '../lib/engine/summary';

const csvHeader = ['scenario', 'seed', 'paths', 'modelVersion', 'fingerprint', 'series', 'unit', 'period', 'statistic', 'value'];

function csvField(value: string | number): string {
	const text = String(value);
	return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A run as long-format CSV: one row per (series, period, statistic). Metrics have monthly periods;
 * indicators have years (or the horizon, for whole-run figures).
 */
export function resultRows(result: RunResult): (string | number)[][] {
	const lead = [result.scenario.id, result.seed, result.paths, result.modelVersion, result.fingerprint];
	const rows: (string | number)[][] = [];
	const statistics = [...(Object.keys(summaryPercentiles) as (keyof typeof summaryPercentiles)[]), 'mean', 'se50'] satisfies (keyof MetricSummary)[];
	for (const [name, summary] of Object.entries(result.metrics)) {
		result.months.forEach((month, t) => {
			for (const statistic of statistics) rows.push([...lead, name, summary.unit, month, statistic, summary[statistic][t]]);
		});
	}
	const horizon = `${result.months[0]}/${result.months.at(-1)}`;
	const { shortfallByYear, cumulativeShortfall, dependency2030, relianceCut2030, priceAboveMultiple, relianceCut } = result.indicators;
	for (const { year, inYear, byYear } of shortfallByYear) {
		rows.push(
			[...lead, 'shortfallProbabilityInYear', 'probability', year, 'p', inYear.p],
			[...lead, 'shortfallProbabilityInYear', 'probability', year, 'se', inYear.se]
		);
		rows.push(
			[...lead, 'shortfallProbabilityByYear', 'probability', year, 'p', byYear.p],
			[...lead, 'shortfallProbabilityByYear', 'probability', year, 'se', byYear.se]
		);
	}
	rows.push(
		[...lead, 'cumulativeShortfall', 't', horizon, 'mean', cumulativeShortfall.mean],
		[...lead, 'cumulativeShortfall', 't', horizon, 'se', cumulativeShortfall.se]
	);
	if (dependency2030) {
		for (const statistic of ['p5', 'p50', 'p95', 'se50'] as const)
			rows.push([...lead, 'dependency2030', 'fraction', 2030, statistic, dependency2030[statistic]]);
	}
	if (relianceCut2030) {
		for (const statistic of ['p5', 'p50', 'p95', 'se50'] as const)
			rows.push([...lead, 'relianceCut2030', 'fraction', 2030, statistic, relianceCut2030[statistic]]);
	}
	const priceSeries = `priceAbove${priceAboveMultiple.multiple}xStart`;
	rows.push(
		[...lead, priceSeries, 'probability', horizon, 'p', priceAboveMultiple.p],
		[...lead, priceSeries, 'probability', horizon, 'se', priceAboveMultiple.se]
	);
	const cutSeries = `relianceCut${Math.round(relianceCut.threshold * 100)}pctFirstYear`;
	for (const { year, share } of relianceCut.firstYear) rows.push([...lead, cutSeries, 'share of paths', year, 'share', share]);
	rows.push([...lead, cutSeries, 'share of paths', 'never', 'share', relianceCut.never]);
	if (relianceCut.by2030) {
		rows.push(
			[...lead, `${cutSeries}By2030`, 'probability', 2030, 'p', relianceCut.by2030.p],
			[...lead, `${cutSeries}By2030`, 'probability', 2030, 'se', relianceCut.by2030.se]
		);
	}
	return rows;
}

export function toCsv(results: readonly RunResult[]): string {
	const lines = [csvHeader.join(',')];
	for (const result of results) for (const row of resultRows(result)) lines.push(row.map(csvField).join(','));
	return lines.join('\n') + '\n';
}

export function toJson(results: readonly RunResult[]): string {
	return JSON.stringify(results.length === 1 ? results[0] : results, null, 1) + '\n';
}
