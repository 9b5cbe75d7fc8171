import { describe, expect, it } from 'vitest';
import { LatestRequestScheduler, type CancellableRunner, type SchedulerEvent } from '../../src/lib/runner/scheduler';

/** A runner whose runs finish when the test says so, and notice cancellation like the worker does. */
function controllableRunner() {
	const runs = new Map<number, { request: string; finish: (result: string) => void }>();
	const cancelled: number[] = [];
	const started: string[] = [];
	const runner: CancellableRunner<string, string, string> = {
		run(id, request, onUpdate) {
			started.push(request);
			onUpdate(`update ${request}`);
			return new Promise((resolve) => {
				runs.set(id, { request, finish: (result) => resolve(cancelled.includes(id) ? 'cancelled' : result) });
			});
		},
		cancel(id) {
			cancelled.push(id);
		}
	};
	return { runner, runs, cancelled, started };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LatestRequestScheduler', () => {
	it('coalesces a burst into the active run plus the latest request, and reports only the latest', async () => {
		const { runner, runs, cancelled, started } = controllableRunner();
		const events: SchedulerEvent<string, string, string>[] = [];
		const scheduler = new LatestRequestScheduler(runner, (e) => events.push(e));
		const first = scheduler.submit('a');
		scheduler.submit('b');
		const last = scheduler.submit('c');
		expect(started).toEqual(['a']);
		expect(cancelled).toEqual([first, first]);
		runs.get(first)!.finish('result a');
		await settle();
		expect(started).toEqual(['a', 'c']);
		runs.get(last)!.finish('result c');
		await settle();
		const done = events.filter((e) => e.kind === 'done');
		expect(done).toHaveLength(1);
		expect(done[0].kind === 'done' && done[0].outcome).toBe('result c');
		// 'a' reported its update while it was still the latest request; nothing of 'b' ever ran.
		expect(events.filter((e) => e.kind === 'update').map((e) => e.request)).toEqual(['a', 'c']);
		expect(scheduler.busy).toBe(false);
	});

	it('never reports a stale result, even one that finishes uncancelled', async () => {
		const { runs } = controllableRunner();
		const events: SchedulerEvent<string, string, string>[] = [];
		const staleRunner: CancellableRunner<string, string, string> = {
			run: (id, request) => new Promise((resolve) => runs.set(id, { request, finish: resolve })),
			cancel: () => undefined
		};
		const scheduler = new LatestRequestScheduler(staleRunner, (e) => events.push(e));
		const old = scheduler.submit('old');
		scheduler.submit('new');
		runs.get(old)!.finish('old result');
		await settle();
		expect(events.some((e) => e.kind === 'done' && e.outcome === 'old result')).toBe(false);
	});

	it('reports a failure of the latest run', async () => {
		const failing: CancellableRunner<string, string, string> = { run: () => Promise.reject(new Error('worker crashed')), cancel: () => undefined };
		const events: SchedulerEvent<string, string, string>[] = [];
		new LatestRequestScheduler(failing, (e) => events.push(e)).submit('x');
		await settle();
		expect(events.at(-1)).toMatchObject({ kind: 'failed', request: 'x' });
	});
});
