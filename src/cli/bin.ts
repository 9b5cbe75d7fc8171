import { main as analyse } from './analyse';
import { main as batch } from './batch';
import { main as check } from './check';
import { runCommand } from './command-line';
import { main as compare } from './compare';
import { main as sweep } from './sweep';
import { didYouMean } from '../lib/problems';

/**
 * The installed package's command, `magnet-scenarios <command> …`: each command is the same
 * `main` the npm scripts run (`npm run batch` → `batch`, `npm run check:scenarios` → `check`,
 * `npm run compare`, `npm run analyse`, `npm run sweep`), with the same options, output and exit codes.
 */
const commands: Record<string, { main: (argv: string[]) => Promise<number>; summary: string }> = {
	batch: { main: batch, summary: 'run scenarios and print their results (as npm run batch)' },
	check: { main: check, summary: 'run check files (as npm run check:scenarios)' },
	compare: { main: compare, summary: 'compare results with a saved baseline (as npm run compare)' },
	analyse: { main: analyse, summary: 'comparisons, thresholds, tornado, attribution … (as npm run analyse)' },
	sweep: { main: sweep, summary: 'run a sweep file, or a shard of it; merge shards; seek a goal (as npm run sweep)' }
};

export const binUsage = `usage: magnet-scenarios <command> [arguments…]

commands:
${Object.entries(commands)
	.map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`)
	.join('\n')}

magnet-scenarios <command> --help shows a command's options. Bad input exits with status 2.`;

export async function binMain(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
		(name === undefined ? process.stderr : process.stdout).write(binUsage + '\n');
		return name === undefined ? 2 : 0;
	}
	const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
	if (!command) {
		process.stderr.write(
			`${binUsage}\nerror: unknown command "${name}"${didYouMean(name, Object.keys(commands))}; expected one of ${Object.keys(commands).join(', ')}\n`
		);
		return 2;
	}
	return command.main(rest);
}

runCommand(binMain);
