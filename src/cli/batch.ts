import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsFor, type RunResult } from '../lib/engine/run';
import { pathBytes, streamAboveBytes, streamedWorkProblem } from '../lib/limits';
import { InputError, type Problem } from '../lib/problems';
import { monthRange } from '../lib/time/months';
import { makeDirectory } from './output-directory';
import { reportProblems, runWhenScript } from './command-line';
import { batchUsage, parseBatchOptions, type BatchOptions } from './batch-options';
import { toCsv, toJson } from './output';
import { NodeRunner } from '../lib/runner/node/runner';
import { resolveScenarioArguments } from './scenario-files';
import type { Scenario } from '../lib/scenario/schema';
import type { StreamProgress } from '../lib/runner/streamed';

/** Writes every file under a temporary name first, so a failure leaves nothing half-written. */
function writeAll(directory: string, files: { name: string; text: string }[]) {
	makeDirectory(directory);
	const temporary = files.map(({ name, text }) => {
		const path = join(directory, `.${name}.partial`);
		writeFileSync(path, text);
		return { path, final: join(directory, name) };
	});
	try {
		for (const { path, final } of temporary) renameSync(path, final);
	} finally {
		for (const { path } of temporary) rmSync(path, { force: true });
	}
}

/** A bar over the whole run; for a streamed run, over all its passes, with the pass under way's paths. */
function progressBar(id: string, done: number, total: number, pass?: { pass: number; passes: number; paths: number }): string {
	const width = 24;
	const filled = Math.round((done / total) * width);
	const bar = `${id.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
	if (!pass) return `${bar} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} paths`;
	const inPass = Math.min(pass.paths, done - (pass.pass - 1) * pass.paths);
	return `${bar} pass ${pass.pass} of ${pass.passes}: ${inPass.toLocaleString('en-US')}/${pass.paths.toLocaleString('en-US')} paths`;
}

/** Redraws one line on a terminal; elsewhere (logs, CI) prints a line at each quarter (of all passes). */
function progressReporter(id: string): (done: number, total: number, pass?: { pass: number; passes: number; paths: number }) => void {
	let lastQuarter = 0;
	return (done, total, pass) => {
		if (process.stderr.isTTY) {
			// Padded: a shorter line than the last one leaves no tail behind.
			process.stderr.write(`\r${progressBar(id, done, total, pass).padEnd(100)}`);
			return;
		}
		const quarter = Math.floor((done / total) * 4);
		if (quarter > lastQuarter && done < total) {
			lastQuarter = quarter;
			process.stderr.write(`${progressBar(id, done, total, pass)}\n`);
		}
	};
}

/** The process's peak resident memory so far (every thread), in MB. */
function peakResidentMegabytes(): number {
	return Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
}

/** Refuses, before anything runs, scenarios named twice (their output files would collide) and runs over the streamed limit. */
function checkBatch(scenarios: readonly Scenario[], options: BatchOptions): void {
	const problems: Problem[] = [];
	const seen = new Set<string>();
	for (const [index, scenario] of scenarios.entries()) {
		if (seen.has(scenario.id)) {
			problems.push({
				source: 'command line',
				path: '',
				message: `scenario "${scenario.id}" is named more than once (argument ${index + 1}); each scenario may appear once, as its results are named by its id`
			});
		}
		seen.add(scenario.id);
		const settings = settingsFor(scenario, { seed: options.seed, paths: options.paths });
		const problem = streamedWorkProblem(
			settings.paths,
			monthRange(scenario.start, scenario.end).length,
			options.paths !== undefined ? 'command line' : scenario.id,
			options.paths !== undefined ? '--paths' : 'paths'
		);
		if (problem) problems.push({ ...problem, message: `${scenario.id}: ${problem.message}` });
	}
	if (problems.length > 0) throw new InputError(problems);
}

export async function runBatch(options: BatchOptions): Promise<RunResult[]> {
	const scenarios = resolveScenarioArguments(options.scenarios);
	checkBatch(scenarios, options);
	// Each run's paths are dropped once summarised: the next run of the same size reuses its block.
	const runner = new NodeRunner({ workers: options.workers, reuseRunBlocks: true });
	try {
		const results: RunResult[] = [];
		for (const scenario of scenarios) {
			const settings = settingsFor(scenario, { seed: options.seed, paths: options.paths });
			const started = performance.now();
			const report = progressReporter(scenario.id);
			const streamed = options.stream || pathBytes(settings.paths, monthRange(scenario.start, scenario.end).length) > streamAboveBytes;
			const { result, passes } = streamed
				? await runner.runStreamed(scenario, settings, {
						onProgress: ({ pathsDone, pathsTotal, pass, passes }: StreamProgress) => report(pathsDone, pathsTotal, { pass, passes, paths: settings.paths })
					})
				: { ...(await runner.runScenario(scenario, settings, { onProgress: report })), passes: 0 };
			const elapsed = Math.round(performance.now() - started);
			const how = streamed ? ` (streamed, ${passes} passes)` : '';
			process.stderr.write(
				`${process.stderr.isTTY ? '\r' : ''}${progressBar(scenario.id, settings.paths, settings.paths)} in ${elapsed} ms${how}, fingerprint ${result.fingerprint}${process.stderr.isTTY ? ' '.repeat(20) : ''}\n`
			);
			results.push(result);
		}
		process.stderr.write(`peak RSS ${peakResidentMegabytes().toLocaleString('en-US')} MB\n`);
		return results;
	} finally {
		await runner.close();
	}
}

export async function main(argv: string[]): Promise<number> {
	const { options, scenarios, problems, help } = parseBatchOptions(argv);
	if (help) {
		process.stdout.write(batchUsage + '\n');
		return 0;
	}
	if (!options) {
		// Report the scenarios' problems too, so one attempt shows everything that is wrong.
		try {
			if (scenarios.length > 0) resolveScenarioArguments(scenarios);
		} catch (error) {
			if (error instanceof InputError) problems.push(...error.problems);
			else throw error;
		}
		process.stderr.write(batchUsage + '\n');
		return reportProblems(problems);
	}
	let results: RunResult[];
	try {
		results = await runBatch(options);
	} catch (error) {
		if (error instanceof InputError) return reportProblems(error.problems);
		throw error;
	}
	const render = options.format === 'csv' ? toCsv : toJson;
	if (options.out) {
		try {
			writeAll(
				options.out,
				results.map((result) => ({ name: `${result.scenario.id}.${options.format}`, text: render([result]) }))
			);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (typeof code !== 'string') throw error;
			return reportProblems([{ source: 'command line', path: '--out', message: `cannot write to ${options.out}: ${code} (${(error as Error).message})` }]);
		}
		process.stderr.write(`wrote ${results.length} file(s) to ${options.out}\n`);
	} else {
		process.stdout.write(render(results));
	}
	return 0;
}

runWhenScript('batch.ts', main);
