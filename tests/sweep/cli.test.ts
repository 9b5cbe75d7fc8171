import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/sweep';

const root = join(import.meta.dirname, '../..');
const tiny = join(import.meta.dirname, 'fixtures', 'tiny.yaml');
const other = join(import.meta.dirname, 'fixtures', 'other.yaml');

/** Runs the sweep command in this process (as the bin does), capturing its output. */
async function sweep(args: string[], environment: Record<string, string> = {}) {
	let stdout = '';
	let stderr = '';
	const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
	const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
	const saved = { ...process.env };
	Object.assign(process.env, environment);
	try {
		const status = await main(args);
		return { status, stdout, stderr };
	} finally {
		process.env = saved;
		out.mockRestore();
		err.mockRestore();
	}
}

/** Runs a sweep command in its own process without waiting; resolves with its exit status. */
function sweepAsync(args: string[]): { done: Promise<number | null>; kill: () => void; firstLine: Promise<void> } {
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/sweep.ts', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
	const firstLine = new Promise<void>((resolve) => child.stderr.once('data', () => resolve()));
	child.stderr.resume();
	const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
	// The whole process group (node and any thread it started).
	return { done, firstLine, kill: () => process.kill(-child.pid!, 'SIGKILL') };
}

async function inBatches<T>(jobs: (() => Promise<T>)[], size: number): Promise<T[]> {
	const results: T[] = [];
	for (let i = 0; i < jobs.length; i += size) results.push(...(await Promise.all(jobs.slice(i, i + size).map((job) => job()))));
	return results;
}

const scratch = mkdtempSync(join(tmpdir(), 'sweep-cli-'));
let unsharded: string;

beforeAll(async () => {
	const run = await sweep([tiny, '--out', join(scratch, 'whole'), '--workers', '1']);
	expect(run.stderr).toMatch(/ran 21 points in [\d.]+ s: [\d.]+ points\/s/);
	expect(run.status).toBe(0);
	expect(readdirSync(join(scratch, 'whole'))).toEqual(['sweep.json']);
	unsharded = readFileSync(join(scratch, 'whole', 'sweep.json'), 'utf8');
}, 60_000);

describe('npm run sweep: shards', () => {
	it('sharded = unsharded, byte for byte, for 1, 2, 3 and 7 shards run as separate processes in any order, one killed and rerun', async () => {
		for (const count of [1, 2, 3, 7]) {
			const directory = join(scratch, `parts-${count}`);
			const order = Array.from({ length: count }, (_, i) => i).reverse();
			if (count === 7) {
				// Shard 3 is killed once it has started; whatever it left, no part of it is half-written.
				const killed = sweepAsync([tiny, '--shard', `3/7`, '--out', directory, '--workers', '1']);
				await killed.firstLine;
				killed.kill();
				await killed.done;
				const left = existsSync(directory) ? readdirSync(directory) : [];
				expect(left.filter((name) => name !== 'part-3-of-7.json')).toEqual([]);
				if (left.includes('part-3-of-7.json')) JSON.parse(readFileSync(join(directory, 'part-3-of-7.json'), 'utf8'));
			}
			const statuses = await inBatches(
				order.map((index) => () => sweepAsync([tiny, '--shard', `${index}/${count}`, '--out', directory, '--workers', '1']).done),
				3
			);
			expect(statuses.every((status) => status === 0)).toBe(true);
			expect(readdirSync(directory).sort()).toEqual(Array.from({ length: count }, (_, i) => `part-${i}-of-${count}.json`).sort());
			const merged = join(scratch, `merged-${count}.json`);
			const merge = await sweep(['merge', directory, '--out', merged]);
			expect(merge.status, merge.stderr).toBe(0);
			expect(merge.stdout).toContain('merged 21 points');
			expect(readFileSync(merged, 'utf8'), `${count} shards`).toBe(unsharded);
		}
	}, 240_000);

	it('reads the shard index of a Kubernetes Indexed Job from JOB_COMPLETION_INDEX with --shards N', async () => {
		const directory = join(scratch, 'indexed');
		const run = await sweep([tiny, '--shards', '4', '--out', directory, '--workers', '1'], { JOB_COMPLETION_INDEX: '2' });
		expect(run.status, run.stderr).toBe(0);
		expect(readdirSync(directory)).toEqual(['part-2-of-4.json']);
		const part = JSON.parse(readFileSync(join(directory, 'part-2-of-4.json'), 'utf8'));
		expect(part).toMatchObject({ format: 'magnet-sweep-part/1', shard: { index: 2, count: 4 }, points: { first: 10, end: 15, total: 21 } });
		expect(part.sweep).toBe(JSON.parse(unsharded).sweep);
	}, 60_000);

	it('refuses bad shards with status 2, saying why, and writes nothing', async () => {
		const directory = join(scratch, 'bad-shards');
		const cases: [string[], RegExp][] = [
			[['--shard', '0/0'], /--shard: the shard count must be between 1 and 100,000, found 0/],
			[['--shard', '3/2'], /--shard: shard 3 of 2 does not exist: shards are numbered from 0, so the last is 1\/2/],
			[['--shard', '2/2'], /shard 2 of 2 does not exist/],
			[['--shard', 'one/two'], /--shard: expected I\/N with whole numbers/],
			[['--shard=-1/2'], /--shard: expected I\/N/],
			[['--shard', '1/2', '--shards', '2'], /give --shard I\/N or --shards N, not both/],
			[['--shards', '4'], /JOB_COMPLETION_INDEX is not set/]
		];
		for (const [options, message] of cases) {
			const run = await sweep([tiny, ...options, '--out', directory], { JOB_COMPLETION_INDEX: '' });
			expect(run.status, options.join(' ')).toBe(2);
			expect(run.stderr).toMatch(message);
			expect(existsSync(directory)).toBe(false);
		}
		const outOfRange = await sweep([tiny, '--shards', '4', '--out', directory], { JOB_COMPLETION_INDEX: '4' });
		expect(outOfRange.status).toBe(2);
		expect(outOfRange.stderr).toMatch(/shard 4 of 4 does not exist.*JOB_COMPLETION_INDEX="4"/);
	}, 60_000);
});

describe('npm run sweep: bad files', () => {
	it('a malformed sweep file exits 2 with the file, line and problem, and writes nothing', async () => {
		const directory = join(scratch, 'bad-files');
		mkdirSync(directory);
		const bad = join(directory, 'bad.yaml');
		writeFileSync(bad, readFileSync(tiny, 'utf8').replace('max: 0.3', 'max: 0.9').replace('paths: 60', 'paths: -5'));
		const run = await sweep([bad, '--out', join(directory, 'out')]);
		expect(run.status).toBe(2);
		expect(run.stderr).toMatch(/bad\.yaml:3:\d+: paths: /);
		const planned = join(directory, 'planned.yaml');
		writeFileSync(planned, readFileSync(tiny, 'utf8').replace('max: 0.3', 'max: 0.9'));
		const later = await sweep([planned, '--out', join(directory, 'out')]);
		expect(later.status).toBe(2);
		expect(later.stderr).toMatch(/planned\.yaml:13:5: factors\[1\]\.max: 0\.9 1\/yr is outside the slider range \[0, 0\.3\]/);
		for (const [args, message] of [
			[[join(directory, 'missing.yaml')], /missing\.yaml: no such file/],
			[[directory], /is a directory, not a file/],
			[[], /name one sweep file; found 0 arguments/],
			[[tiny, tiny], /name one sweep file; found 2 arguments/]
		] as [string[], RegExp][]) {
			const result = await sweep([...args, '--out', join(directory, 'out')]);
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stderr).toMatch(message);
		}
		expect(existsSync(join(directory, 'out'))).toBe(false);
		// The result's own name taken by a directory: refused before any point runs.
		mkdirSync(join(directory, 'taken', 'sweep.json'), { recursive: true });
		const taken = await sweep([tiny, '--out', join(directory, 'taken'), '--workers', '1']);
		expect(taken.status).toBe(2);
		expect(taken.stderr).toMatch(/--out: .*sweep\.json is a directory, not a file to write/);
		expect(taken.stderr).not.toMatch(/ran \d+ points/);
	}, 60_000);
});

describe('npm run sweep -- merge', () => {
	function partsOf(count: number): string {
		const source = join(scratch, `parts-${count}`);
		const directory = mkdtempSync(join(scratch, `merge-${count}-`));
		for (const name of readdirSync(source)) copyFileSync(join(source, name), join(directory, name));
		return directory;
	}

	async function refuses(directory: string, message: RegExp) {
		const out = join(directory, 'merged.json');
		const run = await sweep(['merge', directory, '--out', out]);
		expect(run.status).toBe(2);
		expect(run.stderr).toMatch(message);
		expect(existsSync(out)).toBe(false);
	}

	it('refuses incomplete, duplicated, mixed, altered or cut parts, naming them, with status 2 and no output', async () => {
		const missing = partsOf(7);
		rmSync(join(missing, 'part-2-of-7.json'));
		rmSync(join(missing, 'part-5-of-7.json'));
		await refuses(missing, /missing 2 of 7 shards: 2\/7, 5\/7 \(run each with --shard I\/7\)/);

		const mixedSplits = partsOf(3);
		copyFileSync(join(scratch, 'parts-2', 'part-0-of-2.json'), join(mixedSplits, 'part-0-of-2.json'));
		await refuses(mixedSplits, /the parts come from different splits: into 2: .*part-0-of-2\.json; into 3: /);

		const renamed = partsOf(3);
		copyFileSync(join(renamed, 'part-0-of-3.json'), join(renamed, 'part-9-of-3.json'));
		await refuses(renamed, /part-9-of-3\.json: shard: the file is named for shard 9\/3 but holds shard 0\/3/);

		const otherSweep = partsOf(2);
		const run = await sweep([other, '--shard', '1/2', '--out', join(scratch, 'other-parts'), '--workers', '1']);
		expect(run.status).toBe(0);
		copyFileSync(join(scratch, 'other-parts', 'part-1-of-2.json'), join(otherSweep, 'part-1-of-2.json'));
		await refuses(
			otherSweep,
			/the parts come from different sweeps: [0-9a-f]{16} \(Tiny sweep for tests\): .*part-0-of-2\.json; [0-9a-f]{16} \(Another tiny sweep/
		);

		const otherModel = partsOf(2);
		const path = join(otherModel, 'part-1-of-2.json');
		writeFileSync(path, readFileSync(path, 'utf8').replace(/"modelVersion": "[^"]+"/, '"modelVersion": "1.9.0"'));
		await refuses(otherModel, /the parts must all come from model [\d.]+ \(this program's\): .*model 1\.9\.0: .*part-1-of-2\.json/);

		const altered = partsOf(2);
		const alteredPath = join(altered, 'part-0-of-2.json');
		writeFileSync(alteredPath, readFileSync(alteredPath, 'utf8').replace('"paths": 60', '"paths": 61'));
		await refuses(altered, /part-0-of-2\.json: sweep: the part was altered/);

		const cut = partsOf(2);
		const cutPath = join(cut, 'part-1-of-2.json');
		const text = readFileSync(cutPath, 'utf8');
		writeFileSync(cutPath, text.slice(0, text.length / 2));
		await refuses(cut, /part-1-of-2\.json:\d+:\d+: not a part file: not valid JSON: .*cut short/);

		const dropped = partsOf(2);
		const droppedPath = join(dropped, 'part-1-of-2.json');
		writeFileSync(droppedPath, readFileSync(droppedPath, 'utf8').replace(/\n\t\t\{"point":12,[^\n]*/, ''));
		await refuses(dropped, /part-1-of-2\.json: records: shard 1\/2 must hold points 10 … 20, each once in order/);

		const forged = partsOf(2);
		const forgedPath = join(forged, 'part-1-of-2.json');
		writeFileSync(
			forgedPath,
			readFileSync(forgedPath, 'utf8').replace(
				'{"point":12,"factors":{"renewedRestrictionMonths":',
				'{"point":12,"factors":{"renewedRestrictionMonths":1e9,"x":'
			)
		);
		await refuses(forged, /part-1-of-2\.json: records\[2\]: point 12 does not hold the design's factor values and one value for each output/);

		const secondAltered = partsOf(2);
		const secondPath = join(secondAltered, 'part-1-of-2.json');
		writeFileSync(secondPath, readFileSync(secondPath, 'utf8').replace('"title": "Stress:', '"title": "Altered:'));
		await refuses(secondAltered, /part-1-of-2\.json: sweep: the part was altered/);

		const tooMany = mkdtempSync(join(scratch, 'too-many-'));
		writeFileSync(
			join(tooMany, 'part-0-of-1000000000000000.json'),
			readFileSync(join(scratch, 'parts-1', 'part-0-of-1.json'), 'utf8').replace('"count": 1', '"count": 1000000000000000')
		);
		await refuses(tooMany, /part-0-of-1000000000000000\.json: shard\.count: not a sweep part file .*100000/);

		const hostile = partsOf(2);
		const hostilePath = join(hostile, 'part-0-of-2.json');
		writeFileSync(hostilePath, readFileSync(hostilePath, 'utf8').replace('"format":', '"__proto__": {},\n\t"format":'));
		await refuses(hostile, /part-0-of-2\.json.*not a part file: .*__proto__/);

		await refuses(mkdtempSync(join(scratch, 'empty-')), /holds no part files/);
		const none = await sweep(['merge', join(scratch, 'no-such-directory'), '--out', join(scratch, 'x.json')]);
		expect(none.status).toBe(2);
		expect(none.stderr).toMatch(/no-such-directory: no such directory/);
		for (const [out, message] of [
			['/dev/null', /--out: \/dev\/null is a device, pipe or socket, not a file to write/],
			[join(scratch, 'parts-2', 'part-0-of-2.json'), /is a part file name in .*: the merged result would replace a part/],
			[join(scratch, 'new-directory') + '/', /names a directory; expected a file to write/]
		] as [string, RegExp][]) {
			const run = await sweep(['merge', join(scratch, 'parts-2'), '--out', out]);
			expect(run.status, out).toBe(2);
			expect(run.stderr).toMatch(message);
		}
		expect(readFileSync(join(scratch, 'parts-2', 'part-0-of-2.json'), 'utf8')).toContain('"format": "magnet-sweep-part/1"');
		const noOut = await sweep(['merge', join(scratch, 'parts-2')]);
		expect(noOut.status).toBe(2);
		expect(noOut.stderr).toMatch(/--out: merge needs --out FILE/);
	}, 120_000);
});

describe('npm run sweep -- seek', () => {
	it('finds the smallest lever meeting the target on common random numbers, with its Monte Carlo error; a file without a goal exits 2', async () => {
		const file = join(scratch, 'seek.yaml');
		writeFileSync(
			file,
			readFileSync(tiny, 'utf8') +
				'seek:\n  factor: alliedGrowth\n  low: 0\n  high: 0.3\n  output: median usMagnetPrice 2030\n  atMost: 71.5\n  tolerance: 0.002\n'
		);
		const run = await sweep(['seek', file, '--workers', '1']);
		expect(run.status, run.stderr).toBe(0);
		const found = JSON.parse(run.stdout);
		expect(found.output.value).toBeLessThanOrEqual(71.5);
		expect(found.lever).toBeGreaterThan(0);
		expect(found.lever).toBeLessThan(0.3);
		expect(found.leverSe).toBeGreaterThan(0);
		expect(run.stderr).toMatch(/answer: alliedGrowth = [\d.]+ ± [\d.]+ per year/);
		const reached = join(scratch, 'reached.yaml');
		writeFileSync(reached, readFileSync(file, 'utf8').replace('atMost: 71.5', 'atMost: 90'));
		const already = await sweep(['seek', reached, '--workers', '1']);
		expect(already.status).toBe(2);
		expect(already.stderr).toMatch(/reached\.yaml: seek: median usMagnetPrice 2030 is [\d.]+ ± [\d.]+ USD per kg already at alliedGrowth = 0, the low end/);
		const none = await sweep(['seek', tiny]);
		expect(none.status).toBe(2);
		expect(none.stderr).toMatch(/seek: the file has no "seek" section/);
	}, 60_000);
});
