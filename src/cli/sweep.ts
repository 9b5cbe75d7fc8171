import { lstatSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { GoalOutOfRange, goalSeek } from '../lib/analysis/goal-seek';
import { estimateFrom, perPathValues } from '../lib/analysis/indicator';
import { checkIndicator, parseIndicator } from '../lib/analysis/indicator-spec';
import { simulateScenario, truncatedTo } from '../lib/analysis/common';
import { parameterById } from '../lib/model/parameters';
import { formatEstimate, formatQuantity } from '../lib/notebook/format';
import { InputError, type Problem } from '../lib/problems';
import { NodeRunner } from '../lib/runner/node/runner';
import { resolveScenario } from '../lib/scenario/resolve';
import { monthRange } from '../lib/time/months';
import { designValues, shardRange } from '../lib/sweep/design';
import { loadSweepText } from '../lib/sweep/load';
import { mergeParts, makePart, partFileName, partFilePattern, serializePart } from '../lib/sweep/parts';
import { planSweep, withParameter, type SweepPlan } from '../lib/sweep/plan';
import { buildResult, serializeResult, type SweepResult } from '../lib/sweep/result';
import { runPoints } from '../lib/sweep/run';
import { scenarioLibrary } from './check-files';
import { reportProblems, runWhenScript } from './command-line';
import { readInputFile } from './input-files';
import { makeDirectory, outputDirectoryProblem } from './output-directory';
import { parseSweepOptions, sweepUsage, type Shard } from './sweep-options';

/** The unsharded result's file name in --out DIR. */
export const resultFileName = 'sweep.json';
/** Bytes of one part file merge reads: below the longest string V8 holds (~512 MiB), with room to parse it. */
const MAX_PART_BYTES = 256 * 2 ** 20;

function display(path: string): string {
	const shown = relative(process.cwd(), resolve(path));
	return shown.startsWith('..') ? path : shown;
}

/** Reads, validates and plans a sweep file; every problem is located at its line in the file. */
export function loadSweepPlan(file: string): SweepPlan {
	const source = display(file);
	const read = readInputFile(file, source);
	if (read.problem) throw new InputError([read.problem]);
	const loaded = loadSweepText(read.text, source);
	if (!loaded.file) throw new InputError(loaded.problems);
	const located = (problems: readonly Problem[]) =>
		problems.map((problem) => (problem.source === '' ? { ...problem, source: loaded.locate(problem.path) } : problem));
	let base;
	try {
		base = resolveScenario(loaded.file.scenario, scenarioLibrary());
	} catch (error) {
		if (!(error instanceof InputError)) throw error;
		const unknown = error.problems.map((p) => ({ ...p, source: loaded.locate('scenario'), path: 'scenario' }));
		throw new InputError(unknown);
	}
	try {
		return planSweep(loaded.file, base);
	} catch (error) {
		if (error instanceof InputError) throw new InputError(located(error.problems));
		throw error;
	}
}

/**
 * A problem when `path` exists and is not a regular file: a rename over it would replace a
 * directory's name, a device (/dev/null), a pipe or a symbolic link rather than write a file.
 */
function notAFileProblem(path: string, option: string): Problem | undefined {
	let stats;
	try {
		stats = lstatSync(path);
	} catch {
		return undefined;
	}
	if (stats.isFile()) return undefined;
	const what = stats.isDirectory() ? 'a directory' : stats.isSymbolicLink() ? 'a symbolic link' : 'a device, pipe or socket';
	return { source: 'command line', path: option, message: `${display(path)} is ${what}, not a file to write: name a new or regular file` };
}

/** Writes a file whole or not at all: a temporary name in the same directory, then a rename. */
export function writeAtomically(path: string, text: string): void {
	const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
	try {
		writeFileSync(temporary, text);
		renameSync(temporary, path);
	} finally {
		rmSync(temporary, { force: true });
	}
}

function duration(seconds: number): string {
	if (!Number.isFinite(seconds)) return '…';
	if (seconds < 60) return `${Math.round(seconds)} s`;
	if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
	return `${Math.floor(seconds / 3600)} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

/** Progress on stderr: one redrawn line on a terminal; elsewhere (logs, CI) a line every ~5 s. */
function progressReporter(total: number, started: number): (done: number) => void {
	let lastLine = 0;
	return (done) => {
		const now = performance.now();
		const seconds = (now - started) / 1000;
		const rate = done / Math.max(seconds, 1e-3);
		const line = `points ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.floor((100 * done) / total)} %), ${rate.toPrecision(3)} points/s, ETA ${duration((total - done) / rate)}`;
		if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(90)}`);
		else if (now - lastLine > 5000 && done < total) {
			lastLine = now;
			process.stderr.write(line + '\n');
		}
	};
}

function describeShard(shard: Shard | undefined): string {
	return shard ? `shard ${shard.index}/${shard.count}` : 'all points';
}

/** A few lines saying what the result found, for the terminal. */
export function resultSummary(result: SweepResult): string[] {
	const lines: string[] = [];
	for (const sobol of result.analyses.sobol ?? []) {
		if (!sobol.factors) {
			lines.push(`Sobol' indices of ${sobol.output}: ${sobol.unavailable}`);
			continue;
		}
		const ranked = [...sobol.factors].sort((a, b) => b.total.estimate - a.total.estimate).slice(0, 3);
		const shown = ranked.map((f) => `${f.name} total ${f.total.estimate.toFixed(2)} [${f.total.low.toFixed(2)}, ${f.total.high.toFixed(2)}]`);
		lines.push(`Sobol' indices of ${sobol.output} (95 % bootstrap intervals): ${shown.join('; ')}`);
	}
	const discovery = result.analyses.discovery;
	if (discovery?.box) {
		const { box } = discovery;
		const limits = box.limits.map((l) => `${l.name} ${formatQuantity(l.low, l.unit)} … ${formatQuantity(l.high, l.unit)}`).join(', ') || 'no factor narrowed';
		lines.push(
			`PRIM box for ${discovery.criterion}: ${limits}; coverage ${Math.round(box.coverage * 100)} %, density ${Math.round(box.density * 100)} % (${box.points} points)`
		);
	} else if (discovery) lines.push(`PRIM for ${discovery.criterion}: ${discovery.unavailable}`);
	return lines;
}

async function runSweep(file: string, out: string, shard: Shard | undefined, workers: number, log: (line: string) => void): Promise<string> {
	const plan = loadSweepPlan(file);
	const target = join(out, shard ? partFileName(shard.index, shard.count) : resultFileName);
	const blocked = notAFileProblem(target, '--out');
	if (blocked) throw new InputError([blocked]);
	const { first, end } = shard ? shardRange(plan.pointCount, shard.index, shard.count) : { first: 0, end: plan.pointCount };
	const design = designValues(plan);
	const range = end > first ? `points ${first.toLocaleString('en-US')} … ${(end - 1).toLocaleString('en-US')}` : 'no points (more shards than points)';
	log(
		`${plan.definition.title}: ${describeShard(shard)}, ${range} of ${plan.pointCount.toLocaleString('en-US')}, ${plan.paths.toLocaleString('en-US')} paths each, ${workers} worker${workers === 1 ? '' : 's'}`
	);
	const runner = new NodeRunner({ workers, blockCacheFloats: 0 });
	const started = performance.now();
	const progress = progressReporter(end - first, started);
	let records;
	try {
		records = await runPoints(plan, design, first, end, { evaluators: runner.pointEvaluators(), onPoint: (_, done) => progress(done) });
	} finally {
		await runner.close();
	}
	const seconds = (performance.now() - started) / 1000;
	if (process.stderr.isTTY) process.stderr.write('\n');
	log(`ran ${records.length.toLocaleString('en-US')} points in ${seconds.toFixed(1)} s: ${(records.length / seconds).toPrecision(3)} points/s`);
	makeDirectory(out);
	if (shard) {
		writeAtomically(target, serializePart(makePart(plan, shard, records)));
		return `wrote ${display(target)}`;
	}
	const result = buildResult(plan, records);
	writeAtomically(target, serializeResult(result));
	return [`wrote ${display(target)}`, ...resultSummary(result)].join('\n');
}

/** Part files of a directory, by name. */
function readParts(directory: string): { name: string; text: string }[] {
	let names: string[];
	try {
		if (!statSync(directory).isDirectory()) throw new InputError([{ source: directory, path: '', message: 'is not a directory' }]);
		names = readdirSync(directory);
	} catch (error) {
		if (error instanceof InputError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new InputError([{ source: directory, path: '', message: code === 'ENOENT' ? 'no such directory' : `cannot read: ${code ?? String(error)}` }]);
	}
	const problems: Problem[] = [];
	const parts = names
		.filter((name) => partFilePattern.test(name))
		.sort()
		.flatMap((name) => {
			const path = join(directory, name);
			const read = readInputFile(path, display(path), MAX_PART_BYTES);
			if (read.problem) {
				problems.push(read.problem);
				return [];
			}
			return [{ name: display(path), text: read.text }];
		});
	if (problems.length > 0) throw new InputError(problems);
	return parts;
}

function mergeSweep(directory: string, out: string): string {
	const target = resolve(out);
	if (/[\\/]$/.test(out)) throw new InputError([{ source: 'command line', path: '--out', message: `${out} names a directory; expected a file to write` }]);
	const problem = outputDirectoryProblem(dirname(target), '--out') ?? notAFileProblem(target, '--out');
	if (problem) throw new InputError([problem]);
	if (dirname(target) === resolve(directory) && partFilePattern.test(basename(target)))
		throw new InputError([
			{ source: 'command line', path: '--out', message: `${out} is a part file name in ${directory}: the merged result would replace a part` }
		]);
	const { plan, records } = mergeParts(readParts(directory), display(directory));
	const result = buildResult(plan, records);
	makeDirectory(dirname(target));
	writeAtomically(target, serializeResult(result));
	return [`merged ${records.length.toLocaleString('en-US')} points into ${display(out)}`, ...resultSummary(result)].join('\n');
}

async function seekGoal(file: string, workers: number, log: (line: string) => void): Promise<string> {
	const plan = loadSweepPlan(file);
	const seek = plan.definition.seek;
	if (!seek)
		throw new InputError([{ source: display(file), path: 'seek', message: 'the file has no "seek" section: name a factor, a range, an output and a target' }]);
	const indicator = checkIndicator(parseIndicator(seek.output), monthRange(plan.base.start, plan.base.end));
	// "At least t" on an output that rises with the lever is "at most −t" on its negation.
	const sign = seek.atMost !== undefined ? 1 : -1;
	const target = sign * (seek.atMost ?? seek.atLeast!);
	const runner = new NodeRunner({ workers, blockCacheFloats: 0 });
	try {
		const source = runner.pathSource();
		const evaluate = async (value: number) => {
			const scenario = truncatedTo(withParameter(plan.base, seek.factor, value), indicator.year);
			const paths = await simulateScenario(scenario, { seed: plan.seed, paths: plan.paths, source });
			const estimate = estimateFrom(perPathValues(paths, indicator), indicator);
			log(`  ${seek.factor} = ${value.toPrecision(6)}: ${seek.output} = ${estimate.value.toPrecision(4)} ± ${estimate.se.toPrecision(2)}`);
			return { value: sign * estimate.value, se: estimate.se };
		};
		let found;
		try {
			found = await goalSeek(evaluate, seek.low, seek.high, target, { tolerance: seek.tolerance });
		} catch (error) {
			if (!(error instanceof GoalOutOfRange)) throw error;
			const value = formatEstimate(sign * error.estimate.value, error.estimate.se, indicator.unit);
			const goal = seek.atMost !== undefined ? `at most ${seek.atMost}` : `at least ${seek.atLeast}`;
			const message =
				error.end === 'low'
					? `${seek.output} is ${value} already at ${seek.factor} = ${seek.low}, the low end, so the goal (${goal}) needs no lever: lower "low"`
					: `${seek.output} is still ${value} at ${seek.factor} = ${seek.high}, the high end, so the goal (${goal}) is out of reach in this range: raise "high" or relax the target`;
			throw new InputError([{ source: display(file), path: 'seek', message }]);
		}
		const unit = parameterById[seek.factor].unit;
		const output = { name: seek.output, value: sign * found.estimate.value, se: found.estimate.se };
		const answer = `${seek.factor} = ${formatEstimate(found.lever, found.se, unit)} (± one Monte Carlo standard error), where ${seek.output} = ${formatEstimate(output.value, output.se, indicator.unit)}`;
		log(`answer: ${answer}`);
		return JSON.stringify(
			{
				sweep: plan.hash,
				scenario: plan.base.id,
				seed: plan.seed,
				paths: plan.paths,
				goal: `smallest ${seek.factor} in [${seek.low}, ${seek.high}] with ${seek.output} ${seek.atMost !== undefined ? `≤ ${seek.atMost}` : `≥ ${seek.atLeast}`}`,
				answer,
				lever: found.lever,
				leverSe: found.se,
				unit,
				output,
				evaluations: found.evaluations
			},
			null,
			1
		);
	} finally {
		await runner.close();
	}
}

export async function main(argv: string[]): Promise<number> {
	const log = (line: string) => process.stderr.write(line + '\n');
	const { command, problems, help } = parseSweepOptions(argv, process.env, log);
	if (help) {
		process.stdout.write(sweepUsage + '\n');
		return 0;
	}
	try {
		if (!command) {
			process.stderr.write(sweepUsage + '\n');
			return reportProblems(problems);
		}
		const output =
			command.kind === 'merge'
				? mergeSweep(command.directory, command.out)
				: command.kind === 'seek'
					? await seekGoal(command.file, command.workers, log)
					: await runSweep(command.file, command.out, command.shard, command.workers, log);
		process.stdout.write(output + '\n');
		return 0;
	} catch (error) {
		if (error instanceof InputError) return reportProblems(error.problems);
		throw error;
	}
}

runWhenScript('sweep.ts', main);
