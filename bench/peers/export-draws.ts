/**
 * Exports what the numpy peer (bench/peers/numpy_model.py) needs to rerun a scenario's paths, and
 * the engine's own float32 block to compare against:
 *   header.json   the resolved timeline (per-month arrays), model constants, parameter ids, plants,
 *                 shapes and the engine's time for the same paths (draws cached, median of runs)
 *   parameters.f64  [paths, parameterCount]  each path's drawn parameters (the engine's samplers)
 *   plantUniforms.f64 [paths, plants]       the uniforms deciding whether each plant is built
 *   pinned.i8     [paths, months]           regime pins (−1 free)
 *   monthly.f64   [paths, months, 5]        policy uniform, demand, export, NdPr, licence normals
 *   block.f32     [metrics, months, paths]  the engine's block (month-major per metric)
 * Nothing here changes the engine: it replays `simulatePaths`' draw loop to record the inputs.
 * Usage: npx tsx bench/peers/export-draws.ts [scenario=baseline] [--paths 1000] [--out /tmp/numpy-peer]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveScenarioArguments } from '../../src/cli/scenario-files';
import { PathDraws } from '../../src/lib/engine/draws';
import { PathStreams } from '../../src/lib/engine/random';
import { allocateBlock, compileParameterSamplers, simulatePaths } from '../../src/lib/engine/simulate';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { calibration, chinaReferenceSupplyTonnesPerMonth, chinaShareOfSupply2024, domesticOutput2024, OXIDE_PER_METAL } from '../../src/lib/model/calibration';
import { MAX_REVIEW_MONTHS } from '../../src/lib/model/exports';
import { metricNames } from '../../src/lib/model/metrics';
import { parameterDefinitions } from '../../src/lib/model/parameters';
import { DRAWS_PER_MONTH, EXTRA_UNIFORMS, PLANT_UNIFORMS } from '../../src/lib/model/path';
import { plants } from '../../src/lib/model/plants';
import { pinRegimes } from '../../src/lib/model/timeline';

function option(name: string, fallback: string): string {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? process.argv[at + 1] : fallback;
}
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--')));
const scenarioId = positional[0] ?? 'baseline';
const PATHS = Number(option('paths', '1000'));
const OUT = option('out', '/tmp/numpy-peer');
const RUNS = Number(option('runs', '7'));

const [scenario] = resolveScenarioArguments([scenarioId]);
const timeline = buildTimeline(scenario);
const seed = scenario.seed;
const T = timeline.months.length;
const samplers = compileParameterSamplers(timeline);
const P = samplers.length;

// Replay of simulatePaths' per-path draws (src/lib/engine/simulate.ts), recorded instead of simulated.
const parameters = new Float64Array(PATHS * P);
const plantUniforms = new Float64Array(PATHS * PLANT_UNIFORMS);
const pinned = new Int8Array(PATHS * T);
const monthly = new Float64Array(PATHS * T * DRAWS_PER_MONTH);
const draws = new PathDraws(new PathStreams(), seed, T, P + EXTRA_UNIFORMS);
const uniformSlot = Int32Array.from(timeline.parameterSpecs, (spec, k) => (typeof spec === 'object' && spec.dist === 'empirical' ? P + PLANT_UNIFORMS : k));
const events = draws.streams.events;
const eventUniform = () => events.uniform();
const pathParameters = new Float64Array(P);
const pathPins = new Int8Array(T);
for (let i = 0; i < PATHS; i++) {
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

// The engine's block, and its time for the same paths with draws cached (as the peer gets them).
// Into one preallocated block, as bench/engine.bench.ts does (a fresh 100 MB block per run would time page faults).
const block = allocateBlock(0, PATHS, T);
const target = { metrics: block.metrics, stride: PATHS, firstColumn: 0 };
simulatePaths(timeline, seed, 0, PATHS, target);
const times: number[] = [];
for (let r = 0; r < RUNS; r++) {
	const start = performance.now();
	simulatePaths(timeline, seed, 0, PATHS, target);
	times.push(performance.now() - start);
}
times.sort((a, b) => a - b);

mkdirSync(OUT, { recursive: true });
const write = (name: string, array: ArrayBufferView) => writeFileSync(join(OUT, name), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
write('parameters.f64', parameters);
write('plantUniforms.f64', plantUniforms);
write('pinned.i8', pinned);
write('monthly.f64', monthly);
const flat = new Float32Array(metricNames.length * T * PATHS);
block.metrics.forEach((values, m) => flat.set(values, m * T * PATHS));
write('block.f32', flat);
const arr = (a: ArrayLike<number>) => Array.from(a, (x) => (Number.isNaN(x) ? null : x));
const header = {
	scenario: scenarioId,
	seed,
	paths: PATHS,
	months: timeline.months,
	parameterIds: parameterDefinitions.map((p) => p.id),
	metrics: metricNames,
	drawsPerMonth: DRAWS_PER_MONTH,
	engineMsMedian: times[times.length >> 1],
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
writeFileSync(join(OUT, 'header.json'), JSON.stringify(header));
console.log(
	`exported ${scenarioId}: ${PATHS} paths × ${T} months, ${P} parameters → ${OUT}; engine ${header.engineMsMedian.toFixed(1)} ms median (draws cached)`
);
