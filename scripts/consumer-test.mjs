// Packs the package as npm would publish it, installs the tarball into a copy of examples/consumer
// (with --omit=dev: the package must run on its runtime dependencies alone), and runs that
// example's own vitest suite against it. The example checks, among its claims, that the installed
// package gives the fingerprint this repository's `npm run -s batch -- baseline --paths 1000` prints.
// Prints the tarball's size and file count, and ends with "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'magnet-consumer-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'], ...options });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${result.stdout ?? ''}`);
	return result.stdout;
}

let counts = { passed: 0, failed: 0, skipped: 0 };
try {
	const batch = JSON.parse(run(npm, ['run', '-s', 'batch', '--', 'baseline', '--paths', '1000'], { cwd: root }));
	console.log(`repository: baseline, 1,000 paths, fingerprint ${batch.fingerprint} (${seconds()})`);

	// prepack compiles dist/ first; --json reports the tarball's name, size and files.
	const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], { cwd: root }));
	const tarball = join(work, packed.filename);
	console.log(
		`tarball: ${packed.filename}, ${(statSync(tarball).size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files (${seconds()})`
	);
	for (const file of packed.files) console.log(`  ${file.path}`);

	const consumer = join(work, 'consumer');
	cpSync(join(root, 'examples/consumer'), consumer, { recursive: true, filter: (source) => !/[\\/]node_modules([\\/]|$)/.test(source) });
	run(npm, ['install', '--omit=dev', '--no-audit', '--no-fund', tarball], { cwd: consumer });
	console.log(`installed the tarball with --omit=dev (${seconds()})`);
	// The example's own devDependency: vitest (the package's optional peer).
	run(npm, ['install', '--no-audit', '--no-fund'], { cwd: consumer });
	console.log(`installed the example's vitest (${seconds()})`);

	const report = join(work, 'vitest.json');
	const tests = spawnSync(npm, ['exec', '--', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
		cwd: consumer,
		stdio: 'inherit',
		env: { ...process.env, EXPECTED_BASELINE_FINGERPRINT: batch.fingerprint }
	});
	const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
	counts = json ? { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests } : counts;
	if (tests.status !== 0 && counts.failed === 0) counts.failed = 1;
	console.log(`example consumer's tests ran (${seconds()})`);
} catch (error) {
	console.error(error instanceof Error ? error.message : String(error));
	counts.failed += 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
console.log(`consumer: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exitCode = counts.failed > 0 ? 1 : 0;
