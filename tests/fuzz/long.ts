/**
 * The fuzz properties of tests/fuzz/properties.ts with a longer budget and a fresh seed:
 *   npx tsx tests/fuzz/long.ts [seconds per property, default 60] [seed]
 * Prints the seed; a failure prints the counterexample and exits 1.
 */
import fc from 'fast-check';
import { properties } from './properties';

const seconds = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
let failed = false;
for (const [name, property] of Object.entries(properties)) {
	const started = performance.now();
	const details = fc.check(property as fc.IPropertyWithHooks<unknown>, { seed, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: seconds * 1000 });
	const elapsed = ((performance.now() - started) / 1000).toFixed(1);
	if (details.failed) {
		failed = true;
		console.log(`${name}: FAILED after ${details.numRuns} runs (seed ${seed}, path ${details.counterexamplePath})`);
		console.log(fc.defaultReportMessage(details));
	} else {
		console.log(`${name}: ${details.numRuns.toLocaleString('en-US')} runs in ${elapsed} s, no failure (seed ${seed})`);
	}
}
process.exitCode = failed ? 1 : 0;
