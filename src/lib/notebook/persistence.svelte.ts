import { modelVersion } from '../model/version';
import { decodeSharePayload, encodeSharePayload, SHARE_FORMAT, stateProblems, type SharePayload } from './link';
import { problemText } from './analyses';
import type { NotebookEditor } from './editing.svelte';
import { HistoryEntries, type EntryMode } from './history';
import type { MessageAction, MessageBoard } from './messages.svelte';
import { canonicalJson, changedValues, resolveChoice, type NotebookState, type ResolvedChoice } from './state';

export const STORAGE_KEY = 'magnet-scenarios:notebook';
/** The notebook a link (or a restore) replaced, kept so the user can restore it. */
export const BACKUP_KEY = 'magnet-scenarios:notebook-previous';
export const URL_WRITE_DELAY_MS = 300;

/** Where the notebook is kept: the URL fragment (a new history entry, or over the current one) and local storage. */
export interface PersistenceEnvironment {
	writeFragment(fragment: string, mode: EntryMode): void;
	storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

/** What persistence asks of the notebook's run. */
export interface PersistenceHooks {
	/** The run key of the notebook's current settings. */
	runKey(): string;
	/** The fingerprint of the notebook's complete result, once it has one. */
	fingerprint(): string | undefined;
	/** A notebook was opened: run it. */
	opened(): void;
}

export interface ShareCheck {
	identical: boolean;
	sharedFingerprint: string;
	sharedModelVersion: string;
	currentFingerprint: string;
}

/** The notebook saved in local storage as read: its encoded state, and what keeps it from opening. */
interface SavedNotebook {
	encoded: string;
	payload: SharePayload | undefined;
	problems: string[];
}

/** A notebook as history entries are compared: its state, the fingerprint aside. */
function stateKey(payload: SharePayload): string {
	return canonicalJson(payload.state);
}

/** Whether two payloads hold the same notebook (their fingerprints aside). */
function sameState(a: SharePayload, b: SharePayload): boolean {
	return stateKey(a) === stateKey(b);
}

/** A notebook as a link carries it: slider values that differ from the scenario's own, the model version, the fingerprint when known. */
export function payloadOf(state: NotebookState, resolved: ResolvedChoice, fingerprint?: string): SharePayload {
	state = { ...state, scenario: { ...state.scenario, values: changedValues(resolved.base, state.scenario.values) } };
	return { format: SHARE_FORMAT, modelVersion, state, ...(fingerprint ? { fingerprint } : {}) };
}

/**
 * The notebook's links and local storage: opening a shared link, a saved notebook or the default;
 * keeping the notebook a link replaced so it can be restored; never saving over a saved notebook
 * that could not be read; writing the URL and local storage after a quiet spell, only what reads
 * back by the same limits; and saying whether a shared link's result is reproduced.
 */
export class NotebookPersistence {
	/** Whether local storage holds a previous notebook the user can restore. */
	hasPrevious = $state(false);
	shareCheck = $state<ShareCheck | undefined>();
	/** Which writes push a history entry and which replace the current one. */
	readonly history = new HistoryEntries();
	#sharedFrom: { key: string; fingerprint: string; modelVersion: string } | undefined;
	#writeTimer: ReturnType<typeof setTimeout> | undefined;
	/** Bumped when a write is cancelled, so that one already encoding does not land afterwards. */
	#writeGeneration = 0;
	/**
	 * The saved notebook when it could not be read: it is kept as it was, never saved over, until the
	 * user chooses to replace it.
	 */
	#unreadableSaved: string | undefined;
	/** The last reason a save was refused, so each is told once. */
	#saveRefusal: string | undefined;

	constructor(
		private readonly environment: PersistenceEnvironment,
		private readonly editor: NotebookEditor,
		private readonly messages: MessageBoard,
		private readonly hooks: PersistenceHooks
	) {
		this.hasPrevious = Boolean(this.readStorage(BACKUP_KEY));
	}

	/**
	 * Opens the notebook from a shared link's state, else from local storage, else the default.
	 * A link that cannot be used is reported, and the notebook falls back to what it had. A saved
	 * notebook a link replaces is kept to be restored; one that cannot be read is never saved over.
	 */
	async open(sharedState: string | undefined): Promise<void> {
		const saved = await this.readSaved();
		if (sharedState === undefined) {
			if (!this.openSaved(saved)) this.hooks.opened();
			return;
		}
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length === 0) {
			if (decoded.ok) {
				this.tellMigrated(decoded.notes);
				this.keepReplaced(saved, decoded.payload);
			}
			return;
		}
		const usable = saved !== undefined && saved.problems.length === 0;
		this.messages.tell(`This link could not be opened. ${problems.join(' ')} Showing ${usable ? 'your saved notebook' : 'the default scenario'} instead.`);
		if (!this.openSaved(saved)) this.hooks.opened();
	}

	/**
	 * Opens a link pasted into the address bar of a page already open; a bad one leaves the notebook
	 * as it is. The URL is now the user's: a pending write of the old state must not replace it.
	 * The notebook the link replaces is kept, to be restored.
	 */
	async openLink(sharedState: string): Promise<void> {
		this.cancelWrite();
		const before = this.payload();
		const decoded = await decodeSharePayload(sharedState);
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'link') : decoded.problems;
		if (problems.length > 0) {
			this.messages.tell(`This link could not be opened. ${problems.join(' ')} Your notebook is unchanged.`);
			return;
		}
		if (!decoded.ok) return;
		this.tellMigrated(decoded.notes);
		this.history.arrived(stateKey(this.payload()));
		if (sameState(before, decoded.payload)) return;
		const { encoded, problems: unsaveable } = await this.encodeChecked(before);
		if (encoded && unsaveable.length === 0 && this.keepPrevious(encoded)) this.tellReplaced('This link replaced the notebook you had open.');
	}

	/**
	 * Back or Forward brought the browser to another of the notebook's history entries: opens the
	 * notebook it holds, as it was (it runs again to the same fingerprint). An entry that cannot be
	 * read leaves the notebook as it is.
	 */
	async openEntry(encoded: string): Promise<void> {
		this.cancelWrite();
		const decoded = await decodeSharePayload(encoded);
		this.forgetShared();
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'storage') : decoded.problems;
		if (problems.length > 0) {
			this.messages.tell(`This page of your history could not be opened. ${problems.join(' ')} Your notebook is unchanged.`);
			return;
		}
		this.history.arrived(stateKey(this.payload()));
	}

	/**
	 * Brings back the previous notebook (the one a link replaced); the notebook it replaces becomes
	 * the previous one in turn.
	 */
	async restorePrevious(): Promise<boolean> {
		const encoded = this.readStorage(BACKUP_KEY);
		if (!encoded) {
			this.hasPrevious = false;
			this.messages.tell('There is no previous notebook in this browser to restore.');
			return false;
		}
		const before = this.payload();
		const decoded = await decodeSharePayload(encoded);
		const current = await this.encodeChecked(before);
		this.cancelWrite();
		const problems = decoded.ok ? this.openPayload(decoded.payload, 'storage') : decoded.problems;
		if (problems.length > 0) {
			this.messages.tell(`Your previous notebook could not be restored. ${problems.join(' ')} Your notebook is unchanged.`);
			return false;
		}
		this.messages.withdraw('restore-previous');
		if (current.encoded && current.problems.length === 0) this.keepPrevious(current.encoded);
		this.history.changed('deliberate');
		await this.writeNow();
		return true;
	}

	/** The user chose to save this notebook over the saved one that could not be read. */
	async replaceUnreadable(): Promise<void> {
		this.#unreadableSaved = undefined;
		this.messages.withdraw('replace-unreadable');
		await this.writeNow();
	}

	/** Does what a message about the saved notebooks offers. */
	async act(action: Exclude<MessageAction, 'undo-remove'>): Promise<void> {
		if (action === 'restore-previous') await this.restorePrevious();
		else await this.replaceUnreadable();
	}

	/** The settings changed: the notebook is no longer the one a link shared. */
	forgetShared(): void {
		this.#sharedFrom = undefined;
		this.shareCheck = undefined;
	}

	/** A complete result arrived: when it is of a shared link's settings, whether it reproduces the link's fingerprint. */
	checkShared(fingerprint: string): void {
		const shared = this.#sharedFrom;
		if (!shared || shared.key !== this.hooks.runKey()) return;
		this.shareCheck = {
			identical: shared.fingerprint === fingerprint,
			sharedFingerprint: shared.fingerprint,
			sharedModelVersion: shared.modelVersion,
			currentFingerprint: fingerprint
		};
	}

	/** The notebook as a link carries it. */
	payload(): SharePayload {
		return payloadOf($state.snapshot(this.editor.state) as NotebookState, this.editor.resolved, this.hooks.fingerprint());
	}

	/** What keeps a notebook from being saved and read back. */
	async saveProblems(state: NotebookState, resolved: ResolvedChoice): Promise<string[]> {
		return (await this.encodeChecked(payloadOf(state, resolved))).problems;
	}

	/** Writes the URL and local storage after a quiet spell (browsers rate-limit history writes). */
	scheduleWrite(): void {
		clearTimeout(this.#writeTimer);
		this.#writeTimer = setTimeout(() => void this.writeNow(), URL_WRITE_DELAY_MS);
	}

	/**
	 * Saves the notebook to the URL and local storage, only when it can be read back by the same
	 * limits; never over a saved notebook that could not be read (until the user says so).
	 */
	async writeNow(): Promise<void> {
		this.cancelWrite();
		const generation = this.#writeGeneration;
		const changes = this.history.mark();
		const payload = this.payload();
		const { encoded, problems } = await this.encodeChecked(payload);
		if (generation !== this.#writeGeneration) return;
		if (!encoded || problems.length > 0) {
			const refusal = problems.join('\n');
			if (refusal !== this.#saveRefusal)
				this.messages.tell(`This notebook could not be saved: it would not open again.\n${refusal}\nThe notebook saved before is kept.`);
			this.#saveRefusal = refusal;
			return;
		}
		this.#saveRefusal = undefined;
		if (this.#unreadableSaved === undefined) this.writeStorage(STORAGE_KEY, encoded);
		this.environment.writeFragment(encoded, this.history.write(stateKey(payload), changes));
	}

	/** The notebook in local storage, read by the limits of a link, and whether its scenario opens. */
	private async readSaved(): Promise<SavedNotebook | undefined> {
		const encoded = this.readStorage(STORAGE_KEY);
		if (!encoded) return undefined;
		const decoded = await decodeSharePayload(encoded);
		if (!decoded.ok) return { encoded, payload: undefined, problems: decoded.problems };
		try {
			resolveChoice(decoded.payload.state.scenario, this.editor.library);
		} catch (error) {
			return { encoded, payload: decoded.payload, problems: [`It names a scenario that cannot be opened: ${problemText(error)}.`] };
		}
		return { encoded, payload: decoded.payload, problems: [] };
	}

	/** Opens the saved notebook; one that cannot be read is kept as it is, and the user told. */
	private openSaved(saved: SavedNotebook | undefined): boolean {
		if (!saved) return false;
		const problems = saved.payload && saved.problems.length === 0 ? this.openPayload(saved.payload, 'storage') : saved.problems;
		if (problems.length === 0) return true;
		this.keepUnreadable(saved.encoded, problems);
		return false;
	}

	/** Adopts a decoded payload and runs it; returns what prevented that, if anything. */
	private openPayload(payload: SharePayload, from: 'link' | 'storage'): string[] {
		const problems = this.editor.open(payload.state);
		if (problems.length > 0) return problems;
		this.#sharedFrom =
			from === 'link' && payload.fingerprint ? { key: this.hooks.runKey(), fingerprint: payload.fingerprint, modelVersion: payload.modelVersion } : undefined;
		if (from === 'link' && !payload.fingerprint && payload.modelVersion !== modelVersion) {
			this.messages.tell(`This link was made with model version ${payload.modelVersion}; this is version ${modelVersion}. Its results may differ.`);
		}
		this.hooks.opened();
		return [];
	}

	/** A link replaced the saved notebook: a readable one becomes the previous notebook, an unreadable one is kept untouched. */
	private keepReplaced(saved: SavedNotebook | undefined, opened: SharePayload): void {
		if (!saved) return;
		if (saved.problems.length > 0 || !saved.payload) {
			this.keepUnreadable(saved.encoded, saved.problems);
			return;
		}
		if (sameState(saved.payload, opened)) return;
		if (this.keepPrevious(saved.encoded)) this.tellReplaced('This link replaced the notebook saved in this browser.');
	}

	private keepUnreadable(encoded: string, problems: readonly string[]): void {
		this.#unreadableSaved = encoded;
		this.messages.tell(
			`The notebook saved in this browser could not be restored. ${problems.join(' ')} It is kept as it was: this notebook is not saved over it (its link is in the address bar) unless you choose to.`,
			{ action: 'replace-unreadable' }
		);
	}

	private tellReplaced(what: string): void {
		this.messages.withdraw('restore-previous');
		this.messages.tell(`${what} It is kept: you can bring it back.`, { tone: 'notice', action: 'restore-previous' });
	}

	/** Says what a link from an older model needed changing to open. */
	private tellMigrated(notes: readonly string[]): void {
		if (notes.length > 0) this.messages.tell(`This link was made with an earlier model. ${notes.join(' ')}`);
	}

	/** Stores an encoded notebook as the previous one; says whether that worked. */
	private keepPrevious(encoded: string): boolean {
		if (!this.writeStorage(BACKUP_KEY, encoded)) return false;
		this.hasPrevious = true;
		return true;
	}

	/**
	 * A payload encoded, and what keeps it from being read back: the very limits and checks a link
	 * or a saved notebook is read with.
	 */
	private async encodeChecked(payload: SharePayload): Promise<{ encoded: string | undefined; problems: string[] }> {
		const problems = stateProblems(payload.state);
		if (problems.length > 0) return { encoded: undefined, problems };
		const encoded = await encodeSharePayload(payload);
		const decoded = await decodeSharePayload(encoded);
		return { encoded, problems: decoded.ok ? [] : decoded.problems };
	}

	private cancelWrite(): void {
		clearTimeout(this.#writeTimer);
		this.#writeGeneration++;
	}

	private readStorage(key: string): string | undefined {
		try {
			return this.environment.storage?.getItem(key) ?? undefined;
		} catch {
			return undefined;
		}
	}

	/** Writes local storage; a full or refused storage is told once per kind of failure. */
	private writeStorage(key: string, value: string): boolean {
		const storage = this.environment.storage;
		if (!storage) return false;
		try {
			storage.setItem(key, value);
			return true;
		} catch (error) {
			this.messages.tellOnce(
				`This browser did not let the notebook be saved in its storage: ${problemText(error)}. The link in the address bar still holds it.`
			);
			return false;
		}
	}
}
