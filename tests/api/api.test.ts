import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	compareScenarios,
	evaluateIndicator,
	evaluateThreshold,
	libraryIds,
	loadScenario,
	modelVersion,
	runCheckFile,
	runScenario,
	ScenarioInputError
} from '../../src/api/index';
import { packageRoot } from '../../src/cli/package-root';
import { scenariosDirectory } from '../../src/cli/scenario-files';
import { formatProblem } from '../../src/lib/problems';

const root = join(import.meta.dirname, '../..');
const fixtures = join(root, 'tests/cli/fixtures');

function batch(...args: string[]) {
	const run = spawnSync('npx', ['tsx', 'src/cli/batch.ts', ...args], { encoding: 'utf8', cwd: root });
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The error a call throws (or rejects with). */
async function thrown(action: () => unknown): Promise<unknown> {
	try {
		await action();
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to throw');
}

describe('the library', () => {
	it('is found under the package root named magnet-scenarios, with its ids and the model version', () => {
		expect(packageRoot).toBe(root);
		expect(scenariosDirectory).toBe(join(root, 'scenarios'));
		expect(libraryIds()).toEqual(expect.arrayContaining(['baseline', 'renewed-controls', 'history-2025']));
		expect(modelVersion).toMatch(/^\d+\.\d+\.\d+$/);
	});
});

describe('runScenario', () => {
	it('gives the object `npm run -s batch` prints for a library id, fingerprint included, with progress', async () => {
		const cli = batch('history-2025', '--paths', '300', '--workers', '1');
		expect(cli.status).toBe(0);
		const progress: [number, number][] = [];
		const result = await runScenario('history-2025', { paths: 300, workers: 2, onProgress: (done, total) => progress.push([done, total]) });
		expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(cli.stdout));
		expect(result.fingerprint).toBe(JSON.parse(cli.stdout).fingerprint);
		expect(progress.at(-1)).toEqual([300, 300]);
		// In this thread: the same numbers.
		expect((await runScenario(loadScenario('history-2025'), { paths: 300, workers: 1 })).fingerprint).toBe(result.fingerprint);
	});

	it('rejects an abort with an AbortError and ends its threads', async () => {
		const controller = new AbortController();
		// Each worker thread holds a MessagePort while it runs.
		const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
		const before = ports();
		let during = 0;
		const onProgress = (done: number) => {
			during = Math.max(during, ports());
			if (done > 0) controller.abort();
		};
		const error = await thrown(() => runScenario('baseline', { paths: 20_000, workers: 2, signal: controller.signal, onProgress }));
		// Threads were running (so their absence below means something).
		expect(during).toBeGreaterThan(before);
		expect((error as Error).name).toBe('AbortError');
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(ports()).toBeLessThanOrEqual(before);
		// Aborted before it starts: nothing runs.
		expect(((await thrown(() => runScenario('baseline', { signal: AbortSignal.abort() }))) as Error).name).toBe('AbortError');
	});

	it('refuses bad options with every problem at once', async () => {
		const error = await thrown(() => runScenario('baseline', { paths: 0, seed: 1.5, workers: 0 }));
		expect(error).toBeInstanceOf(ScenarioInputError);
		expect((error as ScenarioInputError).problems).toEqual([
			{ source: 'options', path: 'paths', message: 'must be between 1 and 200000, found 0' },
			{ source: 'options', path: 'seed', message: 'expected a whole number, found 1.5' },
			{ source: 'options', path: 'workers', message: 'must be between 1 and 9007199254740991, found 0' }
		]);
	});
});

describe('loadScenario', () => {
	it('throws for a bad file the problems the batch CLI prints, and the same for the same object', async () => {
		const file = join(fixtures, 'bad-fields.json');
		const cli = batch(file);
		expect(cli.status).toBe(2);
		const printed = cli.stderr.trim().split('\n');
		const error = await thrown(() => loadScenario(file));
		expect(error).toBeInstanceOf(ScenarioInputError);
		const { problems, message } = error as ScenarioInputError;
		expect(problems.map((p) => `error: ${formatProblem(p)}`)).toEqual(printed);
		expect(message).toBe(problems.map(formatProblem).join('\n'));
		const fromObject = (await thrown(() => loadScenario(JSON.parse(readFileSync(file, 'utf8'))))) as ScenarioInputError;
		expect(fromObject.problems).toEqual(problems.map((p) => ({ ...p, source: 'scenario object' })));
	});

	it('resolves a library id, and an object that extends one; an unknown id says which exist', async () => {
		expect(loadScenario('baseline').id).toBe('baseline');
		const shorter = loadScenario({ id: 'shorter', extends: 'baseline', title: 'Shorter', description: 'Ends in 2027.', end: '2027-12' });
		expect([shorter.id, shorter.end, shorter.seed]).toEqual(['shorter', '2027-12', loadScenario('baseline').seed]);
		const unknown = (await thrown(() => loadScenario('basline'))) as ScenarioInputError;
		expect(unknown).toBeInstanceOf(ScenarioInputError);
		expect(unknown.message).toMatch(/unknown scenario "basline"; known: .*baseline/);
	});
});

describe('analyses', () => {
	it('evaluates indicators and thresholds with their standard errors', async () => {
		const median = await evaluateIndicator('baseline', 'median usMagnetPrice 2030', { paths: 200, workers: 1 });
		expect(median).toMatchObject({ unit: 'USD/kg', paths: 200 });
		expect(median.se).toBeGreaterThan(0);
		const chance = await evaluateIndicator('baseline', 'P(shortfall > 0) by 2027', { paths: 200, workers: 1 });
		expect(chance.unit).toBe('probability');
		expect(chance.value).toBeGreaterThanOrEqual(0);
		const threshold = await evaluateThreshold('baseline', 'shortfall > 0', { paths: 200, workers: 1 });
		expect(threshold.byYear.map((y) => y.year)).toContain(2027);
		const bad = (await thrown(() => evaluateIndicator('baseline', 'median usMagnetPrise 2030'))) as ScenarioInputError;
		expect(bad).toBeInstanceOf(ScenarioInputError);
		expect(bad.message).toMatch(/did you mean "usMagnetPrice"/);
	});

	it('compares two scenarios on common random numbers: a scenario against itself differs by nothing', async () => {
		const same = await compareScenarios('baseline', 'baseline', { paths: 100, metrics: ['shortfall'], workers: 1 });
		expect(Object.keys(same.metrics)).toEqual(['shortfall']);
		expect(same.metrics.shortfall!.pWorse.p.every((p) => p === 0)).toBe(true);
		const other = await compareScenarios('baseline', 'renewed-controls', { paths: 100, metrics: ['shortfall'], workers: 1 });
		expect(other.metrics.shortfall!.pWorse.p.some((p) => p > 0)).toBe(true);
	});
});

describe('runCheckFile', () => {
	it('reports each claim with its verdict, as check:scenarios', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'api-checks-'));
		const file = join(directory, 'claims.yaml');
		writeFileSync(
			file,
			[
				'paths: 100',
				'groups:',
				'  - describe: Shortfall is never negative',
				'    checks:',
				'      - it: at most half the paths have a negative shortfall in 2027',
				'        why: a shortfall is what is missing, never less than nothing',
				'        scenarios: [baseline]',
				'        time: 2027',
				"        statistic: 'P(shortfall < -1)'",
				'        lte: 0.5',
				'      - it: half the paths have a negative shortfall (false on purpose)',
				'        why: to see a failure',
				'        scenarios: [baseline]',
				'        time: 2027',
				"        statistic: 'P(shortfall < -1)'",
				'        gte: 0.5',
				''
			].join('\n')
		);
		const report = await runCheckFile(file, { workers: 1 });
		expect(report.claims.map((c) => [c.it, c.verdict])).toEqual([
			['at most half the paths have a negative shortfall in 2027', 'pass'],
			['half the paths have a negative shortfall (false on purpose)', 'fail']
		]);
		expect([report.passed, report.failed, report.inconclusive, report.exitCode]).toEqual([1, 1, 0, 1]);
		expect(report.lines.join('\n')).toMatch(/✗ FAIL {2}half the paths/);
		const missing = (await thrown(() => runCheckFile(join(directory, 'nothing.yaml')))) as ScenarioInputError;
		expect(missing.problems).toEqual([{ source: join(directory, 'nothing.yaml'), path: '', message: 'no such file or directory' }]);
	});
});
