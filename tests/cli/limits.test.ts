import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function run(command: string, ...args: string[]) {
	const result = spawnSync('npx', ['tsx', `src/cli/${command}.ts`, ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Bad input: status 2, every line of stderr an "error:" (or the usage), no stack trace. */
function expectBadInput(result: ReturnType<typeof run>, message: RegExp) {
	expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
	expect(result.status).toBe(2);
	expect(result.stderr).toMatch(message);
}

function temporary(name: string, text: string): string {
	const directory = mkdtempSync(join(tmpdir(), 'limits-'));
	const path = join(directory, name);
	writeFileSync(path, text);
	return path;
}

const child = (fields: object) => JSON.stringify({ id: 'limits-case', title: 'Limits', description: '', extends: 'baseline', ...fields });

describe('bad input exits 2 with a message, never a stack trace', { timeout: 240_000 }, () => {
	it('batch: a horizon from year 0000 to 9999 and a stockpile release of 1e38 t/month are refused', () => {
		const horizon = run('batch', temporary('horizon.json', child({ start: '0000-01', end: '9999-12', paths: 1 })));
		expectBadInput(horizon, /start: expected a month written YYYY-MM between 1900-01 and 2200-12/);
		const release = { type: 'stockpileRelease', label: 'x', start: '2026-01', end: '2026-06', tonnesPerMonth: 1e38 };
		expectBadInput(run('batch', temporary('release.json', child({ events: [release] }))), /events\[0\]\.tonnesPerMonth: must be at most 1000000/);
	});

	it('analyse: --paths beyond the memory budget over a 50-year horizon says how many paths fit; batch (streamed) takes up to 10,000,000', () => {
		const file = temporary('long.json', child({ start: '2000-01', end: '2049-12', paths: 10 }));
		expectBadInput(
			run('analyse', 'threshold', file, 'shortfall > 0', '--paths', '200000'),
			/error: command line: --paths: limits-case: 200,000 paths over 600 months would hold 9,120 MB .* at most 47,093 paths fit over this horizon/
		);
		expectBadInput(run('batch', file, '--paths', '10000001'), /error: command line: --paths: must be between 1 and 10000000, found 10000001/);
	});

	it('batch: deep nesting, "__proto__" keys, duplicate keys, a directory and /dev/zero', () => {
		expectBadInput(
			run('batch', temporary('deep.json', '['.repeat(100_000) + ']'.repeat(100_000))),
			/deep\.json:1:65: objects and arrays are nested more than 64 levels deep/
		);
		const proto = run(
			'batch',
			temporary(
				'proto.json',
				'{"id": "limits-case", "title": "t", "description": "", "extends": "baseline", "parameters": {"__proto__": {"demandGrowth": 5}}}'
			),
			'--paths',
			'10'
		);
		expectBadInput(proto, /parameters\.__proto__: "__proto__" is not allowed as a key/);
		expect(proto.stderr.match(/^error:/gm)).toHaveLength(1);
		expectBadInput(
			run('batch', temporary('dup.json', '{"id": "limits-case", "title": "t", "description": "", "paths": 10, "paths": 20}')),
			/dup\.json:1:\d+: paths: the key "paths" appears more than once/
		);
		expectBadInput(run('batch', 'scenarios'), /error: scenarios: is a directory; expected a scenario id or a scenario file/);
		expectBadInput(run('batch', '/dev/zero'), /error: \/dev\/zero: is not a regular file/);
	});

	it('batch: a file over 1 MB is refused before it is read', () => {
		const big = temporary('big.json', child({ description: 'x'.repeat(1_100_000) }));
		expectBadInput(run('batch', big), /big\.json: the file is 1,100,\d+ bytes; the limit is 1,000,000 bytes/);
	});

	it('batch: the same scenario twice, or two files with one id, is refused; --out onto a file, under a file or in /proc is refused', () => {
		const out = join(mkdtempSync(join(tmpdir(), 'limits-')), 'results');
		expectBadInput(run('batch', 'baseline', 'baseline', '--paths', '10', '--out', out), /scenario "baseline" is named more than once/);
		expect(existsSync(out)).toBe(false);
		const one = temporary('one.json', child({}));
		const two = temporary('two.json', child({}));
		expectBadInput(run('batch', one, two, '--paths', '10'), /two\.json: id: id "limits-case" is also the id of .*one\.json/);
		const file = temporary('file.txt', 'x');
		expectBadInput(run('batch', 'baseline', '--out', file), /--out: .*file\.txt: exists and is not a directory/);
		expectBadInput(run('batch', 'baseline', '--out', join(file, 'sub')), /--out: .*sub: is under a file, not a directory/);
		if (existsSync('/proc/self')) expectBadInput(run('batch', 'baseline', '--out', '/proc/limits-test'), /--out: \/proc\/limits-test: cannot write there/);
	});

	it('batch: --workers above the cores available is clamped with a note', () => {
		const result = run('batch', 'baseline', '--paths', '20', '--workers', String(availableParallelism() + 5));
		expect(result.status).toBe(0);
		expect(result.stderr).toContain(`note: --workers ${availableParallelism() + 5} is more than the ${availableParallelism()} core`);
	});

	it('analyse: a formula with constructor(1) is refused before simulating; "at least 1 argument"', () => {
		expectBadInput(run('analyse', 'formula', 'baseline', 'constructor(1)', '--paths', '10'), /error: formula: unknown function "constructor" at character 1/);
		const arity = run('analyse', 'formula', 'baseline', 'max()', '--paths', '10');
		expectBadInput(arity, /takes at least 1 argument, found 0/);
		expect(arity.stderr).not.toMatch(/formula evaluated/);
		expectBadInput(run('analyse', 'threshold', 'baseline', '__proto__ > 0', '--paths', '10'), /unknown metric "__proto__"/);
		expectBadInput(run('analyse', 'tornado', 'baseline', '--indicator', 'median toString 2030', '--paths', '10'), /unknown metric "toString"/);
		expectBadInput(run('analyse', 'compare', 'baseline', 'baseline', '--metric', 'constructor', '--paths', '10'), /unknown metric "constructor"/);
	});

	it('check:scenarios: a YAML alias bomb, deep JSON and a directory named .yaml exit 2; a huge seed is said once', () => {
		const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
		const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
		for (let k = 1; k < names.length; k++)
			lines.push(
				`${names[k]}: &${names[k]} [${Array(9)
					.fill(`*${names[k - 1]}`)
					.join(',')}]`
			);
		expectBadInput(run('check', temporary('bomb.yaml', lines.join('\n') + '\ngroups: []\n')), /bomb\.yaml: aliases \(\*name\) expand to too much data/);
		expectBadInput(
			run('check', temporary('deep.json', '{"groups": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}')),
			/deep\.json:1:75: objects and arrays are nested more than 64 levels deep/
		);
		const directory = join(mkdtempSync(join(tmpdir(), 'limits-')), 'dir.yaml');
		mkdirSync(join(directory, 'inner.yaml'), { recursive: true });
		expectBadInput(run('check', directory), /inner\.yaml: is a directory, not a file/);
		const seed = run('batch', temporary('seed.json', child({ seed: 1e30 })));
		expectBadInput(seed, /seed: must be at most 4294967295/);
		expect(seed.stderr.match(/seed: must be/g)).toHaveLength(1);
	});
});
