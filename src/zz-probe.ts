import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import { resolveScenarioArguments } from './cli/scenario-files';
import { RunCoordinator } from './lib/runner/coordinator';
import { createLocalExecutor } from './lib/runner/executors/local';
import { remoteExecutor, type ExecutorApi } from './lib/runner/executors/remote';
import { tornado } from './lib/analysis/tornado';

const [s] = resolveScenarioArguments(['baseline']);
const thread = () => remoteExecutor(Comlink.wrap<ExecutorApi>(nodeEndpoint(new Worker(new URL('./lib/runner/node/thread-entry.mjs', import.meta.url)))));
const variants: Record<string, RunCoordinator> = {
	'local+1': new RunCoordinator([createLocalExecutor(), thread()], { sharedMemory: true, blockCacheFloats: 0 }),
	'2 threads': new RunCoordinator([thread(), thread()], { sharedMemory: true, blockCacheFloats: 0 }),
	'local+2': new RunCoordinator([createLocalExecutor(), thread(), thread()], { sharedMemory: true, blockCacheFloats: 0 })
};
const mode = process.argv[2];
const times: Record<string, number[]> = {};
for (let r = 0; r < 6; r++) {
	for (const [name, c] of Object.entries(variants)) {
		const t = performance.now();
		if (mode === 'tornado') await tornado(s, { seed: 1, paths: 1000, indicator: 'median usMagnetPrice 2030', include: ['parameter'], source: c.pathSource() });
		else await c.runScenario(s, { seed: s.seed, paths: 10000 });
		if (r > 0) (times[name] ??= []).push(performance.now() - t);
	}
}
for (const [name, ts] of Object.entries(times)) console.log(name.padEnd(10), ts.map((x) => x.toFixed(0)).join(' '), 'median', [...ts].sort((a, b) => a - b)[ts.length >> 1].toFixed(0));
process.exit(0);
