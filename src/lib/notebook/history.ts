/**
 * How a change reaches the browser's history. A deliberate change (a scenario picked, a cell
 * added, removed or moved, the seed or path count set, a slider released or a number typed, a
 * reset) gets an entry of its own; a continuous one (a slider being dragged, text being typed) gets
 * one entry for the whole gesture, which it keeps replacing.
 */
export type ChangeKind = 'deliberate' | 'continuous';

/** How a write reaches the address bar: a new history entry, or over the current one. */
export type EntryMode = 'push' | 'replace';

/**
 * Decides, for each write of the notebook to the address bar, whether it pushes a new history
 * entry or replaces the current one. Writes come a moment after the changes (after a quiet spell,
 * and after the run for a change of settings), so changes are noted as they happen and consumed by
 * the write that carries them. An entry is never pushed for the state the current entry holds.
 */
export class HistoryEntries {
	/** The state (as compared, e.g. its JSON) the current history entry holds. */
	#entryState: string | undefined;
	/** Whether the current entry holds a finished state; if not, a gesture is still writing into it. */
	#settled = true;
	#pending: ChangeKind | undefined;
	/** The gesture ended before its state was written: settle the entry once it is. */
	#settleAfterWrite = false;
	/** Counts the changes noted, so a write only consumes the changes its state includes. */
	#changes = 0;

	/** A change was made; a deliberate one outweighs continuous ones waiting with it. */
	changed(kind: ChangeKind): void {
		if (this.#pending !== 'deliberate') this.#pending = kind;
		this.#changes++;
	}

	/** A continuous gesture ended (the slider was released): its entry is finished. */
	gestureEnded(): void {
		if (this.#pending) this.#settleAfterWrite = true;
		else this.#settled = true;
	}

	/** Marks the changes a write about to start includes (take it before the state is read). */
	mark(): number {
		return this.#changes;
	}

	/** A state is being written, including the changes up to `mark`: how it reaches the history. */
	write(state: string, mark: number): EntryMode {
		const pending = this.#pending;
		if (mark === this.#changes) {
			this.#pending = undefined;
		}
		const differs = state !== this.#entryState;
		let mode: EntryMode = 'replace';
		if (differs && pending === 'deliberate') mode = 'push';
		else if (differs && pending === 'continuous' && this.#settled) mode = 'push';
		if (pending === 'deliberate') this.#settled = true;
		else if (pending === 'continuous' && differs) this.#settled = false;
		if (this.#settleAfterWrite && this.#pending === undefined) {
			this.#settled = true;
			this.#settleAfterWrite = false;
		}
		this.#entryState = state;
		return mode;
	}

	/** The browser moved to an entry (Back, Forward) or opened one: it holds this finished state. */
	arrived(state: string): void {
		this.#entryState = state;
		this.#settled = true;
		this.#pending = undefined;
		this.#settleAfterWrite = false;
	}
}
