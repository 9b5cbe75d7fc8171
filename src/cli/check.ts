import { executePlan, keepMetrics } from '../lib/checks/execute';
import type { Plan } from '../lib/checks/plan';
import { formatReport, summarise } from '../lib/checks/report';
import { InputError } from '../lib/problems';
import { reportProblems, runWhenScript } from './command-line';
import { checkUsage, parseCheckOptions } from './check-options';
import { planCheckFiles } from './check-files';
import { NodeRunner } from '../lib/runner/node/runner';

export async function main(argv: string[]): Promise<number> {
	const { options, problems, help } = parseCheckOptions(argv);
	if (help) {
		process.stdout.write(checkUsage + '\n');
		return 0;
	}
	if (!options) {
		process.stderr.write(checkUsage + '\n');
		return reportProblems(problems);
	}
	let plan: Plan;
	try {
		plan = planCheckFiles(options.files, options);
	} catch (error) {
		if (error instanceof InputError) return reportProblems(error.problems);
		throw error;
	}
	const totalPaths = plan.simulations.reduce((sum, s) => sum + s.paths, 0);
	const out = (line = '') => process.stdout.write(line + '\n');
	for (const note of plan.notes) out(`note: ${note}`);
	const factors = [...new Set(plan.checks.map((c) => c.factor))].join(', ');
	out(
		`plan: ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'} need${plan.checks.length === 1 ? 's' : ''} ${plan.simulations.length} runs, ${totalPaths.toLocaleString('en-US')} paths in all, on ${options.workers} worker${options.workers === 1 ? '' : 's'}; a verdict needs a margin of at least ${factors || '3'} × its standard error`
	);
	if (plan.simulations.length > options.maxRuns) {
		return reportProblems([
			{
				source: 'command line',
				path: '--max-runs',
				message: `the checks need ${plan.simulations.length} runs, more than the limit of ${options.maxRuns} (matrices are listed above); narrow them with --filter or raise --max-runs`
			}
		]);
	}

	const started = performance.now();
	// The checks keep the metrics they need of each run's paths: no cache.
	const runner = new NodeRunner({ workers: options.workers, blockCacheFloats: 0 });
	let results;
	try {
		results = await executePlan(
			plan,
			async (spec) => {
				const { result, block } = await runner.runScenario(spec.scenario, { seed: spec.seed, paths: spec.paths });
				return keepMetrics(block, result.months, spec.metrics);
			},
			{
				concurrency: 2,
				onSimulationDone: (spec, done, total) => {
					const elapsed = ((performance.now() - started) / 1000).toFixed(1);
					process.stderr.write(`run ${done}/${total}: ${spec.label} (${spec.paths.toLocaleString('en-US')} paths, seed ${spec.seed}) at ${elapsed} s\n`);
				}
			}
		);
	} finally {
		await runner.close();
	}
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	out();
	for (const line of formatReport(results, { verbose: options.verbose })) out(line);
	const { passed, failed, inconclusive } = summarise(results);
	out();
	out(
		`${results.length} check${results.length === 1 ? '' : 's'}, ${plan.simulations.length} run${plan.simulations.length === 1 ? '' : 's'}, ${totalPaths.toLocaleString('en-US')} paths in ${seconds} s`
	);
	out(`${inconclusive} inconclusive`);
	out(`${passed} passed, ${failed} failed`);
	return failed > 0 ? 1 : 0;
}

runWhenScript('check.ts', main);
