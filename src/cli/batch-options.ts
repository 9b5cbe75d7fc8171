import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import type { Problem } from '../lib/scenario/problems';
import { didYouMean } from '../lib/scenario/problems';

export interface BatchOptions {
	scenarios: string[];
	paths?: number;
	seed?: number;
	workers: number;
	format: 'json' | 'csv';
	out?: string;
}

export const batchUsage = `usage: npm run batch -- <scenario ids or files…> [--paths N] [--seed S] [--workers W] [--format json|csv] [--out DIR]`;

const optionNames = ['paths', 'seed', 'workers', 'format', 'out', 'help'];

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

/** Parses the batch command line, reporting every problem at once. */
export function parseBatchOptions(argv: readonly string[]): { options?: BatchOptions; scenarios: string[]; problems: Problem[]; help: boolean } {
	const problems: Problem[] = [];
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			allowPositionals: true,
			strict: true,
			options: {
				paths: { type: 'string' },
				seed: { type: 'string' },
				workers: { type: 'string' },
				format: { type: 'string' },
				out: { type: 'string' },
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
		return { problems, scenarios: [], help: false };
	}
	const { values, positionals } = parsed;
	if (values.help) return { problems, scenarios: positionals, help: true };
	const paths = wholeNumber(values.paths, 'paths', 1, 200_000, problems);
	const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1, problems);
	const workers = wholeNumber(values.workers, 'workers', 1, 256, problems) ?? availableParallelism();
	const format = values.format ?? 'json';
	if (format !== 'json' && format !== 'csv') {
		problems.push({ source: 'command line', path: '--format', message: `expected "json" or "csv", found "${format}"` });
	}
	if (values.out !== undefined && values.out.trim() === '') problems.push({ source: 'command line', path: '--out', message: 'expected a directory' });
	if (positionals.length === 0) problems.push({ source: 'command line', path: '', message: 'name at least one scenario (an id from scenarios/ or a file)' });
	if (problems.length > 0) return { problems, scenarios: positionals, help: false };
	return { options: { scenarios: positionals, paths, seed, workers, format: format as 'json' | 'csv', out: values.out }, scenarios: positionals, problems, help: false };
}
