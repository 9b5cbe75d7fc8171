import { z } from 'zod';
import { metricNames } from '../model/metrics';
import { runLimits } from '../limits';
import { monthPattern } from '../time/months';

/**
 * The check file format (`checks/*.yaml` or `*.json`). This zod schema is the one source of the
 * TypeScript types, of validation and of `checks/check.schema.json` (written by
 * `npx tsx src/cli/check-schema.ts`, kept in sync by a test).
 *
 * What zod cannot know (scenario ids, slider names, the horizon of each scenario, the grammar of a
 * statistic) is checked afterwards in `plan.ts`, with the same kind of precise problems.
 */

const scenarioId = z
	.string()
	.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a scenario id: lower-case words joined by hyphens, e.g. "renewed-controls"')
	.describe('id of a scenario in scenarios/');

const controlValues = z.record(z.string(), z.number()).describe('slider positions, by parameter id (each must be a slider of the scenario, within its range)');

/** A scenario at its slider defaults, or with some sliders moved. */
export const scenarioVariantSchema = z.strictObject({
	scenario: scenarioId,
	controls: controlValues.optional(),
	label: z.string().min(1).optional().describe('how the report names this variant')
});

/** Every control at default, all at min, all at max, then each alone at min and at max. */
export const matrixPresetSchema = z.strictObject({
	preset: z.literal('matrix'),
	scenario: scenarioId.describe('the scenario whose sliders make the matrix'),
	vary: z.array(z.string()).min(1).optional().describe('only these sliders (parameter ids); default: every slider of the scenario')
});

/** Every scenario in scenarios/, at its defaults. */
export const allPresetSchema = z.strictObject({ preset: z.literal('all') });

export const scenarioItemSchema = z
	.union([scenarioId, scenarioVariantSchema, matrixPresetSchema, allPresetSchema])
	.describe('a scenario id; {scenario, controls}; {preset: matrix, scenario, vary?}; or {preset: all}');

/** The same statistic of another scenario, scaled: bound = times × statistic + plus. Both use the same seed and paths. */
export const scenarioBoundSchema = z.strictObject({
	scenario: scenarioId,
	controls: controlValues.optional(),
	label: z.string().min(1).optional(),
	times: z.number().optional().describe('multiplies the other scenario\'s figure (default 1): 1.2 means "at least 20 % above" with gte'),
	plus: z.number().optional().describe("added after multiplying (default 0), in the metric's unit")
});

export const boundSchema = z.union([z.number(), scenarioBoundSchema]).describe("a number in the metric's unit, or the same statistic in another scenario");

export const monthText = monthPattern;

export const timeRangeSchema = z.strictObject({
	from: z.string().regex(monthText, 'a month written YYYY-MM, e.g. "2026-10"'),
	to: z.string().regex(monthText, 'a month written YYYY-MM, e.g. "2026-10"')
});

/** Each path's value at one month divided by its value at another (a zero denominator gives +Infinity). */
export const timeRatioSchema = z.strictObject({
	ratio: z.string().regex(monthText, 'a month written YYYY-MM, e.g. "2025-06"').describe('the month of the numerator'),
	over: z.string().regex(monthText, 'a month written YYYY-MM, e.g. "2025-05"').describe('the month of the denominator')
});

export const timeSchema = z
	.union([z.number().int(), z.string(), timeRangeSchema, timeRatioSchema])
	.describe(
		'"YYYY-MM" (one month), a year (2027 or "2027": each path is first reduced over the year\'s months by `over`), {from, to} (a range of months, reduced the same way), "every month" (the check must hold at each month), or {ratio: month, over: month} (each path\'s value at one month divided by its value at the other)'
	);

export const statisticPattern = /^\s*(mean|median|min|max|coverage|pit|p\d+(\.\d+)?|P\(.*\))\s*$/;

/** A percentile that bounds a band: "p5", "p2.5", "median". */
export const bandEdgePattern = /^\s*(median|p\d+(\.\d+)?)\s*$/;

const bandEdgeSchema = z.string().regex(bandEdgePattern, 'a percentile such as "p5", "p95" or "median"');

/** An observation the scenario's `observed` series cannot hold: a total over several months. */
export const observedSumSchema = z.strictObject({
	from: z.string().regex(monthText, 'a month written YYYY-MM, e.g. "2025-01"'),
	to: z.string().regex(monthText, 'a month written YYYY-MM, e.g. "2025-02"'),
	value: z.number().describe("the observed total over from … to, in the metric's unit times months (e.g. t, not t/month)"),
	source: z.string().optional().describe('where the figure comes from')
});

export const statisticSchema = z
	.string()
	.regex(
		statisticPattern,
		'a statistic: "mean", "median", "pNN" (a percentile such as "p5" or "p95"), "min"/"max" (over every path: exact, no sampling error), a probability such as "P(> 0)" or "P(shortfall > 0)", or against the scenario\'s observed series "coverage" or "pit"'
	)
	.describe(
		"statistic across paths: mean, median, pNN, min, max, or P(<metric> op x) with op one of > >= < <=; or, against the scenario's observed series (and observedSums), coverage (how many observations lie inside `band`) or pit (the PIT values' sign-test p or mean, see `pit`)"
	);

export const toleranceSchema = z
	.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?\s*%$/, 'a percentage such as "10%"')])
	.describe('for approx: an absolute tolerance in the metric\'s unit, or a percentage of the bound such as "10%"');

export const checkSchema = z.strictObject({
	it: z.string().min(1).describe('what must be true, as a sentence'),
	why: z.string().min(1).describe('one line: why the market makes this true'),
	scenarios: z.array(scenarioItemSchema).min(1),
	metrics: z
		.array(z.enum(metricNames as [string, ...string[]]))
		.min(1)
		.optional()
		.describe('metrics the check applies to (each separately); may be omitted when the statistic names one, e.g. "P(shortfall > 0)"'),
	per: z
		.string()
		.min(1)
		.optional()
		.describe(
			"a metric to divide by: each path's value of the checked metric in a month is divided by the same path's value of this metric in the same month, before any reduction over time and before the statistic (x/0 is +Infinity for x > 0, −Infinity for x < 0, and 0/0 is 0); not with coverage or pit"
		),
	time: timeSchema,
	over: z
		.enum(['mean', 'sum', 'min', 'max'])
		.optional()
		.describe('how a year or range is reduced on each path before the statistic: mean (default), sum, min or max'),
	statistic: statisticSchema,
	gt: boundSchema.optional(),
	gte: boundSchema.optional(),
	lt: boundSchema.optional(),
	lte: boundSchema.optional(),
	between: z.tuple([boundSchema, boundSchema]).optional().describe('[low, high], inclusive'),
	approx: boundSchema.optional().describe('within `tolerance` of this'),
	tolerance: toleranceSchema.optional(),
	band: z
		.tuple([bandEdgeSchema, bandEdgeSchema])
		.optional()
		.describe('for coverage: the band [low, high] of percentiles across paths an observation must lie in (default [p5, p95])'),
	pit: z
		.enum(['signTestP', 'mean'])
		.optional()
		.describe('for pit: the figure judged, the two-sided sign-test p-value of PIT > 0.5 against PIT < 0.5 (signTestP, default) or the mean PIT (mean)'),
	observedSums: z
		.array(observedSumSchema)
		.min(1)
		.optional()
		.describe('for coverage and pit: observed totals over several months, each compared with the per-path sum over its months as one more observation'),
	paths: z.number().int().min(10).max(runLimits.maxPaths).optional().describe("paths for this check (default: the file's)"),
	seed: z.number().int().nonnegative().max(runLimits.maxSeed).optional().describe("seed for this check (default: the file's, else each scenario's own)"),
	factor: z.number().positive().optional().describe("how many standard errors the margin must exceed (default: the file's)")
});

export const groupSchema = z.strictObject({
	describe: z.string().min(1).describe('what this group of checks is about'),
	checks: z.array(checkSchema).min(1)
});

export const checkFileSchema = z.strictObject({
	$schema: z.string().optional(),
	paths: z.number().int().min(10).max(runLimits.maxPaths).optional().describe('paths per run (default 4000)'),
	seed: z.number().int().nonnegative().max(runLimits.maxSeed).optional().describe("seed of every run (default: each scenario's own seed)"),
	factor: z.number().positive().optional().describe('a verdict needs a margin of at least factor × standard error (default 3)'),
	groups: z.array(groupSchema).min(1)
});

export type CheckFile = z.infer<typeof checkFileSchema>;
export type CheckSpec = z.infer<typeof checkSchema>;
export type ScenarioItem = z.infer<typeof scenarioItemSchema>;
export type BoundSpec = z.infer<typeof boundSchema>;
export type ScenarioBound = z.infer<typeof scenarioBoundSchema>;
export type TimeSpec = z.infer<typeof timeSchema>;
export type ObservedSumSpec = z.infer<typeof observedSumSchema>;

export const predicateNames = ['gt', 'gte', 'lt', 'lte', 'between', 'approx'] as const;
export type PredicateName = (typeof predicateNames)[number];

export const checkDefaults = { paths: 4000, factor: 3 } as const;

export function checkJsonSchema(): object {
	return z.toJSONSchema(checkFileSchema, { target: 'draft-7', io: 'input', reused: 'inline' });
}

/** The text of checks/check.schema.json (a test checks the committed file equals it). */
export function checkSchemaText(): string {
	return JSON.stringify(checkJsonSchema(), null, '\t') + '\n';
}
