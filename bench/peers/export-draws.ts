/**
 * Exports what the numpy peer (bench/peers/numpy_model.py) needs to rerun a scenario's paths, and
 * the engine's own float32 block and summary to compare against:
 *   header.json   the resolved timeline (per-month arrays), raw calibration figures, parameter ids,
 *                 plants, shapes and, when timed, the engine's time for the same paths (draws
 *                 cached, median of runs)
 *   parameters.f64  [paths, parameterCount]  each path's drawn parameters (the engine's samplers)
 *   plantUniforms.f64 [paths, plants]       the uniforms deciding whether each plant is built
 *   pinned.i8     [paths, months]           regime pins (−1 free)
 *   monthly.f64   [paths, months, 5]        policy uniform, demand, export, NdPr, licence normals
 *   block.f32     [metrics, months, paths]  the engine's block (month-major per metric)
 *   summary.f64   [metrics, 8, months]      the engine's summary of that block (`summaryStatistics`)
 * Nothing here changes the engine: it replays `simulatePaths`' draw loop to record the inputs.
 * `exportDraws` is what bench/engine.bench.ts calls (`--peer numpy`); run as a script:
 *   npx tsx bench/peers/export-draws.ts [scenario=baseline] [--paths 1000] [--out /tmp/numpy-peer] [--runs 7]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { PathDraws } from '../../src/lib/engine/draws';
import { PathStreams } from '../../src/lib/engine/random';
import { allocateBlock, compileParameterSamplers, simulatePaths } from '../../src/lib/engine/simulate';
import { summariseBlock, type MetricSummary } from '../../src/lib/engine/summary';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { calibration, chinaReferenceSupplyTonnesPerMonth, chinaShareOfSupply2024, domesticOutput2024, OXIDE_PER_METAL } from '../../src/lib/model/calibration';
import { MAX_REVIEW_MONTHS } from '../../src/lib/model/exports';
import { metricNames } from '../../src/lib/model/metrics';
import { parameterDefinitions } from '../../src/lib/model/parameters';
import { DRAWS_PER_MONTH, EXTRA_UNIFORMS, PLANT_UNIFORMS } from '../../src/lib/model/path';
import { plants } from '../../src/lib/model/plants';
import { pinRegimes } from '../../src/lib/model/timeline';

/** The statistics in `summary.f64`, in its order (SUMMARY_STATISTICS in numpy_model.py). */
export const summaryStatistics = ['p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'se50', 'shareAboveZero'] as const satisfies readonly (keyof MetricSummary)[];

export interface ExportOptions {
	/** A library scenario id or a scenario file, as the command line takes them. */
	scenario: string;
	paths: number;
	/** The directory to write (created). */
	out: string;
	/** Times the engine on the same paths this many times (draws cached) for the header; 0: not timed. */
	runs?: number;
}

export interface ExportResult {
	scenario: string;
	seed: number;
	paths: number;
	months: number;
	parameters: number;
	/** The engine's median time, when timed. */
	engineMs?: number;
}

/** Writes the export of `options.scenario`'s first `options.paths` paths to `options.out`. */
export function exportDraws(options: ExportOptions): ExportResult {
	const { paths, out } = options;
	const runs = options.runs ?? 0;
	const [scenario] = resolveScenarioArguments([options.scenario]);
	const timeline = buildTimeline(scenario);
	const seed = scenario.seed;
	const T = timeline.months.length;
	const samplers = compileParameterSamplers(timeline);
	const P = samplers.length;

	// Replay of simulatePaths' per-path draws (src/lib/engine/simulate.ts), recorded instead of simulated.
	const parameters = new Float64Array(paths * P);
	const plantUniforms = new Float64Array(paths * PLANT_UNIFORMS);
	const pinned = new Int8Array(paths * T);
	const monthly = new Float64Array(paths * T * DRAWS_PER_MONTH);
	const draws = new PathDraws(new PathStreams(), seed, T, P + EXTRA_UNIFORMS);
	const uniformSlot = Int32Array.from(timeline.parameterSpecs, (spec, k) => (typeof spec === 'object' && spec.dist === 'empirical' ? P + PLANT_UNIFORMS : k));
	const events = draws.streams.events;
	const eventUniform = () => events.uniform();
	const pathParameters = new Float64Array(P);
	const pathPins = new Int8Array(T);
	for (let i = 0; i < paths; i++) {
		draws.load(i);
		const u = draws.uniforms;
		const ua = draws.uniformAt;
		for (let k = 0; k < P; k++) pathParameters[k] = samplers[k](u[ua + uniformSlot[k]]);
		pinRegimes(timeline, eventUniform, pathPins, pathParameters);
		parameters.set(pathParameters, i * P);
		pinned.set(pathPins, i * T);
		for (let j = 0; j < PLANT_UNIFORMS; j++) plantUniforms[i * PLANT_UNIFORMS + j] = u[ua + P + j];
		monthly.set(draws.monthly.subarray(draws.monthlyAt, draws.monthlyAt + T * DRAWS_PER_MONTH), i * T * DRAWS_PER_MONTH);
	}

	// The engine's block and summary, and (when asked) its time for the same paths with draws cached
	// (as the peer gets them), into one preallocated block as bench/engine.bench.ts does (a fresh
	// 100 MB block per run would time page faults).
	const block = allocateBlock(0, paths, T);
	const target = { metrics: block.metrics, stride: paths, firstColumn: 0 };
	simulatePaths(timeline, seed, 0, paths, target);
	const times: number[] = [];
	for (let r = 0; r < runs; r++) {
		const start = performance.now();
		simulatePaths(timeline, seed, 0, paths, target);
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	const summary = summariseBlock(block);

	mkdirSync(out, { recursive: true });
	const write = (name: string, array: ArrayBufferView) => writeFileSync(join(out, name), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
	write('parameters.f64', parameters);
	write('plantUniforms.f64', plantUniforms);
	write('pinned.i8', pinned);
	write('monthly.f64', monthly);
	const flat = new Float32Array(metricNames.length * T * paths);
	block.metrics.forEach((values, m) => flat.set(values, m * T * paths));
	write('block.f32', flat);
	const statistics = new Float64Array(metricNames.length * summaryStatistics.length * T);
	metricNames.forEach((name, m) =>
		summaryStatistics.forEach((key, s) => statistics.set(summary[name]![key] as number[], (m * summaryStatistics.length + s) * T))
	);
	write('summary.f64', statistics);
	const arr = (a: ArrayLike<number>) => Array.from(a, (x) => (Number.isNaN(x) ? null : x));
	const engineMs = runs > 0 ? times[times.length >> 1] : undefined;
	const header = {
		scenario: options.scenario,
		seed,
		paths,
		months: timeline.months,
		parameterIds: parameterDefinitions.map((p) => p.id),
		metrics: metricNames,
		drawsPerMonth: DRAWS_PER_MONTH,
		summaryStatistics,
		engineMsMedian: engineMs ?? null,
		engineMsAll: times,
		timeline: {
			startAbsolute: timeline.startAbsolute,
			initialRegime: timeline.initialRegime,
			yearsFromReference: arr(timeline.yearsFromReference),
			hazardOverrides: Object.fromEntries(Object.entries(timeline.hazardOverrides).map(([k, v]) => [k, arr(v)])),
			stockpileRelease: arr(timeline.stockpileRelease),
			capacityFactor: arr(timeline.capacityFactor),
			alliedKept: arr(timeline.alliedKept),
			tariff: arr(timeline.tariff),
			plantStarts: arr(timeline.plantStarts),
			ndprFloorActive: arr(timeline.ndprFloorActive),
			heavyReCoverRamp: arr(timeline.heavyReCoverRamp),
			licencePush: arr(timeline.licencePush)
		},
		plants: plants.map((p) => ({ id: p.id, tonnesPerYear: p.tonnesPerYear, rampMonths: p.rampMonths })),
		// Raw figures only; the peer derives its own constants from them (docs/MODEL.md).
		constants: {
			chinaExportUnitValue2024: calibration.chinaExportUnitValue2024.value,
			ndprMarketAverageQ4_2024: calibration.ndprMarketAverageQ4_2024.value,
			ndprFloorDoD: calibration.ndprFloorDoD.value,
			usImportsFromChina2024: calibration.usImportsFromChina2024.value,
			chinaShareOfUsImportsValueQ1_2024: calibration.chinaShareOfUsImportsValueQ1_2024.value,
			domesticOutput2024,
			maxReviewMonths: MAX_REVIEW_MONTHS,
			// The engine's derived values, for the peer to check its own against.
			check: { OXIDE_PER_METAL, chinaShareOfSupply2024, chinaReferenceSupplyTonnesPerMonth }
		}
	};
	writeFileSync(join(out, 'header.json'), JSON.stringify(header));
	return { scenario: options.scenario, seed, paths, months: T, parameters: P, engineMs };
}

function main() {
	const option = (name: string, fallback: string) => {
		const at = process.argv.indexOf(`--${name}`);
		return at >= 0 ? process.argv[at + 1] : fallback;
	};
	const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--')));
	const out = option('out', '/tmp/numpy-peer');
	const result = exportDraws({ scenario: positional[0] ?? 'baseline', paths: Number(option('paths', '1000')), out, runs: Number(option('runs', '7')) });
	const timed = result.engineMs === undefined ? '' : `; engine ${result.engineMs.toFixed(1)} ms median (draws cached)`;
	console.log(`exported ${result.scenario}: ${result.paths} paths × ${result.months} months, ${result.parameters} parameters → ${out}${timed}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
