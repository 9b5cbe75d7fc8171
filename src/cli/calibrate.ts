import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitAbc, type AbcFit, type CalibrationTarget, type PriorParameter } from '../lib/calibration/abc';
import { calibration } from '../lib/model/calibration';
import { calibrationPriors } from '../lib/model/priors';
import type { MetricName } from '../lib/model/metrics';
import type { Scenario } from '../lib/scenario/schema';
import { monthRange } from '../lib/time/months';
import type { Problem } from '../lib/problems';
import { commandLineProblem, parseCommandLine, reportProblems, runWhenScript, wholeNumberOption } from './command-line';
import { resolveScenarioArguments, scenariosDirectory } from './scenario-files';

/**
 * `npm run calibrate`: fits the model's most uncertain parameters to the public data up to the
 * cut-off (June 2025) by ABC rejection on `history-2025`, prints the fit, and writes the defaults
 * with their provenance (src/lib/model/calibrated.ts) and the walk-forward scenario fitted on data
 * to December 2024 (scenarios/history-2025-walk-forward.json), which checks/backtest.yaml tests on
 * January–June 2025.
 */

const usage = `npm run calibrate -- [--candidates N] [--paths N] [--dry-run]
  Fits the parameters of src/lib/model/priors.ts (demand growth, the import leak, the licence
  queue, the shipping lag, the NdPr long-run level and reversion, China's export markup) to data
  up to 2025-06 (and, for the walk-forward check, to
  2024-12). Writes src/lib/model/calibrated.ts and scenarios/history-2025-walk-forward.json unless --dry-run.`;

export const priors: PriorParameter[] = Object.entries(calibrationPriors).map(([id, { prior }]) => ({ id, prior }));

/** The data up to `cutoff`: the scenario's observed monthly series, the reported aggregates and the June 2025 price move. */
export function targetsUpTo(scenario: Scenario, cutoff: string): CalibrationTarget[] {
	const targets: CalibrationTarget[] = [];
	const monthly: { metric: MetricName; logScale: number }[] = [
		{ metric: 'chinaExports', logScale: 0.2 },
		{ metric: 'ndprPrice', logScale: 0.1 }
	];
	for (const { metric, logScale } of monthly) {
		for (const point of scenario.observed[metric] ?? []) {
			if (point.value === null || point.month > cutoff || point.value <= 0) continue;
			// A figure its source calls low-confidence weighs a ninth as much (three times the scale).
			const scale = /low confidence/i.test(point.status) ? 3 * logScale : logScale;
			targets.push({
				label: `${metric} ${point.month}`,
				metric,
				months: [point.month],
				observed: point.value,
				logScale: scale,
				source: `${point.status}: ${point.source}`
			});
		}
	}
	if (cutoff >= '2024-12') {
		targets.push({
			label: 'chinaExports 2024 total',
			metric: 'chinaExports',
			months: monthRange('2024-01', '2024-12'),
			observed: calibration.usImportsFromChina2024.value,
			logScale: 0.05,
			source: calibration.usImportsFromChina2024.source
		});
	}
	if (cutoff >= '2025-06') {
		const reported = ['2025-03', '2025-04', '2025-05', '2025-06'].map((m) => scenario.observed.chinaExports?.find((p) => p.month === m)?.value ?? 0);
		targets.push({
			label: 'chinaExports Jan+Feb 2025',
			metric: 'chinaExports',
			months: ['2025-01', '2025-02'],
			observed: calibration.usImportsFromChinaH1_2025.value - reported.reduce((a, b) => a + b, 0),
			logScale: 0.1,
			source: `derived: H1 2025 total (${calibration.usImportsFromChinaH1_2025.source}) minus March–June`
		});
		const may = scenario.observed.chinaExports?.find((p) => p.month === '2025-05')?.value;
		const june = scenario.observed.chinaExports?.find((p) => p.month === '2025-06')?.value;
		if (may && june) {
			targets.push({
				label: 'chinaExports June ÷ May 2025',
				metric: 'chinaExports',
				months: ['2025-06'],
				over: '2025-05',
				observed: june / may,
				logScale: 0.15,
				source: 'the June 2025 surge: 353 t after 46.4 t in May (GACC via Reuters; Bloomberg/SCMP)'
			});
		}
		targets.push({
			label: 'chinaMagnetPrice June ÷ May 2025',
			metric: 'chinaMagnetPrice',
			months: ['2025-06'],
			over: '2025-05',
			observed: 1 + calibration.magnetPriceJune2025Move.value,
			logScale: 0.02,
			source: calibration.magnetPriceJune2025Move.source
		});
	}
	return targets;
}

function printFit(name: string, fit: AbcFit): void {
	const out = process.stdout;
	out.write(`\n${name}: accepted ${fit.accepted} of ${fit.candidates} candidates (distance ≤ ${fit.distanceThreshold.toFixed(2)})\n`);
	out.write('  parameter                   prior (min, mode, max)          posterior (P5, median, P95)\n');
	for (const p of fit.parameters) {
		const prior = p.prior.dist === 'triangular' ? `${p.prior.min}, ${p.prior.mode}, ${p.prior.max}` : JSON.stringify(p.prior);
		out.write(`  ${p.id.padEnd(27)} ${prior.padEnd(31)} ${p.summary.p5}, ${p.summary.median}, ${p.summary.p95}\n`);
	}
	out.write('  target                              observed     fitted median\n');
	for (const t of fit.targets) out.write(`  ${t.label.padEnd(35)} ${t.observed.toFixed(2).padStart(9)} ${t.fitted.toFixed(2).padStart(12)}\n`);
}

const methodNote = (candidates: number, paths: number, accepted: number) =>
	`ABC rejection (${candidates} prior draws × ${paths} paths, best ${accepted} kept as a joint sample) on history-2025`;

function calibratedSource(main: AbcFit, walk: AbcFit, settings: { candidates: number; paths: number }): string {
	const block = (cutoff: string, fit: AbcFit) => `{
		cutoff: '${cutoff}',
		method: '${methodNote(settings.candidates, settings.paths, fit.accepted)}',
		parameters: {
${fit.parameters.map((p) => `			${p.id}: { dist: 'empirical', values: [${p.sample.join(', ')}] }`).join(',\n')}
		}
	}`;
	return `/**
 * Defaults fitted by \`npm run calibrate\` (written by it; do not edit by hand): ABC rejection on
 * the data up to the cut-off month, see docs/MODEL.md "Calibration".
 */
import type { DistributionSpec } from './parameter-values';

export interface CalibratedFit {
	cutoff: string;
	method: string;
	parameters: Record<string, DistributionSpec>;
}

export const calibratedFits: Record<'main' | 'walkForward', CalibratedFit> = {
	main: ${block('2025-06', main)},
	walkForward: ${block('2024-12', walk)}
};
`;
}

function walkForwardScenario(walk: AbcFit): string {
	const scenario = {
		$schema: './scenario.schema.json',
		id: 'history-2025-walk-forward',
		extends: 'history-2025',
		title: 'Walk-forward: fitted on data to December 2024, tested on 2025',
		description:
			'history-2025 with the calibrated parameters refitted on data up to December 2024 only (written by `npm run calibrate`). Its bands for January–June 2025 (and after) are what the model would have said before those months were known; checks/backtest.yaml counts how many observed months they contain.',
		opensWith: [
			{ kind: 'fan', metric: 'chinaExports' },
			{ kind: 'fan', metric: 'ndprPrice' },
			{ kind: 'indicators' },
			{ kind: 'comparison', metric: 'chinaExports', against: 'history-2025' }
		],
		parameters: Object.fromEntries(walk.parameters.map((p) => [p.id, { dist: 'empirical', values: p.sample }]))
	};
	return JSON.stringify(scenario, null, '\t') + '\n';
}

export async function main(argv: string[]): Promise<number> {
	const { parsed, problem } = parseCommandLine(argv, {
		candidates: { type: 'string' },
		paths: { type: 'string' },
		'dry-run': { type: 'boolean' },
		help: { type: 'boolean', short: 'h' }
	});
	if (!parsed) return reportProblems([problem]);
	if (parsed.values.help) {
		process.stdout.write(usage + '\n');
		return 0;
	}
	const problems: Problem[] = [];
	const candidates = wholeNumberOption(parsed.values.candidates, '--candidates', 20, 100_000, problems) ?? 10_000;
	const paths = wholeNumberOption(parsed.values.paths, '--paths', 20, 100_000, problems) ?? 300;
	if (parsed.positionals.length > 0) problems.push(commandLineProblem('', `unexpected argument ${JSON.stringify(parsed.positionals[0])}`));
	if (problems.length > 0) return reportProblems(problems);
	const [history] = resolveScenarioArguments(['history-2025']);
	const settings = { candidates, pathsPerCandidate: paths, acceptedShare: 0.05, seed: history.seed };
	const fits: AbcFit[] = [];
	for (const cutoff of ['2025-06', '2024-12']) {
		const scenario = { ...history, end: cutoff };
		const targets = targetsUpTo(history, cutoff);
		process.stderr.write(`fitting on ${targets.length} figures up to ${cutoff} …\n`);
		fits.push(fitAbc(scenario, priors, targets, settings, (done) => done % 100 === 0 && process.stderr.write(`  ${done}/${candidates} candidates\n`)));
	}
	const [main, walk] = fits;
	printFit('Fit on data to 2025-06 (the model defaults)', main);
	printFit('Fit on data to 2024-12 (walk-forward check)', walk);
	if (!parsed.values['dry-run']) {
		writeFileSync(join(import.meta.dirname, '../lib/model/calibrated.ts'), calibratedSource(main, walk, { candidates, paths }));
		writeFileSync(join(scenariosDirectory, 'history-2025-walk-forward.json'), walkForwardScenario(walk));
		process.stdout.write('\nwrote src/lib/model/calibrated.ts and scenarios/history-2025-walk-forward.json\n');
	}
	return 0;
}

runWhenScript('calibrate.ts', main);
