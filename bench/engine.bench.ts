import { availableParallelism, cpus } from 'node:os';
import { runScenarioParallel, SharedPathsRecycler } from '../src/cli/parallel-run';
import { WorkerPool } from '../src/cli/pool';
import { resolveScenarioArguments } from '../src/cli/scenario-files';
import { forgetDraws } from '../src/lib/engine/draws';
import { computeIndicators } from '../src/lib/engine/indicators';
import { allocateBlock, simulatePaths, type PathBlock } from '../src/lib/engine/simulate';
import { summariseBlock } from '../src/lib/engine/summary';
import { metricCount } from '../src/lib/model/metrics';
import { buildTimeline } from '../src/lib/model/timeline';
import { floorPaths } from './floor';

/**
 * The engine's speed for 10,000 paths × 132 months of the baseline scenario:
 * - model: `simulatePaths` in this thread, with this thread's draws cached (as after a slider move)
 *   and not yet cached (a new seed); floor: `floorPaths`, the same draws and writes
 *   with no model arithmetic (bench/floor.ts), timed in alternation with the model so that
 *   machine noise hits both alike; their ratio;
 * - summary: `summariseBlock` (radix selection on the float bits), against sorting each column;
 * - total: `runScenarioParallel` with 1 and 2 workers, warm (pool started and run once first).
 * Each figure is repeated (default 7 times, `--runs N`) after warm-up: median and min.
 * Usage: npm run bench [-- --runs 7 --paths 10000]
 */
function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const RUNS = option('runs', 7);
const PATHS = option('paths', 10_000);
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
console.log(`node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${RUNS} timed runs after ${WARMUP} warm-up runs\n`);

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
	`${'ratio model / floor'.padEnd(34)} median ${ratios.median.toFixed(2).padStart(8)}   of mins ${(model.min / floor.min).toFixed(2).padStart(5)}   (pairwise, same run; target ≤ 2.5)`
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

// Totals across workers, warm.
console.log();
const totals: Record<number, Figure> = {};
let fingerprint: string | undefined;
for (const workers of [1, 2]) {
	const pool = new WorkerPool(workers);
	const recycler = new SharedPathsRecycler();
	try {
		const times: number[] = [];
		for (let run = 0; run < WARMUP + RUNS; run++) {
			let result: Awaited<ReturnType<typeof runScenarioParallel>>['result'] | undefined;
			const elapsed = await timeAsync(async () => {
				result = (await runScenarioParallel(pool, scenario, settings, undefined, recycler)).result;
			});
			if (fingerprint === undefined) fingerprint = result!.fingerprint;
			else if (result!.fingerprint !== fingerprint) throw new Error(`fingerprint ${result!.fingerprint} with ${workers} workers differs from ${fingerprint}`);
			if (run >= WARMUP) times.push(elapsed);
		}
		totals[workers] = figure(times);
		line(`total, ${workers} worker${workers > 1 ? 's' : ''} (warm)`, totals[workers], workers === 2 ? 'target ≤ 150 ms' : '');
	} finally {
		await pool.close();
	}
}
console.log(`${'speed-up 1 → 2 workers'.padEnd(34)} median ${(totals[1].median / totals[2].median).toFixed(2).padStart(8)}   fingerprint ${fingerprint} (identical for 1 and 2 workers)`);

const ratioOk = ratios.median <= 2.5;
const totalOk = totals[2].median <= 150;
console.log(`\ntargets: ratio ≤ 2.5 ${ratioOk ? 'met' : 'NOT met'} (${ratios.median.toFixed(2)}); total with 2 workers ≤ 150 ms ${totalOk ? 'met' : 'NOT met'} (${totals[2].median.toFixed(0)} ms median)`);
