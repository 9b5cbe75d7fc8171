import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => `tests/checks/fixtures/${name}`;

/** Spawns the CLI as `npm run check:scenarios` does. */
function check(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; lines: string[] }> {
	return new Promise((done, fail) => {
		const child = spawn('npx', ['tsx', 'src/cli/check.ts', ...args], { cwd: root });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', fail);
		child.on('close', (status) => done({ status, stdout, stderr, lines: stdout.trimEnd().split('\n') }));
	});
}

/** Bad input: exit 2, every expected message, and nothing run. */
async function rejected(args: string[], ...messages: (string | RegExp)[]) {
	const run = await check(...args);
	expect(run.status, run.stderr).toBe(2);
	for (const message of messages) {
		if (typeof message === 'string') expect(run.stderr).toContain(message);
		else expect(run.stderr).toMatch(message);
	}
	expect(run.stderr).not.toContain('run 1/');
	expect(run.stdout).not.toMatch(/passed, \d+ failed/);
	return run;
}

describe.concurrent('npm run check:scenarios on bad input: exit 2 before anything runs', () => {
	it('reports every problem of every bad file, each with file:line:column, path and what is valid', async () => {
		await rejected(
			['bad-metric.yaml', 'bad-scenario.yaml', 'bad-operator.yaml', 'bad-time.yaml', 'bad-matrix.yaml', 'bad-yaml.yaml', 'bad-json.json', 'pass.yaml'].map(
				fixture
			),
			// a typo in a metric
			'error: tests/checks/fixtures/bad-metric.yaml:7:19: groups[0].checks[0].metrics[0]: expected one of "demand", "chinaExports", "domesticSupply",',
			'found the string "usMagnetPrise" (did you mean "usMagnetPrice"?)',
			// a metric removed in model 2.0, in "metrics" and in a probability: what replaced it
			'error: tests/checks/fixtures/bad-metric.yaml:14:19: groups[0].checks[1].metrics[0]: price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice',
			'error: tests/checks/fixtures/bad-metric.yaml:22:9: groups[0].checks[2].statistic: price: the delivered "price" was removed in model 2.0: use usMagnetPrice',
			// a typo in a scenario
			'error: tests/checks/fixtures/bad-scenario.yaml:6:21: groups[0].checks[0].scenarios[0]: unknown scenario "basline" (did you mean "baseline"?); known: allied-stockpiling, baseline,',
			// an unknown operator
			'error: tests/checks/fixtures/bad-operator.yaml:10:9: groups[0].checks[0].gteq: unknown key (did you mean "gte"?)',
			// a time outside the horizon
			'error: tests/checks/fixtures/bad-time.yaml:8:9: groups[0].checks[0].time: year 2030 is not wholly inside the horizon of export-surge-2025, 2025-01 … 2026-12',
			'error: tests/checks/fixtures/bad-time.yaml:15:9: groups[0].checks[1].time: month 2036-01 is outside the horizon of baseline, 2025-01 … 2035-12',
			// malformed matrices
			'error: tests/checks/fixtures/bad-matrix.yaml:6:66: groups[0].checks[0].scenarios[0].vary[0]: "demandGrowht" is not a slider of baseline (did you mean "demandGrowth"?); sliders: demandGrowth,',
			'error: tests/checks/fixtures/bad-matrix.yaml:13:23: groups[0].checks[1].scenarios[0].preset: expected one of "matrix", "all", found the string "matrx" (did you mean "matrix"?)',
			'error: tests/checks/fixtures/bad-matrix.yaml:20:21: groups[0].checks[2].scenarios[0].scenario: missing',
			// syntax
			/error: tests\/checks\/fixtures\/bad-yaml\.yaml:7:9: not valid YAML: /,
			'error: tests/checks/fixtures/bad-json.json:3:65: not valid JSON: expected "," between items'
		);
	});

	it('a matrix over the run limit says so before it starts', async () => {
		const run = await rejected([fixture('matrix-limit.yaml'), '--max-runs', '10'], 'the checks need 25 runs, more than the limit of 10');
		expect(run.stdout).toContain('note: matrix of baseline (11 sliders');
		expect(run.stdout).toContain('→ 25 scenarios');
	});

	it('unknown options, missing files and a filter that matches nothing', async () => {
		await rejected(['--filtr', 'x'], 'unknown option --filtr (did you mean "filter"?)');
		await rejected([fixture('none.yaml'), fixture('pass.yaml')], 'tests/checks/fixtures/none.yaml: no such file or directory');
		await rejected([fixture('pass.yaml'), '--filter', 'no such check'], 'no check matches "no such check"');
	});
});

describe.concurrent('npm run check:scenarios verdicts and exit codes', () => {
	it('true, wrong and underpowered checks: the wrong one fails the run (exit 1) with a precise message', async () => {
		const run = await check(fixture('pass.yaml'), fixture('fail.yaml'), fixture('underpowered.yaml'));
		expect(run.status, run.stderr).toBe(1);
		expect(run.lines.at(-1)).toBe('1 passed, 1 failed');
		expect(run.lines.at(-2)).toBe('1 inconclusive');
		expect(run.stdout).toContain('✓ pass  median price paid under renewed controls exceeds');
		expect(run.stdout).toContain('✗ FAIL  the median landed price under renewed controls exceeds 5,000 USD/kg in June 2027');
		expect(run.stdout).toMatch(
			/renewed-controls · usMagnetPrice · 2027-06: median = [\d.,]+ USD\/kg ± [\d.e-]+ SE \(400 paths\); bound > 5,000; misses by [\d.,]+ \([\d.,]+ SE\)/
		);
		expect(run.stdout).toContain('? inconclusive  the chance that renewed restrictions start at once');
		expect(run.stdout).toMatch(/about [\d,]+ paths would settle it/);
	});

	it('inconclusive checks do not fail the run: exit 0', async () => {
		const run = await check(fixture('pass.yaml'), fixture('underpowered.yaml'), '--workers', '1');
		expect(run.status, run.stderr).toBe(0);
		expect(run.lines.slice(-2)).toEqual(['1 inconclusive', '1 passed, 0 failed']);
	});
});
