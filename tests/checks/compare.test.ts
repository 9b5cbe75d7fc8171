import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	baselineFile,
	baselineFileSchema,
	baselineText,
	bucketOf,
	compareBaselines,
	comparisonMarkdown,
	type BaselineFile
} from '../../src/lib/checks/compare';
import { runScenario } from '../../src/lib/engine/run';
import { metricCount } from '../../src/lib/model/metrics';
import { resolveScenario } from '../../src/lib/scenario/resolve';
import { library } from './helpers';

const root = resolve(import.meta.dirname, '../..');

/** Runs `npm run compare` with these arguments. */
function compare(...args: string[]) {
	return new Promise<{ status: number | null; stderr: string }>((done) => {
		const child = spawn('npx', ['tsx', 'src/cli/compare.ts', ...args], { cwd: root });
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('close', (status) => done({ status, stderr }));
	});
}

function runIds(ids: string[], paths: number): BaselineFile {
	return baselineFile(ids.map((id) => runScenario(resolveScenario(id, library), { seed: 20250604, paths })));
}

describe('comparisons between model versions', () => {
	it('buckets moves as 0 / < 1 % / 1–5 % / 5–10 % / > 10 %', () => {
		expect([0, 0.001, 0.01, 0.049, 0.05, 0.1, 0.1001, 3].map(bucketOf)).toEqual(['0', '< 1 %', '1–5 %', '1–5 %', '5–10 %', '5–10 %', '> 10 %', '> 10 %']);
	});

	it('the model compared with its own saved results puts every scenario × metric in bucket 0', () => {
		const saved = JSON.parse(baselineText(runIds(['baseline', 'export-surge-2025'], 300)));
		const base = baselineFileSchema.parse(saved);
		const comparison = compareBaselines(base, runIds(['baseline', 'export-surge-2025'], 300));
		expect(comparison.rows).toHaveLength(2 * metricCount);
		expect(comparison.counts).toEqual({ '0': 2 * metricCount, '< 1 %': 0, '1–5 %': 0, '5–10 %': 0, '> 10 %': 0 });
		expect(comparison.rows.every((row) => row.move === 0)).toBe(true);
		const markdown = comparisonMarkdown(comparison, { base: 'saved.json' });
		expect(markdown).toContain(`| 0 | ${2 * metricCount} |`);
		expect(markdown).toContain('(identical)');
	});

	it('a moved model shows up in the right bucket, largest move first, with the month and both values', () => {
		const base = runIds(['baseline'], 200);
		const moved: BaselineFile = structuredClone(base);
		const price = moved.scenarios[0].metrics.usMagnetPrice;
		price.p50[30] = Number((price.p50[30] * 1.07).toPrecision(6)); // 7 % in one month
		const demand = moved.scenarios[0].metrics.demand;
		demand.p95[100] = Number((demand.p95[100] * 1.02).toPrecision(6)); // 2 %
		const comparison = compareBaselines(base, moved);
		expect(comparison.rows[0]).toMatchObject({ scenario: 'baseline', metric: 'usMagnetPrice', bucket: '5–10 %' });
		expect(comparison.rows[0].moves.p50.month).toBe('2027-07');
		expect(comparison.rows[0].moves.p50.move).toBeCloseTo(0.07, 4);
		expect(comparison.rows[1]).toMatchObject({ metric: 'demand', bucket: '1–5 %' });
		expect(comparison.counts['0']).toBe(metricCount - 2);
		expect(comparisonMarkdown(comparison, { base: 'b.json' })).toMatch(
			/\| baseline \| usMagnetPrice \| USD\/kg \| 0 \| 7\.0 % \(2027-07: [\d.]+ → [\d.]+\) \| 0 \| 5–10 % \|/
		);
	});

	it('reports scenarios that are new or gone', () => {
		const comparison = compareBaselines(runIds(['baseline'], 100), runIds(['history-2025'], 100));
		expect(comparison.scenarios.map((s) => [s.id, s.status])).toEqual([
			['baseline', 'removed'],
			['history-2025', 'new']
		]);
	});

	it('the committed baseline is a valid results file for every scenario', () => {
		const committed = baselineFileSchema.parse(JSON.parse(readFileSync(join(root, 'baselines/results.json'), 'utf8')));
		expect(committed.scenarios.map((s) => s.id).sort()).toEqual([...library.keys()].sort());
	});

	it('npm run compare: --save then --base on the same model reports every bucket as 0', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'compare-'));
		const saved = join(directory, 'base.json');
		const report = join(directory, 'report.md');
		const first = await compare('--save', saved, 'baseline', 'renewed-controls', '--paths', '200');
		expect(first.status, first.stderr).toBe(0);
		const second = await compare('--base', saved, '--report', report);
		expect(second.status, second.stderr).toBe(0);
		expect(second.stderr).toContain(`moves by bucket — 0: ${2 * metricCount}, < 1 %: 0, 1–5 %: 0, 5–10 %: 0, > 10 %: 0`);
		const text = readFileSync(report, 'utf8');
		expect(text).toContain(`| 0 | ${2 * metricCount} |`);
		// scenarios in scenarios/ but not in the base file are listed as new
		expect(text).toMatch(/\| history-2025 \| new \|/);
		const bad = await compare('--base', join(directory, 'missing.json'));
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('missing.json: no such base file');
	});

	it('npm run compare --html: ids, model versions, units and notes from a hostile base file come out escaped', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'compare-hostile-'));
		const hostile: BaselineFile = structuredClone(runIds(['baseline'], 20));
		const scenario = hostile.scenarios[0];
		scenario.modelVersion = '<script>alert(1)</script>';
		scenario.metrics['<img src=x onerror=alert(2)>'] = { ...scenario.metrics.demand, unit: '<iframe src="https://evil.example/"></iframe>' };
		scenario.metrics.demand.unit = '[click](javascript:alert(3)) ![t](https://evil.example/t.png) <https://evil.example/ok>';
		hostile.scenarios.push({ ...structuredClone(scenario), id: '<script>alert("id")</script>', modelVersion: '<svg onload=alert(4)>' });
		const base = join(directory, 'hostile.json');
		writeFileSync(base, baselineText(hostile));
		const html = join(directory, 'report.html');
		const result = await compare('--base', base, '--report', join(directory, 'report.md'), '--html', html);
		expect(result.status, result.stderr).toBe(0);
		const page = readFileSync(html, 'utf8');
		expect(page).not.toMatch(/<script|<img|<iframe|<svg|javascript:|src="https:\/\/evil/i);
		expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(page).toMatch(/<td>&lt;script&gt;alert\((?:&quot;|")id(?:&quot;|")\)&lt;\/script&gt;<\/td>/);
		expect(page).toContain('metric &lt;img src=x onerror=alert(2)&gt; is gone');
		expect(page).toContain('&lt;svg onload=alert(4)&gt;');
		expect(page).toContain('<a href="https://evil.example/ok" rel="noopener noreferrer">');
		expect(page).toContain("default-src 'none'");
	});

	it('npm run compare: more workers than cores are clamped with a note; a base file that is not a regular file is refused', async () => {
		const clamped = await compare('--save', join(mkdtempSync(join(tmpdir(), 'compare-workers-')), 'out.json'), '--workers', '256', 'no-such-scenario');
		expect(clamped.status).toBe(2);
		expect(clamped.stderr).toMatch(/note: --workers 256 is more than the \d+ cores? available; using \d+/);
		const directory = mkdtempSync(join(tmpdir(), 'compare-directory-'));
		const notAFile = await compare('--base', directory);
		expect(notAFile.status).toBe(2);
		expect(notAFile.stderr).toContain(`${directory}: is a directory, not a file`);
	});

	it('npm run compare: a base file asking for more paths or a larger seed than the command line allows is refused', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'compare-bounds-'));
		const greedy: BaselineFile = structuredClone(runIds(['baseline'], 20));
		greedy.scenarios[0].paths = 1e9;
		greedy.scenarios[0].seed = 2 ** 40;
		const base = join(directory, 'greedy.json');
		writeFileSync(base, baselineText(greedy));
		const result = await compare('--base', base, '--report', join(directory, 'report.md'));
		expect(result.status).toBe(2);
		expect(result.stderr).toContain(`${base}: scenarios[0].paths: must be between 10 and 200,000 (the bounds of --paths), found 1000000000`);
		expect(result.stderr).toContain(`${base}: scenarios[0].seed: must be between 0 and 4,294,967,295 (the bounds of --seed), found 1099511627776`);
		expect(result.stderr).not.toContain('ran baseline');
	});
});
