// Sweep throughput, as `npm run sweep` runs points (each whole in one thread): points per second at
// 1,000 paths per point, with 1 and 2 workers, against the floor of simulating the same points'
// paths in this thread with nothing else (no outputs, no pool),
// rounds alternating so drift of the machine's speed falls on both alike. Ends with the projected
// wall time of a 100,000-point sweep on 50 shards of 2 cores each.
// Run with: npx tsx bench/sweep.bench.ts [points per round, default 120] [rounds, default 3]
import { loadSweepPlan } from '../src/cli/sweep';
import { designValues } from '../src/lib/sweep/design';
import { pointValues, runPoints, simulatedScenarioAt } from '../src/lib/sweep/run';
import { simulatePaths } from '../src/lib/engine/simulate';
import { buildTimeline } from '../src/lib/engine/timeline';
import { NodeRunner } from '../src/lib/runner/node/runner';

const points = Number(process.argv[2] ?? 120);
const rounds = Number(process.argv[3] ?? 3);
const plan = loadSweepPlan('sweeps/capacity-sobol.yaml');
const design = designValues(plan);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Points per second over `count` points from `first`, each run whole in one of the runner's threads. */
async function sweepRate(runner: NodeRunner, first: number, count = points): Promise<number> {
	const started = performance.now();
	await runPoints(plan, design, first, first + count, { evaluators: runner.pointEvaluators() });
	return count / ((performance.now() - started) / 1000);
}

function floorRate(first: number, count = points): number {
	const started = performance.now();
	for (let point = first; point < first + count; point++) {
		simulatePaths(buildTimeline(simulatedScenarioAt(plan, pointValues(design, plan.factors.length, point))), plan.seed, 0, plan.paths);
	}
	return count / ((performance.now() - started) / 1000);
}

console.log(
	`${plan.definition.title}\n${points} points a round, ${plan.paths.toLocaleString('en-US')} paths a point, ${plan.outputs.length} outputs; points/s:`
);
// Threads started, code compiled and draws cached before anything is timed: a sweep runs for minutes.
const runners = { one: new NodeRunner({ workers: 1, blockCacheFloats: 0 }), two: new NodeRunner({ workers: 2, blockCacheFloats: 0 }) };
const warmUp = 40;
floorRate(0, warmUp);
await sweepRate(runners.one, 0, warmUp);
await sweepRate(runners.two, 0, warmUp);
const rates = { floor: [] as number[], one: [] as number[], two: [] as number[] };
for (let round = 0; round < rounds; round++) {
	// Each round its own points (the draw cache helps every mode alike: one seed for the whole sweep).
	const first = warmUp + round * points;
	const floor = floorRate(first);
	const one = await sweepRate(runners.one, first);
	const two = await sweepRate(runners.two, first);
	rates.floor.push(floor);
	rates.one.push(one);
	rates.two.push(two);
	console.log(`round ${round + 1}  floor (simulate only, 1 thread) ${floor.toFixed(1)}  sweep 1 worker ${one.toFixed(1)}  sweep 2 workers ${two.toFixed(1)}`);
}
await Promise.all([runners.one.close(), runners.two.close()]);
const [floor, one, two] = [median(rates.floor), median(rates.one), median(rates.two)];
console.log(
	`median: floor ${floor.toFixed(1)}, 1 worker ${one.toFixed(1)} (${(one / floor).toFixed(2)} × floor), 2 workers ${two.toFixed(1)} (${(two / one).toFixed(2)} × 1 worker)`
);
const shardPoints = 100_000 / 50;
const seconds = shardPoints / two;
const minutes = (seconds: number) => (seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`);
console.log(
	`projected: 100,000 points on 50 shards of 2 cores = ${shardPoints.toLocaleString('en-US')} points a shard ÷ ${two.toFixed(1)} points/s = ${minutes(seconds)} a shard, plus ~3 s to start; with all 50 shards at once, ~${minutes(seconds + 3)} of wall time (one machine of 2 cores: ${minutes(100_000 / two)})`
);
