import { SvelteMap } from 'svelte/reactivity';

/**
 * Results by key, newest last: storing one beyond `capacity` drops the oldest. The notebook's runs
 * and its analyses keep what they finished in one of these, so moving a slider back shows a result
 * again at once. Reactive: what reads it follows a result's arrival.
 */
export class RecentCache<V> {
	readonly #entries = new SvelteMap<string, V>();

	constructor(readonly capacity: number) {}

	get(key: string): V | undefined {
		return this.#entries.get(key);
	}

	set(key: string, value: V): void {
		this.#entries.delete(key);
		this.#entries.set(key, value);
		while (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
	}
}
