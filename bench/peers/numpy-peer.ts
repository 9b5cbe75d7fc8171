/**
 * The numpy peer as bench/engine.bench.ts drives it: checks that python3 and numpy are there, and
 * runs `numpy_model.py --serve DIR`, one persistent process that loads an export once and answers
 * each "round" line with one JSON line of times (ms).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The interpreter: `PYTHON` when set, else python3 on the PATH. */
export const python = process.env.PYTHON || 'python3';

/** What one round of the peer measured, in ms. */
export interface PeerRound {
	/** The model with the exported draws, in memory (cached draws). */
	model: number;
	/** numpy's own draws for a new seed (monthly and per-path uniforms), then the model on them. */
	newSeed: number;
	/** Summary of the model's block: every column sorted, the engine's ranks picked. */
	summary: number;
}

export interface PeerReady {
	paths: number;
	months: number;
	numpy: string;
	python: string;
	/** Values of the peer's block that differ from the engine's (0: bit-exact). */
	valuesDiffering?: number;
}

/** Undefined when the peer can run; else what is missing and how to get it. */
export function peerUnavailable(): string | undefined {
	const probe = spawnSync(python, ['-c', 'import numpy, sys; print(numpy.__version__, sys.version.split()[0])'], { encoding: 'utf8' });
	if (probe.error)
		return `${python} not found (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}): install Python 3 (e.g. apt-get install python3) or set PYTHON to an interpreter`;
	if (probe.status !== 0) {
		const reason = probe.stderr.trim().split('\n').at(-1) ?? `exit status ${probe.status}`;
		return `numpy cannot be imported by ${python} (${reason}): install it (pip install numpy, or apt-get install python3-numpy)`;
	}
	const [version] = probe.stdout.trim().split(' ');
	if (Number(version.split('.')[0]) < 2) return `numpy ${version} found, the peer needs numpy ≥ 2: pip install -U numpy`;
	return undefined;
}

/** A running `numpy_model.py --serve` process. */
export class NumpyPeer {
	private readonly child: ChildProcessWithoutNullStreams;
	private readonly lines: Interface;
	private readonly pending: string[] = [];
	private waiting: ((line: string | undefined) => void) | undefined;
	private stderr = '';
	private ended = false;

	private constructor(directory: string) {
		this.child = spawn(python, [join(here, 'numpy_model.py'), '--serve', directory], { stdio: ['pipe', 'pipe', 'pipe'] });
		this.child.stderr.setEncoding('utf8');
		this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
		this.lines = createInterface({ input: this.child.stdout });
		this.lines.on('line', (line) => {
			if (this.waiting) {
				const resolve = this.waiting;
				this.waiting = undefined;
				resolve(line);
			} else this.pending.push(line);
		});
		this.lines.on('close', () => {
			this.ended = true;
			this.waiting?.(undefined);
			this.waiting = undefined;
		});
	}

	/** Starts the process on an export (bench/peers/export-draws.ts) and waits until it has loaded it. */
	static async start(directory: string): Promise<{ peer: NumpyPeer; ready: PeerReady }> {
		const peer = new NumpyPeer(directory);
		const ready = JSON.parse(await peer.nextLine()) as PeerReady;
		return { peer, ready };
	}

	private nextLine(): Promise<string> {
		const line = this.pending.shift();
		if (line !== undefined) return Promise.resolve(line);
		if (this.ended) return Promise.reject(this.failure());
		return new Promise((resolve, reject) => {
			this.waiting = (next) => (next === undefined ? reject(this.failure()) : resolve(next));
		});
	}

	private failure(): Error {
		return new Error(`the numpy peer stopped${this.stderr ? `:\n${this.stderr.trim()}` : ''}`);
	}

	/** One timed round in the peer. */
	async round(): Promise<PeerRound> {
		this.child.stdin.write('round\n');
		return JSON.parse(await this.nextLine()) as PeerRound;
	}

	async close(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.stdin.end('quit\n');
		await exited;
	}
}
