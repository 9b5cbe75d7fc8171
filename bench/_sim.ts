import { resolveScenarioArguments } from '../src/cli/scenario-files';
import { buildTimeline } from '../src/lib/model/timeline';
import { simulatePaths } from '../src/lib/engine/simulate';
const [s] = resolveScenarioArguments(['baseline']);
const tl = buildTimeline(s);
for (let rep = 0; rep < 3; rep++) {
  const t1 = performance.now();
  simulatePaths(tl, 1, 0, 10000);
  console.log('sim', (performance.now() - t1).toFixed(0));
}
