import { InputError, type Problem } from '../problems';
import type { Scenario } from '../scenario/schema';
import { loadSweepText } from './load';
import { planSweep, type SweepPlan } from './plan';
import type { SweepFile } from './schema';
import { notebookSweepLimits } from './notebook-text';

export { notebookSweepLimits };

/**
 * Small sweeps in the notebook: the sweep cell's text read and checked against its base scenario and
 * the notebook's caps, in the page (no engine here: see notebook-run.ts for running it in the
 * worker). Bigger sweeps belong to the command line, whose merged result file the cell can load.
 * The page loads this module (and the YAML reader) with its first sweep cell: see sweep-checks.svelte.ts.
 */

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
