import { firstUnknownMonth } from '../lib/scenario/now';
import { attribute } from '../lib/analysis/attribution';
import { simulateScenario } from '../lib/analysis/common';
import { compareScenarios } from '../lib/analysis/compare';
import { refineUntilPrecise, standardErrors } from '../lib/analysis/convergence';
import { compileFormula, formulaCell } from '../lib/analysis/formula';
import { renderNarrative } from '../lib/analysis/narrative';
import { checkThreshold, parseThreshold, thresholdProbabilities } from '../lib/analysis/threshold';
import { tornado, type LeverKind } from '../lib/analysis/tornado';
import { applyControlValues } from '../lib/scenario/controls';
import { workProblem } from '../lib/limits';
import { monthRange } from '../lib/time/months';
import { didYouMean, formatProblem, InputError, type Problem } from '../lib/problems';
import { commandLineProblem, parseCommandLine, reportProblems, runWhenScript, wholeNumberOption, workersOption } from './command-line';
import type { Scenario } from '../lib/scenario/schema';
import { resolveScenarioArguments } from './scenario-files';
import { runLimits } from '../lib/limits';
import { NodeRunner } from '../lib/runner/node/runner';

export const analyseUsage = `usage: magnet-scenarios analyse <analysis> <arguments…> [options]
       (npm run analyse -- … in this repository)

  compare <A> <B>                      B against A with common random numbers [--metric NAME …]
  threshold <scenario> "<threshold>"   e.g. "usMagnetPrice > 2 × start", "shortfall > 0", "chinaShare < 60 %"
  tornado <scenario> --indicator "<indicator>" [--only p1,p2] [--controls-only | --parameters-only]
  attribution <base> <scenario> --indicator "<indicator>" [--max-shapley K] [--sequential]
  refine <scenario> --indicator "<indicator>" --target SE [--start N] [--step N] [--max-paths N]
  formula <scenario> "<expression>" [--unit UNIT] [--budget-ms MS]
  narrative <scenario> "<template with {{ median(usMagnetPrice, 2027) }}>"
  errors <scenario>                    the Monte Carlo standard error of every indicator

  indicators: "median usMagnetPrice 2030", "mean chinaShare 2030", "total shortfall 2030",
              "P(shortfall > 0) in 2027", "P(shortfall > 0) in 2027–2030", "P(relianceCut >= 30 %) by 2030"
  common options: --paths N (default 2000) --seed S (default: the scenario's)
                  --set param=value (a slider of the last scenario named; repeatable)
                  --workers W (threads simulating; default: every core, more is clamped to them)
  Scenarios are ids from scenarios/ or scenario files. JSON goes to stdout.`;

const analyses = ['compare', 'threshold', 'tornado', 'attribution', 'refine', 'formula', 'narrative', 'errors'] as const;
type Analysis = (typeof analyses)[number];

/** Scenario arguments and the one free-text argument each analysis takes. */
const shapes: Record<Analysis, { scenarios: number; text?: string }> = {
	compare: { scenarios: 2 },
	threshold: { scenarios: 1, text: 'a threshold, e.g. "usMagnetPrice > 2 × start"' },
	tornado: { scenarios: 1 },
	attribution: { scenarios: 2 },
	refine: { scenarios: 1 },
	formula: { scenarios: 1, text: 'a formula, e.g. "usMagnetPrice * 2"' },
	narrative: { scenarios: 1, text: 'a template, e.g. "{{ median(usMagnetPrice, 2027) }}"' },
	errors: { scenarios: 1 }
};

class UsageError extends InputError {}

function commandLine(path: string, message: string): UsageError {
	return new UsageError([commandLineProblem(path, message)]);
}

function wholeNumber(text: string | undefined, name: string, min: number, max: number): number | undefined {
	const problems: Problem[] = [];
	const value = wholeNumberOption(text, name, min, max, problems);
	if (problems.length > 0) throw new UsageError(problems);
	return value;
}

function positiveNumber(text: string | undefined, name: string): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw commandLine(`--${name}`, `expected a positive number, found "${text}"`);
	return value;
}

function required<T>(value: T | undefined, name: string, what: string): T {
	if (value === undefined) throw commandLine(`--${name}`, `${what} is required`);
	return value;
}

function parseSettings(values: string[]): Record<string, number> {
	// No prototype: "--set __proto__=1" must be an own key (and refused as no slider), not vanish.
	const settings: Record<string, number> = Object.create(null);
	for (const entry of values) {
		const match = /^([A-Za-z]\w*)=(.+)$/.exec(entry);
		const value = match ? Number(match[2]) : Number.NaN;
		if (!match || !Number.isFinite(value)) throw commandLine('--set', `expected param=number, found "${entry}"`);
		settings[match[1]] = value;
	}
	return settings;
}

/** Runs one analysis from command-line arguments; returns what goes to stdout. */
export async function runAnalysis(argv: readonly string[], log: (line: string) => void = () => {}): Promise<unknown> {
	const { parsed, problem } = parseCommandLine(argv, {
		paths: { type: 'string' },
		seed: { type: 'string' },
		set: { type: 'string', multiple: true },
		metric: { type: 'string', multiple: true },
		indicator: { type: 'string' },
		only: { type: 'string' },
		'controls-only': { type: 'boolean' },
		'parameters-only': { type: 'boolean' },
		'max-shapley': { type: 'string' },
		sequential: { type: 'boolean' },
		target: { type: 'string' },
		start: { type: 'string' },
		step: { type: 'string' },
		'max-paths': { type: 'string' },
		unit: { type: 'string' },
		'budget-ms': { type: 'string' },
		workers: { type: 'string' },
		help: { type: 'boolean', short: 'h' }
	});
	if (!parsed) throw new UsageError([problem]);
	const { values, positionals } = parsed;
	if (values.help) return analyseUsage;
	const [kind, ...rest] = positionals;
	if (kind === undefined) throw commandLine('', `name an analysis: ${analyses.join(', ')}`);
	if (!(analyses as readonly string[]).includes(kind))
		throw commandLine('', `unknown analysis "${kind}"${didYouMean(kind, [...analyses])}; analyses: ${analyses.join(', ')}`);
	const analysis = kind as Analysis;
	const shape = shapes[analysis];
	const expected = shape.scenarios + (shape.text ? 1 : 0);
	if (rest.length !== expected) {
		const what = `${shape.scenarios === 1 ? 'a scenario' : `${shape.scenarios} scenarios`}${shape.text ? ` and ${shape.text}` : ''}`;
		throw commandLine('', `${analysis} takes ${what}; found ${rest.length} argument${rest.length === 1 ? '' : 's'}`);
	}
	const text = shape.text ? rest[shape.scenarios] : undefined;
	const scenarios = resolveScenarioArguments(rest.slice(0, shape.scenarios));
	const settings = parseSettings(values.set ?? []);
	if (Object.keys(settings).length > 0) {
		const last = scenarios.length - 1;
		const { scenario, problems } = applyControlValues(scenarios[last], settings, 'strict', 'command line');
		if (problems.length > 0) throw new InputError(problems);
		scenarios[last] = scenario;
	}
	const paths = wholeNumber(values.paths, 'paths', 1, runLimits.maxPaths) ?? 2000;
	const seed = wholeNumber(values.seed, 'seed', 0, runLimits.maxSeed) ?? scenarios[0].seed;
	const common = { seed, paths };
	const [first, second] = scenarios as [Scenario, Scenario];
	// The most paths any step may hold at once, checked against the memory budget before anything runs.
	const mostPaths = Math.max(paths, wholeNumber(values['max-paths'], 'max-paths', 1, runLimits.maxPaths) ?? 0);
	const overBudget = scenarios.flatMap((scenario) => {
		const problem = workProblem(mostPaths, monthRange(scenario.start, scenario.end).length, 'command line', mostPaths === paths ? '--paths' : '--max-paths');
		return problem ? [{ ...problem, message: `${scenario.id}: ${problem.message}` }] : [];
	});
	if (overBudget.length > 0) throw new InputError(overBudget);
	const workerProblems: Problem[] = [];
	const workers = workersOption(values.workers, workerProblems, log);
	if (workerProblems.length > 0) throw new UsageError(workerProblems);

	const runner = new NodeRunner({ workers });
	try {
		return await analyseOn(runner);
	} finally {
		await runner.close();
	}

	/** The analysis, its paths simulated by the runner's threads. */
	async function analyseOn(runner: NodeRunner): Promise<unknown> {
		const source = runner.pathSource();
		switch (analysis) {
			case 'compare':
				return compareScenarios(first, second, { ...common, metrics: values.metric, source });
			case 'threshold': {
				// Checked before simulating: a mistake costs nothing.
				const spec = parseThreshold(text!);
				checkThreshold(spec);
				return thresholdProbabilities(await simulateScenario(first, { ...common, source }), spec, firstUnknownMonth(first));
			}
			case 'tornado': {
				if (values['controls-only'] && values['parameters-only']) throw commandLine('--controls-only', 'give --controls-only or --parameters-only, not both');
				const include: LeverKind[] = values['controls-only'] ? ['control'] : values['parameters-only'] ? ['parameter'] : ['control', 'parameter'];
				const only = values.only
					?.split(',')
					.map((p) => p.trim())
					.filter((p) => p !== '');
				return tornado(first, {
					...common,
					indicator: required(values.indicator, 'indicator', 'an indicator such as "median usMagnetPrice 2030"'),
					include,
					only,
					source
				});
			}
			case 'attribution':
				return attribute(first, second, {
					...common,
					indicator: required(values.indicator, 'indicator', 'an indicator such as "median usMagnetPrice 2030"'),
					maxShapleyLevers: wholeNumber(values['max-shapley'], 'max-shapley', 0, 16),
					method: values.sequential ? 'sequential' : 'auto',
					source
				});
			case 'refine':
				return refineUntilPrecise(first, {
					seed,
					indicator: required(values.indicator, 'indicator', 'an indicator such as "median usMagnetPrice 2030"'),
					targetSe: required(positiveNumber(values.target, 'target'), 'target', 'a target standard error'),
					startPaths: wholeNumber(values.start, 'start', 1, runLimits.maxPaths),
					step: wholeNumber(values.step, 'step', 1, runLimits.maxPaths),
					maxPaths: wholeNumber(values['max-paths'], 'max-paths', 1, runLimits.maxPaths),
					source
				});
			case 'formula': {
				const budgetMs = positiveNumber(values['budget-ms'], 'budget-ms');
				// Compiled (and so checked) before simulating: a mistake costs nothing.
				const formula = compileFormula(text!, { unit: values.unit });
				const { timing, ...result } = formulaCell(formula, await simulateScenario(first, { ...common, source }), { unit: values.unit, budgetMs });
				log(`formula evaluated over ${paths.toLocaleString('en-US')} paths in ${Math.round(timing.elapsedMs)} ms`);
				return result;
			}
			case 'narrative': {
				const rendered = renderNarrative(text!, (await runner.runScenario(first, common)).result);
				for (const problem of rendered.problems) log(`warning: ${formatProblem(problem)}`);
				return rendered;
			}
			case 'errors':
				return standardErrors((await runner.runScenario(first, common)).result);
		}
	}
}

export async function main(argv: string[]): Promise<number> {
	try {
		const result = await runAnalysis(argv, (line) => process.stderr.write(line + '\n'));
		process.stdout.write(typeof result === 'string' ? result + '\n' : JSON.stringify(result, null, 1) + '\n');
		return 0;
	} catch (error) {
		if (error instanceof InputError) {
			if (error instanceof UsageError) process.stderr.write(analyseUsage + '\n');
			return reportProblems(error.problems);
		}
		throw error;
	}
}

runWhenScript('analyse.ts', main);
