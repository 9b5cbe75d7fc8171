import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Marked, type RendererObject, type Tokens } from 'marked';
import { baselineFile, baselineFileSchema, baselineText, compareBaselines, comparisonMarkdown, type BaselineFile } from '../lib/checks/compare';
import type { RunResult } from '../lib/engine/run';
import { buildLibrary } from '../lib/scenario/resolve';
import { parseJson } from '../lib/scenario/read';
import { workProblem } from '../lib/limits';
import { formatPath, InputError, knownKeysFromSchema, problemsFromZod, type Problem } from '../lib/problems';
import { monthRange } from '../lib/time/months';
import { parseCommandLine, reportProblems, runWhenScript, wholeNumberOption, workersOption } from './command-line';
import { readInputFile } from './input-files';
import type { Scenario } from '../lib/scenario/schema';
import { NodeRunner } from '../lib/runner/node/runner';
import { readScenarioDirectory, resolveScenarioArguments } from './scenario-files';
import { escapeHtml } from '../lib/text/escape-html';
import { runLimits } from '../lib/limits';

export const compareUsage = `usage: magnet-scenarios compare [--base FILE] [--save FILE] [scenario ids…] [--paths N] [--seed S] [--report FILE.md] [--html FILE.html] [--workers W]
       (npm run compare -- … in this repository)
  --base     compare every scenario against this saved results file (same seeds and paths as the file)
  --save     write the results of this run as a new baseline file
  --paths    paths per scenario when there is no --base (default 2000)
  --seed     seed of every scenario when there is no --base (default: each scenario's own)
  --report   write the markdown report here (default: print it)
  --html     also write the report as HTML
Without ids, every scenario in scenarios/ (and every scenario of the base file) is run.`;

/** What --paths and --seed accept; a base file's paths and seeds are held to the same. */
const pathsBounds = { min: 10, max: runLimits.maxPaths } as const;
const seedBounds = { min: 0, max: runLimits.maxSeed } as const;

interface CompareOptions {
	base?: string;
	save?: string;
	ids: string[];
	paths: number;
	seed?: number;
	report?: string;
	html?: string;
	workers: number;
}

function parseOptions(argv: readonly string[]): { options?: CompareOptions; problems: Problem[]; help?: boolean } {
	const problems: Problem[] = [];
	const { parsed, problem } = parseCommandLine(argv, {
		base: { type: 'string' },
		save: { type: 'string' },
		paths: { type: 'string' },
		seed: { type: 'string' },
		report: { type: 'string' },
		html: { type: 'string' },
		workers: { type: 'string' },
		help: { type: 'boolean', short: 'h' }
	});
	if (!parsed) return { problems: [problem] };
	const { values, positionals } = parsed;
	if (values.help) return { problems, help: true };
	const paths = wholeNumberOption(values.paths, 'paths', pathsBounds.min, pathsBounds.max, problems) ?? 2000;
	const seed = wholeNumberOption(values.seed, 'seed', seedBounds.min, seedBounds.max, problems);
	const workers = workersOption(values.workers, problems);
	if (!values.base && !values.save)
		problems.push({ source: 'command line', path: '', message: 'give --base FILE to compare, --save FILE to write a baseline, or both' });
	if (values.base && (values.paths !== undefined || values.seed !== undefined)) {
		problems.push({
			source: 'command line',
			path: values.paths !== undefined ? '--paths' : '--seed',
			message: 'with --base, each scenario runs on the seed and paths of the base file'
		});
	}
	if (values.base && !existsSync(values.base)) problems.push({ source: values.base, path: '', message: 'no such base file' });
	if (problems.length > 0) return { problems };
	return { options: { base: values.base, save: values.save, ids: positionals, paths, seed, report: values.report, html: values.html, workers }, problems };
}

const knownBaselineKeys = knownKeysFromSchema(baselineFileSchema);

export function readBaseline(path: string): BaselineFile {
	const read = readInputFile(path);
	if (read.problem) throw new InputError([read.problem]);
	const parsed = parseJson(read.text, path);
	if (parsed.problems.length > 0) throw new InputError(parsed.problems);
	const result = baselineFileSchema.safeParse(parsed.value);
	if (!result.success) throw new InputError(problemsFromZod(result.error, parsed.value, path, knownBaselineKeys));
	// The file says how many paths to run and on which seed: it gets no more than the command line would.
	const problems: Problem[] = [];
	result.data.scenarios.forEach((scenario, i) => {
		for (const [key, bounds, option] of [
			['paths', pathsBounds, '--paths'],
			['seed', seedBounds, '--seed']
		] as const) {
			const value = scenario[key];
			if (value < bounds.min || value > bounds.max) {
				problems.push({
					source: path,
					path: formatPath(['scenarios', i, key]),
					message: `must be between ${bounds.min} and ${bounds.max.toLocaleString('en-US')} (the bounds of ${option}), found ${value}`
				});
			}
		}
	});
	if (problems.length > 0) throw new InputError(problems);
	return result.data;
}

function writeAtomically(path: string, text: string) {
	mkdirSync(dirname(path), { recursive: true });
	const partial = `${path}.partial`;
	writeFileSync(partial, text);
	renameSync(partial, path);
}

/**
 * The report's markdown carries ids, model versions, units and notes read from the base file, so
 * it is rendered as text: raw HTML is escaped rather than passed through, links keep only http(s)
 * and mailto targets, and images are reduced to their alt text (a report must not fetch anything).
 */
const reportRenderer: RendererObject = {
	html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
	link(token: Tokens.Link): string {
		const text: string = this.parser.parseInline(token.tokens);
		if (!/^(?:https?:|mailto:)/i.test(token.href.trim())) return text;
		const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
		return `<a href="${escapeHtml(token.href)}"${title} rel="noopener noreferrer">${text}</a>`;
	},
	image: (token: Tokens.Image) => escapeHtml(token.text)
};
const reportMarked = new Marked({ async: false, gfm: true, renderer: reportRenderer });

/** The comparison report as a standalone HTML page; nothing from the files it compares reaches it unescaped. */
function reportHtml(markdown: string, title: string): string {
	const body = reportMarked.parse(markdown, { async: false });
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="content-security-policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 2rem; max-width: 80rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
code { font-size: 90%; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export async function main(argv: string[]): Promise<number> {
	const { options, problems, help } = parseOptions(argv);
	if (help) {
		process.stdout.write(compareUsage + '\n');
		return 0;
	}
	if (!options) {
		process.stderr.write(compareUsage + '\n');
		return reportProblems(problems);
	}
	let base: BaselineFile | undefined;
	let jobs: { scenario: Scenario; seed: number; paths: number }[];
	let unrun: string[];
	try {
		base = options.base ? readBaseline(options.base) : undefined;
		const available = [...buildLibrary(readScenarioDirectory()).library.keys()].sort();
		const baseIds = base?.scenarios.map((s) => s.id) ?? [];
		const ids = options.ids.length > 0 ? options.ids : [...new Set([...baseIds, ...available])];
		// A scenario of the base file that no longer exists is reported as removed, not an error.
		// Without --save, a scenario the base file lacks is only listed as new: there is nothing to compare it with.
		const runnable = (options.ids.length > 0 ? ids : ids.filter((id) => available.includes(id))).filter((id) => !base || options.save || baseIds.includes(id));
		unrun = ids.filter((id) => !runnable.includes(id) && available.includes(id));
		const scenarios = resolveScenarioArguments(runnable);
		const basePaths = base ? Math.max(...base.scenarios.map((s) => s.paths)) : undefined;
		jobs = scenarios.map((scenario) => {
			const saved = base?.scenarios.find((s) => s.id === scenario.id);
			return { scenario, seed: saved?.seed ?? options.seed ?? scenario.seed, paths: saved?.paths ?? basePaths ?? options.paths };
		});
		const overBudget = jobs.flatMap(({ scenario, paths }) => workProblem(paths, monthRange(scenario.start, scenario.end).length, scenario.id, 'paths') ?? []);
		if (overBudget.length > 0) throw new InputError(overBudget);
	} catch (error) {
		if (error instanceof InputError) return reportProblems(error.problems);
		throw error;
	}

	const started = performance.now();
	// Each run's paths are dropped once summarised: the next run of the same size reuses its block.
	const runner = new NodeRunner({ workers: options.workers, reuseRunBlocks: true });
	const results: RunResult[] = [];
	try {
		for (const job of jobs) {
			const { result } = await runner.runScenario(job.scenario, { seed: job.seed, paths: job.paths });
			process.stderr.write(
				`ran ${job.scenario.id} (${job.paths.toLocaleString('en-US')} paths, seed ${job.seed}) at ${((performance.now() - started) / 1000).toFixed(1)} s, fingerprint ${result.fingerprint}\n`
			);
			results.push(result);
		}
	} finally {
		await runner.close();
	}
	const current = baselineFile(results, base?.significantDigits);
	if (options.save) {
		const text = baselineText(current);
		writeAtomically(options.save, text);
		process.stderr.write(`wrote ${options.save} (${results.length} scenarios, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)\n`);
	}
	if (base && options.base) {
		const comparison = compareBaselines(base, current);
		for (const id of unrun) comparison.scenarios.push({ id, status: 'new', months: 0, notes: ['not in the base file, so not run; --save records it'] });
		const markdown = comparisonMarkdown(comparison, { base: options.base, title: 'Model comparison against a saved baseline' });
		if (options.report) {
			writeAtomically(options.report, markdown);
			process.stderr.write(`wrote ${options.report}\n`);
		} else process.stdout.write(markdown);
		if (options.html) {
			writeAtomically(options.html, reportHtml(markdown, 'Model comparison'));
			process.stderr.write(`wrote ${options.html}\n`);
		}
		const counts = Object.entries(comparison.counts)
			.map(([bucket, count]) => `${bucket}: ${count}`)
			.join(', ');
		process.stderr.write(`moves by bucket — ${counts}\n`);
	}
	return 0;
}

runWhenScript('compare.ts', main);
