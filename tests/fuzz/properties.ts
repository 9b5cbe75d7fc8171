import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { evaluateFormula, compileFormula, formulaCell } from '../../src/lib/analysis/formula';
import { evaluateIndicator, toIndicator } from '../../src/lib/analysis/indicator';
import { thresholdProbabilities } from '../../src/lib/analysis/threshold';
import type { SimulatedPaths } from '../../src/lib/analysis/common';
import { loadCheckText } from '../../src/lib/checks/parse';
import { simulatePaths } from '../../src/lib/engine/simulate';
import { metricNames, regimes } from '../../src/lib/model/metrics';
import { parameterDefinitions, timeVaryingParameterIds } from '../../src/lib/model/parameters';
import { buildTimeline } from '../../src/lib/engine/timeline';
import { buildLibrary, resolveScenario } from '../../src/lib/scenario/resolve';
import { loadScenarioText } from '../../src/lib/scenario/read';
import { InputError } from '../../src/lib/problems';
import { monthRange } from '../../src/lib/time/months';

/**
 * Fuzz properties over every text a user can hand the program: scenario files, check files,
 * formulas, thresholds and indicators. Each input must end in a result or a clean problem list
 * (an InputError, or `problems` on the loaded file), never another exception, and within a time
 * bound. Shared by the vitest suite (fixed seed, few runs) and `npx tsx tests/fuzz/long.ts`.
 */

const root = join(import.meta.dirname, '../..');
const scenarioDirectory = join(root, 'scenarios');
export const scenarioTexts = readdirSync(scenarioDirectory)
	.filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json')
	.sort()
	.map((name) => readFileSync(join(scenarioDirectory, name), 'utf8'));
const library = buildLibrary(scenarioTexts.map((text, k) => ({ source: `scenario-${k}.json`, text }))).library;

/** Milliseconds any one input may take to be refused or accepted (generous: CI machines are slow). */
export const PER_INPUT_MS = 5000;

function timed<T>(what: string, input: unknown, run: () => T): T {
	const started = performance.now();
	const result = run();
	const elapsed = performance.now() - started;
	if (elapsed > PER_INPUT_MS) throw new Error(`${what} took ${Math.round(elapsed)} ms on ${JSON.stringify(input).slice(0, 300)}`);
	return result;
}

/** Runs `run`; an InputError is a clean refusal, anything else fails the property. */
function cleanly(run: () => unknown): void {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError && error.problems.length > 0 && error.problems.every((p) => typeof p.message === 'string' && p.message !== '')) return;
		throw error;
	}
}

const protoNames = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Random JSON values, now and then with a key that names Object.prototype. */
const jsonValue = fc.oneof(
	fc.jsonValue({ maxDepth: 4 }),
	fc.dictionary(fc.constantFrom(...protoNames, 'id', 'paths', 'parameters', 'events'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
);

/** A value at a random path of a scenario replaced by another value (a near-valid file). */
function replaceAtRandomPath(value: unknown, picks: number[], replacement: unknown): unknown {
	if (picks.length === 0 || value === null || typeof value !== 'object') return replacement;
	const keys = Object.keys(value);
	if (keys.length === 0) return replacement;
	const key = keys[picks[0] % keys.length];
	const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
	(copy as Record<string, unknown>)[key] = replaceAtRandomPath((value as Record<string, unknown>)[key], picks.slice(1), replacement);
	return copy;
}

const numberLike = fc.oneof(
	fc.constantFrom(0, -1, 1, 1e6, 1e38, -1e38, 1e308, 2 ** 32, 2 ** 53, 0.5, 1e-300),
	fc.double({ noNaN: true, noDefaultInfinity: true })
);

/** Text mutations: cut, insert, delete, duplicate a slice, or replace a value at a random path. */
const mutatedScenarioText = fc
	.tuple(
		fc.nat(scenarioTexts.length - 1),
		fc.oneof(
			fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
			fc.record({
				kind: fc.constant('insert' as const),
				at: fc.nat(),
				text: fc.constantFrom('{', '[', '"', ',', '}', ']', ':', '"__proto__": {}', '"paths": 2,', '1e999', '\\u0000', '//', '\n')
			}),
			fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
			fc.record({
				kind: fc.constant('value' as const),
				picks: fc.array(fc.nat(), { maxLength: 5 }),
				value: fc.oneof(jsonValue, numberLike, fc.constantFrom('0000-01', '9999-12', '2200-12', '1900-01', 'baseline', 'constructor'))
			})
		)
	)
	.map(([k, mutation]) => {
		const text = scenarioTexts[k];
		switch (mutation.kind) {
			case 'cut':
				return text.slice(0, mutation.at % (text.length + 1));
			case 'insert': {
				const at = mutation.at % (text.length + 1);
				return text.slice(0, at) + mutation.text + text.slice(at);
			}
			case 'delete': {
				const at = mutation.at % (text.length + 1);
				return text.slice(0, at) + text.slice(at + mutation.length);
			}
			case 'value': {
				// Keep the file's id distinct from the library's, so it resolves against its parent.
				const parsed = replaceAtRandomPath(JSON.parse(text), mutation.picks, mutation.value) as Record<string, unknown>;
				return JSON.stringify(
					parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...parsed, id: parsed.id === undefined ? undefined : 'fuzzed-scenario' } : parsed,
					null,
					1
				);
			}
		}
	});

const scenarioText = fc.oneof(
	mutatedScenarioText,
	fc.json({ maxDepth: 5 }),
	fc.string({ maxLength: 200 }),
	fc.constantFrom('['.repeat(5000), '{"a":'.repeat(2000))
);

/** Every scenario text loads to a file or problems; a loaded file resolves or is refused with problems. */
export const scenarioTextProperty = fc.property(scenarioText, (text) => {
	timed('loading a scenario', text, () => {
		const loaded = loadScenarioText(text, 'fuzz.json');
		if (!loaded.file) {
			if (loaded.problems.length === 0) throw new Error('no file and no problems');
			return;
		}
		const own = new Map(library);
		own.set(loaded.file.id, { ...loaded, file: loaded.file });
		cleanly(() => {
			const scenario = resolveScenario(loaded.file!.id, own);
			// What the validator accepts must fit the memory budget and simulate: two paths of it.
			if (monthRange(scenario.start, scenario.end).length > 600) throw new Error('accepted a horizon over 600 months');
			simulatePaths(buildTimeline(scenario), scenario.seed, 0, 2);
		});
	});
});

const yamlish = fc.oneof(
	fc.string({ maxLength: 300 }),
	fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify({ groups: value })),
	fc
		.array(
			fc.constantFrom(
				'groups:',
				'  - describe: x',
				'    checks:',
				'      - it: y',
				'        scenarios: [baseline',
				'*a',
				'&a [1]',
				'<<: *a',
				'__proto__: 1',
				'  ',
				'- ',
				'[',
				'{'
			),
			{ maxLength: 12 }
		)
		.map((lines) => lines.join('\n'))
);

/** Every check text (YAML or JSON) loads to a file or problems. */
export const checkTextProperty = fc.property(yamlish, fc.boolean(), (text, asJson) => {
	timed('loading a check file', text, () => {
		const loaded = loadCheckText(text, asJson ? 'fuzz.json' : 'fuzz.yaml');
		if (!loaded.file && loaded.problems.length === 0) throw new Error('no file and no problems');
	});
});

let smallPaths: SimulatedPaths | undefined;
/** Four paths of the baseline over 2025–2027: enough to evaluate formulas, thresholds and indicators. */
function paths(): SimulatedPaths {
	if (!smallPaths) {
		const scenario = { ...resolveScenario('baseline', library), end: '2027-12' };
		smallPaths = { months: monthRange(scenario.start, scenario.end), block: simulatePaths(buildTimeline(scenario), 1, 0, 4) };
	}
	return smallPaths;
}

const formulaToken = fc.oneof(
	fc.constantFrom(...metricNames, ...protoNames, 't', 'year', 'month', 'pi', 'e', 'true', 'x', 'regime'),
	fc.constantFrom(
		'+',
		'-',
		'*',
		'/',
		'^',
		'%',
		'<',
		'<=',
		'==',
		'!=',
		' and ',
		' or ',
		'not ',
		'?',
		':',
		'(',
		')',
		',',
		'[',
		']',
		'.',
		'=',
		';',
		'"s"',
		"'",
		'!'
	),
	fc.constantFrom('max(', 'min(', 'log(', 'sqrt(', 'pow(', 'mod(', 'evaluate(', 'import(', 'constructor(', 'toString(', 'f(x) = '),
	numberLike.map(String)
);
const formulaCall = fc
	.tuple(
		fc.constantFrom('max', 'min', 'log', 'pow', 'mod', 'round', 'evaluate', ...protoNames, '__defineGetter__'),
		fc.array(fc.oneof(fc.constantFrom(...metricNames, 't'), numberLike.map(String)), { maxLength: 3 })
	)
	.map(([name, args]) => `${name}(${args.join(', ')})`);
const formulaText = fc.oneof(
	fc.array(formulaToken, { maxLength: 14 }).map((tokens) => tokens.join(' ')),
	formulaCall,
	fc.string({ maxLength: 60 })
);

/** Every formula compiles and evaluates, or is refused with a FormulaError (an InputError). */
export const formulaProperty = fc.property(formulaText, (text) => {
	timed('a formula', text, () =>
		cleanly(() => {
			const formula = compileFormula(text);
			evaluateFormula(formula, paths(), { budgetMs: 1000 });
			formulaCell(formula, paths(), { budgetMs: 1000 });
		})
	);
});

const thresholdText = fc.oneof(
	fc
		.tuple(
			fc.constantFrom(...metricNames, ...protoNames, 'price', ''),
			fc.constantFrom('>', '>=', '<', '<=', '=', '=>'),
			numberLike.map(String),
			fc.constantFrom('', '%', ' %', '× start', 'x start', '2x', 't', 'USD/kg', 'constructor', 'months')
		)
		.map(([metric, comparison, value, unit]) => `${metric} ${comparison} ${value} ${unit}`),
	fc.string({ maxLength: 60 })
);

/** Every threshold text gives probabilities or is refused with problems. */
export const thresholdProperty = fc.property(thresholdText, (text) => {
	timed('a threshold', text, () => cleanly(() => thresholdProbabilities(paths(), text)));
});

const indicatorText = fc.oneof(
	fc
		.tuple(
			fc.constantFrom('median', 'mean', 'total', 'p50', ''),
			fc.constantFrom(...metricNames, ...protoNames),
			fc.constantFrom('2025', '2027', '2030', '0', '99999999999', 'x')
		)
		.map(([kind, metric, year]) => `${kind} ${metric} ${year}`),
	fc
		.tuple(
			fc.constantFrom(...metricNames, ...protoNames),
			fc.constantFrom('>', '>=', '<'),
			numberLike.map(String),
			fc.constantFrom('in', 'by', 'on'),
			fc.constantFrom('2026', '2030', '1e9')
		)
		.map(([m, c, v, w, y]) => `P(${m} ${c} ${v}) ${w} ${y}`),
	fc.string({ maxLength: 60 })
);

/** Every indicator text gives a value or is refused with problems. */
export const indicatorProperty = fc.property(indicatorText, (text) => {
	timed('an indicator', text, () => cleanly(() => evaluateIndicator(paths(), toIndicator(text, paths().months))));
});

// --- Accepted scenarios never give NaN or infinite metrics -----------------------------------

const parameterValue = (bounds: readonly [number, number], integer: boolean) => {
	const [low, high] = bounds;
	const inBounds = fc.double({ min: low, max: high, noNaN: true }).map((x) => (integer ? Math.round(x) : x));
	return fc.oneof(
		{ weight: 4, arbitrary: inBounds },
		{ weight: 1, arbitrary: fc.constantFrom(low, high) },
		{ weight: 1, arbitrary: fc.tuple(inBounds, inBounds).map(([a, b]) => ({ dist: 'uniform', min: Math.min(a, b), max: Math.max(a, b) })) },
		{ weight: 1, arbitrary: fc.tuple(inBounds, fc.double({ min: 0, max: 1e6, noNaN: true })).map(([mean, sd]) => ({ dist: 'normal', mean, sd })) },
		{
			weight: 1,
			arbitrary: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 5 }).map((values) => ({ dist: 'empirical', values }))
		}
	);
};

/** Chances of leaving a regime: each row must add up to at most 1, so each stays at most 0.5 here. */
const transitionIds = new Set([
	'pOpenToLicensing',
	'pOpenToRestricted',
	'pLicensingToOpen',
	'pLicensingToRestricted',
	'pRestrictedToLicensing',
	'pRestrictedToOpen'
]);

const parametersArbitrary = fc.record(
	Object.fromEntries(
		parameterDefinitions.map((p) => [
			p.id,
			transitionIds.has(p.id) ? fc.double({ min: 0, max: 0.5, noNaN: true }) : parameterValue(p.bounds, 'integer' in p && p.integer === true)
		])
	) as Record<string, fc.Arbitrary<unknown>>,
	{ requiredKeys: [] }
);

const eventMonth = fc.integer({ min: 2025 * 12, max: 2026 * 12 + 11 }).map((m) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
const eventArbitrary = fc.oneof(
	fc.record({
		type: fc.constant('stockpileRelease'),
		label: fc.constant('release'),
		start: eventMonth,
		end: fc.constant('2026-12'),
		tonnesPerMonth: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(1e6, 1e7, 1e38, 1e300))
	}),
	fc.record({ type: fc.constant('capacityShock'), label: fc.constant('shock'), start: eventMonth, fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
	fc.record({
		type: fc.constant('alliedDiversion'),
		label: fc.constant('diversion'),
		start: eventMonth,
		end: fc.constant('2026-12'),
		fraction: fc.double({ min: 0, max: 1, noNaN: true })
	}),
	fc.record({
		type: fc.constant('regime'),
		label: fc.constant('regime'),
		start: eventMonth,
		regime: fc.constantFrom(...regimes),
		durationMonths: fc.integer({ min: 1, max: 1200 })
	}),
	fc.record({ type: fc.constant('licencePush'), label: fc.constant('push'), start: eventMonth }),
	fc.record({
		type: fc.constant('hazard'),
		label: fc.constant('hazard'),
		start: eventMonth,
		set: fc.record(Object.fromEntries(timeVaryingParameterIds.map((id) => [id, fc.double({ min: 0, max: 1, noNaN: true })])), { requiredKeys: [] })
	})
);

export const acceptedScenario = fc.record({
	parameters: parametersArbitrary,
	events: fc.array(eventArbitrary, { maxLength: 4 }),
	end: fc.constantFrom('2026-12', '2030-12'),
	initialRegime: fc.constantFrom(...regimes),
	seed: fc.nat()
});

/**
 * For every scenario the validator accepts, a handful of simulated paths has only finite metrics.
 * (Magnitudes beyond the bounds are generated too: the validator must refuse them, or they must simulate.)
 */
export const finiteMetricsProperty = fc.property(acceptedScenario, (fields) => {
	const file = { id: 'fuzzed-finite', title: 'Fuzzed', description: '', start: '2025-01', paths: 4, ...fields };
	const loaded = loadScenarioText(JSON.stringify(file), 'fuzz.json');
	if (!loaded.file) return; // refused cleanly: nothing to simulate
	const own = new Map(library);
	own.set(loaded.file.id, { ...loaded, file: loaded.file });
	let scenario;
	try {
		scenario = resolveScenario(loaded.file.id, own);
	} catch (error) {
		if (error instanceof InputError) return;
		throw error;
	}
	const block = simulatePaths(buildTimeline(scenario), scenario.seed, 0, 4);
	block.metrics.forEach((values, m) => {
		for (let j = 0; j < values.length; j++) {
			if (!Number.isFinite(values[j])) {
				throw new Error(`${metricNames[m]} is ${values[j]} in month ${Math.floor(j / block.pathCount)} of path ${j % block.pathCount}`);
			}
		}
	});
});

export const properties = {
	scenarioText: scenarioTextProperty,
	checkText: checkTextProperty,
	formula: formulaProperty,
	threshold: thresholdProperty,
	indicator: indicatorProperty,
	finiteMetrics: finiteMetricsProperty
};
