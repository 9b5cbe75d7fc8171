import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnalysis } from '../../src/cli/analyse';
import { removedMetrics } from '../../src/lib/model/metrics';

const root = join(import.meta.dirname, '../..');

function analyse(...args: string[]) {
	const run = spawnSync('npx', ['tsx', 'src/cli/analyse.ts', ...args], { encoding: 'utf8', cwd: root });
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function problemOf(...args: string[]): Promise<string> {
	try {
		await runAnalysis(args);
	} catch (error) {
		const problems = (error as { problems?: { source: string; path: string; message: string }[] }).problems;
		if (problems) return problems.map((p) => [p.source, p.path, p.message].filter((x) => x).join(': ')).join('\n');
		throw error;
	}
	throw new Error('expected an error');
}

describe('npm run analyse', () => {
	it('compares a scenario with a slider moved against itself, JSON on stdout', () => {
		const run = analyse('compare', 'baseline', 'baseline', '--set', 'demandGrowth=0.12', '--metric', 'shortfall', '--paths', '200', '--seed', '3');
		expect(run.status).toBe(0);
		const result = JSON.parse(run.stdout);
		expect(Object.keys(result.metrics)).toEqual(['shortfall']);
		expect(result.seed).toBe(3);
		expect(result.paths).toBe(200);
		expect(Math.max(...result.metrics.shortfall.difference.p95)).toBeGreaterThan(0);
	});

	it('reports errors on stderr as "error: …" with status 2', () => {
		const run = analyse('formula', 'baseline', 'usMagnetPrice *', '--paths', '50');
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toBe('error: formula: does not parse at character 16: unexpected end of expression\n');
	});

	it('runs each analysis in process', async () => {
		const formula = (await runAnalysis(['formula', 'baseline', 'usMagnetPrice * 2', '--paths', '100', '--unit', 'USD/kg'])) as {
			unit: string;
			summary: { p50: number[] };
		};
		expect(formula.unit).toBe('USD/kg');
		expect(formula.summary.p50).toHaveLength(132);
		const threshold = (await runAnalysis(['threshold', 'baseline', 'shortfall > 0', '--paths', '100'])) as { byYear: unknown[] };
		expect(threshold.byYear).toHaveLength(11);
		const refine = (await runAnalysis([
			'refine',
			'baseline',
			'--indicator',
			'P(shortfall > 0) in 2026',
			'--target',
			'0.03',
			'--start',
			'100',
			'--step',
			'100'
		])) as { met: boolean; se: number };
		expect(refine.met).toBe(true);
		expect(refine.se).toBeLessThanOrEqual(0.03);
		const narrative = (await runAnalysis(['narrative', 'baseline', '{{ paths() }} paths', '--paths', '60'])) as { text: string };
		expect(narrative.text).toBe('60 paths');
		const errors = (await runAnalysis(['errors', 'baseline', '--paths', '60'])) as { indicators: unknown[] };
		expect(errors.indicators.length).toBeGreaterThan(10);
		const attribution = (await runAnalysis(['attribution', 'baseline', 'renewed-controls', '--indicator', 'mean usMagnetPrice 2027', '--paths', '60'])) as {
			contributions: unknown[];
		};
		expect(attribution.contributions).toHaveLength(1);
	});

	it('says what is wrong with the command line', async () => {
		expect(await problemOf('tornadoo', 'baseline')).toBe(
			'command line: unknown analysis "tornadoo" (did you mean "tornado"?); analyses: compare, threshold, tornado, attribution, refine, formula, narrative, errors'
		);
		expect(await problemOf('tornado', 'baseline')).toBe('command line: --indicator: an indicator such as "median usMagnetPrice 2030" is required');
		expect(await problemOf('compare', 'baseline')).toBe('command line: compare takes 2 scenarios; found 1 argument');
		expect(await problemOf('threshold', 'baseline', 'usMagnetPrice > 2 kg', '--paths', '20')).toBe(
			'threshold: unit: "kg" does not fit usMagnetPrice, measured in USD/kg; use "USD/kg" or "× start"'
		);
		expect(await problemOf('threshold', 'baseline', 'price > 2 × start', '--paths', '20')).toBe(`threshold: metric: price: ${removedMetrics.price}`);
		expect(await problemOf('refine', 'baseline', '--indicator', 'median usMagnetPrice 2030', '--target', 'small')).toBe(
			'command line: --target: expected a positive number, found "small"'
		);
		expect(await problemOf('compare', 'baseline', 'baseline', '--set', 'demandGrowth=0.9')).toBe(
			'command line: controls.demandGrowth: 0.9 1/yr is outside the slider range [-0.15, 0.2] 1/yr'
		);
		expect(await problemOf('compare', 'baseline', 'baselin')).toMatch(/^baselin: unknown scenario "baselin"; known: /);
		expect(await problemOf('formula', 'baseline', 'evaluate("1")', '--paths', '20')).toMatch(
			/^formula: the function "evaluate" at character 1 is disabled in formulas/
		);
		expect(await problemOf('tornado', 'baseline', '--indicater', 'x')).toBe('command line: unknown option --indicater (did you mean "indicator"?)');
	});
});
