import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerTask, WorkerTaskResult } from './pool-worker';

interface Pending {
	task: WorkerTask;
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
}

/**
 * A fixed set of worker_threads running the engine. Tasks queue and go to the next idle worker;
 * a worker that crashes rejects its task and is replaced.
 */
export class WorkerPool {
	private readonly idle: Worker[] = [];
	private readonly queue: Pending[] = [];
	private readonly busy = new Map<Worker, Pending>();
	private closed = false;

	constructor(readonly size: number = availableParallelism()) {
		for (let i = 0; i < size; i++) this.idle.push(this.spawn());
	}

	private spawn(): Worker {
		const worker = new Worker(new URL('./pool-worker-entry.mjs', import.meta.url));
		worker.on('message', (message: { ok: true; value: unknown } | { ok: false; error: string }) => {
			const pending = this.busy.get(worker);
			this.busy.delete(worker);
			this.idle.push(worker);
			if (pending) {
				if (message.ok) pending.resolve(message.value);
				else pending.reject(new Error(message.error));
			}
			this.dispatch();
		});
		worker.on('error', (error) => {
			const pending = this.busy.get(worker);
			this.busy.delete(worker);
			pending?.reject(error);
			if (!this.closed) {
				this.idle.push(this.spawn());
				this.dispatch();
			}
		});
		worker.unref();
		return worker;
	}

	private dispatch() {
		while (this.idle.length > 0 && this.queue.length > 0) {
			const worker = this.idle.pop()!;
			const pending = this.queue.shift()!;
			this.busy.set(worker, pending);
			worker.ref();
			worker.postMessage(pending.task);
		}
		for (const worker of this.idle) worker.unref();
	}

	run<K extends WorkerTask['kind']>(task: Extract<WorkerTask, { kind: K }>): Promise<WorkerTaskResult<K>> {
		if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
		return new Promise((resolve, reject) => {
			this.queue.push({ task, resolve: resolve as (value: unknown) => void, reject });
			this.dispatch();
		});
	}

	async close(): Promise<void> {
		this.closed = true;
		await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
	}
}
