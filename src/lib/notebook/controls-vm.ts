import type { ResolvedControl } from '../scenario/schema';
import { controlPositions, type NotebookState, type ResolvedChoice } from './state';

/** The controls cell: the scenario's sliders by group, each at its value and its scenario's own, and the run's seed and path count. */
export interface ControlsView {
	groups: { name: string; controls: ResolvedControl[] }[];
	/** Each slider's position in the scenario as written. */
	defaults: Readonly<Record<string, number>>;
	/** Each slider's position now. */
	values: Readonly<Record<string, number>>;
	seed: number;
	paths: number;
	/** Whether any slider is off its scenario's position. */
	anyMoved: boolean;
}

/** What the controls cell asks of the notebook. */
export interface ControlsActions {
	/** Each step of a drag. */
	setControl(param: string, value: number): void;
	/** The slider was released or a number typed: one step back in the browser's history undoes the whole move. */
	commitControl(): void;
	resetControl(param: string): void;
	resetAll(): void;
	setSeed(seed: number): void;
	newSeed(): void;
	setPaths(paths: number): void;
}

export function controlsView(resolved: Pick<ResolvedChoice, 'base' | 'scenario'>, state: Pick<NotebookState, 'scenario' | 'seed' | 'paths'>): ControlsView {
	const groups = new Map<string, ResolvedControl[]>();
	for (const control of resolved.base.controls) groups.set(control.group, [...(groups.get(control.group) ?? []), control]);
	return {
		groups: [...groups].map(([name, controls]) => ({ name, controls })),
		defaults: controlPositions(resolved.base),
		values: controlPositions(resolved.scenario),
		seed: state.seed,
		paths: state.paths,
		anyMoved: Object.keys(state.scenario.values).length > 0
	};
}
