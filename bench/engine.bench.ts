import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveScenarioArguments } from '../src/cli/scenario-files';
import { forgetDraws } from '../src/lib/engine/draws';
import { computeIndicators } from '../src/lib/engine/indicators';
import { allocateBlock, simulatePaths, type PathBlock } from '../src/lib/engine/simulate';
import { summariseBlock } from '../src/lib/engine/summary';
import { metricCount } from '../src/lib/model/metrics';
import { buildTimeline } from '../src/lib/engine/timeline';
import { NodeRunner } from '../src/lib/runner/node/runner';
import { floorPaths } from './floor';
import { exportDraws } from './peers/export-draws';
import { NumpyPeer, peerUnavailable, type PeerRound } from './peers/numpy-peer';

/**
 * The engine's speed for 10,000 paths × 132 months of the baseline scenario:
 * - model: `simulatePaths` in this thread, with this thread's draws cached (as after a slider move)
 *   and not yet cached (a new seed); floor: `floorPaths`, the same draws and writes
 *   with no model arithmetic (bench/floor.ts), timed in alternation with the model so that
 *   machine noise hits both alike; their ratio;
 * - summary: `summariseBlock` (radix selection on the float bits), against sorting each column;
 * - total: a whole run through the runner (NodeRunner) with 1 and 2 workers, warm (threads
 *   started and run once first), timed in alternation;
 * - analyse tornado: `npm run analyse -- tornado` as a fresh process (this node and its tsx
 *   loader), with 1 and 2 workers in alternation: thread start-up, JIT warm-up and draws included.
 *   (In this process, the 1-worker runs would find the code warm and the draws cached.)
 *   `--no-tornado` skips it;
 * - peer numpy (`--peer numpy`): bench/peers/numpy_model.py, a vectorised numpy port of the model,
 *   fed the engine's draws for the same paths (exported to a temporary directory) in one python
 *   process; rounds alternate the engine in this thread (model with draws cached, then
 *   `summariseBlock`), the engine's whole run with 2 workers (warm) and a numpy round (model on
 *   the same draws, model on numpy's own draws for a new seed, summary by sorting every column).
 *   Ratios are engine time ÷ numpy time, pairwise per round; the last line of the bench is
 *   `peer numpy: one thread …×, two workers …×, summary …×` (bench/peers/README.md).
 * Each figure is repeated (default 7 times, `--runs N`; the tornado `--tornado-runs 3` times) after
 * warm-up: median and min; ratios are taken pairwise, within one run, as the machine's speed drifts.
 * Usage: npm run bench [-- --runs 7 --paths 10000 --tornado-runs 3 --tornado-paths 2000 --no-tornado --peer numpy]
 */
function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const RUNS = option('runs', 7);
const PATHS = option('paths', 10_000);
const TORNADO_RUNS = option('tornado-runs', 3);
const TORNADO_PATHS = option('tornado-paths', 2_000);
const TORNADO = !flag('no-tornado');
const peerAt = process.argv.indexOf('--peer');
const PEER = peerAt >= 0 ? process.argv[peerAt + 1] : undefined;
if (PEER !== undefined && PEER !== 'numpy') {
	console.error(`--peer: unknown peer ${JSON.stringify(PEER)} (known: numpy)`);
	process.exit(2);
}
const WARMUP = 2;

const [scenario] = resolveScenarioArguments(['baseline']);
const timeline = buildTimeline(scenario);
const months = timeline.months.length;
const seed = scenario.seed;
const settings = { seed, paths: PATHS };

interface Figure {
	median: number;
	min: number;
	all: number[];
}
function figure(times: number[]): Figure {
	const sorted = [...times].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], all: times };
}
const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;
function line(label: string, f: Figure, note = '') {
	console.log(`${label.padEnd(34)} median ${ms(f.median)}   min ${ms(f.min)}   [${f.all.map((x) => x.toFixed(0)).join(' ')}]${note ? `  ${note}` : ''}`);
}
const speed = (x: number) => x.toFixed(2);
function time(action: () => void): number {
	const start = performance.now();
	action();
	return performance.now() - start;
}
async function timeAsync(action: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await action();
	return performance.now() - start;
}

/** Summaries by sorting a copy of each month's column: the method radix selection replaced. */
function summariseBySorting(block: PathBlock): number {
	const n = block.pathCount;
	const scratch = new Float32Array(n);
	let check = 0;
	for (const values of block.metrics) {
		for (let t = 0; t < block.monthCount; t++) {
			scratch.set(values.subarray(t * n, (t + 1) * n));
			scratch.sort();
			check += scratch[n >> 1];
		}
	}
	return check;
}

console.log(`engine bench: baseline, ${PATHS.toLocaleString('en-US')} paths × ${months} months, seed ${seed}`);
console.log(
	`node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${RUNS} timed runs after ${WARMUP} warm-up runs\n`
);

// Model and floor, alternating, into the same preallocated block.
const block = allocateBlock(0, PATHS, months);
const target = { metrics: block.metrics, stride: PATHS, firstColumn: 0 };
const modelTimes: number[] = [];
const coldTimes: number[] = [];
const floorTimes: number[] = [];
for (let run = 0; run < WARMUP + RUNS; run++) {
	forgetDraws();
	const cold = time(() => simulatePaths(timeline, seed, 0, PATHS, target));
	const model = time(() => simulatePaths(timeline, seed, 0, PATHS, target));
	const floor = time(() => floorPaths(timeline, seed, 0, PATHS, target));
	if (run >= WARMUP) {
		coldTimes.push(cold);
		modelTimes.push(model);
		floorTimes.push(floor);
	}
}
const model = figure(modelTimes);
const floor = figure(floorTimes);
const ratios = figure(modelTimes.map((m, k) => m / floorTimes[k]));
line('model (simulatePaths, 1 thread)', model, 'draws cached, as after a slider move');
line('  the same, draws not yet cached', figure(coldTimes), 'a new seed');
line('floor (same draws and writes)', floor);
console.log(
	`${'ratio model / floor'.padEnd(34)} median ${ratios.median.toFixed(2).padStart(8)}   of mins ${(model.min / floor.min).toFixed(2).padStart(5)}   (pairwise, same run)`
);

// Summary: radix selection (what the engine uses) against sorting each column.
simulatePaths(timeline, seed, 0, PATHS, target);
const summaryTimes: number[] = [];
for (let run = 0; run < WARMUP + RUNS; run++) {
	const elapsed = time(() => summariseBlock(block));
	if (run >= WARMUP) summaryTimes.push(elapsed);
}
const SORT_RUNS = Math.min(3, RUNS);
const sortTimes: number[] = [];
for (let run = 0; run < 1 + SORT_RUNS; run++) {
	const elapsed = time(() => summariseBySorting(block));
	if (run >= 1) sortTimes.push(elapsed);
}
const indicatorTimes: number[] = [];
for (let run = 0; run < WARMUP + RUNS; run++) {
	const elapsed = time(() => computeIndicators(block, timeline.months));
	if (run >= WARMUP) indicatorTimes.push(elapsed);
}
console.log();
line('summary (radix selection, 1 thread)', figure(summaryTimes), `${metricCount} metrics × ${months} months`);
line('  for comparison: sorting columns', figure(sortTimes), `${SORT_RUNS} runs`);
line('indicators (1 thread)', figure(indicatorTimes));

// Totals across workers, warm, in alternation.
console.log();
const runners = [1, 2].map((workers) => new NodeRunner({ workers, reuseRunBlocks: true }));
const totalTimes: number[][] = [[], []];
let fingerprint: string | undefined;
try {
	for (let run = 0; run < WARMUP + RUNS; run++) {
		for (const [k, runner] of runners.entries()) {
			let result: Awaited<ReturnType<NodeRunner['runScenario']>>['result'] | undefined;
			const elapsed = await timeAsync(async () => {
				result = (await runner.runScenario(scenario, settings)).result;
			});
			if (fingerprint === undefined) fingerprint = result!.fingerprint;
			else if (result!.fingerprint !== fingerprint)
				throw new Error(`fingerprint ${result!.fingerprint} with ${runner.workers} workers differs from ${fingerprint}`);
			if (run >= WARMUP) totalTimes[k].push(elapsed);
		}
	}
} finally {
	await Promise.all(runners.map((runner) => runner.close()));
}
const totals = totalTimes.map(figure);
line('total, 1 worker (warm)', totals[0]);
line('total, 2 workers (warm)', totals[1]);
const speedUps = figure(totalTimes[0].map((one, k) => one / totalTimes[1][k]));
console.log(
	`${'speed-up 1 → 2 workers'.padEnd(34)} median ${speedUps.median.toFixed(2).padStart(8)}   fingerprint ${fingerprint} (identical for 1 and 2 workers)`
);

// The tornado analysis of the command line, 1 and 2 workers in alternation.
function tornado() {
	console.log();
	const tornadoArguments = ['tornado', 'baseline', '--indicator', 'median usMagnetPrice 2030', '--paths', String(TORNADO_PATHS)];
	const tornadoTimes: number[][] = [[], []];
	let tornadoOutput: string | undefined;
	for (let run = 0; run < 1 + TORNADO_RUNS; run++) {
		for (const [k, workers] of [1, 2].entries()) {
			let output = '';
			const elapsed = time(() => {
				const run = spawnSync(process.execPath, [...process.execArgv, 'src/cli/analyse.ts', ...tornadoArguments, '--workers', String(workers)], {
					encoding: 'utf8'
				});
				if (run.status !== 0) throw new Error(`analyse tornado failed: ${run.stderr}`);
				output = run.stdout;
			});
			if (tornadoOutput === undefined) tornadoOutput = output;
			else if (output !== tornadoOutput) throw new Error(`the tornado with ${workers} workers differs`);
			if (run >= 1) tornadoTimes[k].push(elapsed);
		}
	}
	line(`analyse tornado, 1 worker`, figure(tornadoTimes[0]), `${TORNADO_PATHS.toLocaleString('en-US')} paths a variant`);
	line(`analyse tornado, 2 workers`, figure(tornadoTimes[1]));
	const tornadoSpeedUps = tornadoTimes[0].map((one, k) => one / tornadoTimes[1][k]);
	console.log(
		`${'speed-up 1 → 2 workers'.padEnd(34)} median ${figure(tornadoSpeedUps).median.toFixed(2).padStart(8)}   [${tornadoSpeedUps.map((x) => x.toFixed(2)).join(' ')}] (same JSON for 1 and 2 workers)`
	);
}
if (TORNADO) tornado();
else console.log('\nanalyse tornado: skipped (--no-tornado)');

// The numpy peer, last: its final line is the bench's last line.
if (PEER === 'numpy') await numpyPeer();

async function numpyPeer() {
	console.log(`\npeer numpy: baseline, ${PATHS.toLocaleString('en-US')} paths × ${months} months (bench/peers/numpy_model.py)`);
	const missing = peerUnavailable();
	if (missing) {
		console.log(`peer numpy: skipped, ${missing}`);
		return;
	}
	const directory = mkdtempSync(join(tmpdir(), 'numpy-peer-'));
	let peer: NumpyPeer | undefined;
	const runner = new NodeRunner({ workers: 2, reuseRunBlocks: true });
	try {
		const exportMs = time(() => exportDraws({ scenario: 'baseline', paths: PATHS, out: directory }));
		const loadMs = await timeAsync(async () => {
			const started = await NumpyPeer.start(directory);
			peer = started.peer;
			const { python, numpy, valuesDiffering } = started.ready;
			const exact =
				valuesDiffering === 0 ? "the peer's block matches the engine's bit for bit" : `${valuesDiffering} values of the peer's block differ from the engine's`;
			console.log(`python ${python}, numpy ${numpy}; ${exact}`);
		});
		console.log(
			`draws exported in ${(exportMs / 1000).toFixed(1)} s to ${directory}; the peer loaded them and ran once in ${(loadMs / 1000).toFixed(1)} s (neither timed below)`
		);
		console.log(
			'each round: engine in this thread (draws not cached, cached, summariseBlock), engine with 2 workers (warm, whole run), numpy (cached draws, new seed, summary)'
		);
		const rounds: { cold: number; model: number; summary: number; workers: number; numpy: PeerRound }[] = [];
		for (let run = 0; run < WARMUP + RUNS; run++) {
			forgetDraws();
			const cold = time(() => simulatePaths(timeline, seed, 0, PATHS, target));
			const model = time(() => simulatePaths(timeline, seed, 0, PATHS, target));
			const summary = time(() => summariseBlock(block));
			const workers = await timeAsync(() => runner.runScenario(scenario, settings));
			const numpy = await peer!.round();
			const round = { cold, model, summary, workers, numpy };
			const label = run < WARMUP ? `warm-up ${run + 1}` : `round ${run - WARMUP + 1}`;
			const f = (x: number) => x.toFixed(0);
			console.log(
				`${label.padEnd(10)} engine ${f(model)} + ${f(summary)} = ${f(model + summary)} ms (not cached ${f(cold)}), 2 workers ${f(workers)} ms | numpy ${f(numpy.model)} + ${f(numpy.summary)} = ${f(numpy.model + numpy.summary)} ms (new seed ${f(numpy.newSeed)})`
			);
			if (run >= WARMUP) rounds.push(round);
		}
		type Round = (typeof rounds)[number];
		const medians: [string, (r: Round) => number][] = [
			['engine model (1 thread, cached)', (r) => r.model],
			['engine summary (summariseBlock)', (r) => r.summary],
			['engine model + summary', (r) => r.model + r.summary],
			['engine model, draws not cached', (r) => r.cold],
			['engine total, 2 workers (warm)', (r) => r.workers],
			['numpy model (cached draws)', (r) => r.numpy.model],
			['numpy summary (sort + pick)', (r) => r.numpy.summary],
			['numpy model + summary', (r) => r.numpy.model + r.numpy.summary],
			['numpy new seed (draws + model)', (r) => r.numpy.newSeed]
		];
		console.log();
		for (const [label, pick] of medians) line(label, figure(rounds.map(pick)));
		const ratio = (label: string, pick: (r: Round) => number, note: string) => {
			const values = rounds.map(pick);
			console.log(`${label.padEnd(34)} median ${figure(values).median.toFixed(2).padStart(8)}×  [${values.map((x) => x.toFixed(2)).join(' ')}]  ${note}`);
			return figure(values).median;
		};
		console.log('engine time ÷ numpy time, pairwise per round (below 1: the engine is faster)');
		const oneThread = ratio('one thread', (r) => (r.model + r.summary) / (r.numpy.model + r.numpy.summary), 'engine model + summary ÷ numpy model + summary');
		const twoWorkers = ratio('two workers', (r) => r.workers / (r.numpy.model + r.numpy.summary), 'engine whole run, 2 workers ÷ numpy model + summary');
		const summaryRatio = ratio('summary', (r) => r.summary / r.numpy.summary, 'summariseBlock ÷ numpy sort + pick');
		ratio('new seed (model)', (r) => r.cold / r.numpy.newSeed, 'engine, draws not cached ÷ numpy, its own draws');
		const verdict = (value: number, target: number) => `${speed(value)}× ${value <= target ? 'met' : 'NOT met'} (target ≤ ${target.toFixed(2)})`;
		console.log(`targets: one thread ${verdict(oneThread, 1)}; two workers ${verdict(twoWorkers, 0.6)}; summary ${verdict(summaryRatio, 1)}`);
		console.log(`\npeer numpy: one thread ${speed(oneThread)}×, two workers ${speed(twoWorkers)}×, summary ${speed(summaryRatio)}×`);
	} catch (error) {
		console.log(`peer numpy: failed, ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	} finally {
		await peer?.close();
		await runner.close();
		rmSync(directory, { recursive: true, force: true });
	}
}
