import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean, formatProblem, type Problem } from '../lib/problems';

/** What every command does with a problem of its command line or input. */
export function commandLineProblem(path: string, message: string): Problem {
	return { source: 'command line', path, message };
}

/** Turns parseArgs's error (an unknown or malformed option) into a problem, with a "did you mean". */
function optionProblem(error: unknown, optionNames: readonly string[]): Problem {
	const message = error instanceof Error ? error.message : String(error);
	const unknown = /Unknown option '--?([^']+)'/.exec(message)?.[1];
	return commandLineProblem(
		'',
		unknown ? `unknown option --${unknown}${didYouMean(unknown, optionNames)}` : message.replace(/\.\s+(To specify|Did you forget).*$/s, '')
	);
}

/**
 * Parses a command line (strict options, positionals allowed). An unknown or malformed option
 * comes back as a problem, with a "did you mean" among the options' own names.
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
	try {
		return { parsed: parseArgs({ args: [...argv], allowPositionals: true, strict: true, options }) };
	} catch (error) {
		return { problem: optionProblem(error, Object.keys(options)) };
	}
}

/** Reads a whole-number option within [min, max]; a bad value adds a problem and gives undefined. */
export function wholeNumberOption(text: string | undefined, name: string, min: number, max: number, problems: Problem[]): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
		problems.push(commandLineProblem(`--${name}`, `expected a whole number, found "${text}"`));
		return undefined;
	}
	if (value < min || value > max) {
		problems.push(commandLineProblem(`--${name}`, `must be between ${min} and ${max}, found ${value}`));
		return undefined;
	}
	return value;
}

/**
 * The --workers option: a whole number from 1; more than the cores available is clamped to them,
 * with a notice (extra threads would only compete for the same cores and memory). Default: every core.
 */
export function workersOption(
	text: string | undefined,
	problems: Problem[],
	notice: (line: string) => void = (line) => process.stderr.write(line + '\n')
): number {
	const cores = availableParallelism();
	const requested = wholeNumberOption(text, 'workers', 1, Number.MAX_SAFE_INTEGER, problems);
	if (requested === undefined) return cores;
	if (requested > cores) {
		notice(`note: --workers ${requested} is more than the ${cores} core${cores === 1 ? '' : 's'} available; using ${cores}`);
		return cores;
	}
	return requested;
}

/** Prints every problem on stderr; returns the exit status for bad input. */
export function reportProblems(problems: readonly Problem[]): number {
	process.stderr.write(problems.map((p) => `error: ${formatProblem(p)}`).join('\n') + '\n');
	return 2;
}

/** Runs a command's main function and sets the exit status; an unexpected error exits 1 with its stack. */
export function runCommand(main: (argv: string[]) => Promise<number>): void {
	main(process.argv.slice(2)).then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
			process.exitCode = 1;
		}
	);
}

/**
 * Runs a command when its TypeScript file is the script Node was started with (`npm run batch`,
 * `tsx src/cli/batch.ts`), and not when it is imported: by the `magnet-scenarios` bin, which calls
 * the same `main`, or by tests. Matches the `.ts` name only, so a compiled bundle never starts it.
 */
export function runWhenScript(fileName: string, main: (argv: string[]) => Promise<number>): void {
	const script = process.argv[1] ?? '';
	if (script === fileName || script.endsWith(`/${fileName}`) || script.endsWith(`\\${fileName}`)) runCommand(main);
}
