import type { ScenarioLibrary } from '../scenario/resolve';
import type { AnalysisRequest, AnalysisUpdate, FinishedAnalysis, RunRequest, RunSummary, RunUpdate } from '../runner/protocol';
import type { CancellableRunner } from '../runner/scheduler';
import { AnalysisManager } from './analysis-manager.svelte';
import { NotebookEditor, type SwitchChoice } from './editing.svelte';
import { MessageBoard, type MessageAction } from './messages.svelte';
import { NotebookPersistence, type PersistenceEnvironment } from './persistence.svelte';
import { runKey, RunStore } from './run-store.svelte';

/** What the notebook runs on: the worker pool, and where it keeps the notebook. */
export interface SessionEnvironment extends PersistenceEnvironment {
	runner: CancellableRunner<RunRequest, RunUpdate, RunSummary>;
	/** Runs analyses (comparison, threshold, tornado, attribution, refine, formula) in the workers. */
	analyser: CancellableRunner<AnalysisRequest, AnalysisUpdate, FinishedAnalysis>;
	/** Restarts the runner after a failure (a fresh worker pool). */
	restartRunner(): void;
}

/**
 * The notebook's composition root: wires what the user edits, the run, the analyses, the links and
 * local storage, and the messages together. A change of settings runs the notebook again; a
 * complete result saves it and starts the analyses; cells changing save it and refresh them.
 */
export class NotebookSession {
	readonly messages = new MessageBoard();
	readonly editor: NotebookEditor;
	readonly runs: RunStore;
	readonly analyses: AnalysisManager;
	readonly persistence: NotebookPersistence;
	/** The scenario the user picked while the notebook was edited: the page asks what to do with the work. */
	switching = $state<{ id: string; title: string } | undefined>();

	constructor(
		library: ScenarioLibrary,
		private readonly environment: SessionEnvironment
	) {
		this.editor = new NotebookEditor(library, {
			tell: (text, options) => this.messages.tell(text, options),
			changed: (kind) => this.persistence.history.changed(kind),
			gestureEnded: () => this.persistence.history.gestureEnded(),
			undoable: (description) => {
				this.messages.withdraw('undo-remove');
				if (description) this.messages.tell(description, { tone: 'info', action: 'undo-remove' });
			},
			settingsChanged: () => this.settingsChanged(),
			cellsChanged: () => this.cellsChanged(),
			removingCell: (id) => this.analyses.forget(id),
			saveProblems: (state, resolved) => this.persistence.saveProblems(state, resolved)
		});
		this.runs = new RunStore(environment.runner, (summary) => this.completed(summary));
		this.analyses = new AnalysisManager(environment.analyser, () => ({
			cells: this.editor.state.cells,
			context: this.editor.analysisContext(),
			runDone: this.runs.status.phase === 'done'
		}));
		this.persistence = new NotebookPersistence(environment, this.editor, this.messages, {
			runKey: () => runKey(this.editor.runRequest()),
			fingerprint: () => this.fullResult?.result.fingerprint,
			opened: () => this.requestRun()
		});
	}

	/** The complete result for the notebook's current settings, with what its cells show (a new distribution's histogram), when it has arrived. */
	get fullResult(): RunSummary | undefined {
		return this.runs.resultFor(this.editor.runRequest());
	}

	requestRun(): void {
		this.analyses.cancel();
		this.runs.start(this.editor.runRequest());
	}

	/** The user picked a scenario: an edited notebook asks first (see `answerSwitch`), an unedited one switches. */
	pickScenario(id: string): void {
		if (!this.editor.edited) {
			this.editor.selectScenario(id);
			return;
		}
		this.switching = { id, title: this.editor.library.get(id)?.file.title ?? id };
	}

	/** What the user chose for the work when switching: carried over, replaced by the scenario's own notebook, or the switch cancelled. */
	answerSwitch(choice: SwitchChoice | 'cancel'): void {
		const target = this.switching;
		this.switching = undefined;
		if (!target || choice === 'cancel') return;
		this.editor.selectScenario(target.id, choice);
		const kept = choice === 'keep' ? 'with your cells and settings' : 'with its own notebook';
		this.messages.tell(`Opened ${target.title} ${kept}. Back returns to the notebook you had.`, { tone: 'success' });
	}

	/** Does what a message offers. */
	async act(action: MessageAction): Promise<void> {
		if (action === 'undo-remove') this.editor.undoRemove();
		else await this.persistence.act(action);
	}

	/** After a worker failure: a fresh pool, and the run again. */
	retry(): void {
		this.environment.restartRunner();
		this.requestRun();
	}

	private settingsChanged(): void {
		this.persistence.forgetShared();
		this.requestRun();
	}

	private cellsChanged(): void {
		this.persistence.scheduleWrite();
		if (this.runs.status.phase === 'done' && this.fullResult === undefined) this.requestRun();
		this.analyses.refresh();
	}

	private completed(summary: RunSummary): void {
		this.persistence.checkShared(summary.result.fingerprint);
		this.persistence.scheduleWrite();
		this.analyses.refreshSoon();
	}
}
