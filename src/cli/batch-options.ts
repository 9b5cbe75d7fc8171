import type { Problem } from '../lib/problems';
import { outputDirectoryProblem } from './output-directory';
import { parseCommandLine, wholeNumberOption, workersOption } from './command-line';
import { runLimits, streamAboveBytes } from '../lib/limits';

export interface BatchOptions {
	scenarios: string[];
	paths?: number;
	seed?: number;
	workers: number;
	format: 'json' | 'csv';
	out?: string;
	/** Stream the runs (blocks of paths, several passes) even when they fit in memory. */
	stream: boolean;
}

export const batchUsage = `usage: magnet-scenarios batch <scenario ids or files…> [--paths N] [--seed S] [--workers W] [--format json|csv] [--out DIR] [--stream]
       (npm run batch -- … in this repository)
  --paths up to ${runLimits.maxStreamedPaths.toLocaleString('en-US')}: a run whose paths would take over ${Math.round(streamAboveBytes / 2 ** 20)} MiB is streamed (blocks of
  paths simulated again for each pass of its exact percentiles; the same numbers, about twice the time);
  --stream streams every run; --workers is clamped to the cores available (with a note); --out must be a
  directory that can be created or written`;

/** Parses the batch command line, reporting every problem at once. */
export function parseBatchOptions(argv: readonly string[]): { options?: BatchOptions; scenarios: string[]; problems: Problem[]; help: boolean } {
	const problems: Problem[] = [];
	const { parsed, problem } = parseCommandLine(argv, {
		paths: { type: 'string' },
		seed: { type: 'string' },
		workers: { type: 'string' },
		format: { type: 'string' },
		out: { type: 'string' },
		stream: { type: 'boolean' },
		help: { type: 'boolean', short: 'h' }
	});
	if (!parsed) return { problems: [problem], scenarios: [], help: false };
	const { values, positionals } = parsed;
	if (values.help) return { problems, scenarios: positionals, help: true };
	const paths = wholeNumberOption(values.paths, 'paths', 1, runLimits.maxStreamedPaths, problems);
	const seed = wholeNumberOption(values.seed, 'seed', 0, runLimits.maxSeed, problems);
	const workers = workersOption(values.workers, problems);
	const format = values.format ?? 'json';
	if (format !== 'json' && format !== 'csv') {
		problems.push({ source: 'command line', path: '--format', message: `expected "json" or "csv", found "${format}"` });
	}
	if (values.out !== undefined && values.out.trim() === '') problems.push({ source: 'command line', path: '--out', message: 'expected a directory' });
	else if (values.out !== undefined) {
		const problem = outputDirectoryProblem(values.out);
		if (problem) problems.push(problem);
	}
	if (positionals.length === 0) problems.push({ source: 'command line', path: '', message: 'name at least one scenario (an id from scenarios/ or a file)' });
	if (problems.length > 0) return { problems, scenarios: positionals, help: false };
	return {
		options: { scenarios: positionals, paths, seed, workers, format: format as 'json' | 'csv', out: values.out, stream: values.stream ?? false },
		scenarios: positionals,
		problems,
		help: false
	};
}
