import { z } from 'zod';
import { parameterIds } from '../model/parameters';
import { distributionSpec } from '../model/parameter-values';
import { runLimits } from '../limits';

/**
 * The sweep file format (`sweeps/*.yaml` or `*.json`): a base scenario, factors, a design, paths
 * per point, outputs and a seed. This zod schema is the one source of the TypeScript types, of
 * validation and of `sweeps/sweep.schema.json` (written by `npm run schema`, kept in sync by a
 * test). What zod cannot know (the scenario, its sliders and events, the indicator grammar, the
 * horizon) is checked afterwards in `plan.ts`, with the same kind of precise problems.
 */

/** Points of one sweep, over all its shards. */
export const MAX_SWEEP_POINTS = 1_000_000;
/** Paths of one point (each point holds its paths while its outputs are computed). */
export const MAX_POINT_PATHS = 100_000;
/** Outputs of one sweep. */
export const MAX_OUTPUTS = 20;
/** Factors of one sweep. */
export const MAX_FACTORS = 40;
/** Longest shift or length of an event a factor may set, in months. */
const MAX_EVENT_MONTHS = 600;

const scenarioId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a scenario id: lower-case words joined by hyphens, e.g. "renewed-controls"');
const name = z
	.string()
	.regex(/^[A-Za-z][\w.-]*$/, 'a name of letters, digits, "_", "." or "-", starting with a letter')
	.max(60)
	.describe('how results name the factor; default: the parameter id, or "<event>.shift" / "<event>.length"');
const monthSpan = z.number().int().min(-MAX_EVENT_MONTHS).max(MAX_EVENT_MONTHS).describe('whole months');

const rangeFields = {
	min: z.number().describe("lowest value, in the parameter's unit"),
	max: z.number().describe("highest value, in the parameter's unit")
};

export const parameterRangeFactorSchema = z
	.strictObject({ param: z.enum(parameterIds), name: name.optional(), ...rangeFields })
	.describe('a parameter over [min, max] (uniform in designs that sample; evenly spaced levels in a grid)');
export const parameterValuesFactorSchema = z
	.strictObject({ param: z.enum(parameterIds), name: name.optional(), values: z.array(z.number()).min(1).max(1000) })
	.describe('a parameter at listed values (each equally likely in designs that sample; every one in a grid)');
export const parameterDistributionFactorSchema = z
	.strictObject({ param: z.enum(parameterIds), name: name.optional(), distribution: distributionSpec })
	.describe(
		"a parameter drawn from a distribution (a grid takes its quantiles at the middles of equal-probability slices), truncated to the parameter's bounds"
	);
export const eventShiftFactorSchema = z
	.strictObject({ event: z.string().min(1), name: name.optional(), shiftMonths: z.strictObject({ min: monthSpan, max: monthSpan }) })
	.describe("an event's start (and end, if it has one) moved by a whole number of months, negative for earlier");
export const eventLengthFactorSchema = z
	.strictObject({
		event: z.string().min(1),
		name: name.optional(),
		lengthMonths: z.strictObject({ min: monthSpan.min(1), max: monthSpan.min(1) })
	})
	.describe("an event's length in whole months, from its start");

export const factorSchema = z
	.union([parameterRangeFactorSchema, parameterValuesFactorSchema, parameterDistributionFactorSchema, eventShiftFactorSchema, eventLengthFactorSchema])
	.describe(
		'a factor: {param, min, max}, {param, values}, {param, distribution}, {event, shiftMonths: {min, max}} or {event, lengthMonths: {min, max}}. A parameter that is a slider of the scenario is set as the slider sets it (its centre; its spread stays); any other parameter is fixed at the value on every path'
	);

export const designSchema = z
	.discriminatedUnion('kind', [
		z
			.strictObject({
				kind: z.literal('grid'),
				levels: z
					.number()
					.int()
					.min(2)
					.max(1000)
					.optional()
					.describe('levels of each ranged or distributed factor (default 5); a listed factor uses its values')
			})
			.describe("every combination of the factors' levels, the first factor varying slowest"),
		z
			.strictObject({ kind: z.literal('latin-hypercube'), points: z.number().int().min(2).max(MAX_SWEEP_POINTS) })
			.describe("N points, each factor's range cut into N equal-probability slices, one point in each"),
		z
			.strictObject({
				kind: z.literal('sobol'),
				rows: z.number().int().min(2).max(MAX_SWEEP_POINTS).describe('base rows N: the design has N × (factors + 2) points')
			})
			.describe("Saltelli's scheme for Sobol' indices: matrices A, B and, per factor, A with that column from B")
	])
	.describe('how points are chosen');

const outputText = z.string().min(1).max(200).describe('an indicator: "median usMagnetPrice 2030", "P(shortfall > 0) by 2028", "total shortfall 2030"');

export const discoverSchema = z
	.strictObject({
		output: outputText.describe('one of the outputs'),
		above: z.number().optional().describe('a point is a case of interest when the output is above this'),
		below: z.number().optional().describe('… or below this (give one of above and below)'),
		minimumDensity: z.number().min(0).max(1).optional().describe('the chosen box is the most covering one with at least this density (default 0.8)'),
		peel: z.number().gt(0).lt(0.5).optional().describe("share of the box's points peeled at each step (default 0.05)"),
		minimumSupport: z.number().gt(0).lt(1).optional().describe('peeling stops before the box holds fewer than this share of the points (default 0.05)')
	})
	.describe('PRIM scenario discovery: the boxes of factor values where the cases of interest concentrate');

export const seekSchema = z
	.strictObject({
		factor: z.enum(parameterIds).describe('the lever: a parameter, set as a factor would set it'),
		low: z.number(),
		high: z.number(),
		output: outputText,
		atMost: z.number().optional().describe('find the smallest lever value at which the output is at most this…'),
		atLeast: z.number().optional().describe('… or at least this (give one)'),
		tolerance: z.number().positive().optional().describe("stop when the answer is bracketed this closely, in the lever's unit (default (high − low) / 1,000)")
	})
	.describe('goal seeking on common random numbers, run by "sweep seek": the smallest lever value meeting a target');

export const sweepFileSchema = z.strictObject({
	$schema: z.string().optional(),
	title: z.string().min(1).max(200),
	description: z.string().max(10_000).optional(),
	scenario: scenarioId.describe('the base scenario (an id from scenarios/)'),
	seed: z
		.number()
		.int()
		.nonnegative()
		.max(runLimits.maxSeed)
		.optional()
		.describe("the seed of every point (default: the scenario's): common random numbers across points"),
	paths: z.number().int().min(1).max(MAX_POINT_PATHS).describe('paths per point'),
	design: designSchema,
	factors: z.array(factorSchema).min(1).max(MAX_FACTORS),
	outputs: z.array(outputText).min(1).max(MAX_OUTPUTS),
	discover: discoverSchema.optional(),
	seek: seekSchema.optional()
});

export type SweepFile = z.infer<typeof sweepFileSchema>;
export type FactorSpec = z.infer<typeof factorSchema>;
export type DesignSpec = z.infer<typeof designSchema>;

export function sweepJsonSchema(): object {
	return z.toJSONSchema(sweepFileSchema, { target: 'draft-7', io: 'input', reused: 'inline' });
}

export function sweepSchemaText(): string {
	return JSON.stringify(sweepJsonSchema(), null, '\t') + '\n';
}
