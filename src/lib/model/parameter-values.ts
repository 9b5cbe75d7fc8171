import { z } from 'zod';

/**
 * A parameter's value in a scenario: a number, or a distribution drawn once per path.
 * `min`/`max` on a bell-shaped distribution truncate it (the draw stays inside).
 */
/** Most values an empirical sample may hold (a fitted posterior keeps a few hundred). */
export const MAX_EMPIRICAL_VALUES = 5000;

const bounds = {
	min: z.number().optional().describe('lower truncation bound'),
	max: z.number().optional().describe('upper truncation bound')
};

export const fixedSpec = z.strictObject({ dist: z.literal('fixed'), value: z.number() });
export const normalSpec = z.strictObject({
	dist: z.literal('normal'),
	mean: z.number(),
	sd: z.number().nonnegative(),
	...bounds
});
export const lognormalSpec = z.strictObject({
	dist: z.literal('lognormal'),
	median: z.number().positive(),
	sigma: z.number().nonnegative().describe('standard deviation of the logarithm'),
	...bounds
});
export const triangularSpec = z.strictObject({
	dist: z.literal('triangular'),
	min: z.number(),
	mode: z.number(),
	max: z.number()
});
export const uniformSpec = z.strictObject({ dist: z.literal('uniform'), min: z.number(), max: z.number() });
export const pertSpec = z.strictObject({
	dist: z.literal('pert'),
	min: z.number(),
	mode: z.number(),
	max: z.number(),
	lambda: z.number().positive().optional().describe('shape; 4 is the classic PERT')
});

export const empiricalSpec = z
	.strictObject({
		dist: z.literal('empirical'),
		values: z.array(z.number()).min(1).max(MAX_EMPIRICAL_VALUES)
	})
	.describe(
		'a sample, e.g. a calibration posterior: a path takes the value at one position, and every empirical parameter of a path takes the same position, so samples written together (one row per draw) keep their joint distribution'
	);

export const distributionSpec = z.discriminatedUnion('dist', [fixedSpec, normalSpec, lognormalSpec, triangularSpec, uniformSpec, pertSpec, empiricalSpec]);
export const parameterValue = z.union([z.number(), distributionSpec]);

export type DistributionSpec = z.infer<typeof distributionSpec>;
export type ParameterValue = z.infer<typeof parameterValue>;

/** The central value a slider moves: the mean, median or mode. */
export function locationOf(value: ParameterValue): number {
	if (typeof value === 'number') return value;
	switch (value.dist) {
		case 'fixed':
			return value.value;
		case 'normal':
			return value.mean;
		case 'lognormal':
			return value.median;
		case 'triangular':
		case 'pert':
			return value.mode;
		case 'uniform':
			return (value.min + value.max) / 2;
		case 'empirical':
			return medianOf(value.values);
	}
}

function medianOf(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = (sorted.length - 1) / 2;
	return (sorted[Math.floor(middle)] + sorted[Math.ceil(middle)]) / 2;
}

/** Moves a distribution so its location is `location`, keeping its shape (spread, or log-spread). */
export function withLocation(value: ParameterValue, location: number): ParameterValue {
	if (typeof value === 'number') return location;
	const shift = location - locationOf(value);
	const shiftBound = (b: number | undefined) => (b === undefined ? undefined : b + shift);
	switch (value.dist) {
		case 'fixed':
			return { dist: 'fixed', value: location };
		case 'normal':
			return { ...value, mean: location, min: shiftBound(value.min), max: shiftBound(value.max) };
		case 'lognormal': {
			const ratio = location / value.median;
			const scale = (b: number | undefined) => (b === undefined ? undefined : b * ratio);
			return { ...value, median: location, min: scale(value.min), max: scale(value.max) };
		}
		case 'triangular':
		case 'pert':
		case 'uniform':
			return { ...value, min: value.min + shift, max: value.max + shift, ...('mode' in value ? { mode: location } : {}) };
		case 'empirical':
			return { ...value, values: value.values.map((x) => x + shift) };
	}
}

/** The range a draw can take, for checking it against the parameter's physical bounds. */
export function supportOf(value: ParameterValue): [number, number] {
	if (typeof value === 'number') return [value, value];
	switch (value.dist) {
		case 'fixed':
			return [value.value, value.value];
		case 'normal':
			return [value.min ?? -Infinity, value.max ?? Infinity];
		case 'lognormal':
			return [value.min ?? 0, value.max ?? Infinity];
		case 'triangular':
		case 'pert':
		case 'uniform':
			return [value.min, value.max];
		case 'empirical':
			return [Math.min(...value.values), Math.max(...value.values)];
	}
}

/** A value in words for docs and editor hints: `triangular(min 0, mode 1, max 2)`, or a sample's size and spread. */
export function describeValue(value: ParameterValue): string {
	if (typeof value === 'number') return String(value);
	if (value.dist === 'empirical') {
		const sorted = [...value.values].sort((a, b) => a - b);
		const at = (q: number) => Number(sorted[Math.round(q * (sorted.length - 1))].toPrecision(3));
		return `joint sample of ${sorted.length} (P5 ${at(0.05)}, median ${at(0.5)}, P95 ${at(0.95)})`;
	}
	const { dist, ...rest } = value;
	return `${dist}(${Object.entries(rest)
		.map(([k, v]) => `${k} ${v}`)
		.join(', ')})`;
}
