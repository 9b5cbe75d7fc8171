import { metricNames, type MetricName } from '../model/metrics';
import { didYouMean, InputError, isMetricName, unknownMetricMessage, type Problem } from '../problems';
import { applyControlValues } from '../scenario/controls';
import { resolveScenario, type ScenarioLibrary } from '../scenario/resolve';
import type { Scenario } from '../scenario/schema';
import { monthToAbsolute } from '../time/months';
import { scenarioKey } from '../limits';
import { describeTime, outsideHorizon, parseStatistic, parseTime } from './check-syntax';
import { observedStatistic } from './observed-plan';
import type { LoadedCheckFile, PartialCheckFile } from './parse';
import type { PlannedBound, PlannedCheck, PlannedPredicate, PlanOptions, Variant } from './plan';
import { checkDefaults, predicateNames, type BoundSpec, type CheckSpec, type ScenarioItem } from './schema';
import type { Statistic } from './statistics';

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

/** Checks one file's checks against the scenario library and plans each, collecting every problem. */
export class Planner {
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
			this.problem(
				`${path}.controls.${param}`,
				problem.message.replace(
					/; sliders: /,
					`${didYouMean(
						param,
						base.controls.map((c) => c.param)
					)}; sliders: `
				)
			);
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
			const sliders: readonly string[] = scenario.controls.map((c) => c.param);
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
			if (op === 'between') {
				const pair = check.between;
				if (pair === undefined) continue;
				const bounds = pair.flatMap((b, i) => this.bound(b, `${path}.between[${i}]`) ?? []);
				if (bounds.length < pair.length) {
					ok = false;
					continue;
				}
				if (typeof pair[0] === 'number' && typeof pair[1] === 'number' && pair[0] > pair[1]) {
					this.problem(`${path}.between`, `the low end ${pair[0]} is above the high end ${pair[1]}`);
					ok = false;
					continue;
				}
				predicates.push({ op, bounds });
				continue;
			}
			const spec = check[op];
			if (spec === undefined) continue;
			const bound = this.bound(spec, `${path}.${op}`);
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

	/** The metric of `per`, when given and valid: a metric of this model, not a checked one, not with coverage or pit. */
	per(check: CheckSpec, statistic: Statistic | undefined, metrics: readonly MetricName[], path: string): MetricName | undefined {
		const name = check.per;
		if (name === undefined) return undefined;
		const at = `${path}.per`;
		if (statistic?.kind === 'coverage' || statistic?.kind === 'pit') {
			this.problem(
				at,
				`"per" does not apply to ${statistic.kind}: it compares the paths with the scenario's observed series, which are values of the metric, not ratios; drop "per" or use another statistic`
			);
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

	check(file: PartialCheckFile, group: string, check: CheckSpec, path: string, options: PlanOptions): PlannedCheck | undefined {
		const before = this.problems.length;
		const notesBefore = this.notes.length;
		const parsedStatistic = parseStatistic(check.statistic);
		if (parsedStatistic.problem) this.problem(`${path}.statistic`, parsedStatistic.problem);
		let metrics: MetricName[] = (check.metrics ?? []).filter(isMetricName);
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
		const statistic =
			parsedStatistic.statistic &&
			observedStatistic((at, message) => this.problem(at, message), check, parsedStatistic.statistic, parsedTime.time, metrics, subjects, path);
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
							const covers =
								monthToAbsolute(other.start) <= monthToAbsolute(subject.scenario.start) && monthToAbsolute(other.end) >= monthToAbsolute(subject.scenario.end);
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
