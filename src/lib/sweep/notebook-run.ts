import type { PathSource } from '../analysis/common';
import { InputError } from '../problems';
import type { Scenario } from '../scenario/schema';
import { designValues } from './design';
import { planNotebookSweep, readSweepText, sweepProblemsText } from './notebook';
import { buildResult, type SweepResult } from './result';
import { runPoints, type PointEvaluator } from './run';
import type { SweepPlan } from './plan';

/**
 * A sweep cell's sweep, run in the worker pool with the same functions `npm run sweep` uses (so a
 * point's numbers are the command's). Loaded by the worker with the first sweep.
 */

export interface NotebookSweepOptions {
	source?: PathSource;
	/** The pool's threads, each running points whole (see run.ts); default: points simulated from `source` here. */
	evaluators?: readonly PointEvaluator[];
	signal?: AbortSignal;
	/** Points done of the design's points. */
	onProgress?: (done: number, total: number) => void;
}

/** Runs a sweep cell's text on its base scenario (in the worker): the result `npm run sweep` would write. */
export async function runNotebookSweep(text: string, base: Scenario, options: NotebookSweepOptions = {}): Promise<SweepResult> {
	const read = readSweepText(text);
	if ('problem' in read) throw new InputError([{ source: 'sweep definition', path: '', message: read.problem }]);
	let plan: SweepPlan;
	try {
		plan = planNotebookSweep(read.file, base, read.locate);
	} catch (error) {
		if (error instanceof InputError) throw new InputError([{ source: 'sweep definition', path: '', message: sweepProblemsText(error.problems) }]);
		throw error;
	}
	const design = designValues(plan);
	options.onProgress?.(0, plan.pointCount);
	const records = await runPoints(plan, design, 0, plan.pointCount, {
		source: options.source,
		evaluators: options.evaluators,
		signal: options.signal,
		onPoint: (_, done) => options.onProgress?.(done, plan.pointCount)
	});
	return buildResult(plan, records);
}
