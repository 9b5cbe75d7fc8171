import { describe, expect, it } from 'vitest';
import { readScenarioDirectory } from '../../src/cli/scenario-files';
import { formatProblem, InputError } from '../../src/lib/problems';
import { loadScenarioText } from '../../src/lib/scenario/read';
import { buildLibrary, resolveScenario } from '../../src/lib/scenario/resolve';

/** A scenario file may declare the charts it opens with (`opensWith`): checked like the rest of the file. */

const minimal = { id: 'test-case', title: 'Test', description: 'A test' };

function messagesFor(file: object): string[] {
	return loadScenarioText(JSON.stringify(file), 'test.json').problems.map(formatProblem);
}

/** Resolves files (objects) added to the real library; the scenario, or the problems it raises. */
function resolveWith(files: object[], id: string) {
	const { library, problems } = buildLibrary([
		...readScenarioDirectory(),
		...files.map((file, i) => ({ source: `added-${i}.json`, text: JSON.stringify(file) }))
	]);
	expect(problems).toEqual([]);
	try {
		return { scenario: resolveScenario(id, library), problems: [] };
	} catch (error) {
		if (!(error instanceof InputError)) throw error;
		return { scenario: undefined, problems: error.problems.map(formatProblem) };
	}
}

describe('a scenario file’s opening view', () => {
	it('accepts fan charts with a target line, thresholds, distributions, indicators and comparisons', () => {
		const opensWith = [
			{ kind: 'fan', metric: 'relianceCut', target: { value: 0.3, label: '30 % cut' } },
			{ kind: 'threshold', metric: 'relianceCut', comparison: '>=', value: 0.3 },
			{ kind: 'distribution', metric: 'shortfall', month: '2027-03' },
			{ kind: 'indicators' },
			{ kind: 'comparison', metric: 'chinaExports', against: 'baseline' }
		];
		expect(messagesFor({ ...minimal, opensWith })).toEqual([]);
	});

	it('names an unknown metric, kind or comparison with its path and what would do', () => {
		expect(messagesFor({ ...minimal, opensWith: [{ kind: 'fan', metric: 'relianceCutt' }] })).toEqual([
			expect.stringMatching(
				/^test\.json: opensWith\[0\]\.metric: expected one of "demand", .* found the string "relianceCutt" \(did you mean "relianceCut"\?\)$/
			)
		]);
		expect(messagesFor({ ...minimal, opensWith: [{ kind: 'indicators' }, { kind: 'chart', metric: 'shortfall' }] })).toEqual([
			'test.json: opensWith[1].kind: expected one of "fan", "distribution", "threshold", "indicators", "comparison", found the string "chart"'
		]);
		expect(messagesFor({ ...minimal, opensWith: [{ kind: 'threshold', metric: 'shortfall', comparison: '=>', value: 0 }] })).toEqual([
			'test.json: opensWith[0].comparison: expected one of ">", ">=", "<", "<=", found the string "=>" (did you mean ">"?)'
		]);
		expect(messagesFor({ ...minimal, opensWith: [{ kind: 'fan', metric: 'shortfall', target: { value: 1 } }] })).toEqual([
			'test.json: opensWith[0].target.label: missing: expected string'
		]);
		expect(messagesFor({ ...minimal, opensWith: [] })).toEqual(['test.json: opensWith: must be at least 1 items, found an array']);
	});

	it('a comparison must name a known scenario other than itself', () => {
		const file = (against: string) => ({ ...minimal, extends: 'baseline', opensWith: [{ kind: 'comparison', metric: 'shortfall', against }] });
		expect(resolveWith([file('baselin')], 'test-case').problems).toEqual([
			expect.stringMatching(/^added-0\.json: opensWith\[0\]\.against: unknown scenario "baselin"; known: /)
		]);
		expect(resolveWith([file('test-case')], 'test-case').problems).toEqual([
			'added-0.json: opensWith[0].against: "test-case" would compare the scenario with itself'
		]);
		expect(resolveWith([file('renewed-controls')], 'test-case').problems).toEqual([]);
	});

	it('extends: a child opens with its parent’s view unless it gives its own', () => {
		const parent = resolveWith([], 'us-capacity-30pct-2030').scenario!;
		const inheriting = resolveWith([{ ...minimal, extends: 'us-capacity-30pct-2030' }], 'test-case').scenario!;
		expect(inheriting.opensWith).toEqual(parent.opensWith);
		const own = [{ kind: 'fan', metric: 'backlog' }];
		expect(resolveWith([{ ...minimal, extends: 'us-capacity-30pct-2030', opensWith: own }], 'test-case').scenario!.opensWith).toEqual(own);
		expect(resolveWith([minimal], 'test-case').scenario!.opensWith).toBeUndefined();
	});
});
