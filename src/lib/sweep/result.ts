import { chooseBox, primTrajectory } from '../analysis/prim';
import { sobolIndices, type IndexEstimate } from '../analysis/sobol';
import { modelVersion } from '../model/version';
import type { SweepPlan } from './plan';
import type { SweepRecord } from './run';
import { resultFormat } from './result-format';

/**
 * A sweep's result: what it ran, one record per point, and the analyses its design allows (Sobol'
 * indices for a Sobol design; PRIM boxes when the file asks for discovery). The text is a pure
 * function of the plan and the records, so a merged sharded run and an unsharded run write the
 * same bytes.
 */

export { resultFormat };

export interface SobolOutputIndices {
	output: string;
	/** Variance of the output over the design's A and B rows. */
	variance?: number;
	factors?: { name: string; first: IndexEstimate; total: IndexEstimate }[];
	/** Why the indices could not be computed (the output does not vary, or is not a number somewhere). */
	unavailable?: string;
}

export interface DiscoveredBox {
	/** Per factor the box narrows: the lowest and highest value kept. */
	limits: { name: string; unit: string; low: number; high: number }[];
	points: number;
	cases: number;
	coverage: number;
	density: number;
}

export interface Discovery {
	output: string;
	criterion: string;
	/** Points that are cases of interest, of all points. */
	cases: number;
	points: number;
	/** The box chosen: the most covering one with at least `minimumDensity`. */
	box?: DiscoveredBox;
	minimumDensity: number;
	/** Coverage and density of each box of the peeling trajectory, from the whole space inwards. */
	trajectory?: { coverage: number; density: number; points: number }[];
	unavailable?: string;
}

export interface SweepResult {
	format: typeof resultFormat;
	title: string;
	sweep: string;
	modelVersion: string;
	scenario: { id: string; title: string };
	seed: number;
	pathsPerPoint: number;
	design: SweepPlan['definition']['design'];
	factors: { name: string; kind: string; param?: string; event?: string; unit: string; min: number; max: number }[];
	outputs: { name: string; label: string; unit: string }[];
	analyses: { sobol?: SobolOutputIndices[]; discovery?: Discovery };
	points: SweepRecord[];
}

const BOOTSTRAP_RESAMPLES = 500;

function sobolOf(plan: SweepPlan, records: readonly SweepRecord[]): SobolOutputIndices[] | undefined {
	const design = plan.definition.design;
	if (design.kind !== 'sobol') return undefined;
	const n = design.rows;
	return plan.outputs.map(({ name }) => {
		const column = (block: number) => Float64Array.from({ length: n }, (_, r) => records[block * n + r].outputs[name].value);
		const blocks = Array.from({ length: plan.factors.length + 2 }, (_, b) => column(b));
		if (blocks.some((block) => block.some((x) => !Number.isFinite(x))))
			return { output: name, unavailable: 'the output is not a finite number at some points' };
		try {
			const indices = sobolIndices(blocks[0], blocks[1], blocks.slice(2), { resamples: BOOTSTRAP_RESAMPLES, seed: plan.seed });
			return {
				output: name,
				variance: indices.variance,
				factors: plan.factors.map((factor, i) => ({ name: factor.name, first: indices.first[i], total: indices.total[i] }))
			};
		} catch (error) {
			if (error instanceof RangeError) return { output: name, unavailable: error.message };
			throw error;
		}
	});
}

function discoveryOf(plan: SweepPlan, records: readonly SweepRecord[]): Discovery | undefined {
	const spec = plan.definition.discover;
	if (!spec) return undefined;
	const k = plan.factors.length;
	const minimumDensity = spec.minimumDensity ?? 0.8;
	const criterion = spec.above !== undefined ? `${spec.output} > ${spec.above}` : `${spec.output} < ${spec.below}`;
	const interesting = records.map((record) => {
		const value = record.outputs[spec.output].value;
		return spec.above !== undefined ? value > spec.above : value < spec.below!;
	});
	const cases = interesting.filter(Boolean).length;
	const base = { output: spec.output, criterion, cases, points: records.length, minimumDensity };
	if (cases === 0) return { ...base, unavailable: 'no point meets the criterion: there is nothing to discover' };
	const x = new Float64Array(records.length * k);
	records.forEach((record, i) => plan.factors.forEach((factor, j) => (x[i * k + j] = record.factors[factor.name])));
	const trajectory = primTrajectory(x, k, interesting, { peel: spec.peel, minimumSupport: spec.minimumSupport });
	const box = chooseBox(trajectory, minimumDensity);
	return {
		...base,
		box: {
			limits: box.restricted.map((j) => ({ name: plan.factors[j].name, unit: plan.factors[j].unit, low: box.low[j], high: box.high[j] })),
			points: box.points,
			cases: box.cases,
			coverage: box.coverage,
			density: box.density
		},
		trajectory: trajectory.map(({ coverage, density, points }) => ({ coverage, density, points }))
	};
}

/** The result of a sweep from its plan and every point's record (in point order). */
export function buildResult(plan: SweepPlan, records: readonly SweepRecord[]): SweepResult {
	if (records.length !== plan.pointCount || records.some((record, i) => record?.point !== i))
		throw new RangeError(`a result needs the records of points 0 … ${plan.pointCount - 1}, in order`);
	const sobol = sobolOf(plan, records);
	const discovery = discoveryOf(plan, records);
	return {
		format: resultFormat,
		title: plan.definition.title,
		sweep: plan.hash,
		modelVersion,
		scenario: { id: plan.base.id, title: plan.base.title },
		seed: plan.seed,
		pathsPerPoint: plan.paths,
		design: plan.definition.design,
		factors: plan.factors.map(({ name, kind, param, event, unit, min, max }) => ({
			name,
			kind,
			...(param ? { param } : {}),
			...(event ? { event } : {}),
			unit,
			min,
			max
		})),
		outputs: plan.outputs.map(({ name, indicator }) => ({ name, label: indicator.label, unit: indicator.unit })),
		analyses: { ...(sobol ? { sobol } : {}), ...(discovery ? { discovery } : {}) },
		points: [...records]
	};
}

/** JSON of `header` with its records last, one per line under `key`: readable, and diffable record by record. */
export function jsonWithRecordLines(header: object, key: string, records: readonly SweepRecord[]): string {
	const head = JSON.stringify(header, null, '\t');
	const body = records.map((record) => `\t\t${JSON.stringify(record)}`).join(',\n');
	return `${head.slice(0, -2)},\n\t${JSON.stringify(key)}: [\n${body}\n\t]\n}\n`;
}

/** A result's text, one point per line. */
export function serializeResult(result: SweepResult): string {
	const { points, ...header } = result;
	return jsonWithRecordLines(header, 'points', points);
}
