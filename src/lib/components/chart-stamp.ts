import { getContext, setContext } from 'svelte';
import type { ChartStamp, EventNote } from '../notebook/figures';

/** What names a run in an exported chart: the scenario, seed, paths, model version and fingerprint. */
export type RunStamp = Omit<ChartStamp, 'events'>;

const key = Symbol('run stamp');

/** Called by the page: the run its charts are drawn from (a stage's result will do), read when a chart is exported. */
export function provideRunStamp(current: () => RunStamp | undefined): void {
	setContext(key, current);
}

/**
 * Called by a chart cell as it starts: returns the stamp for the chart's image (with the chart's events),
 * undefined while there is no run or outside a page that provides one.
 */
export function chartStamper(): (events?: readonly EventNote[]) => ChartStamp | undefined {
	const current = getContext<(() => RunStamp | undefined) | undefined>(key);
	return (events) => {
		const run = current?.();
		if (!run) return undefined;
		const { scenario, seed, paths, modelVersion, fingerprint } = run;
		return { scenario, seed, paths, modelVersion, fingerprint, ...(events && events.length > 0 ? { events } : {}) };
	};
}
