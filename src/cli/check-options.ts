import type { Problem } from '../lib/problems';
import { parseCommandLine, wholeNumberOption, workersOption } from './command-line';
import { runLimits } from '../lib/limits';

export interface CheckOptions {
	files: string[];
	filter?: string;
	paths?: number;
	workers: number;
	maxRuns: number;
	verbose: boolean;
}

export const checkUsage = `usage: magnet-scenarios check [check files or directories…] [--filter TEXT] [--paths N] [--workers W] [--max-runs N] [--verbose]
       (npm run check:scenarios -- … in this repository)
  files        default: every *.yaml, *.yml and *.json in checks/ (except check.schema.json)
  --filter     only checks whose "file › group › it" contains TEXT (case-insensitive)
  --paths      paths per run, replacing each file's default (a check's own paths still win)
  --workers    worker threads (default: every core; more than the cores available is clamped, with a note)
  --max-runs   refuse, before starting, a plan that needs more distinct runs than this (default 80)
  --verbose    print every case of every check
exit status: 0 all passed (inconclusive checks do not fail the run), 1 a check failed, 2 bad input`;

export function parseCheckOptions(argv: readonly string[]): { options?: CheckOptions; problems: Problem[]; help: boolean } {
	const problems: Problem[] = [];
	const { parsed, problem } = parseCommandLine(argv, {
		filter: { type: 'string' },
		paths: { type: 'string' },
		workers: { type: 'string' },
		'max-runs': { type: 'string' },
		verbose: { type: 'boolean', short: 'v' },
		help: { type: 'boolean', short: 'h' }
	});
	if (!parsed) return { problems: [problem], help: false };
	const { values, positionals } = parsed;
	if (values.help) return { problems, help: true };
	const paths = wholeNumberOption(values.paths, 'paths', 10, runLimits.maxPaths, problems);
	const workers = workersOption(values.workers, problems);
	const maxRuns = wholeNumberOption(values['max-runs'], 'max-runs', 1, 100_000, problems) ?? 80;
	if (values.filter !== undefined && values.filter.trim() === '') problems.push({ source: 'command line', path: '--filter', message: 'expected some text' });
	if (problems.length > 0) return { problems, help: false };
	return { options: { files: positionals, filter: values.filter, paths, workers, maxRuns, verbose: values.verbose ?? false }, problems, help: false };
}
