import type { RunResult } from '../engine/run';
import { metricNames } from '../model/metrics';
import { scenarioFileSchema, type Scenario, type ScenarioFile } from '../scenario/schema';
import type { ScenarioChoice } from './state';

/**
 * The scenario with the current slider values, seed and path count, as a file `npm run batch`
 * accepts and reproduces: a library scenario is exported as a child that `extends` it; an
 * imported one is exported whole.
 */
export function exportedScenarioFile(choice: ScenarioChoice, base: Scenario, applied: Scenario, seed: number, paths: number): ScenarioFile {
	const sliderParameters = Object.fromEntries(base.controls.map((c) => [c.param, applied.parameters[c.param]]));
	const file: ScenarioFile = choice.file
		? { ...choice.file, seed, paths, parameters: { ...choice.file.parameters, ...sliderParameters } }
		: {
				$schema: './scenario.schema.json',
				id: `${base.id}-notebook`,
				extends: base.id,
				title: `${base.title} (from the notebook)`,
				description: `${base.id} with the notebook's slider values, seed ${seed} and ${paths} paths.`,
				seed,
				paths,
				parameters: sliderParameters
			};
	return scenarioFileSchema.parse(file);
}

export function scenarioFileText(file: ScenarioFile): string {
	return `${JSON.stringify(file, null, '\t')}\n`;
}

const csvColumns = ['p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'se50'] as const;

/** Every metric's monthly summary as CSV, one row per metric and month, in the model's units. */
export function summaryCsv(result: RunResult): string {
	const rows = [['metric', 'unit', 'month', ...csvColumns].join(',')];
	for (const metric of metricNames) {
		const summary = result.metrics[metric];
		result.months.forEach((month, t) => {
			rows.push([metric, summary.unit, month, ...csvColumns.map((column) => String(summary[column][t]))].join(','));
		});
	}
	return `${rows.join('\n')}\n`;
}
