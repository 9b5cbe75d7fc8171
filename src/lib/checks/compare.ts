import { z } from 'zod';
import type { RunResult } from '../engine/run';
import { metricNames } from '../model/metrics';
import { monthRange } from '../time/months';
import { monthPattern } from '../time/months';

/**
 * Version-to-version comparison: a saved baseline holds, per scenario, P5/P50/P95 of every metric
 * every month (rounded to `significantDigits`). Comparing a new run against it reports how far
 * each percentile moved, bucketed, largest first.
 */

export const comparedStatistics = ['p5', 'p50', 'p95'] as const;
export type ComparedStatistic = (typeof comparedStatistics)[number];

export const significantDigits = 6;

const month = z.string().regex(monthPattern, 'a month written YYYY-MM');
const series = z.array(z.number());

export const baselineScenarioSchema = z.strictObject({
	id: z.string().min(1),
	title: z.string(),
	seed: z.number().int().nonnegative(),
	paths: z.number().int().positive(),
	modelVersion: z.string(),
	fingerprint: z.string(),
	start: month,
	end: month,
	metrics: z.record(z.string(), z.strictObject({ unit: z.string(), p5: series, p50: series, p95: series }))
});

export const baselineFileSchema = z.strictObject({
	format: z.literal('magnet-scenarios/compare-baseline@1'),
	significantDigits: z.number().int().min(1).max(17),
	scenarios: z.array(baselineScenarioSchema)
});

export type BaselineFile = z.infer<typeof baselineFileSchema>;
export type BaselineScenario = z.infer<typeof baselineScenarioSchema>;

export function round(x: number, digits = significantDigits): number {
	return Number.isFinite(x) ? Number(x.toPrecision(digits)) : x;
}

export function baselineScenario(result: RunResult, digits = significantDigits): BaselineScenario {
	return {
		id: result.scenario.id,
		title: result.scenario.title,
		seed: result.seed,
		paths: result.paths,
		modelVersion: result.modelVersion,
		fingerprint: result.fingerprint,
		start: result.months[0],
		end: result.months.at(-1)!,
		metrics: Object.fromEntries(
			metricNames.map((name) => {
				const summary = result.metrics[name];
				return [
					name,
					{
						unit: summary.unit,
						p5: summary.p5.map((x) => round(x, digits)),
						p50: summary.p50.map((x) => round(x, digits)),
						p95: summary.p95.map((x) => round(x, digits))
					}
				];
			})
		)
	};
}

export function baselineFile(results: readonly RunResult[], digits = significantDigits): BaselineFile {
	return { format: 'magnet-scenarios/compare-baseline@1', significantDigits: digits, scenarios: results.map((r) => baselineScenario(r, digits)) };
}

/** Compact but diffable JSON: one line per series. */
export function baselineText(file: BaselineFile): string {
	const lines = ['{', `\t"format": ${JSON.stringify(file.format)},`, `\t"significantDigits": ${file.significantDigits},`, '\t"scenarios": ['];
	file.scenarios.forEach((scenario, s) => {
		const { metrics, ...head } = scenario;
		lines.push('\t\t{');
		for (const [key, value] of Object.entries(head)) lines.push(`\t\t\t${JSON.stringify(key)}: ${JSON.stringify(value)},`);
		lines.push('\t\t\t"metrics": {');
		const names = Object.keys(metrics);
		names.forEach((name, m) => {
			const metric = metrics[name];
			lines.push(`\t\t\t\t${JSON.stringify(name)}: {`, `\t\t\t\t\t"unit": ${JSON.stringify(metric.unit)},`);
			comparedStatistics.forEach((stat, k) => lines.push(`\t\t\t\t\t${JSON.stringify(stat)}: ${JSON.stringify(metric[stat])}${k < 2 ? ',' : ''}`));
			lines.push(`\t\t\t\t}${m < names.length - 1 ? ',' : ''}`);
		});
		lines.push('\t\t\t}', `\t\t}${s < file.scenarios.length - 1 ? ',' : ''}`);
	});
	lines.push('\t]', '}');
	return lines.join('\n') + '\n';
}

export const buckets = ['0', '< 1 %', '1–5 %', '5–10 %', '> 10 %'] as const;
export type Bucket = (typeof buckets)[number];

export function bucketOf(move: number): Bucket {
	if (move === 0) return '0';
	if (move < 0.01) return '< 1 %';
	if (move < 0.05) return '1–5 %';
	if (move <= 0.1) return '5–10 %';
	return '> 10 %';
}

export interface StatisticMove {
	/** Largest relative move over the months compared. */
	move: number;
	month?: string;
	before?: number;
	after?: number;
}

export interface MoveRow {
	scenario: string;
	metric: string;
	unit: string;
	moves: Record<ComparedStatistic, StatisticMove>;
	move: number;
	bucket: Bucket;
}

export interface ScenarioComparison {
	id: string;
	status: 'compared' | 'new' | 'removed';
	base?: Pick<BaselineScenario, 'seed' | 'paths' | 'modelVersion' | 'fingerprint' | 'start' | 'end'>;
	current?: Pick<BaselineScenario, 'seed' | 'paths' | 'modelVersion' | 'fingerprint' | 'start' | 'end'>;
	/** Months compared (those both runs share). */
	months: number;
	notes: string[];
}

export interface Comparison {
	rows: MoveRow[];
	scenarios: ScenarioComparison[];
	counts: Record<Bucket, number>;
}

const header = (s: BaselineScenario) => ({
	seed: s.seed,
	paths: s.paths,
	modelVersion: s.modelVersion,
	fingerprint: s.fingerprint,
	start: s.start,
	end: s.end
});

/**
 * Relative move of one percentile series: |new − old| / max(|old|, scale), where scale is 1 % of the
 * metric's largest |P95| in the base run, so a quantile near zero is measured against the metric's
 * size rather than blowing up. Both sides are rounded to the base file's digits first, so a run
 * compared with its own saved results moves by exactly 0.
 */
function seriesMove(
	before: readonly number[],
	after: readonly number[],
	offsets: { base: number; current: number; count: number },
	months: readonly string[],
	scale: number,
	digits: number
): StatisticMove {
	let worst: StatisticMove = { move: 0 };
	for (let k = 0; k < offsets.count; k++) {
		const old = before[offsets.base + k];
		const now = round(after[offsets.current + k], digits);
		const difference = Math.abs(now - old);
		if (difference === 0) continue;
		const move = difference / Math.max(Math.abs(old), scale, Number.MIN_VALUE);
		if (move > worst.move) worst = { move, month: months[k], before: old, after: now };
	}
	return worst;
}

export function compareBaselines(base: BaselineFile, current: BaselineFile): Comparison {
	const rows: MoveRow[] = [];
	const scenarios: ScenarioComparison[] = [];
	const digits = base.significantDigits;
	const currentById = new Map(current.scenarios.map((s) => [s.id, s]));
	const baseIds = new Set(base.scenarios.map((s) => s.id));
	for (const old of base.scenarios) {
		const now = currentById.get(old.id);
		if (!now) {
			scenarios.push({ id: old.id, status: 'removed', base: header(old), months: 0, notes: ['not in the current scenarios'] });
			continue;
		}
		const notes: string[] = [];
		if (old.seed !== now.seed || old.paths !== now.paths)
			notes.push(`base ran seed ${old.seed} × ${old.paths} paths, now seed ${now.seed} × ${now.paths} paths: moves include sampling noise`);
		if (old.modelVersion !== now.modelVersion) notes.push(`model version ${old.modelVersion} → ${now.modelVersion}`);
		const baseMonths = monthRange(old.start, old.end);
		const currentMonths = monthRange(now.start, now.end);
		const shared = baseMonths.filter((m) => currentMonths.includes(m));
		if (shared.length !== baseMonths.length || shared.length !== currentMonths.length) {
			notes.push(`horizon ${old.start}…${old.end} → ${now.start}…${now.end}; compared on the ${shared.length} shared months`);
		}
		const offsets = { base: baseMonths.indexOf(shared[0]), current: currentMonths.indexOf(shared[0]), count: shared.length };
		for (const metric of Object.keys(old.metrics)) {
			const before = old.metrics[metric];
			const after = now.metrics[metric];
			if (!after) {
				notes.push(`metric ${metric} is gone`);
				continue;
			}
			const scale = 0.01 * Math.max(0, ...before.p95.map(Math.abs));
			const moves = Object.fromEntries(
				comparedStatistics.map((stat) => [stat, seriesMove(before[stat], after[stat], offsets, shared, scale, digits)])
			) as Record<ComparedStatistic, StatisticMove>;
			const move = Math.max(...comparedStatistics.map((stat) => moves[stat].move));
			rows.push({ scenario: old.id, metric, unit: before.unit, moves, move, bucket: bucketOf(move) });
		}
		for (const metric of Object.keys(now.metrics)) if (!(metric in old.metrics)) notes.push(`metric ${metric} is new`);
		scenarios.push({ id: old.id, status: 'compared', base: header(old), current: header(now), months: shared.length, notes });
	}
	for (const now of current.scenarios) {
		if (!baseIds.has(now.id)) scenarios.push({ id: now.id, status: 'new', current: header(now), months: 0, notes: ['not in the base file'] });
	}
	rows.sort((a, b) => b.move - a.move || a.scenario.localeCompare(b.scenario) || a.metric.localeCompare(b.metric));
	const counts = Object.fromEntries(buckets.map((b) => [b, rows.filter((r) => r.bucket === b).length])) as Record<Bucket, number>;
	return { rows, scenarios, counts };
}

function percent(move: number): string {
	if (move === 0) return '0';
	if (move < 0.0001) return '< 0.01 %';
	return `${(move * 100).toPrecision(2)} %`;
}

function describeMove(move: StatisticMove): string {
	if (move.move === 0) return '0';
	return `${percent(move.move)} (${move.month}: ${move.before} → ${move.after})`;
}

export interface ComparisonMeta {
	base: string;
	title?: string;
}

/** The comparison as markdown: bucket counts, scenarios compared, then every scenario × metric, largest move first. */
export function comparisonMarkdown(comparison: Comparison, meta: ComparisonMeta): string {
	const lines: string[] = [];
	lines.push(`# ${meta.title ?? 'Model comparison'}`, '');
	lines.push(
		`Base: \`${meta.base}\`. Each row is a scenario × metric; P5, P50 and P95 are compared month by month and the largest relative move over the horizon is shown, |new − old| / max(|old|, 1 % of the metric's largest P95), with the month and the two values. Both sides are rounded to the base file's significant digits, so an unchanged model shows 0.`,
		''
	);
	lines.push('## Moves by bucket', '', '| largest move | scenario × metric rows |', '| --- | ---: |');
	for (const bucket of buckets) lines.push(`| ${bucket} | ${comparison.counts[bucket]} |`);
	lines.push('');
	lines.push(
		'## Scenarios',
		'',
		'| scenario | status | seed × paths (base → now) | model (base → now) | fingerprint (base → now) | months | notes |',
		'| --- | --- | --- | --- | --- | ---: | --- |'
	);
	for (const s of comparison.scenarios) {
		const pair = <T>(f: (x: NonNullable<ScenarioComparison['base']>) => T) => `${s.base ? f(s.base) : '–'} → ${s.current ? f(s.current) : '–'}`;
		const same = s.base && s.current && s.base.fingerprint === s.current.fingerprint ? ' (identical)' : '';
		lines.push(
			`| ${s.id} | ${s.status} | ${pair((x) => `${x.seed} × ${x.paths.toLocaleString('en-US')}`)} | ${pair((x) => x.modelVersion)} | ${pair((x) => `\`${x.fingerprint}\``)}${same} | ${s.months} | ${s.notes.join('; ') || '–'} |`
		);
	}
	lines.push('');
	lines.push('## Moves, largest first', '', '| scenario | metric | unit | P5 | P50 | P95 | bucket |', '| --- | --- | --- | --- | --- | --- | --- |');
	for (const row of comparison.rows) {
		lines.push(
			`| ${row.scenario} | ${row.metric} | ${row.unit} | ${describeMove(row.moves.p5)} | ${describeMove(row.moves.p50)} | ${describeMove(row.moves.p95)} | ${row.bucket} |`
		);
	}
	return lines.join('\n') + '\n';
}
