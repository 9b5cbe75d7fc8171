import { InputError, type Problem } from '../problems';
import type { Scenario } from '../scenario/schema';
import { loadSweepText } from './load';
import { planSweep, type SweepPlan } from './plan';
import type { SweepFile } from './schema';

/**
 * Small sweeps in the notebook: the sweep cell's text read and checked against its base scenario and
 * the notebook's caps, in the page (no engine here: see notebook-run.ts for running it in the
 * worker). Bigger sweeps belong to the command line, whose merged result file the cell can load.
 */

/** The most a sweep cell may run: points of its design, and paths per point. */
export const notebookSweepLimits = { maxPoints: 500, maxPathsPerPoint: 2_000 } as const;

/** The name problems of a cell's sweep text are located in ("sweep:12:3"). */
export const SWEEP_SOURCE = 'sweep';

/** A problem of the sweep text in words: "line 12, column 3 (factors[0].max): max 3 is below min 5". */
export function sweepProblemText(problem: Problem): string {
	const at = /:(\d+):(\d+)$/.exec(problem.source);
	const where = at ? `line ${at[1]}, column ${at[2]}` : '';
	const path = problem.path ? `(${problem.path})` : '';
	const prefix = [where, path].filter(Boolean).join(' ');
	return prefix ? `${prefix}: ${problem.message}` : problem.message;
}

/** The problems of a sweep text as one message, one line each. */
export function sweepProblemsText(problems: readonly Problem[]): string {
	return problems.map(sweepProblemText).join('\n');
}

/** A sweep text read: the file, or its problems (located, in words). Never throws for bad input. */
export function readSweepText(text: string): { file: SweepFile; locate: (path: string) => string } | { problem: string } {
	const loaded = loadSweepText(text, SWEEP_SOURCE);
	if (!loaded.file) return { problem: sweepProblemsText(loaded.problems) };
	return { file: loaded.file, locate: loaded.locate };
}

/**
 * The plan of a sweep text on its base scenario, within the notebook's caps; an InputError whose
 * problems are located in the text otherwise.
 */
export function planNotebookSweep(file: SweepFile, base: Scenario, locate: (path: string) => string): SweepPlan {
	let plan: SweepPlan;
	try {
		plan = planSweep(file, base);
	} catch (error) {
		if (error instanceof InputError) throw new InputError(error.problems.map((p) => ({ ...p, source: locate(p.path) })));
		throw error;
	}
	const problems: Problem[] = [];
	const bigger = 'use `npm run sweep` for bigger sweeps, and load its merged result file here';
	if (plan.pointCount > notebookSweepLimits.maxPoints)
		problems.push({
			source: locate('design'),
			path: 'design',
			message: `the design has ${plan.pointCount.toLocaleString('en-US')} points; a sweep cell runs at most ${notebookSweepLimits.maxPoints} (${bigger})`
		});
	if (plan.paths > notebookSweepLimits.maxPathsPerPoint)
		problems.push({
			source: locate('paths'),
			path: 'paths',
			message: `${plan.paths.toLocaleString('en-US')} paths per point; a sweep cell runs at most ${notebookSweepLimits.maxPathsPerPoint.toLocaleString('en-US')} (${bigger})`
		});
	if (problems.length > 0) throw new InputError(problems);
	return plan;
}

/** What is wrong with a sweep text on this base (as text), or undefined when it would run. */
export function notebookSweepProblem(text: string, base: Scenario): string | undefined {
	const read = readSweepText(text);
	if ('problem' in read) return read.problem;
	try {
		planNotebookSweep(read.file, base, read.locate);
		return undefined;
	} catch (error) {
		if (error instanceof InputError) return sweepProblemsText(error.problems);
		throw error;
	}
}

/** The sliders a default sweep varies, when the scenario has them; else its first ones. */
const PREFERRED_SLIDERS = ['alliedGrowth', 'demandGrowth', 'capacitySlipExtra', 'tariffLater'];

/**
 * The text a new sweep cell starts with: a small Latin hypercube over two or three sliders of the
 * scenario on screen, one output and a discovery block, small enough to run in a few seconds.
 */
export function defaultSweepText(scenario: Scenario, year: number): string {
	const controls = scenario.controls ?? [];
	const preferred = PREFERRED_SLIDERS.flatMap((param) => controls.filter((c) => c.param === param));
	const chosen = [...new Set([...preferred, ...controls])].slice(0, 3);
	const output = `P(shortfall > 0) in ${year}`;
	const factors =
		chosen.length > 0
			? chosen.map((c) => `  - param: ${c.param}\n    min: ${c.min}\n    max: ${c.max}`).join('\n')
			: '  - param: alliedGrowth\n    min: 0\n    max: 0.3';
	return [
		`# A small sweep, run in the page's workers (at most ${notebookSweepLimits.maxPoints} points of ${notebookSweepLimits.maxPathsPerPoint.toLocaleString('en-US')} paths).`,
		'# Bigger ones: npm run sweep, then load the merged result below.',
		`title: ${JSON.stringify(`What leaves U.S. buyers short in ${year}`)}`,
		`scenario: ${scenario.id}`,
		'paths: 300',
		'design:',
		'  kind: latin-hypercube',
		'  points: 60',
		'factors:',
		factors,
		'outputs:',
		`  - ${output}`,
		'discover:',
		`  output: ${output}`,
		'  above: 0.1',
		'  minimumDensity: 0.8',
		''
	].join('\n');
}

/** A sweep text's title line, for the cell's header ("Sweep" when it has none that reads). */
export function sweepTitleOf(text: string): string {
	const line = /^title:[ \t]*(.+)$/m.exec(text)?.[1]?.trim();
	if (!line) return 'Sweep';
	const unquoted = /^(["'])(.*)\1$/.exec(line)?.[2] ?? line;
	return unquoted.slice(0, 80) || 'Sweep';
}
