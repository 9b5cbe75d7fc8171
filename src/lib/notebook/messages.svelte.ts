/** What a message offers to do: bring back the notebook a link replaced, or save over an unreadable saved notebook. */
export type MessageAction = 'restore-previous' | 'replace-unreadable';

export const messageActionLabels: Record<MessageAction, string> = {
	'restore-previous': 'Restore your previous notebook',
	'replace-unreadable': 'Save this notebook over it'
};

export interface Message {
	id: number;
	text: string;
	/** An error, or news the user may act on (a link replaced the notebook). */
	tone: 'error' | 'notice';
	action?: MessageAction;
}

/** The messages the user should read, newest last, until dismissed. */
export class MessageBoard {
	list = $state<Message[]>([]);
	#nextId = 1;

	tell(text: string, options: { tone?: Message['tone']; action?: MessageAction } = {}): void {
		const { tone = 'error', action } = options;
		this.list = [...this.list, { id: this.#nextId++, text, tone, ...(action ? { action } : {}) }];
	}

	/** Tells a text unless it is on screen already. */
	tellOnce(text: string): void {
		if (!this.list.some((m) => m.text === text)) this.tell(text);
	}

	dismiss(id: number): void {
		this.list = this.list.filter((m) => m.id !== id);
	}

	/** Takes back the messages that offer an action (it was done, or is offered anew). */
	withdraw(action: MessageAction): void {
		this.list = this.list.filter((m) => m.action !== action);
	}
}
