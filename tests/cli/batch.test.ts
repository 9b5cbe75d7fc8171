import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricNames } from '../../src/lib/model/metrics';

const fixtures = join(import.meta.dirname, 'fixtures');

function batch(...args: string[]) {
	const run = spawnSync('npx', ['tsx', 'src/cli/batch.ts', ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '../..') });
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run batch', () => {
	it('gives identical bytes with 1 and 2 workers, and a JSON object for one scenario', () => {
		const one = batch('history-2025', '--paths', '1500', '--workers', '1');
		const two = batch('history-2025', '--paths', '1500', '--workers', '2');
		expect(one.status).toBe(0);
		expect(two.stdout).toBe(one.stdout);
		const result = JSON.parse(one.stdout);
		expect(Object.keys(result)).toEqual(['scenario', 'seed', 'paths', 'modelVersion', 'fingerprint', 'months', 'metrics', 'indicators']);
		expect(result.months[0]).toBe('2024-01');
		expect(Object.keys(result.metrics)).toEqual(metricNames);
		for (const name of metricNames) {
			expect(Object.keys(result.metrics[name])).toEqual(['unit', 'p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'se50', 'shareAboveZero']);
		}
		expect(one.stderr).toMatch(/history-2025 .*1,500\/1,500 paths in \d+ ms, fingerprint [0-9a-f]{16}/);
	});

	it('runs several scenarios, ids and files that extend them, as an array; --seed changes the numbers', () => {
		const run = batch('baseline', join(fixtures, 'faster-capacity.json'), '--paths', '300', '--seed', '11');
		expect(run.status).toBe(0);
		const results = JSON.parse(run.stdout);
		expect(results.map((r: { scenario: { id: string } }) => r.scenario.id)).toEqual(['baseline', 'faster-capacity']);
		expect(results[0].seed).toBe(11);
		expect(results[0].fingerprint).not.toBe(results[1].fingerprint);
	});

	it('--stream gives the same bytes as a run held in memory, and says so with its passes and peak memory', () => {
		const held = batch('history-2025', '--paths', '1500');
		const streamed = batch('history-2025', '--paths', '1500', '--stream');
		expect(streamed.status).toBe(0);
		expect(streamed.stdout).toBe(held.stdout);
		expect(streamed.stderr).toMatch(/history-2025 .*1,500\/1,500 paths in \d+ ms \(streamed, [2-9] passes\), fingerprint [0-9a-f]{16}/);
		expect(held.stderr).not.toContain('streamed');
		for (const run of [held, streamed]) expect(run.stderr).toMatch(/\npeak RSS [\d,]+ MB\n$/);
	});

	it('writes CSV in long format, one file per scenario under --out', () => {
		const out = mkdtempSync(join(tmpdir(), 'batch-'));
		const run = batch('baseline', 'renewed-controls', '--paths', '200', '--format', 'csv', '--out', out);
		expect(run.status).toBe(0);
		expect(readdirSync(out).sort()).toEqual(['baseline.csv', 'renewed-controls.csv']);
		const [header, first] = readFileSync(join(out, 'baseline.csv'), 'utf8').split('\n');
		expect(header).toBe('scenario,seed,paths,modelVersion,fingerprint,series,unit,period,statistic,value');
		expect(first).toMatch(/^baseline,20250604,200,[\d.]+,[0-9a-f]{16},demand,t\/month,2025-01,p5,[\d.]+$/);
	});

	it('reports every problem at once on stderr with status 2, and writes nothing under --out', () => {
		const out = join(mkdtempSync(join(tmpdir(), 'batch-')), 'results');
		const run = batch('baseline', join(fixtures, 'not-json.json'), join(fixtures, 'bad-fields.json'), '--out', out);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		const lines = run.stderr.trim().split('\n');
		expect(lines).toEqual([
			expect.stringMatching(/not-json\.json:4:2: not valid JSON: expected "," between items$/),
			expect.stringMatching(/bad-fields\.json: parameters\.demandGrowht: unknown key \(did you mean "demandGrowth"\?\)$/)
		]);
		expect(existsSync(out)).toBe(false);
	});

	it('reports semantic problems of a resolved scenario', () => {
		const fixed = join(mkdtempSync(join(tmpdir(), 'batch-')), 'bad-range.json');
		const text = readFileSync(join(fixtures, 'bad-fields.json'), 'utf8').replace(', "demandGrowht": 0.1', '');
		writeFileSync(fixed, text);
		const run = batch(fixed);
		expect(run.status).toBe(2);
		expect(run.stderr).toContain('end: end 2024-12 is before start 2025-01');
		expect(run.stderr).toContain('parameters.licenceApprovalRate: 2 fraction is outside the bounds of Licence approval rate, [0, 1] fraction');
	});

	it('rejects bad options, all at once: --paths 0, a non-numeric seed, an unknown format, an unknown scenario', () => {
		const run = batch('baselin', '--paths', '0', '--seed', 'abc', '--format', 'xml');
		expect(run.status).toBe(2);
		expect(run.stderr).toContain('--paths: must be between 1 and 10000000, found 0');
		expect(run.stderr).toContain('--seed: expected a whole number, found "abc"');
		expect(run.stderr).toContain('--format: expected "json" or "csv", found "xml"');
		expect(run.stderr).toContain('unknown scenario "baselin"');
		expect(run.stderr).not.toMatch(/\n\s+at /);
	});

	it('suggests the option meant', () => {
		const run = batch('baseline', '--path', '10');
		expect(run.status).toBe(2);
		expect(run.stderr).toContain('unknown option --path (did you mean "paths"?)');
	});
});
