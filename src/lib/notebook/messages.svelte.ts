import { untrack } from 'svelte';
/**
 * What a message offers to do: bring back the notebook a link replaced, save over an unreadable
 * saved notebook, or put back the cell just removed.
 */
export type MessageAction = 'restore-previous' | 'replace-unreadable' | 'undo-remove';

export const messageActionLabels: Record<MessageAction, string> = {
	'restore-previous': 'Restore your previous notebook',
	'replace-unreadable': 'Save this notebook over it',
	'undo-remove': 'Undo'
};

/**
 * An error, or news the user may act on (a link replaced the notebook): both stay until dismissed.
 * Information and success go by themselves after a few seconds.
 */
export type MessageTone = 'error' | 'notice' | 'info' | 'success';

export interface Message {
	id: number;
	text: string;
	tone: MessageTone;
	action?: MessageAction;
	/** The input the message is about (see `controlField`): shown next to it where the page shows that input's messages. */
	field?: string;
}

export interface TellOptions {
	tone?: MessageTone;
	action?: MessageAction;
	field?: string;
}

/** How long a transient message stays on screen, not counting the time it is hovered or focused. */
export const TRANSIENT_MS = 8_000;
/** The most messages on screen: the oldest transient one goes first, then the oldest of any tone. */
export const MAX_MESSAGES = 6;

/** The field key of a slider's messages (clamping, a value that is not a number). */
export function controlField(param: string): string {
	return `control-${param}`;
}

function isTransient(message: Message): boolean {
	return message.tone === 'info' || message.tone === 'success';
}

/** The messages the user should read, newest last: errors and notices until dismissed, information for a few seconds. */
export class MessageBoard {
	list = $state<Message[]>([]);
	/** Fields whose messages a component shows next to their input (how many such components, by field). */
	#shownFields = $state<Record<string, number>>({});
	#nextId = 1;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- timers, never read by a template
	readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();

	/** Tells a text; a message about a field replaces the field's earlier ones. */
	tell(text: string, options: TellOptions = {}): void {
		const { tone = 'error', action, field } = options;
		if (field !== undefined) for (const message of this.list.filter((m) => m.field === field)) this.dismiss(message.id);
		const message: Message = { id: this.#nextId++, text, tone, ...(action ? { action } : {}), ...(field !== undefined ? { field } : {}) };
		this.list = [...this.list, message];
		if (isTransient(message)) this.release(message.id);
		while (this.list.length > MAX_MESSAGES) this.dismiss((this.list.find(isTransient) ?? this.list[0]).id);
	}

	/** Tells a text unless it is on screen already. */
	tellOnce(text: string): void {
		if (!this.list.some((m) => m.text === text)) this.tell(text);
	}

	dismiss(id: number): void {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.list = this.list.filter((m) => m.id !== id);
	}

	/** Takes back the messages that offer an action (it was done, or is offered anew). */
	withdraw(action: MessageAction): void {
		for (const message of this.list.filter((m) => m.action === action)) this.dismiss(message.id);
	}

	/** A transient message is being read (hovered or focused): it stays meanwhile. */
	hold(id: number): void {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
	}

	/** A transient message is no longer being read: it goes after its full time. */
	release(id: number): void {
		const message = this.list.find((m) => m.id === id);
		if (!message || !isTransient(message)) return;
		clearTimeout(this.#timers.get(id));
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), TRANSIENT_MS)
		);
	}

	/** The messages about one input. */
	forField(field: string): Message[] {
		return this.list.filter((m) => m.field === field);
	}

	/**
	 * A component shows a field's messages next to its input from now on; the general list leaves
	 * them out until the returned function is called (so they are never shown twice, nor nowhere).
	 */
	showField(field: string): () => void {
		// Called from a component's effect: reading the count there would make the effect depend on what it writes.
		untrack(() => (this.#shownFields[field] = (this.#shownFields[field] ?? 0) + 1));
		return () =>
			untrack(() => {
				this.#shownFields[field] -= 1;
				if (this.#shownFields[field] === 0) delete this.#shownFields[field];
			});
	}

	/** The messages the general list shows: all but those shown next to their input. */
	get general(): Message[] {
		return this.list.filter((m) => m.field === undefined || !this.#shownFields[m.field]);
	}
}
