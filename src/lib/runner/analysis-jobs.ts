import { firstUnknownMonth } from '../scenario/now';
import { attribute } from '../analysis/attribution';
import { AnalysisCancelled, simulateScenario, type PathSource } from '../analysis/common';
import { compareScenarios } from '../analysis/compare';
import { refineUntilPrecise } from '../analysis/convergence';
import { checkThreshold, parseThreshold, thresholdOverSeries } from '../analysis/threshold';
import { tornado } from '../analysis/tornado';
import { metricIndex, type MetricName } from '../model/metrics';
import { formatProblem, InputError } from '../problems';
import type { AnalysisFailure, AnalysisRequest, AnalysisResultOf } from './protocol';
import type { PointEvaluator } from '../sweep/run';

/**
 * The formula cell's module, loaded with the first formula request: it holds mathjs, more than
 * half of the worker's code, which no other analysis needs.
 */
let formulaModule: typeof import('../analysis/formula') | undefined;
async function loadFormulaModule() {
	formulaModule ??= await import('../analysis/formula');
	return formulaModule;
}

export interface AnalysisContext {
	/** Where paths come from: the worker pool in the page, this thread in tests. */
	source?: PathSource;
	/** Threads that run a sweep's points whole, one lane each (the pool's executors); default: points simulated from `source`. */
	pointEvaluators?: readonly PointEvaluator[];
	signal?: AbortSignal;
	onProgress?: (done: number, total: number) => void;
}

/**
 * Runs one analysis request with the functions of `src/lib/analysis/` (the same the CLI calls), so
 * a worker and Node give the same numbers. Bad input throws an `InputError`; a cancel throws
 * `AnalysisCancelled`.
 */
export async function runAnalysis(request: AnalysisRequest, context: AnalysisContext = {}): Promise<AnalysisResultOf> {
	const { source, signal, onProgress } = context;
	switch (request.kind) {
		case 'compare': {
			const result = await compareScenarios(request.a, request.b, {
				seed: request.seed,
				paths: request.paths,
				metrics: [request.metric],
				source,
				signal,
				onProgress
			});
			return { kind: 'compare', result };
		}
		case 'threshold': {
			// Read the threshold before simulating: bad input is reported at once.
			const threshold = checkThreshold(parseThreshold(request.threshold));
			const paths = await simulateScenario(request.scenario, { seed: request.seed, paths: request.paths, source, signal });
			onProgress?.(request.paths, request.paths);
			const values = paths.block.metrics[metricIndex[threshold.series as MetricName]];
			const reachedFrom = firstUnknownMonth(request.scenario);
			return { kind: 'threshold', result: thresholdOverSeries(values, paths.block.pathCount, paths.months, threshold, reachedFrom) };
		}
		case 'tornado': {
			const result = await tornado(request.scenario, {
				seed: request.seed,
				paths: request.paths,
				indicator: request.indicator,
				include: request.include,
				source,
				signal,
				onProgress
			});
			return { kind: 'tornado', result };
		}
		case 'attribution': {
			const result = await attribute(request.base, request.scenario, {
				seed: request.seed,
				paths: request.paths,
				indicator: request.indicator,
				source,
				signal,
				onProgress
			});
			return { kind: 'attribution', result };
		}
		case 'refine': {
			const result = await refineUntilPrecise(request.scenario, {
				indicator: request.indicator,
				targetSe: request.targetSe,
				seed: request.seed,
				startPaths: request.startPaths,
				maxPaths: request.maxPaths,
				source,
				signal,
				onProgress
			});
			return { kind: 'refine', result };
		}
		case 'formula': {
			const { compileFormula, formulaCell } = await loadFormulaModule();
			const compiled = compileFormula(request.expression, { unit: request.unit });
			const paths = await simulateScenario(request.scenario, { seed: request.seed, paths: request.paths, source, signal });
			onProgress?.(request.paths, request.paths);
			return { kind: 'formula', result: formulaCell(compiled, paths, { budgetMs: request.budgetMs }) };
		}
		case 'sweep': {
			// Sweeps (the YAML reader, the design, PRIM and Sobol') load with the first sweep, as formulas do.
			const { runNotebookSweep } = await import('../sweep/notebook-run');
			const result = await runNotebookSweep(request.text, request.base, { source, evaluators: context.pointEvaluators, signal, onProgress });
			return { kind: 'sweep', result };
		}
	}
}

/** An input error as plain data for the page; anything else (a bug, a cancel) is rethrown. */
export function analysisFailure(error: unknown): AnalysisFailure {
	// A FormulaError exists only once the formula module is loaded.
	if (formulaModule && error instanceof formulaModule.FormulaError)
		return { message: error.reason, formulaKind: error.kind, ...(error.position !== undefined ? { position: error.position } : {}) };
	if (error instanceof InputError) return { message: error.problems.map(formatProblem).join('\n') };
	throw error;
}

export function isCancellation(error: unknown): boolean {
	return error instanceof AnalysisCancelled;
}
