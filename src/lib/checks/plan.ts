import type { MetricName } from '../model/metrics';
import { InputError, type Problem } from '../problems';
import type { ScenarioLibrary } from '../scenario/resolve';
import type { Scenario } from '../scenario/schema';
import type { LoadedCheckFile } from './parse';
import { Planner } from './planner';
import type { PredicateName } from './schema';
import type { Statistic } from './statistics';

/** A scenario as run by a check: resolved, with any slider values applied. */
export interface Variant {
	label: string;
	scenario: Scenario;
	/** Identifies the scenario's content: two variants with the same key are the same run. */
	key: string;
}

export type PlannedBound = { kind: 'number'; value: number } | { kind: 'scenario'; variant: Variant; times: number; plus: number };

export interface PlannedPredicate {
	op: PredicateName;
	bounds: PlannedBound[];
	/** For approx: absolute, or relative to the bound. */
	tolerance?: { absolute: number } | { relative: number };
}

export type TimeWindow =
	| { kind: 'month'; month: string }
	| { kind: 'range'; from: string; to: string; label: string }
	/** Each path's value at `numerator` divided by its value at `denominator` (+Infinity where that is 0). */
	| { kind: 'ratio'; numerator: string; denominator: string; label: string }
	| { kind: 'every' };

/** An observed total over several months (a check's `observedSums`), compared with per-path sums. */
export interface ObservedSum {
	from: string;
	to: string;
	value: number;
	source?: string;
}

export type Reducer = 'mean' | 'sum' | 'min' | 'max';

export interface PlannedCheck {
	source: string;
	location: string;
	group: string;
	name: string;
	why: string;
	statistic: Statistic;
	metrics: MetricName[];
	/**
	 * Each path's value of the metric in a month is divided by its value of this metric in the same
	 * month, before any reduction over time and before the statistic (see `perPathQuotient`).
	 */
	per?: MetricName;
	time: TimeWindow;
	over: Reducer;
	predicates: PlannedPredicate[];
	/** For coverage and pit: totals over several months, each one more observation. */
	observedSums: ObservedSum[];
	subjects: Variant[];
	/** undefined: each subject runs on its scenario's own seed (and its references on the same). */
	seed?: number;
	paths: number;
	factor: number;
}

/** One simulation to run: a scenario on a seed, with as many paths as its most demanding check needs. */
export interface SimulationSpec {
	key: string;
	label: string;
	scenario: Scenario;
	seed: number;
	paths: number;
	metrics: Set<MetricName>;
}

export interface Plan {
	checks: PlannedCheck[];
	simulations: SimulationSpec[];
	notes: string[];
}

export interface PlanOptions {
	/** Only checks whose "file › group › it" contains this text (case-insensitive). */
	filter?: string;
	/** Replaces the default path count of every file (not the counts a check states itself). */
	paths?: number;
}

export function simulationKey(variant: Variant, seed: number): string {
	return `${variant.key}#${seed}`;
}

export function seedFor(check: PlannedCheck, subject: Variant): number {
	return check.seed ?? subject.scenario.seed;
}

/** The variants one subject of a check is judged on: the subject, then each scenario its bounds name. */
function variantsRead(check: PlannedCheck, subject: Variant): Variant[] {
	return [subject, ...check.predicates.flatMap((predicate) => predicate.bounds.flatMap((bound) => (bound.kind === 'scenario' ? [bound.variant] : [])))];
}

/** The keys of the simulations one subject of a check reads (all on the subject's seed), without repeats. */
export function simulationKeysOf(check: PlannedCheck, subject: Variant): string[] {
	const seed = seedFor(check, subject);
	return [...new Set(variantsRead(check, subject).map((variant) => simulationKey(variant, seed)))];
}

/** Orders problems by file, then line and column ("file:12:5"), keeping the order of equal places. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
	const place = (p: Problem) => {
		const match = /^(.*?):(\d+):(\d+)$/.exec(p.source);
		return match ? { file: match[1], line: Number(match[2]), column: Number(match[3]) } : { file: p.source, line: 0, column: 0 };
	};
	return problems
		.map((problem, index) => ({ problem, index, at: place(problem) }))
		.sort((a, b) => a.at.file.localeCompare(b.at.file) || a.at.line - b.at.line || a.at.column - b.at.column || a.index - b.index)
		.map((entry) => entry.problem);
}

/**
 * Checks every loaded file against the scenario library and expands it into checks and the
 * simulations they need. Throws InputError with every problem of every file.
 */
export function planChecks(files: readonly LoadedCheckFile[], library: ScenarioLibrary, options: PlanOptions = {}): Plan {
	const problems: Problem[] = [];
	const matrixNotes = new Map<string, string[]>();
	const checks: PlannedCheck[] = [];
	for (const loaded of files) {
		problems.push(...loaded.problems);
		const file = loaded.file ?? loaded.partial;
		if (!file) continue;
		const planner = new Planner(library, loaded);
		file.groups.forEach((group, g) => {
			group.checks.forEach((check, c) => {
				if (check === null) return;
				const planned = planner.check(file, group.describe, check, `groups[${g}].checks[${c}]`, options);
				if (planned) checks.push(planned);
			});
		});
		problems.push(...planner.problems);
		for (const { text, at } of planner.notes) matrixNotes.set(text, [...(matrixNotes.get(text) ?? []), at]);
	}
	if (problems.length > 0) throw new InputError(sortProblems(problems));
	const notes = [...matrixNotes].map(
		([text, places]) => `${text}, used ${places.length === 1 ? 'once' : `${places.length} times`} (${places[0]}${places.length > 1 ? ', …' : ''})`
	);

	const simulations = new Map<string, SimulationSpec>();
	const need = (variant: Variant, seed: number, paths: number, metrics: readonly MetricName[]) => {
		const key = simulationKey(variant, seed);
		const existing = simulations.get(key);
		if (existing) {
			existing.paths = Math.max(existing.paths, paths);
			for (const m of metrics) existing.metrics.add(m);
		} else simulations.set(key, { key, label: variant.label, scenario: variant.scenario, seed, paths, metrics: new Set(metrics) });
	};
	for (const check of checks) {
		// The simulation keeps the divisor of `per` as well as the metrics checked.
		const metrics = check.per !== undefined ? [...check.metrics, check.per] : check.metrics;
		for (const subject of check.subjects) for (const variant of variantsRead(check, subject)) need(variant, seedFor(check, subject), check.paths, metrics);
	}
	return { checks, simulations: [...simulations.values()], notes };
}
