/**
 * An MC-aware vitest matcher for scenario claims:
 *
 * ```ts
 * import { expect, it } from 'vitest';
 * import { scenario } from 'magnet-scenarios/vitest';
 *
 * it('renewed controls keep a 2027 shortfall unlikely', async () => {
 *   expect(await scenario('renewed-controls', { paths: 4000 })).metric('shortfall').probabilityAbove(0).in(2027).toBeLessThan(0.1);
 * });
 * ```
 *
 * The verdict is the check engine's (`npm run check:scenarios`), through the same code: the claim
 * passes only when its margin is at least `factor` standard errors (default 3); a false claim fails
 * naming the scenario, metric, time, estimate, SE and bound; a claim the paths cannot settle
 * (inconclusive) FAILS too, with about how many paths would settle it. It never passes silently.
 *
 * Why chai methods rather than `expect.extend`: the claim is a chain (metric, statistic, time,
 * then the comparison) that reads as a sentence, and vitest's `expect` is chai underneath
 * (`chai.Assertion`), whose methods carry flags from link to link. `toBeLessThan` and its
 * siblings are overwritten so that they judge a claim only when the chain carries one, and
 * delegate to vitest's own matcher otherwise; `by` (chai's `increase(…).by(n)`) likewise. This
 * module registers the methods when imported; it imports vitest (a peer dependency) and nothing
 * else of the test runner.
 */

import { chai } from 'vitest';
import { evaluateCase, formatNumber, type CaseResult } from '../lib/checks/evaluate';
import { keepMetrics } from '../lib/checks/execute';
import { describeCase } from '../lib/checks/report';
import type { PlannedCheck, PlannedPredicate, Reducer, TimeWindow, Variant } from '../lib/checks/plan';
import { checkDefaults } from '../lib/checks/schema';
import { outsideHorizon, parseTime } from '../lib/checks/check-syntax';
import type { SimulatedPaths } from '../lib/checks/evaluate';
import { describeStatistic, type PathwiseStatistic } from '../lib/checks/statistics';
import { settingsFor, type RunResult } from '../lib/engine/run';
import { scenarioKey } from '../lib/limits';
import { metricNames, type MetricName } from '../lib/model/metrics';
import { isMetricName, unknownMetricMessage, type Problem } from '../lib/problems';
import type { Scenario } from '../lib/scenario/schema';
import { checkOptions, loadScenarioFrom, ScenarioInputError, simulate } from './internal';
import type { ScenarioSource } from './index';

export { ScenarioInputError };

/** Options of {@link scenario}. */
export interface ScenarioHandleOptions {
	/** Paths to simulate (default: the scenario's own `paths`). More paths settle closer claims. */
	paths?: number;
	/** Seed (default: the scenario's own). */
	seed?: number;
	/** Threads simulating (default: every core; 1 runs in this thread). */
	workers?: number;
	/** A claim needs a margin of at least `factor` × its standard error (default 3, as the checks). */
	factor?: number;
}

/**
 * A scenario loaded and simulated once, for claims with `expect(handle).metric(…)`. Holds the
 * result `runScenario` gives and the paths behind it.
 */
export class ScenarioRun {
	/** @internal */
	constructor(
		/** The resolved scenario. */
		readonly scenario: Scenario,
		/** The batch result (summaries, indicators, fingerprint). */
		readonly result: RunResult,
		/** The per-path values the claims are judged on. */
		readonly paths: SimulatedPaths,
		/** Standard errors a margin must reach for a verdict. */
		readonly factor: number
	) {}
}

/** Simulated runs kept for later claims: a handful, the least recently asked for dropped first, so a long suite's memory stays bounded (a 10,000-path run holds ~100 MB of paths). */
const runs = new Map<string, Promise<ScenarioRun>>();
const MAX_KEPT_RUNS = 4;

/**
 * Loads (a library id, a `.json` file or a scenario object) and simulates a scenario, once per
 * scenario, seed, path count and factor: later calls with the same give the same handle.
 *
 * @throws ScenarioInputError for a bad scenario or option.
 */
export function scenario(source: ScenarioSource, options: ScenarioHandleOptions = {}): Promise<ScenarioRun> {
	const checked = checkOptions({ paths: options.paths, seed: options.seed, workers: options.workers });
	const factor = options.factor ?? checkDefaults.factor;
	if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0) {
		throw new ScenarioInputError([{ source: 'options', path: 'factor', message: `expected a positive number, found ${String(factor)}` }]);
	}
	const resolved = loadScenarioFrom(source);
	const settings = settingsFor(resolved, { seed: checked.seed, paths: checked.paths });
	const key = scenarioKey(resolved, { ...settings, factor });
	let run = runs.get(key);
	if (run) runs.delete(key);
	else {
		run = simulate(resolved, checked).then(({ result, block }) => new ScenarioRun(resolved, result, keepMetrics(block, result.months, metricNames), factor));
		// A failed run is not kept: the next call tries again.
		run.catch(() => runs.delete(key));
	}
	runs.set(key, run);
	while (runs.size > MAX_KEPT_RUNS) runs.delete(runs.keys().next().value!);
	return run;
}

/** What a chain has said so far. */
interface Claim {
	run: ScenarioRun;
	metric: MetricName;
	statistic?: PathwiseStatistic;
	/** How each path's months are reduced over a year or range ("P(> x) in 2027" is "max over 2027 > x"). */
	over: Reducer;
	time?: TimeWindow;
}

const claimFlag = 'magnetScenarios.claim';

type ChaiThis = object;
const flag = (assertion: ChaiThis, value?: Claim): Claim | undefined =>
	value === undefined ? (chai.util.flag(assertion, claimFlag) as Claim | undefined) : (chai.util.flag(assertion, claimFlag, value) as undefined);

function problem(path: string, message: string): ScenarioInputError {
	return new ScenarioInputError([{ source: 'expect', path, message } satisfies Problem]);
}

/** The claim so far; `step` names the method, for the message when the chain is out of order. */
function claimOf(assertion: ChaiThis, step: string): Claim {
	const claim = flag(assertion);
	if (!claim) throw new TypeError(`.${step}() follows expect(await scenario(…)).metric(name)`);
	if (chai.util.flag(assertion, 'negate'))
		throw new TypeError('a scenario claim cannot be negated with .not: state the opposite comparison (an inconclusive claim is neither true nor false)');
	return claim;
}

/** Adds a chain method, or overwrites an existing one of chai's or vitest's so that it delegates when the chain carries no claim. */
function define(name: string, method: (this: ChaiThis, ...args: never[]) => unknown, delegate: 'claim' | 'always-claim' = 'claim') {
	const prototype = chai.Assertion.prototype as object;
	if (!(name in prototype)) {
		chai.util.addMethod(prototype, name, method);
		return;
	}
	chai.util.overwriteMethod(
		prototype,
		name,
		(original: (...args: unknown[]) => unknown) =>
			function (this: ChaiThis, ...args: never[]) {
				if (delegate === 'claim' && flag(this) === undefined) return original.apply(this, args);
				return method.apply(this, args);
			}
	);
}

function statisticStep(name: string, statistic: PathwiseStatistic, over: Reducer) {
	define(name, function (this: ChaiThis) {
		const claim = claimOf(this, name);
		flag(this, { ...claim, statistic, over });
	});
}

function timeStep(name: 'in' | 'by') {
	define(name, function (this: ChaiThis, when: number | string) {
		const claim = claimOf(this, name);
		if (!claim.statistic)
			throw new TypeError(`.${name}() follows a statistic: .probabilityAbove(x), .probabilityBelow(x), .median(), .mean() or .percentile(q)`);
		const { scenario } = claim.run;
		const parsed =
			typeof when === 'number' || typeof when === 'string'
				? parseTime(when)
				: { problem: `expected a year such as 2027 or a month "YYYY-MM", found ${typeof when}` };
		if (!parsed.time) throw problem(name, parsed.problem ?? 'expected a year or a month');
		let time = parsed.time;
		if (name === 'by') {
			if (time.kind !== 'range' && time.kind !== 'month') throw problem('by', 'expected a year or a month');
			const to = time.kind === 'range' ? time.to : time.month;
			time = { kind: 'range', from: scenario.start, to, label: `${scenario.start}…${to}` };
		}
		const outside = outsideHorizon(time, scenario, scenario.id);
		if (outside) throw problem(name, outside);
		flag(this, { ...claim, time });
	});
}

const opText = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' } as const;

/** Judges the claim with the check engine (evaluateCase: margin ≥ factor × SE) and throws unless it passes. */
function judgeClaim(assertion: ChaiThis, op: PlannedPredicate['op'], matcher: string, bound: unknown) {
	const claim = claimOf(assertion, matcher);
	if (!claim.statistic || !claim.time)
		throw new TypeError(`.${matcher}() ends a claim with its time: e.g. .metric('shortfall').probabilityAbove(0).in(2027).${matcher}(0.1)`);
	if (typeof bound !== 'number' || !Number.isFinite(bound)) throw problem(matcher, `expected a finite number as the bound, found ${String(bound)}`);
	const { run, metric, statistic, time, over } = claim;
	const variant: Variant = { label: run.scenario.id, scenario: run.scenario, key: scenarioKey(run.scenario) };
	const check: PlannedCheck = {
		source: 'expect',
		location: 'expect',
		group: '',
		name: matcher,
		why: '',
		statistic,
		metrics: [metric],
		time,
		over,
		predicates: [{ op, bounds: [{ kind: 'number', value: bound }] }],
		observedSums: [],
		subjects: [variant],
		seed: run.result.seed,
		paths: run.result.paths,
		factor: run.factor
	};
	const result: CaseResult = evaluateCase(check, variant, metric, () => run.paths);
	if (result.verdict === 'pass') return;
	const side = result.sides[0];
	const name = describeStatistic(statistic, metric);
	const when =
		time.kind === 'range' && time.label.includes('…')
			? `from ${time.label.replace('…', ' through ')}`
			: `in ${time.kind === 'range' ? time.label : time.kind === 'month' ? time.month : 'time'}`;
	const claimText = `${name}${statistic.kind === 'probability' ? '' : ` of ${metric}`} ${when} ${opText[side.op]} ${formatNumber(bound)} for ${run.scenario.id}`;
	const figures = `estimate ${formatNumber(result.figure.value)}, SE ${formatNumber(result.figure.se)}, bound ${opText[side.op]} ${formatNumber(bound)}, ${run.result.paths.toLocaleString('en-US')} paths (seed ${run.result.seed}), a verdict needs a margin of ${formatNumber(run.factor)} × SE`;
	const settle =
		result.settlePaths === undefined
			? ''
			: Number.isFinite(result.settlePaths)
				? `\nabout ${result.settlePaths.toLocaleString('en-US')} paths would settle it: scenario(…, { paths: ${result.settlePaths} })`
				: '\nthe estimate equals the bound: no path count settles it';
	const message =
		result.verdict === 'fail'
			? `expected ${claimText}, but it is false: ${figures}\n${describeCase(result, check)}`
			: `expected ${claimText}, but it is inconclusive (a pass needs the margin to reach ${formatNumber(run.factor)} × SE): ${figures}\n${describeCase(result, check)}${settle}`;
	throw new chai.AssertionError(message, { actual: result.figure.value, expected: bound, showDiff: false });
}

define(
	'metric',
	function (this: ChaiThis, name: string) {
		const run = chai.util.flag(this, 'object') as unknown;
		if (!(run instanceof ScenarioRun)) throw new TypeError('.metric() is for a scenario handle: expect(await scenario(…)).metric(name)');
		if (typeof name !== 'string' || !isMetricName(name))
			throw problem('metric', typeof name === 'string' ? unknownMetricMessage(name) : `expected a metric name, found ${typeof name}`);
		flag(this, { run, metric: name, over: 'mean' });
	},
	'always-claim'
);
define('probabilityAbove', function (this: ChaiThis, level: number) {
	const claim = claimOf(this, 'probabilityAbove');
	if (typeof level !== 'number' || !Number.isFinite(level)) throw problem('probabilityAbove', `expected a finite number, found ${String(level)}`);
	// "in some month of the time": the path's maximum over it is above the level.
	flag(this, { ...claim, statistic: { kind: 'probability', op: '>', threshold: level }, over: 'max' });
});
define('probabilityBelow', function (this: ChaiThis, level: number) {
	const claim = claimOf(this, 'probabilityBelow');
	if (typeof level !== 'number' || !Number.isFinite(level)) throw problem('probabilityBelow', `expected a finite number, found ${String(level)}`);
	flag(this, { ...claim, statistic: { kind: 'probability', op: '<', threshold: level }, over: 'min' });
});
statisticStep('median', { kind: 'percentile', q: 0.5 }, 'mean');
statisticStep('mean', { kind: 'mean' }, 'mean');
define('percentile', function (this: ChaiThis, percent: number) {
	const claim = claimOf(this, 'percentile');
	if (typeof percent !== 'number' || !(percent > 0 && percent < 100))
		throw problem('percentile', `expected a percentile between 0 and 100 (exclusive), found ${String(percent)}`);
	flag(this, { ...claim, statistic: { kind: 'percentile', q: percent / 100 }, over: 'mean' });
});
timeStep('in');
timeStep('by');
for (const [matcher, op] of [
	['toBeLessThan', 'lt'],
	['toBeLessThanOrEqual', 'lte'],
	['toBeGreaterThan', 'gt'],
	['toBeGreaterThanOrEqual', 'gte']
] as const) {
	define(matcher, function (this: ChaiThis, bound: number) {
		judgeClaim(this, op, matcher, bound);
	});
}

/** The comparison that ends a claim: passes only when it holds by at least factor × SE. */
export interface ClaimComparison {
	/** The figure is below `bound` (by at least factor × SE), else the test fails, also when inconclusive. */
	toBeLessThan(bound: number): void;
	toBeLessThanOrEqual(bound: number): void;
	/** The figure is above `bound` (by at least factor × SE), else the test fails, also when inconclusive. */
	toBeGreaterThan(bound: number): void;
	toBeGreaterThanOrEqual(bound: number): void;
}

/** When the statistic is taken. */
export interface ClaimTime {
	/**
	 * In a calendar year (each path's mean over its months for median/mean/percentile; for a
	 * probability, in some month of it), or in one month `'YYYY-MM'`.
	 */
	in(when: number | string): ClaimComparison;
	/** From the scenario's first month through the end of a year (or a month `'YYYY-MM'`). */
	by(when: number | string): ClaimComparison;
}

/** The statistic of a metric a claim is about. */
export interface MetricClaim {
	/** P(metric > level), across paths. */
	probabilityAbove(level: number): ClaimTime;
	/** P(metric < level), across paths. */
	probabilityBelow(level: number): ClaimTime;
	/** The median across paths. */
	median(): ClaimTime;
	/** The mean across paths. */
	mean(): ClaimTime;
	/** A percentile across paths, e.g. 95. */
	percentile(percent: number): ClaimTime;
}

declare module 'vitest' {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-explicit-any -- must match vitest's declaration to merge
	interface Assertion<T = any> {
		/** A claim about a metric of a scenario handle: `expect(await scenario(id)).metric('shortfall')…`. */
		metric(name: MetricName | (string & {})): MetricClaim;
	}
}
