import { resolveScenarioArguments } from '/work/main/src/cli/scenario-files';
import { buildTimeline } from '/work/main/src/lib/model/timeline';
import { simulatePaths, drawPathParameters } from '/work/main/src/lib/engine/simulate';
import { summariseBlock } from '/work/main/src/lib/engine/summary';
import { computeIndicators } from '/work/main/src/lib/engine/indicators';
const [s] = resolveScenarioArguments(['baseline']);
const tl = buildTimeline(s);
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  const params = new Float64Array(40);
  for (let i = 0; i < 10000; i++) drawPathParameters(tl, 1, i, params);
  let t1 = performance.now();
  const b = simulatePaths(tl, 1, 0, 10000);
  let t2 = performance.now();
  summariseBlock(b);
  let t3 = performance.now();
  computeIndicators(b, tl.months);
  let t4 = performance.now();
  console.log(`params ${(t1-t0).toFixed(0)} sim ${(t2-t1).toFixed(0)} summary ${(t3-t2).toFixed(0)} indicators ${(t4-t3).toFixed(0)}`);
}
