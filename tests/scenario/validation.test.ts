import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readScenarioDirectory, resolveScenarioArguments, scenariosDirectory } from '../../src/cli/scenario-files';
import { scenarioSchemaText } from '../../src/cli/write-schema';
import { applyControlValues, controlDefaults } from '../../src/lib/scenario/controls';
import { buildLibrary, resolveScenario } from '../../src/lib/scenario/resolve';
import { loadScenarioText } from '../../src/lib/scenario/read';
import { formatProblem, InputError } from '../../src/lib/problems';
import { parameterById } from '../../src/lib/model/parameters';
import { locationOf } from '../../src/lib/model/parameter-values';

const requiredScenarios = [
	'baseline',
	'export-surge-2025',
	'renewed-controls',
	'us-capacity-30pct-2030',
	'allied-stockpiling',
	'controls-and-delays',
	'history-2025',
	'history-2025-walk-forward'
];

function messagesFor(text: string, source = 'test.json'): string[] {
	return loadScenarioText(text, source).problems.map(formatProblem);
}

/** Resolves `child` (JSON text) against the real scenario library; returns the problems it raises. */
function resolutionProblems(child: object): string[] {
	const { library } = buildLibrary([...readScenarioDirectory(), { source: 'child.json', text: JSON.stringify(child) }]);
	try {
		resolveScenario((child as { id: string }).id, library);
		return [];
	} catch (error) {
		if (!(error instanceof InputError)) throw error;
		return error.problems.map(formatProblem);
	}
}

const minimal = { id: 'test-case', title: 'Test', description: 'A test' };

describe('scenario files', () => {
	it('includes every scenario the product promises, and all of them validate and resolve', () => {
		const { library, problems } = buildLibrary(readScenarioDirectory());
		expect(problems).toEqual([]);
		expect([...library.keys()].sort()).toEqual([...requiredScenarios].sort());
		for (const id of requiredScenarios) expect(resolveScenario(id, library).id).toBe(id);
	});

	it('names the generated JSON Schema in $schema, and the schema file is current', () => {
		for (const { text } of readScenarioDirectory()) expect(JSON.parse(text).$schema).toBe('./scenario.schema.json');
		const committed = readFileSync(join(scenariosDirectory, 'scenario.schema.json'), 'utf8');
		expect(committed, 'run `npm run schema` to regenerate scenarios/scenario.schema.json').toBe(scenarioSchemaText());
	});

	it('history-2025 carries the observed U.S.-bound series, including May 46.4 t and June 353 t', () => {
		const [history] = resolveScenarioArguments(['history-2025']);
		const observed = history.observed.chinaExports ?? [];
		expect(observed.find((p) => p.month === '2025-05')?.value).toBe(46.4);
		expect(observed.find((p) => p.month === '2025-06')?.value).toBe(353);
	});

	it('extends: a child inherits its parent and overrides what it names', () => {
		const [baseline, child] = resolveScenarioArguments(['baseline', 'us-capacity-30pct-2030']);
		// The child's sliders replace the parent's of the same parameter and add the rest.
		expect(child.controls.map((c) => c.param)).toEqual([...baseline.controls.map((c) => c.param), 'domesticMarketShare']);
		expect(child.controls.find((c) => c.param === 'demandGrowth')).toEqual(baseline.controls.find((c) => c.param === 'demandGrowth'));
		expect(child.events).toEqual(baseline.events);
		const childFile = JSON.parse(readFileSync(join(scenariosDirectory, 'us-capacity-30pct-2030.json'), 'utf8'));
		expect(child.parameters.mp10xSlip).toEqual(childFile.parameters.mp10xSlip);
		expect(child.parameters.mp10xSlip).not.toEqual(baseline.parameters.mp10xSlip);
		expect(child.parameters.eVacSlip).toBe(0);
		expect(child.parameters.demandGrowth).toEqual(baseline.parameters.demandGrowth);
	});
});

describe('bad scenario input gets a precise message', () => {
	it('text that is not JSON: line and column', () => {
		expect(messagesFor('{\n  "id": "x",\n  "title": "t" "description": ""\n}')).toEqual(['test.json:3:16: not valid JSON: expected "," between items']);
	});

	it('a missing field: its path and what was expected', () => {
		expect(messagesFor(JSON.stringify({ id: 'x', title: 't' }))).toEqual(['test.json: description: missing: expected string']);
	});

	it('a mistyped field: what was expected and what was found', () => {
		expect(messagesFor(JSON.stringify({ ...minimal, paths: 'many' }))).toEqual(['test.json: paths: expected number, found the string "many"']);
		expect(messagesFor(JSON.stringify({ ...minimal, start: '2025/01' }))).toEqual([
			'test.json: start: expected a month written YYYY-MM between 1900-01 and 2200-12, e.g. "2026-10", found the string "2025/01"'
		]);
	});

	it('an unknown key, with a "did you mean" hint', () => {
		expect(messagesFor(JSON.stringify({ ...minimal, parameters: { demandGrowht: 0.05 } }))).toEqual([
			'test.json: parameters.demandGrowht: unknown key (did you mean "demandGrowth"?)'
		]);
		expect(messagesFor(JSON.stringify({ ...minimal, event: [] }))).toEqual(['test.json: event: unknown key (did you mean "events"?)']);
	});

	it('an observed series of a metric removed in model 2.0 says what replaced it', () => {
		expect(messagesFor(JSON.stringify({ ...minimal, observed: { price: [{ month: '2025-01', value: 50 }], demnd: [] } }))).toEqual([
			'test.json: observed.price: price: the delivered "price" was removed in model 2.0: use usMagnetPrice (the landed price of a China-made magnet, tariffs included), chinaMagnetPrice, ndprPrice or averagePaidPrice',
			'test.json: observed.demnd: unknown key (did you mean "demand"?)'
		]);
	});

	it('an unknown distribution or event type lists the valid ones', () => {
		const [message] = messagesFor(JSON.stringify({ ...minimal, parameters: { demandGrowth: { dist: 'gaussian', mean: 0.05, sd: 0.01 } } }));
		expect(message).toBe(
			'test.json: parameters.demandGrowth.dist: expected one of "fixed", "normal", "lognormal", "triangular", "uniform", "pert", "empirical", found the string "gaussian"'
		);
		const [eventMessage] = messagesFor(JSON.stringify({ ...minimal, events: [{ type: 'regim', label: 'x', start: '2026-01' }] }));
		expect(eventMessage).toContain('events[0].type: expected one of "regime", "hazard"');
		expect(eventMessage).toContain('(did you mean "regime"?)');
	});

	it('a distribution missing a field says which', () => {
		expect(messagesFor(JSON.stringify({ ...minimal, parameters: { demandGrowth: { dist: 'pert', min: 0, max: 0.1 } } }))).toEqual([
			'test.json: parameters.demandGrowth.mode: missing: expected number'
		]);
	});

	it('a parameter outside its physical bounds', () => {
		expect(resolutionProblems({ ...minimal, parameters: { licenceApprovalRate: 1.4 } })).toEqual([
			'child.json: parameters.licenceApprovalRate: 1.4 fraction is outside the bounds of Licence approval rate, [0, 1] fraction'
		]);
		expect(resolutionProblems({ ...minimal, parameters: { demandGrowth: { dist: 'triangular', min: 0.1, mode: 0.05, max: 0.2 } } })).toEqual([
			'child.json: parameters.demandGrowth.mode: mode 0.05 is not between min 0.1 and max 0.2'
		]);
	});

	it('transition probabilities out of a regime that add up to more than 1', () => {
		expect(resolutionProblems({ ...minimal, parameters: { pLicensingToOpen: 0.7, pLicensingToRestricted: 0.6 } })).toEqual([
			'child.json: parameters.pLicensingToOpen: pLicensingToOpen + pLicensingToRestricted can reach 1.3: the chances of leaving the licensing regime in a month must add up to at most 1'
		]);
	});

	it('end before start', () => {
		expect(resolutionProblems({ ...minimal, start: '2030-01', end: '2029-12' })).toEqual(['child.json: end: end 2029-12 is before start 2030-01']);
	});

	it('an event outside the horizon', () => {
		const problems = resolutionProblems({
			...minimal,
			end: '2027-12',
			events: [{ type: 'regime', label: 'Late embargo', start: '2030-01', regime: 'restricted' }]
		});
		expect(problems).toEqual(['child.json: events[0].start: "Late embargo" starts 2030-01, outside the horizon 2025-01 … 2027-12']);
	});

	it('an extends cycle, and an unknown parent', () => {
		const { library } = buildLibrary([
			{ source: 'a.json', text: JSON.stringify({ ...minimal, id: 'a', extends: 'b' }) },
			{ source: 'b.json', text: JSON.stringify({ ...minimal, id: 'b', extends: 'a' }) }
		]);
		expect(() => resolveScenario('a', library)).toThrow('a.json: extends: "extends" forms a cycle: a → b → a');
		expect(resolutionProblems({ ...minimal, extends: 'baselin' })[0]).toMatch(
			/^child\.json: extends: unknown parent scenario "baselin"; known: allied-stockpiling, baseline/
		);
	});

	it('a slider range outside the parameter bounds, or a unit that differs', () => {
		const problems = resolutionProblems({ ...minimal, controls: [{ param: 'licenceApprovalRate', unit: '%', min: 0, max: 100, step: 1 }] });
		expect(problems).toEqual([
			'child.json: controls[0].unit: "%" differs from the unit of licenceApprovalRate, "fraction"',
			'child.json: controls[0]: slider range [0, 100] leaves the bounds of licenceApprovalRate, [0, 1] fraction'
		]);
	});

	it('every problem of a file is reported at once', () => {
		expect(messagesFor(JSON.stringify({ id: 'Bad Id', title: '', description: 3, paths: 0 }))).toHaveLength(4);
	});
});

describe('slider values', () => {
	const [baseline] = resolveScenarioArguments(['baseline']);

	it('start at the scenario values and move a distribution without changing its shape', () => {
		// The default is the calibrated joint sample: the slider starts at its median and shifts every value alike.
		const fitted = parameterById.licenceApprovalRate.default as { dist: 'empirical'; values: number[] };
		expect(fitted.dist).toBe('empirical');
		const median = locationOf(fitted);
		expect(controlDefaults(baseline).licenceApprovalRate).toBe(median);
		const { scenario } = applyControlValues(baseline, { licenceApprovalRate: 0.6 }, 'strict');
		const moved = scenario.parameters.licenceApprovalRate as typeof fitted;
		expect(moved.dist).toBe('empirical');
		expect(locationOf(moved)).toBeCloseTo(0.6, 12);
		moved.values.forEach((value, i) => expect(value).toBeCloseTo(fitted.values[i] + 0.6 - median, 12));
	});

	it('a triangular distribution moves by its mode, keeping its spread', () => {
		const spec = parameterById.alliedGrowth.default as { dist: 'triangular'; min: number; mode: number; max: number };
		const { scenario } = applyControlValues(baseline, { alliedGrowth: 0.1 }, 'strict');
		const moved = scenario.parameters.alliedGrowth as typeof spec;
		expect(moved.mode).toBe(0.1);
		expect(moved.min).toBeCloseTo(spec.min + 0.1 - spec.mode, 12);
		expect(moved.max).toBeCloseTo(spec.max + 0.1 - spec.mode, 12);
	});

	it('out of range: an error in strict mode, clamped and reported in clamp mode', () => {
		expect(applyControlValues(baseline, { demandGrowth: 0.5 }, 'strict').problems.map(formatProblem)).toEqual([
			'baseline: controls.demandGrowth: 0.5 1/yr is outside the slider range [-0.15, 0.2] 1/yr'
		]);
		const clamped = applyControlValues(baseline, { demandGrowth: 0.5 }, 'clamp');
		expect(clamped.clamped).toEqual([{ param: 'demandGrowth', requested: 0.5, applied: 0.2 }]);
	});

	it('a value for a parameter without a slider is refused', () => {
		expect(applyControlValues(baseline, { ndprLongRun: 60 }, 'strict').problems[0].message).toMatch(/^no slider sets "ndprLongRun" in baseline/);
	});
});
