import { metricNames, type MetricName } from '../model/metrics';
import { applyControlValues, resolveScenario, type ScenarioLibrary } from '../scenario/load';
import { didYouMean, InputError, isMetricName, unknownMetricMessage, type Problem } from '../problems';
import type { Scenario } from '../scenario/schema';
import { monthToAbsolute } from '../time/months';
import type { LoadedCheckFile } from './parse';
import {
	checkDefaults,
	monthText,
	predicateNames,
	type BoundSpec,
	type CheckFile,
	type CheckSpec,
	type PredicateName,
	type ScenarioItem,
	type TimeSpec
} from './schema';
import { parseProbability } from '../stats/probability-syntax';
import type { Statistic } from './statistics';
import { scenarioKey } from '../limits';

/** A scenario as run by a check: resolved, with any slider values applied. */
export interface Variant {
	label: string;
	scenario: Scenario;
	/** Identifies the scenario's content: two variants with the same key are the same run. */
	key: string;
}

export type PlannedBound =
	| { kind: 'number'; value: number }
	| { kind: 'scenario'; variant: Variant; times: number; plus: number };

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

/** Parses a statistic ("median", "p95", "P(shortfall > 0)"); the metric, when the statistic names one. */
export function parseStatistic(text: string): { statistic?: Statistic; metric?: string; problem?: string } {
	const trimmed = text.trim();
	if (trimmed === 'mean') return { statistic: { kind: 'mean' } };
	if (trimmed === 'median') return { statistic: { kind: 'percentile', q: 0.5 } };
	if (trimmed === 'min') return { statistic: { kind: 'min' } };
	if (trimmed === 'max') return { statistic: { kind: 'max' } };
	if (trimmed === 'coverage') return { statistic: { kind: 'coverage', band: [0.05, 0.95] } };
	if (trimmed === 'pit') return { statistic: { kind: 'pit', figure: 'signTestP' } };
	const percentile = /^p(\d+(?:\.\d+)?)$/.exec(trimmed);
	if (percentile) {
		const q = Number(percentile[1]) / 100;
		if (!(q > 0 && q < 1)) return { problem: `percentile ${trimmed} is not between p0 and p100 (exclusive); use "min" or "max" for the extremes` };
		return { statistic: { kind: 'percentile', q } };
	}
	const probability = parseProbability(trimmed)?.comparison;
	// Check files give the threshold in the metric's own unit: no unit is written.
	if (probability && probability.unit === '') {
		return { statistic: { kind: 'probability', op: probability.comparison, threshold: probability.value }, metric: probability.metric };
	}
	if (trimmed.startsWith('P(')) return { problem: `expected a probability written "P(> 0)" or "P(<metric> <op> <number>)" with op one of >, >=, <, <=, found "${trimmed}"` };
	return { problem: `expected mean, median, pNN, min, max, P(<metric> <op> <number>), coverage or pit, found "${trimmed}"` };
}

/** Parses a time; problems are messages for the "time" path. */
export function parseTime(time: TimeSpec): { time?: TimeWindow; problem?: string } {
	if (typeof time === 'number') {
		if (time < 1900 || time > 2200) return { problem: `expected a year such as 2027, found ${time}` };
		return { time: { kind: 'range', from: `${time}-01`, to: `${time}-12`, label: String(time) } };
	}
	if (typeof time === 'string') {
		const text = time.trim();
		if (text === 'every month') return { time: { kind: 'every' } };
		if (/^\d{4}$/.test(text)) return parseTime(Number(text));
		if (monthText.test(text)) return { time: { kind: 'month', month: text } };
		return { problem: `expected "YYYY-MM" (a month), a year such as 2027, {from: YYYY-MM, to: YYYY-MM}, {ratio: YYYY-MM, over: YYYY-MM} or "every month", found "${time}"${didYouMean(text, ['every month'])}` };
	}
	if ('ratio' in time) {
		if (time.ratio === time.over) return { problem: `a ratio of ${time.ratio} over itself is 1 on every path: name two different months` };
		return { time: { kind: 'ratio', numerator: time.ratio, denominator: time.over, label: `${time.ratio} / ${time.over}` } };
	}
	if (monthToAbsolute(time.from) > monthToAbsolute(time.to)) return { problem: `the range starts ${time.from}, after it ends (${time.to})` };
	return { time: { kind: 'range', from: time.from, to: time.to, label: `${time.from}…${time.to}` } };
}

export function describeTime(time: TimeWindow): string {
	return time.kind === 'every' ? 'every month' : time.kind === 'month' ? time.month : time.kind === 'ratio' ? `${time.numerator} over ${time.denominator}` : time.label;
}

/** Problem text when the time is not inside the scenario's horizon, else undefined. */
function outsideHorizon(time: TimeWindow, scenario: Scenario, label: string): string | undefined {
	if (time.kind === 'every') return undefined;
	const first = monthToAbsolute(scenario.start);
	const last = monthToAbsolute(scenario.end);
	if (time.kind === 'ratio') {
		const outside = [time.numerator, time.denominator].filter((m) => monthToAbsolute(m) < first || monthToAbsolute(m) > last);
		return outside.length === 0 ? undefined : `month ${outside.join(' and ')} of the ratio ${outside.length === 1 ? 'is' : 'are'} outside the horizon of ${label}, ${scenario.start} … ${scenario.end}`;
	}
	const from = monthToAbsolute(time.kind === 'month' ? time.month : time.from);
	const to = monthToAbsolute(time.kind === 'month' ? time.month : time.to);
	if (from >= first && to <= last) return undefined;
	const what = time.kind === 'month' ? `month ${time.month} is outside` : /^\d{4}$/.test(time.label) ? `year ${time.label} is not wholly inside` : `range ${time.label} is not wholly inside`;
	return `${what} the horizon of ${label}, ${scenario.start} … ${scenario.end}`;
}

/** Matrix of a scenario's sliders: default, all at min, all at max, then each alone at min and at max. */
export function matrixVariants(scenario: Scenario, vary: readonly string[]): { label: string; values: Record<string, number> }[] {
	const controls = scenario.controls.filter((c) => vary.includes(c.param));
	const all = (pick: 'min' | 'max') => Object.fromEntries(controls.map((c) => [c.param, c[pick]]));
	const variants = [
		{ label: `${scenario.id} [default]`, values: {} },
		{ label: `${scenario.id} [all min]`, values: all('min') },
		{ label: `${scenario.id} [all max]`, values: all('max') }
	];
	for (const control of controls) {
		variants.push({ label: `${scenario.id} [${control.param} = ${control.min}]`, values: { [control.param]: control.min } });
		variants.push({ label: `${scenario.id} [${control.param} = ${control.max}]`, values: { [control.param]: control.max } });
	}
	return variants;
}

function formatControls(values: Record<string, number>): string {
	return Object.entries(values)
		.map(([param, value]) => `${param} = ${value}`)
		.join(', ');
}

class Planner {
	readonly problems: Problem[] = [];
	readonly notes: { text: string; at: string }[] = [];
	private readonly resolved = new Map<string, Scenario | null>();

	constructor(
		private readonly library: ScenarioLibrary,
		private readonly loaded: LoadedCheckFile
	) {}

	problem(path: string, message: string) {
		this.problems.push({ source: this.loaded.locate(path), path, message });
	}

	scenario(id: string, path: string): Scenario | undefined {
		if (!this.resolved.has(id)) {
			if (!this.library.has(id)) {
				const known = [...this.library.keys()].sort();
				this.problem(path, `unknown scenario "${id}"${didYouMean(id, known)}; known: ${known.join(', ')}`);
				return undefined;
			}
			try {
				this.resolved.set(id, resolveScenario(id, this.library));
			} catch (error) {
				if (!(error instanceof InputError)) throw error;
				this.problems.push(...error.problems);
				this.resolved.set(id, null);
			}
		}
		const scenario = this.resolved.get(id);
		if (scenario === null) {
			this.problem(path, `scenario "${id}" has problems of its own (reported above)`);
			return undefined;
		}
		return scenario;
	}

	variant(id: string, controls: Record<string, number> | undefined, label: string | undefined, path: string): Variant | undefined {
		const base = this.scenario(id, `${path}.scenario`.replace(/^\./, ''));
		if (!base) return undefined;
		if (!controls || Object.keys(controls).length === 0) return { label: label ?? id, scenario: base, key: scenarioKey(base) };
		const applied = applyControlValues(base, controls, 'strict');
		for (const problem of applied.problems) {
			const param = problem.path.replace(/^controls\./, '');
			this.problem(`${path}.controls.${param}`, problem.message.replace(/; sliders: /, `${didYouMean(param, base.controls.map((c) => c.param))}; sliders: `));
		}
		if (applied.problems.length > 0) return undefined;
		return { label: label ?? `${id} [${formatControls(controls)}]`, scenario: applied.scenario, key: scenarioKey(applied.scenario) };
	}

	subjects(items: readonly ScenarioItem[], path: string): Variant[] {
		const variants: Variant[] = [];
		items.forEach((item, k) => {
			const at = `${path}[${k}]`;
			if (typeof item === 'string') {
				const scenario = this.scenario(item, at);
				if (scenario) variants.push({ label: item, scenario, key: scenarioKey(scenario) });
				return;
			}
			if (!('preset' in item)) {
				const variant = this.variant(item.scenario, item.controls, item.label, at);
				if (variant) variants.push(variant);
				return;
			}
			if (item.preset === 'all') {
				for (const id of [...this.library.keys()].sort()) {
					const scenario = this.scenario(id, at);
					if (scenario) variants.push({ label: id, scenario, key: scenarioKey(scenario) });
				}
				return;
			}
			const scenario = this.scenario(item.scenario, `${at}.scenario`);
			if (!scenario) return;
			const sliders = scenario.controls.map((c) => c.param);
			if (sliders.length === 0) {
				this.problem(`${at}.scenario`, `a matrix needs sliders, and scenario "${item.scenario}" has none`);
				return;
			}
			const vary = item.vary ?? sliders;
			let bad = false;
			vary.forEach((param, v) => {
				if (!sliders.includes(param)) {
					bad = true;
					this.problem(`${at}.vary[${v}]`, `"${param}" is not a slider of ${item.scenario}${didYouMean(param, sliders)}; sliders: ${sliders.join(', ')}`);
				} else if (vary.indexOf(param) !== v) {
					bad = true;
					this.problem(`${at}.vary[${v}]`, `"${param}" is listed twice`);
				}
			});
			if (bad) return;
			const matrix = matrixVariants(scenario, vary);
			const unique = new Map<string, Variant>();
			for (const { label, values } of matrix) {
				const applied = applyControlValues(scenario, values, 'strict');
				for (const problem of applied.problems) this.problem(`${at}`, `matrix variant ${label}: ${problem.message}`);
				const key = scenarioKey(applied.scenario);
				if (!unique.has(key)) unique.set(key, { label, scenario: applied.scenario, key });
			}
			this.notes.push({
				text: `matrix of ${item.scenario} (${vary.length} slider${vary.length === 1 ? '' : 's'}: ${vary.join(', ')}) → ${unique.size} scenario${unique.size === 1 ? '' : 's'}`,
				at: this.loaded.locate(at)
			});
			variants.push(...unique.values());
		});
		const seen = new Set<string>();
		return variants.filter((v) => (seen.has(v.key) ? false : (seen.add(v.key), true)));
	}

	bound(spec: BoundSpec, path: string): PlannedBound | undefined {
		if (typeof spec === 'number') return { kind: 'number', value: spec };
		const variant = this.variant(spec.scenario, spec.controls, spec.label, path);
		if (!variant) return undefined;
		return { kind: 'scenario', variant, times: spec.times ?? 1, plus: spec.plus ?? 0 };
	}

	predicates(check: CheckSpec, path: string): PlannedPredicate[] | undefined {
		const predicates: PlannedPredicate[] = [];
		let ok = true;
		for (const op of predicateNames) {
			const spec = check[op];
			if (spec === undefined) continue;
			if (op === 'between') {
				const pair = spec as [BoundSpec, BoundSpec];
				const bounds = pair.map((b, i) => this.bound(b, `${path}.between[${i}]`));
				if (bounds.some((b) => b === undefined)) {
					ok = false;
					continue;
				}
				if (typeof pair[0] === 'number' && typeof pair[1] === 'number' && pair[0] > pair[1]) {
					this.problem(`${path}.between`, `the low end ${pair[0]} is above the high end ${pair[1]}`);
					ok = false;
					continue;
				}
				predicates.push({ op, bounds: bounds as PlannedBound[] });
				continue;
			}
			const bound = this.bound(spec as BoundSpec, `${path}.${op}`);
			if (!bound) {
				ok = false;
				continue;
			}
			if (op === 'approx') {
				const tolerance = check.tolerance;
				if (tolerance === undefined) {
					this.problem(`${path}.approx`, 'approx needs a "tolerance": a number in the metric\'s unit, or a percentage such as "10%"');
					ok = false;
					continue;
				}
				predicates.push({
					op,
					bounds: [bound],
					tolerance: typeof tolerance === 'number' ? { absolute: tolerance } : { relative: Number(tolerance.replace('%', '').trim()) / 100 }
				});
				continue;
			}
			predicates.push({ op, bounds: [bound] });
		}
		if (check.tolerance !== undefined && check.approx === undefined) {
			this.problem(`${path}.tolerance`, '"tolerance" applies only to approx');
			ok = false;
		}
		if (ok && predicates.length === 0) {
			this.problem(path, `no predicate: give at least one of ${predicateNames.join(', ')}`);
			ok = false;
		}
		return ok ? predicates : undefined;
	}

	/**
	 * Applies `band` and `pit` to a coverage or pit statistic and checks what only those accept
	 * (observedSums, number bounds, a time of months with observations); refuses them elsewhere.
	 */
	observedStatistic(check: CheckSpec, statistic: Statistic, time: TimeWindow | undefined, metrics: readonly MetricName[], subjects: readonly Variant[], path: string): Statistic | undefined {
		const kind = statistic.kind;
		const observed = kind === 'coverage' || kind === 'pit';
		if (check.band !== undefined && kind !== 'coverage') this.problem(`${path}.band`, `"band" applies only to statistic: coverage; this check's statistic is ${check.statistic.trim()}`);
		if (check.pit !== undefined && kind !== 'pit') this.problem(`${path}.pit`, `"pit" applies only to statistic: pit; this check's statistic is ${check.statistic.trim()}`);
		if (check.observedSums !== undefined && !observed) this.problem(`${path}.observedSums`, `"observedSums" applies only to statistic: coverage or pit; this check's statistic is ${check.statistic.trim()}`);
		if (!observed) return statistic;
		let ok = true;
		const problem = (at: string, message: string) => {
			this.problem(at, message);
			ok = false;
		};
		let result: Statistic = statistic;
		if (kind === 'coverage' && check.band) {
			const edges = check.band.map((text) => parseStatistic(text).statistic);
			const [low, high] = edges.map((e) => (e?.kind === 'percentile' ? e.q : NaN));
			if (!(low > 0 && low < 1 && high > 0 && high < 1)) problem(`${path}.band`, `expected two percentiles between p0 and p100 (exclusive), such as [p5, p95], found [${check.band.join(', ')}]`);
			else if (!(low < high)) problem(`${path}.band`, `the low edge ${check.band[0]} is not below the high edge ${check.band[1]}`);
			else result = { kind: 'coverage', band: [low, high] };
		}
		if (kind === 'pit') result = { kind: 'pit', figure: check.pit ?? 'signTestP' };
		for (const op of predicateNames) {
			const spec = check[op];
			const bounds = op === 'between' && Array.isArray(spec) ? spec : [spec];
			bounds.forEach((bound, i) => {
				if (bound !== undefined && typeof bound !== 'number') {
					problem(`${path}.${op}${op === 'between' ? `[${i}]` : ''}`, `${kind} compares the scenario with its observations, so its bound is a number (${kind === 'coverage' ? 'a count of observations' : 'a p-value or a mean PIT'}), not another scenario`);
				}
			});
		}
		if (check.over !== undefined && time?.kind === 'range') problem(`${path}.over`, `"over" does not apply to ${kind}: each observation is compared with the paths at its own month (and each of observedSums with the per-path sum over its months)`);
		if (time && (time.kind === 'every' || time.kind === 'ratio')) {
			problem(`${path}.time`, `${kind} compares the observations inside a window of months: give a month, a year or {from, to}, not ${describeTime(time)}`);
			return undefined;
		}
		const sums = check.observedSums ?? [];
		if (sums.length > 0 && metrics.length > 1) problem(`${path}.observedSums`, `observedSums are totals of one metric, and this check has ${metrics.length} (${metrics.join(', ')}): give one metric`);
		if (!time) return undefined;
		const from = time.kind === 'month' ? time.month : time.from;
		const to = time.kind === 'month' ? time.month : time.to;
		const window = describeTime(time);
		sums.forEach((sum, i) => {
			const at = `${path}.observedSums[${i}]`;
			if (monthToAbsolute(sum.from) > monthToAbsolute(sum.to)) problem(at, `the sum starts ${sum.from}, after it ends (${sum.to})`);
			else if (monthToAbsolute(sum.from) < monthToAbsolute(from) || monthToAbsolute(sum.to) > monthToAbsolute(to)) problem(at, `the sum over ${sum.from}…${sum.to} is not inside the check's time, ${window}`);
		});
		for (const subject of subjects) {
			for (const metric of metrics) {
				const series = subject.scenario.observed[metric] ?? [];
				const inside = series.filter((o) => o.value !== null && monthToAbsolute(o.month) >= monthToAbsolute(from) && monthToAbsolute(o.month) <= monthToAbsolute(to));
				if (inside.length + sums.length > 0) continue;
				const known = series.filter((o) => o.value !== null).map((o) => o.month);
				problem(
					`${path}.time`,
					`${subject.label} has no observed ${metric} value in ${window}${known.length > 0 ? ` (observed months: ${known.join(', ')})` : series.length > 0 ? ' (its observed values are all null)' : ` (it has no observed ${metric} series)`}; add observedSums or choose another time`
				);
			}
		}
		return ok ? result : undefined;
	}

	/** The metric of `per`, when given and valid: a metric of this model, not a checked one, not with coverage or pit. */
	per(check: CheckSpec, statistic: Statistic | undefined, metrics: readonly MetricName[], path: string): MetricName | undefined {
		const name = check.per;
		if (name === undefined) return undefined;
		const at = `${path}.per`;
		if (statistic?.kind === 'coverage' || statistic?.kind === 'pit') {
			this.problem(at, `"per" does not apply to ${statistic.kind}: it compares the paths with the scenario's observed series, which are values of the metric, not ratios; drop "per" or use another statistic`);
			return undefined;
		}
		if (!isMetricName(name)) {
			this.problem(at, unknownMetricMessage(name));
			return undefined;
		}
		if (metrics.includes(name)) {
			this.problem(at, `${name} per ${name} is 1 on every path (0 where it is 0): divide by another metric`);
			return undefined;
		}
		return name;
	}

	check(file: CheckFile, group: string, check: CheckSpec, path: string, options: PlanOptions): PlannedCheck | undefined {
		const before = this.problems.length;
		const notesBefore = this.notes.length;
		const parsedStatistic = parseStatistic(check.statistic);
		if (parsedStatistic.problem) this.problem(`${path}.statistic`, parsedStatistic.problem);
		let metrics = (check.metrics ?? []) as MetricName[];
		if (parsedStatistic.metric !== undefined) {
			const named = parsedStatistic.metric;
			if (!isMetricName(named)) {
				this.problem(`${path}.statistic`, unknownMetricMessage(named));
			} else if (check.metrics && (check.metrics.length !== 1 || check.metrics[0] !== named)) {
				this.problem(`${path}.metrics`, `the statistic names ${named}, so "metrics" must be [${named}] or left out`);
			} else metrics = [named];
		} else if (metrics.length === 0) {
			this.problem(path, `missing: expected "metrics" (one or more of ${metricNames.join(', ')}), or a statistic that names one, such as "P(shortfall > 0)"`);
		}
		const per = this.per(check, parsedStatistic.statistic, metrics, path);
		const parsedTime = parseTime(check.time);
		if (parsedTime.problem) this.problem(`${path}.time`, parsedTime.problem);
		if (check.over !== undefined && parsedTime.time && parsedTime.time.kind !== 'range') {
			this.problem(`${path}.over`, `"over" reduces a year or a range of months on each path; this check's time is ${describeTime(parsedTime.time)}`);
		}
		const subjects = this.subjects(check.scenarios, `${path}.scenarios`);
		const predicates = this.predicates(check, path);
		const statistic = parsedStatistic.statistic && this.observedStatistic(check, parsedStatistic.statistic, parsedTime.time, metrics, subjects, path);
		if (parsedTime.time) {
			const time = parsedTime.time;
			const at = `${path}.time`;
			const reported = new Set<string>();
			const horizonProblem = (variant: Variant) => {
				const problem = outsideHorizon(time, variant.scenario, variant.scenario.id);
				if (problem && !reported.has(problem)) {
					reported.add(problem);
					this.problem(at, problem);
				}
			};
			subjects.forEach(horizonProblem);
			for (const predicate of predicates ?? []) for (const bound of predicate.bounds) if (bound.kind === 'scenario') horizonProblem(bound.variant);
			if (time.kind === 'every') {
				// Every month of each subject is compared with the same month of the other scenario.
				for (const subject of subjects) {
					for (const predicate of predicates ?? []) {
						for (const bound of predicate.bounds) {
							if (bound.kind !== 'scenario') continue;
							const other = bound.variant.scenario;
							const covers = monthToAbsolute(other.start) <= monthToAbsolute(subject.scenario.start) && monthToAbsolute(other.end) >= monthToAbsolute(subject.scenario.end);
							const problem = `"every month" compares each month of ${subject.scenario.id} (${subject.scenario.start} … ${subject.scenario.end}) with ${other.id}, whose horizon is ${other.start} … ${other.end}; use a time inside both`;
							if (!covers && !reported.has(problem)) {
								reported.add(problem);
								this.problem(at, problem);
							}
						}
					}
				}
			}
		}
		if (this.problems.length > before || !predicates || !parsedTime.time || !statistic) return undefined;
		const name = check.it;
		const id = `${this.loaded.source} › ${group} › ${name}`;
		if (options.filter && !id.toLowerCase().includes(options.filter.toLowerCase())) {
			this.notes.length = notesBefore;
			return undefined;
		}
		return {
			source: this.loaded.source,
			location: this.loaded.locate(path),
			group,
			name,
			why: check.why,
			statistic,
			metrics,
			...(per !== undefined ? { per } : {}),
			time: parsedTime.time,
			over: check.over ?? 'mean',
			predicates,
			observedSums: check.observedSums ?? [],
			subjects,
			seed: check.seed ?? file.seed,
			paths: check.paths ?? options.paths ?? file.paths ?? checkDefaults.paths,
			factor: check.factor ?? file.factor ?? checkDefaults.factor
		};
	}
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
	const notes = [...matrixNotes].map(([text, places]) => `${text}, used ${places.length === 1 ? 'once' : `${places.length} times`} (${places[0]}${places.length > 1 ? ', …' : ''})`);

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
