import { z } from 'zod';
import { fingerprintOf } from '../engine/fingerprint';
import { modelVersion } from '../model/version';
import { InputError, type Problem } from '../problems';
import type { Scenario } from '../scenario/schema';
import { parseJson } from '../scenario/read';
import { designValues, shardRange } from './design';
import { planSweep, type SweepPlan } from './plan';
import type { SweepRecord } from './run';
import { jsonWithRecordLines } from './result';
import { sweepFileSchema } from './schema';

/**
 * Part files: what one shard of a sweep writes. Each says what it is (the sweep's hash, the model
 * version, the shard, its point range) and carries the sweep definition and base scenario, so
 * `merge` needs nothing else and can refuse parts that do not belong together.
 */

export const partFormat = 'magnet-sweep-part/1';

/** The most shards a sweep may be split into (each writes one part file). */
export const MAX_SHARDS = 100_000;

export interface SweepPart {
	format: typeof partFormat;
	sweep: string;
	modelVersion: string;
	shard: { index: number; count: number };
	points: { first: number; end: number; total: number };
	definition: SweepPlan['definition'];
	scenario: Scenario;
	records: SweepRecord[];
}

export function partFileName(index: number, count: number): string {
	return `part-${index}-of-${count}.json`;
}

export const partFilePattern = /^part-(\d+)-of-(\d+)\.json$/;

export function makePart(plan: SweepPlan, shard: { index: number; count: number }, records: SweepRecord[]): SweepPart {
	const { first, end } = shardRange(plan.pointCount, shard.index, shard.count);
	return {
		format: partFormat,
		sweep: plan.hash,
		modelVersion,
		shard,
		points: { first, end, total: plan.pointCount },
		definition: plan.definition,
		scenario: plan.base,
		records
	};
}

export function serializePart(part: SweepPart): string {
	const { records, ...header } = part;
	return jsonWithRecordLines(header, 'records', records);
}

const estimateSchema = z.strictObject({ value: z.number().nullable(), se: z.number().nullable() });
const recordSchema = z.strictObject({
	point: z.number().int().nonnegative(),
	factors: z.record(z.string(), z.number()),
	outputs: z.record(z.string(), estimateSchema)
});
const partHeaderSchema = z.object({
	format: z.literal(partFormat),
	sweep: z.string(),
	modelVersion: z.string(),
	shard: z.strictObject({ index: z.number().int().nonnegative(), count: z.number().int().positive().max(MAX_SHARDS) }),
	points: z.strictObject({ first: z.number().int().nonnegative(), end: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
	definition: z.unknown(),
	scenario: z.unknown(),
	records: z.array(recordSchema)
});

interface ReadPart {
	name: string;
	part: SweepPart;
}

/** Null in JSON stands for a NaN estimate (JSON has no NaN). */
function revived(record: z.infer<typeof recordSchema>): SweepRecord {
	const outputs: SweepRecord['outputs'] = {};
	for (const [name, { value, se }] of Object.entries(record.outputs)) outputs[name] = { value: value ?? Number.NaN, se: se ?? Number.NaN };
	return { point: record.point, factors: record.factors, outputs };
}

function readPart(name: string, text: string, problems: Problem[]): ReadPart | undefined {
	const parsed = parseJson(text, name);
	if (parsed.problems.length > 0) {
		// parseJson says where (file:line:column) and what, a file cut short included.
		const [problem] = parsed.problems;
		problems.push({ ...problem, message: `not a part file: ${problem.message}` });
		return undefined;
	}
	const checked = partHeaderSchema.safeParse(parsed.value);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		problems.push({ source: name, path: issue.path.join('.'), message: `not a sweep part file (format ${partFormat}): ${issue.message}` });
		return undefined;
	}
	const part = { ...checked.data, records: checked.data.records.map(revived) } as SweepPart;
	const fromName = partFilePattern.exec(name.split(/[\\/]/).at(-1) ?? '');
	if (fromName && (Number(fromName[1]) !== part.shard.index || Number(fromName[2]) !== part.shard.count))
		problems.push({
			source: name,
			path: 'shard',
			message: `the file is named for shard ${fromName[1]}/${fromName[2]} but holds shard ${part.shard.index}/${part.shard.count}`
		});
	return { name, part };
}

const list = (names: readonly string[]) => names.join(', ');

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const item of items) {
		const k = key(item);
		const group = groups.get(k);
		if (group) group.push(item);
		else groups.set(k, [item]);
	}
	return groups;
}

/**
 * The plan of a part's sweep. Its scenario was resolved and checked when the shard ran; one that
 * does not plan now (edited, with its hash made again) is bad input, said against the part.
 */
function planOfPart(name: string, definition: SweepPlan['definition'], scenario: Scenario): SweepPlan {
	try {
		return planSweep(definition, scenario);
	} catch (error) {
		if (error instanceof InputError) throw new InputError(error.problems.map((p) => ({ ...p, source: name, path: `definition.${p.path}` })));
		const reason = error instanceof Error ? error.message : String(error);
		throw new InputError([{ source: name, path: 'scenario', message: `the part's scenario is not a resolved scenario (${reason})` }]);
	}
}

/** A record holds exactly the plan's factors, at the design's values for its point, and exactly its outputs (own keys only). */
function recordFits(plan: SweepPlan, design: Float64Array, record: SweepRecord): boolean {
	const k = plan.factors.length;
	const factorNames = Object.keys(record.factors);
	const outputNames = Object.keys(record.outputs);
	return (
		factorNames.length === k &&
		plan.factors.every((factor, j) => Object.hasOwn(record.factors, factor.name) && record.factors[factor.name] === design[record.point * k + j]) &&
		outputNames.length === plan.outputs.length &&
		plan.outputs.every((output) => Object.hasOwn(record.outputs, output.name))
	);
}

/**
 * Checks that the parts make one whole sweep — the same sweep hash and model version (this
 * program's), one split, every shard once, each with exactly its points — and returns the plan
 * and every record in point order. Throws an InputError naming each file at fault.
 */
export function mergeParts(files: readonly { name: string; text: string }[], directory: string): { plan: SweepPlan; records: SweepRecord[] } {
	const problems: Problem[] = [];
	if (files.length === 0) throw new InputError([{ source: directory, path: '', message: 'holds no part files (part-<I>-of-<N>.json)' }]);
	const parts = files.flatMap(({ name, text }) => readPart(name, text, problems) ?? []);
	if (problems.length > 0) throw new InputError(problems);

	const bySweep = groupBy(parts, ({ part }) => `${part.sweep} (${(part.definition as { title?: string })?.title ?? 'untitled'})`);
	if (bySweep.size > 1)
		problems.push({
			source: directory,
			path: '',
			message: `the parts come from different sweeps: ${[...bySweep].map(([sweep, group]) => `${sweep}: ${list(group.map((p) => p.name))}`).join('; ')}`
		});
	const byModel = groupBy(parts, ({ part }) => part.modelVersion);
	if (byModel.size > 1 || !byModel.has(modelVersion))
		problems.push({
			source: directory,
			path: '',
			message: `the parts must all come from model ${modelVersion} (this program's): ${[...byModel].map(([version, group]) => `model ${version}: ${list(group.map((p) => p.name))}`).join('; ')}`
		});
	const byCount = groupBy(parts, ({ part }) => part.shard.count);
	if (byCount.size > 1)
		problems.push({
			source: directory,
			path: '',
			message: `the parts come from different splits: ${[...byCount].map(([count, group]) => `into ${count}: ${list(group.map((p) => p.name))}`).join('; ')}`
		});
	if (problems.length > 0) throw new InputError(problems);

	const [{ part: first }] = parts;
	const count = first.shard.count;
	const byIndex = groupBy(parts, ({ part }) => part.shard.index);
	for (const [index, group] of byIndex)
		if (group.length > 1)
			problems.push({ source: directory, path: '', message: `shard ${index}/${count} appears more than once: ${list(group.map((p) => p.name))}` });
	const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
	if (missing.length > 0) {
		const shown = missing.slice(0, 20).map((i) => `${i}/${count}`);
		problems.push({
			source: directory,
			path: '',
			message: `missing ${missing.length} of ${count} shards: ${list(shown)}${missing.length > 20 ? ', …' : ''} (run each with --shard I/${count})`
		});
	}
	if (problems.length > 0) throw new InputError(problems);

	// Every part must give its own hash from its own definition and scenario: one altered part is caught, not only the first.
	for (const { name, part } of parts) {
		const definition = sweepFileSchema.safeParse(part.definition);
		if (!definition.success) problems.push({ source: name, path: 'definition', message: 'the sweep definition in the part is not a valid sweep' });
		else if (fingerprintOf({ definition: definition.data, base: part.scenario, modelVersion }) !== part.sweep)
			problems.push({ source: name, path: 'sweep', message: 'the part was altered: its definition and scenario do not give its sweep hash' });
	}
	if (problems.length > 0) throw new InputError(problems);
	const plan = planOfPart(parts[0].name, sweepFileSchema.parse(first.definition), first.scenario);
	const design = designValues(plan);
	const records: SweepRecord[] = [];
	for (const { name, part } of [...parts].sort((a, b) => a.part.shard.index - b.part.shard.index)) {
		const { first: from, end } = shardRange(plan.pointCount, part.shard.index, count);
		const wellFormed =
			part.points.first === from &&
			part.points.end === end &&
			part.points.total === plan.pointCount &&
			part.records.length === end - from &&
			part.records.every((record, i) => record.point === from + i);
		if (!wellFormed) {
			problems.push({ source: name, path: 'records', message: `shard ${part.shard.index}/${count} must hold points ${from} … ${end - 1}, each once in order` });
			continue;
		}
		const wrong = part.records.find((record) => !recordFits(plan, design, record));
		if (wrong) {
			problems.push({
				source: name,
				path: `records[${wrong.point - from}]`,
				message: `point ${wrong.point} does not hold the design's factor values and one value for each output (${plan.outputs.map((o) => `"${o.name}"`).join(', ')})`
			});
			continue;
		}
		records.push(...part.records);
	}
	if (problems.length > 0) throw new InputError(problems);
	return { plan, records };
}
