// Sweep throughput, as `npm run sweep` runs points (each whole in one thread): points per second at
// 1,000 paths per point, with 1 and 2 workers, against the floor of simulating the same points'
// paths in this thread with nothing else (no outputs, no pool),
// rounds alternating so drift of the machine's speed falls on both alike. Ends with the projected
// wall time of a 100,000-point sweep on 50 shards of 2 cores each.
// Run with: npx tsx bench/sweep.bench.ts [points per round, default 120] [rounds, default 3]
import { loadSweepPlan } from '../src/cli/sweep';
import { designValues } from '../src/lib/sweep/design';
import { pointValues, runPoints } from '../src/lib/sweep/run';
import { simulatedScenarioAt } from '../src/lib/sweep/plan';
import { simulatePaths } from '../src/lib/engine/simulate';
import { buildTimeline } from '../src/lib/engine/timeline';
import { NodeRunner } from '../src/lib/runner/node/runner';

const points = Number(process.argv[2] ?? 120);
const rounds = Number(process.argv[3] ?? 3);
const plan = loadSweepPlan('sweeps/capacity-sobol.yaml');
const design = designValues(plan);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function sweepRate(workers: number, first: number): Promise<number> {
	const runner = new NodeRunner({ workers, blockCacheFloats: 0 });
	try {
		// One point first, so thread start-up and the first compilation are not timed.
		const evaluators = runner.pointEvaluators();
		await runPoints(plan, design, first, first + 1, { evaluators });
		const started = performance.now();
		await runPoints(plan, design, first + 1, first + 1 + points, { evaluators });
		return points / ((performance.now() - started) / 1000);
	} finally {
		await runner.close();
	}
}

function floorRate(first: number): number {
	const started = performance.now();
	for (let point = first + 1; point < first + 1 + points; point++) {
		simulatePaths(buildTimeline(simulatedScenarioAt(plan, pointValues(design, plan.factors.length, point))), plan.seed, 0, plan.paths);
	}
	return points / ((performance.now() - started) / 1000);
}

console.log(
	`${plan.definition.title}\n${points} points a round, ${plan.paths.toLocaleString('en-US')} paths a point, ${plan.outputs.length} outputs; points/s:`
);
const rates = { floor: [] as number[], one: [] as number[], two: [] as number[] };
for (let round = 0; round < rounds; round++) {
	// Each round its own points (the draw cache helps every mode alike: one seed for the whole sweep).
	const first = round * (points + 1);
	const floor = floorRate(first);
	const one = await sweepRate(1, first);
	const two = await sweepRate(2, first);
	rates.floor.push(floor);
	rates.one.push(one);
	rates.two.push(two);
	console.log(`round ${round + 1}  floor (simulate only, 1 thread) ${floor.toFixed(1)}  sweep 1 worker ${one.toFixed(1)}  sweep 2 workers ${two.toFixed(1)}`);
}
const [floor, one, two] = [median(rates.floor), median(rates.one), median(rates.two)];
console.log(
	`median: floor ${floor.toFixed(1)}, 1 worker ${one.toFixed(1)} (${(one / floor).toFixed(2)} × floor), 2 workers ${two.toFixed(1)} (${(two / one).toFixed(2)} × 1 worker)`
);
const shardPoints = 100_000 / 50;
const seconds = shardPoints / two;
console.log(
	`projected: 100,000 points on 50 shards of 2 cores = ${shardPoints.toLocaleString('en-US')} points a shard ÷ ${two.toFixed(1)} points/s = ${(seconds / 60).toFixed(0)} min a shard (plus ~3 s start-up), so ~${(seconds / 60).toFixed(0)} min of wall time with all 50 at once`
);
