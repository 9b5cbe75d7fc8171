import type { Problem } from '../lib/problems';
import { MAX_SHARDS } from '../lib/sweep/parts';
import { commandLineProblem, parseCommandLine, workersOption } from './command-line';
import { outputDirectoryProblem } from './output-directory';

/** Which share of a sweep's points one process runs: shard `index` (from 0) of `count`. */
export interface Shard {
	index: number;
	count: number;
}

export type SweepCommand =
	| { kind: 'run'; file: string; out: string; shard?: Shard; workers: number }
	| { kind: 'merge'; directory: string; out: string }
	| { kind: 'seek'; file: string; workers: number };

export { MAX_SHARDS };

/** The environment variable a Kubernetes Indexed Job sets to each pod's index (0 … completions − 1). */
export const shardIndexVariable = 'JOB_COMPLETION_INDEX';

export const sweepUsage = `usage: magnet-scenarios sweep <sweep file> [--out DIR] [--shard I/N | --shards N] [--workers W]
       magnet-scenarios sweep merge <DIR> --out <FILE>
       magnet-scenarios sweep seek <sweep file> [--workers W]
       (npm run sweep -- … in this repository)

  Runs every point of a sweep file (sweeps/*.yaml) on all cores and writes DIR/sweep.json
  (default DIR: sweep-results/<file name>); with a shard, only that shard's points, into the part
  file DIR/part-<I>-of-<N>.json, written whole or not at all.
  --shard I/N     shards are numbered from 0: --shard 0/4 … --shard 3/4 (Slurm: $SLURM_ARRAY_TASK_ID/N
                  with --array=0-(N-1); a CI matrix: \${{ matrix.shard }}/N)
  --shards N      the shard index is read from $${shardIndexVariable} (a Kubernetes Indexed Job)
  --workers W     threads simulating; default: every core, more is clamped to them
  merge DIR --out FILE   checks DIR's part files (missing, duplicated, or from another sweep or model
                  version: an error naming them) and writes FILE, byte for byte what an unsharded run writes
  seek FILE       the file's "seek" goal: the smallest lever value meeting a target, on common random numbers
  Bad input exits with status 2 and writes nothing.`;

/** Reads "I/N" (I from 0, below N). */
export function parseShard(text: string, path = '--shard'): { shard?: Shard; problem?: Problem } {
	const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
	if (!match) return { problem: commandLineProblem(path, `expected I/N with whole numbers, shards numbered from 0 (e.g. 0/4), found "${text}"`) };
	const index = Number(match[1]);
	const count = Number(match[2]);
	if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS)
		return { problem: commandLineProblem(path, `the shard count must be between 1 and ${MAX_SHARDS.toLocaleString('en-US')}, found ${match[2]}`) };
	if (!Number.isSafeInteger(index) || index >= count)
		return {
			problem: commandLineProblem(path, `shard ${match[1]} of ${count} does not exist: shards are numbered from 0, so the last is ${count - 1}/${count}`)
		};
	return { shard: { index, count } };
}

/** The shard of a Kubernetes Indexed Job's pod: its index from the environment, the count from --shards. */
export function shardFromEnvironment(countText: string, environment: NodeJS.ProcessEnv): { shard?: Shard; problem?: Problem } {
	const index = environment[shardIndexVariable];
	if (index === undefined || index.trim() === '')
		return { problem: commandLineProblem('--shards', `$${shardIndexVariable} is not set: give --shard I/N, or run as a Kubernetes Indexed Job`) };
	const parsed = parseShard(`${index}/${countText}`, '--shards');
	if (parsed.problem) return { problem: { ...parsed.problem, message: `${parsed.problem.message} ($${shardIndexVariable}=${JSON.stringify(index)})` } };
	return parsed;
}

export const sweepOptionConfig = {
	out: { type: 'string' },
	shard: { type: 'string' },
	shards: { type: 'string' },
	workers: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
} as const;

/** Default directory of a sweep's results: sweep-results/<file name without extension>. */
export function defaultOutDirectory(file: string): string {
	const name = file
		.split(/[\\/]/)
		.at(-1)!
		.replace(/\.(ya?ml|json)$/i, '');
	return `sweep-results/${name}`;
}

/** Parses the sweep command line, reporting every problem at once. */
export function parseSweepOptions(
	argv: readonly string[],
	environment: NodeJS.ProcessEnv = process.env,
	notice?: (line: string) => void
): { command?: SweepCommand; problems: Problem[]; help: boolean } {
	const problems: Problem[] = [];
	const { parsed, problem } = parseCommandLine(argv, sweepOptionConfig);
	if (!parsed) return { problems: [problem], help: false };
	const { values, positionals } = parsed;
	if (values.help) return { problems, help: true };
	const [first, ...rest] = positionals;
	const emptyOut = values.out !== undefined && values.out.trim() === '';
	if (emptyOut) problems.push(commandLineProblem('--out', 'expected a path'));

	if (first === 'merge') {
		if (rest.length !== 1) problems.push(commandLineProblem('', `merge takes one directory of part files; found ${rest.length} arguments`));
		if (values.out === undefined) problems.push(commandLineProblem('--out', 'merge needs --out FILE, the merged result to write'));
		for (const option of ['shard', 'shards', 'workers'] as const)
			if (values[option] !== undefined) problems.push(commandLineProblem(`--${option}`, 'merge runs nothing: it takes only a directory and --out FILE'));
		if (problems.length > 0) return { problems, help: false };
		return { command: { kind: 'merge', directory: rest[0], out: values.out! }, problems, help: false };
	}

	const isSeek = first === 'seek';
	const files = isSeek ? rest : positionals;
	if (files.length !== 1) problems.push(commandLineProblem('', `name one sweep file; found ${files.length} arguments`));
	const workers = workersOption(values.workers, problems, notice);
	if (isSeek) {
		for (const option of ['out', 'shard', 'shards'] as const)
			if (values[option] !== undefined) problems.push(commandLineProblem(`--${option}`, 'seek prints its answer and takes no shard or --out'));
		if (problems.length > 0) return { problems, help: false };
		return { command: { kind: 'seek', file: files[0], workers }, problems, help: false };
	}
	let shard: Shard | undefined;
	if (values.shard !== undefined && values.shards !== undefined) problems.push(commandLineProblem('--shards', 'give --shard I/N or --shards N, not both'));
	else if (values.shard !== undefined) {
		const read = parseShard(values.shard);
		if (read.problem) problems.push(read.problem);
		shard = read.shard;
	} else if (values.shards !== undefined) {
		const read = shardFromEnvironment(values.shards, environment);
		if (read.problem) problems.push(read.problem);
		shard = read.shard;
	}
	const out = values.out ?? (files.length === 1 ? defaultOutDirectory(files[0]) : '');
	if (!emptyOut && files.length === 1) {
		const outProblem = outputDirectoryProblem(out);
		if (outProblem) problems.push(outProblem);
	}
	if (problems.length > 0) return { problems, help: false };
	return { command: { kind: 'run', file: files[0], out, shard, workers }, problems, help: false };
}
