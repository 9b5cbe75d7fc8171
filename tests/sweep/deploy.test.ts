import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseSweepOptions, shardIndexVariable, sweepOptionConfig, type SweepCommand } from '../../src/cli/sweep-options';

// The worked examples under deploy/ must agree with each other and with the sweep command's own
// options: a Job of 40 completions running --shards 50 would leave ten shards unrun, and one that
// merges another directory than the shards write would merge nothing.

const deploy = join(import.meta.dirname, '../../deploy');
const read = (file: string) => readFileSync(join(deploy, file), 'utf8');

/**
 * parseSweepOptions checks that --out can be created, by making and removing a directory in its
 * nearest existing ancestor. The examples' --out is /results/… (a volume mounted in the pod, absent
 * and likely not creatable here) or relative to where they run; so before parsing, the --out value
 * is moved under a temporary directory (/results/smoke → <tmp>/results/smoke, parts → <tmp>/parts).
 * Every other check reads the --out value as written in the example.
 */
const sandbox = mkdtempSync(join(tmpdir(), 'sweep-deploy-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

function withOutInSandbox(argv: readonly string[]): string[] {
	return argv.map((word, i) => {
		if (argv[i - 1] === '--out') return join(sandbox, word);
		if (word.startsWith('--out=')) return `--out=${join(sandbox, word.slice('--out='.length))}`;
		return word;
	});
}

/** The command a command line gives, failing the test on any problem the CLI would report. */
function sweepCommand(argv: readonly string[], environment: NodeJS.ProcessEnv = {}): SweepCommand {
	const { command, problems, help } = parseSweepOptions(withOutInSandbox(argv), environment, () => {});
	expect(problems, argv.join(' ')).toEqual([]);
	expect(help).toBe(false);
	return command!;
}

/** The options as written (no sandbox, no clamping of --workers to this machine's cores). */
function writtenOptions(argv: readonly string[]) {
	return parseArgs({ args: [...argv], options: sweepOptionConfig, allowPositionals: true, strict: true });
}

/** The words after `prefix` (e.g. `magnet-scenarios sweep`) in a command line. */
function argumentsAfter(words: readonly string[], prefix: readonly string[]): string[] {
	const start = words.findIndex((_, i) => prefix.every((p, j) => words[i + j] === p));
	expect(start, `"${prefix.join(' ')}" in: ${words.join(' ')}`).toBeGreaterThanOrEqual(0);
	return words.slice(start + prefix.length);
}

/** Splits a line of shell into words: plain, '…' and "…" words, with $NAME and ${NAME} expanded from `environment`. */
function shellWords(line: string, environment: Record<string, string> = {}): string[] {
	const expand = (text: string) =>
		text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced: string | undefined, plain: string | undefined) => {
			const name = (braced ?? plain)!;
			if (!Object.hasOwn(environment, name)) throw new Error(`$${name} is not set, in: ${line}`);
			return environment[name];
		});
	const words: string[] = [];
	let word: string | undefined;
	for (let i = 0; i < line.length;) {
		const c = line[i];
		if (/\s/.test(c)) {
			if (word !== undefined) words.push(word);
			word = undefined;
			i++;
		} else if (c === "'" || c === '"') {
			const end = line.indexOf(c, i + 1);
			if (end < 0) throw new Error(`unclosed ${c} in: ${line}`);
			const quoted = line.slice(i + 1, end);
			word = (word ?? '') + (c === '"' ? expand(quoted) : quoted);
			i = end + 1;
		} else {
			const plain = /^[^\s'"]+/.exec(line.slice(i))![0];
			word = (word ?? '') + expand(plain);
			i += plain.length;
		}
	}
	if (word !== undefined) words.push(word);
	return words;
}

const directory = (path: string) => posix.normalize(path).replace(/(.)\/$/, '$1');
const range = (count: number) => Array.from({ length: count }, (_, i) => i);

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes and workflow documents are plain parsed YAML */

function yamlDocuments(file: string): any[] {
	return YAML.parseAllDocuments(read(file)).map((document) => {
		expect(document.errors, file).toEqual([]);
		return document.toJS();
	});
}

function oneOfKind(documents: any[], kind: string): any {
	const found = documents.filter((d) => d?.kind === kind);
	expect(found, kind).toHaveLength(1);
	return found[0];
}

function kubernetes() {
	const sweepDocuments = yamlDocuments('kubernetes/sweep-job.yaml');
	const mergeDocuments = yamlDocuments('kubernetes/merge-job.yaml');
	return {
		sweepJob: oneOfKind(sweepDocuments, 'Job'),
		claim: oneOfKind(sweepDocuments, 'PersistentVolumeClaim'),
		mergeJob: oneOfKind(mergeDocuments, 'Job')
	};
}

/** A Job's one container, and its command line (exec form: every word a string, no shell). */
function containerOf(job: any) {
	const containers = job.spec.template.spec.containers;
	expect(containers).toHaveLength(1);
	const [container] = containers;
	const words = [...(container.command ?? []), ...(container.args ?? [])];
	for (const word of words) expect(typeof word, `${JSON.stringify(word)} in ${job.metadata.name}`).toBe('string');
	expect(words.slice(0, 3)).toEqual(['npx', 'magnet-scenarios', 'sweep']);
	return { container, argv: argumentsAfter(words, ['magnet-scenarios', 'sweep']) };
}

/** The volume a path in a Job's container is on: which volume, and where on it. */
function volumeOf(job: any, path: string) {
	const { container } = containerOf(job);
	const mounts = (container.volumeMounts ?? []).filter(
		(m: any) => path === m.mountPath || path.startsWith(m.mountPath.endsWith('/') ? m.mountPath : `${m.mountPath}/`)
	);
	expect(mounts.length, `a volume mounted above ${path} in ${job.metadata.name}`).toBeGreaterThan(0);
	const mount = mounts.sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
	const volume = job.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
	expect(volume, `volume ${mount.name} in ${job.metadata.name}`).toBeDefined();
	return { mount, volume, within: posix.join(mount.subPath ?? '', posix.relative(mount.mountPath, path)) };
}

/** Kubernetes CPU quantity ("2", "1500m") in CPUs. */
const cpus = (quantity: string | number) => (String(quantity).endsWith('m') ? Number(String(quantity).slice(0, -1)) / 1000 : Number(quantity));

describe('deploy/kubernetes', () => {
	it('runs an Indexed Job whose every pod parses as one shard of --shards = completions', () => {
		const { sweepJob } = kubernetes();
		const { container, argv } = containerOf(sweepJob);
		const { spec } = sweepJob;
		expect(spec.completionMode).toBe('Indexed');
		expect(spec.template.spec.restartPolicy).toBe('Never');
		expect(Number.isInteger(spec.completions)).toBe(true);
		expect(spec.parallelism).toBeGreaterThan(0);
		expect(spec.parallelism).toBeLessThanOrEqual(spec.completions);

		const written = writtenOptions(argv).values;
		expect(written.shard).toBeUndefined();
		expect(written.shards).toBe(String(spec.completions));
		for (const index of range(spec.completions)) {
			const command = sweepCommand(argv, { [shardIndexVariable]: String(index) });
			expect(command).toMatchObject({ kind: 'run', shard: { index, count: spec.completions } });
		}
		// An index one past the last does not exist.
		expect(parseSweepOptions(withOutInSandbox(argv), { [shardIndexVariable]: String(spec.completions) }).problems).not.toEqual([]);

		// --workers is the CPU the pod gets (requests = limits: the pod has those cores to itself).
		expect(Number(written.workers)).toBe(cpus(container.resources.limits.cpu));
		expect(cpus(container.resources.requests.cpu)).toBe(cpus(container.resources.limits.cpu));
		expect(container.resources.limits.memory).toBeDefined();
	});

	it('exit-code rules name the container they are about', () => {
		const { sweepJob, mergeJob } = kubernetes();
		for (const job of [sweepJob, mergeJob]) {
			const rules = job.spec.podFailurePolicy?.rules ?? [];
			for (const rule of rules.filter((r: any) => r.onExitCodes?.containerName !== undefined))
				expect(rule.onExitCodes.containerName).toBe(containerOf(job).container.name);
		}
	});

	it('reads the sweep file from a ConfigMap, mounted read-only, made as the comment says', () => {
		const { sweepJob } = kubernetes();
		const { argv } = containerOf(sweepJob);
		const file = writtenOptions(argv).positionals[0];
		const { mount, volume, within } = volumeOf(sweepJob, file);
		expect(mount.readOnly).toBe(true);
		expect(volume.configMap?.name).toBeDefined();
		// `kubectl create configmap NAME --from-file=PATH` stores the file under its base name.
		const made = /kubectl create configmap (\S+) --from-file=(\S+)/.exec(read('kubernetes/sweep-job.yaml'));
		expect(made).not.toBeNull();
		expect(made![1]).toBe(volume.configMap.name);
		const key = volume.configMap.items?.find((item: any) => item.path === within)?.key ?? within;
		expect(key).toBe(posix.basename(made![2]));
	});

	it('merges the directory the sweep Job writes, on the same ReadWriteMany claim, with the same image', () => {
		const { sweepJob, mergeJob, claim } = kubernetes();
		const sweepOut = writtenOptions(containerOf(sweepJob).argv).values.out!;
		const { argv: mergeArgv } = containerOf(mergeJob);
		const merge = sweepCommand(mergeArgv);
		expect(merge.kind).toBe('merge');
		if (merge.kind !== 'merge') return;
		expect(directory(merge.directory)).toBe(directory(sweepOut));

		expect(claim.spec.accessModes).toContain('ReadWriteMany');
		const written = volumeOf(sweepJob, sweepOut);
		const merged = volumeOf(mergeJob, merge.directory);
		const mergedTo = volumeOf(mergeJob, writtenOptions(mergeArgv).values.out!);
		for (const { volume } of [written, merged, mergedTo]) expect(volume.persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
		expect(merged.within).toBe(written.within);
		expect(written.mount.readOnly ?? false).toBe(false);
		expect(mergedTo.mount.readOnly ?? false).toBe(false);

		expect(mergeJob.spec.template.spec.restartPolicy).toBe('Never');
		expect(mergeJob.spec.completionMode ?? 'NonIndexed').toBe('NonIndexed');
		expect(containerOf(mergeJob).container.image).toBe(containerOf(sweepJob).container.image);
	});
});

describe('deploy/github-actions/sweep-matrix.yml', () => {
	const matrixExpression = '${{ matrix.shard }}';
	const globMatches = (glob: string, name: string) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

	function workflow() {
		const [document] = yamlDocuments('github-actions/sweep-matrix.yml');
		const entries = Object.entries<any>(document.jobs);
		const sharded = entries.filter(([, job]) => job.strategy?.matrix?.shard !== undefined);
		expect(sharded).toHaveLength(1);
		const [shardJobId, shardJob] = sharded[0];
		const mergeJobs = entries.filter(([, job]) => job.steps.some((s: any) => /npm run sweep -- merge /.test(s.run ?? '')));
		expect(mergeJobs).toHaveLength(1);
		const [, mergeJob] = mergeJobs[0];
		const sweepRuns = shardJob.steps.filter((s: any) => /npm run sweep -- /.test(s.run ?? ''));
		expect(sweepRuns).toHaveLength(1);
		return { shardJobId, shardJob, mergeJob, sweepStep: sweepRuns[0] };
	}

	const uploadOf = (job: any) => job.steps.filter((s: any) => String(s.uses).startsWith('actions/upload-artifact@'));

	it('lists exactly the shards 0 … N−1 of --shard I/N, each of which parses', () => {
		const { shardJob, sweepStep } = workflow();
		const count = /--shard \$\{\{ matrix\.shard \}\}\/(\d+)\b/.exec(sweepStep.run);
		expect(count, sweepStep.run).not.toBeNull();
		const n = Number(count![1]);
		expect(shardJob.strategy.matrix.shard).toEqual(range(n));
		for (const index of shardJob.strategy.matrix.shard) {
			const argv = argumentsAfter(shellWords(sweepStep.run.replaceAll(matrixExpression, String(index))), ['npm', 'run', 'sweep', '--']);
			expect(sweepCommand(argv)).toMatchObject({ kind: 'run', shard: { index, count: n } });
		}
		const steps = shardJob.steps.map((s: any) => s.run);
		expect(steps.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
		expect(steps.indexOf('npm ci')).toBeLessThan(shardJob.steps.indexOf(sweepStep));
	});

	it('uploads each shard under its own name, and merges what the merge job downloads', () => {
		const { shardJobId, shardJob, mergeJob, sweepStep } = workflow();
		const sweepOut = writtenOptions(argumentsAfter(shellWords(sweepStep.run.replaceAll(matrixExpression, '0')), ['npm', 'run', 'sweep', '--'])).values.out!;
		const uploads = uploadOf(shardJob);
		expect(uploads).toHaveLength(1);
		const [upload] = uploads;
		expect(upload.uses).toBe('actions/upload-artifact@v4');
		expect(directory(upload.with.path)).toBe(directory(sweepOut));
		expect(shardJob.steps.indexOf(upload)).toBeGreaterThan(shardJob.steps.indexOf(sweepStep));
		const names = shardJob.strategy.matrix.shard.map((index: number) => String(upload.with.name).replaceAll(matrixExpression, String(index)));
		expect(new Set(names).size).toBe(names.length);

		expect([mergeJob.needs].flat()).toContain(shardJobId);
		const mergeStep = mergeJob.steps.find((s: any) => /npm run sweep -- merge /.test(s.run ?? ''));
		expect(mergeStep.run).not.toContain('${{');
		const merge = sweepCommand(argumentsAfter(shellWords(mergeStep.run), ['npm', 'run', 'sweep', '--']));
		expect(merge.kind).toBe('merge');
		if (merge.kind !== 'merge') return;
		const downloads = mergeJob.steps.filter((s: any) => String(s.uses).startsWith('actions/download-artifact@'));
		expect(downloads).toHaveLength(1);
		const [download] = downloads;
		expect(download.uses).toBe('actions/download-artifact@v4');
		expect(download.with['merge-multiple']).toBe(true);
		for (const name of names) expect(globMatches(download.with.pattern, name), `${download.with.pattern} matches ${name}`).toBe(true);
		expect(directory(download.with.path)).toBe(directory(merge.directory));
		expect(mergeJob.steps.indexOf(download)).toBeLessThan(mergeJob.steps.indexOf(mergeStep));
		expect(mergeJob.steps.map((s: any) => s.run)).toContain('npm ci');
	});
});

/* eslint-enable @typescript-eslint/no-explicit-any */

describe('deploy/slurm/sweep.sbatch', () => {
	function sbatch() {
		const text = read('slurm/sweep.sbatch');
		const lines = text.split('\n');
		// sbatch reads #SBATCH lines only before the script's first command.
		const firstCommand = lines.findIndex((line) => line.trim() !== '' && !line.startsWith('#'));
		const directives = lines.slice(0, firstCommand).filter((line) => line.startsWith('#SBATCH'));
		expect(lines.slice(firstCommand).filter((line) => line.startsWith('#SBATCH'))).toEqual([]);
		const directive = (name: string) => {
			const found = directives.map((line) => new RegExp(`^#SBATCH\\s+--${name}=(\\S+)\\s*$`).exec(line)).filter((m) => m !== null);
			expect(found, `#SBATCH --${name}`).toHaveLength(1);
			return found[0]![1];
		};
		const sweepLines = lines.filter((line) => !line.startsWith('#') && line.includes('magnet-scenarios sweep'));
		expect(sweepLines).toHaveLength(1);
		return { text, directive, sweepLine: sweepLines[0] };
	}

	it('runs --array=0-(N−1) over --shard $SLURM_ARRAY_TASK_ID/N, each task parsing', () => {
		const { directive, sweepLine } = sbatch();
		const array = /^(\d+)-(\d+)(?:%\d+)?$/.exec(directive('array'));
		expect(array).not.toBeNull();
		const [first, last] = [Number(array![1]), Number(array![2])];
		const cpusPerTask = directive('cpus-per-task');
		const argvOf = (task: number) =>
			argumentsAfter(shellWords(sweepLine, { SLURM_ARRAY_TASK_ID: String(task), SLURM_CPUS_PER_TASK: cpusPerTask }), ['magnet-scenarios', 'sweep']);
		const written = writtenOptions(argvOf(first)).values;
		const n = Number(/\/(\d+)$/.exec(written.shard!)![1]);
		expect(first).toBe(0);
		expect(last).toBe(n - 1);
		for (let task = first; task <= last; task++) expect(sweepCommand(argvOf(task))).toMatchObject({ kind: 'run', shard: { index: task, count: n } });
		expect(written.workers).toBe(cpusPerTask);
	});

	it('shows a merge, after every task succeeded, of the directory the tasks write', () => {
		const { text, sweepLine } = sbatch();
		const sweepOut = writtenOptions(
			argumentsAfter(shellWords(sweepLine, { SLURM_ARRAY_TASK_ID: '0', SLURM_CPUS_PER_TASK: '1' }), ['magnet-scenarios', 'sweep'])
		).values.out!;
		const mergeLine = /^#\s+(sbatch --dependency=afterok:\S+ .*)$/m.exec(text);
		expect(mergeLine).not.toBeNull();
		const words = shellWords(mergeLine![1], { jobid: '12345' });
		const wrapped = words.indexOf('--wrap');
		expect(wrapped).toBeGreaterThan(0);
		const merge = sweepCommand(argumentsAfter(shellWords(words[wrapped + 1]), ['magnet-scenarios', 'sweep']));
		expect(merge.kind).toBe('merge');
		if (merge.kind === 'merge') expect(directory(merge.directory)).toBe(directory(sweepOut));
	});
});
