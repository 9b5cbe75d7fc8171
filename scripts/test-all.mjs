// Runs every test suite — unit and CLI tests (vitest), the scenario checks, the packed package in
// examples/consumer, the browser tests —
// and ends with one line counting them all: "N passed, N failed[, N skipped]".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts;
const totals = { passed: 0, failed: 0, skipped: 0 };
const suites = [];

function run(command, args) {
	console.log(`\n> ${[command, ...args].join(' ')}`);
	return spawnSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function record(name, counts, status) {
	const failed = counts ? counts.failed : 0;
	// A suite that exits non-zero without counted failures (a crash, a build error) counts as one failure.
	const extra = status !== 0 && failed === 0 ? 1 : 0;
	const entry = { name, passed: counts?.passed ?? 0, failed: failed + extra, skipped: counts?.skipped ?? 0 };
	totals.passed += entry.passed;
	totals.failed += entry.failed;
	totals.skipped += entry.skipped;
	suites.push(entry);
}

mkdirSync('test-results', { recursive: true });

{
	const report = 'test-results/vitest.json';
	rmSync(report, { force: true });
	const result = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
	process.stdout.write(result.stdout ?? '');
	const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
	record(
		'unit and CLI tests (vitest)',
		json && { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests },
		result.status
	);
}

if (scripts['check:scenarios']) {
	const result = run('npm', ['run', '-s', 'check:scenarios']);
	process.stdout.write(result.stdout ?? '');
	const last = (result.stdout ?? '').trim().split('\n').at(-1) ?? '';
	const match = /(\d+) passed, (\d+) failed/.exec(last);
	record('scenario checks', match && { passed: Number(match[1]), failed: Number(match[2]), skipped: 0 }, result.status);
}

if (scripts['test:consumer']) {
	// The packed package installed into examples/consumer, whose own vitest suite runs against it.
	const result = run('npm', ['run', '-s', 'test:consumer']);
	process.stdout.write(result.stdout ?? '');
	const last = (result.stdout ?? '').trim().split('\n').at(-1) ?? '';
	const match = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(last);
	record('example consumer (packed package)', match && { passed: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3]) }, result.status);
}

if (scripts['test:browser']) {
	const report = 'test-results/playwright.json';
	rmSync(report, { force: true });
	const result = run('npm', ['run', '-s', 'test:browser']);
	process.stdout.write(result.stdout ?? '');
	const json = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
	const stats = json?.stats;
	record('browser tests (playwright)', stats && { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped }, result.status);
}

console.log('\nSuites:');
for (const s of suites) console.log(`  ${s.name}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 ? 1 : 0;
