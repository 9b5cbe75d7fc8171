/** Runs requests one at a time, cooperatively cancellable by id. */
export interface CancellableRunner<Request, Update, Outcome> {
	run(id: number, request: Request, onUpdate: (update: Update) => void): Promise<Outcome | 'cancelled'>;
	cancel(id: number): void;
}

export type SchedulerEvent<Request, Update, Outcome> = { id: number; request: Request } & (
	{ kind: 'started' } | { kind: 'update'; update: Update } | { kind: 'done'; outcome: Outcome } | { kind: 'failed'; error: unknown }
);

/** Run ids are unique across schedulers: they share one runner, which caches and cancels by id. */
let lastRunId = 0;

/**
 * Coalesces rapid requests: at most one run is active and one waits. A new request cancels the
 * active run and replaces the waiting one, so a burst of slider moves costs one extra run, and
 * only the latest request's events are ever reported: a stale result is never drawn.
 */
export class LatestRequestScheduler<Request, Update, Outcome> {
	private latestId = 0;
	private activeId: number | undefined;
	private waiting: { id: number; request: Request } | undefined;

	constructor(
		private readonly runner: CancellableRunner<Request, Update, Outcome>,
		private readonly listener: (event: SchedulerEvent<Request, Update, Outcome>) => void
	) {}

	/** Queues a request as the latest; returns its id. */
	submit(request: Request): number {
		const id = ++lastRunId;
		this.latestId = id;
		if (this.activeId === undefined) {
			this.start(id, request);
		} else {
			this.runner.cancel(this.activeId);
			this.waiting = { id, request };
		}
		return id;
	}

	/** Forgets every request: the active run is cancelled and nothing more is reported. */
	cancelAll(): void {
		this.latestId = ++lastRunId;
		this.waiting = undefined;
		if (this.activeId !== undefined) this.runner.cancel(this.activeId);
	}

	get busy(): boolean {
		return this.activeId !== undefined;
	}

	private start(id: number, request: Request): void {
		this.activeId = id;
		this.listener({ kind: 'started', id, request });
		const isLatest = () => id === this.latestId;
		this.runner
			.run(id, request, (update) => {
				if (isLatest()) this.listener({ kind: 'update', id, request, update });
			})
			.then(
				(outcome) => {
					if (outcome !== 'cancelled' && isLatest()) this.listener({ kind: 'done', id, request, outcome });
				},
				(error: unknown) => {
					if (isLatest()) this.listener({ kind: 'failed', id, request, error });
				}
			)
			.finally(() => {
				this.activeId = undefined;
				const next = this.waiting;
				this.waiting = undefined;
				if (next) this.start(next.id, next.request);
			});
	}
}
