import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { didYouMean, type Problem } from '../lib/scenario/problems';

export interface CheckOptions {
	files: string[];
	filter?: string;
	paths?: number;
	workers: number;
	maxRuns: number;
	verbose: boolean;
}

export const checkUsage = `usage: npm run check:scenarios -- [check files or directories…] [--filter TEXT] [--paths N] [--workers W] [--max-runs N] [--verbose]
  files        default: every *.yaml, *.yml and *.json in checks/ (except check.schema.json)
  --filter     only checks whose "file › group › it" contains TEXT (case-insensitive)
  --paths      paths per run, replacing each file's default (a check's own paths still win)
  --workers    worker threads (default: every core)
  --max-runs   refuse, before starting, a plan that needs more distinct runs than this (default 80)
  --verbose    print every case of every check
exit status: 0 all passed (inconclusive checks do not fail the run), 1 a check failed, 2 bad input`;

const optionNames = ['filter', 'paths', 'workers', 'max-runs', 'verbose', 'help'];

function wholeNumber(text: string | undefined, name: string, min: number, max: number, problems: Problem[]): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
		problems.push({ source: 'command line', path: `--${name}`, message: `expected a whole number, found "${text}"` });
		return undefined;
	}
	if (value < min || value > max) {
		problems.push({ source: 'command line', path: `--${name}`, message: `must be between ${min} and ${max}, found ${value}` });
		return undefined;
	}
	return value;
}

export function parseCheckOptions(argv: readonly string[]): { options?: CheckOptions; problems: Problem[]; help: boolean } {
	const problems: Problem[] = [];
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			allowPositionals: true,
			strict: true,
			options: {
				filter: { type: 'string' },
				paths: { type: 'string' },
				workers: { type: 'string' },
				'max-runs': { type: 'string' },
				verbose: { type: 'boolean', short: 'v' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const unknown = /Unknown option '--?([^']+)'/.exec(message)?.[1];
		problems.push({
			source: 'command line',
			path: '',
			message: unknown ? `unknown option --${unknown}${didYouMean(unknown, optionNames)}` : message.replace(/\. To specify.*$/s, '')
		});
		return { problems, help: false };
	}
	const { values, positionals } = parsed;
	if (values.help) return { problems, help: true };
	const paths = wholeNumber(values.paths, 'paths', 10, 200_000, problems);
	const workers = wholeNumber(values.workers, 'workers', 1, 256, problems) ?? availableParallelism();
	const maxRuns = wholeNumber(values['max-runs'], 'max-runs', 1, 100_000, problems) ?? 80;
	if (values.filter !== undefined && values.filter.trim() === '') problems.push({ source: 'command line', path: '--filter', message: 'expected some text' });
	if (problems.length > 0) return { problems, help: false };
	return { options: { files: positionals, filter: values.filter, paths, workers, maxRuns, verbose: values.verbose ?? false }, problems, help: false };
}
