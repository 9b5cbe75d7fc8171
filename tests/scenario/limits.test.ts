import { describe, expect, it } from 'vitest';
import { readScenarioDirectory } from '../../src/cli/scenario-files';
import { loadCheckText } from '../../src/lib/checks/parse';
import { buildLibrary, resolveScenario } from '../../src/lib/scenario/resolve';
import { inputLimits, maxPathsFor } from '../../src/lib/limits';
import { loadScenarioText, parseJson, validateScenarioFile } from '../../src/lib/scenario/read';
import { formatProblem, InputError } from '../../src/lib/problems';

const minimal = { id: 'test-case', title: 'Test', description: 'A test' };

function messagesFor(text: string, source = 'test.json'): string[] {
	return loadScenarioText(text, source).problems.map(formatProblem);
}

function resolutionProblems(child: object): string[] {
	const { library, problems } = buildLibrary([...readScenarioDirectory(), { source: 'child.json', text: JSON.stringify(child) }]);
	if (problems.length > 0) return problems.map(formatProblem);
	try {
		resolveScenario((child as { id: string }).id, library);
		return [];
	} catch (error) {
		if (!(error instanceof InputError)) throw error;
		return error.problems.map(formatProblem);
	}
}

describe('scenario limits', () => {
	it('refuses months outside 1900-01 … 2200-12 (year 0000 would give months such as "0-01")', () => {
		expect(messagesFor(JSON.stringify({ ...minimal, start: '0000-01', end: '9999-12' }))).toEqual([
			'test.json: start: expected a month written YYYY-MM between 1900-01 and 2200-12, e.g. "2026-10", found the string "0000-01"',
			'test.json: end: expected a month written YYYY-MM between 1900-01 and 2200-12, e.g. "2026-10", found the string "9999-12"'
		]);
		expect(messagesFor(JSON.stringify({ ...minimal, start: '1900-01', end: '1949-12' }))).toEqual([]);
	});

	it('refuses a horizon longer than 50 years', () => {
		expect(resolutionProblems({ ...minimal, extends: 'baseline', start: '1900-01', end: '2200-12', paths: 1 })).toEqual([
			'child.json: end: the horizon 1900-01 … 2200-12 is 3,612 months long; the limit is 600 months (50 years)'
		]);
		expect(resolutionProblems({ ...minimal, extends: 'baseline', start: '2000-01', end: '2049-12', paths: 100 })).toEqual([]);
	});

	it('refuses paths × months beyond the memory budget and says how many paths fit', () => {
		const fit = maxPathsFor(600);
		expect(fit).toBe(Math.floor(inputLimits.maxPathBytes / (600 * 19 * 4)));
		expect(resolutionProblems({ ...minimal, extends: 'baseline', start: '2000-01', end: '2049-12', paths: 200_000 })).toEqual([
			`child.json: paths: 200,000 paths over 600 months would hold 9,120 MB of results, more than the limit of 2,147 MB; at most ${fit.toLocaleString('en-US')} paths fit over this horizon`
		]);
	});

	it('bounds event magnitudes: a stockpile release of 1e38 t/month is refused', () => {
		const event = { type: 'stockpileRelease', label: 'x', start: '2026-01', end: '2026-06', tonnesPerMonth: 1e38 };
		expect(messagesFor(JSON.stringify({ ...minimal, events: [event] }))).toEqual([
			'test.json: events[0].tonnesPerMonth: must be at most 1000000, found number 1e+38'
		]);
		const jitter = { type: 'regime', label: 'x', regime: 'open', start: '2026-01', startJitterMonths: { min: 0, max: 1e12 } };
		expect(messagesFor(JSON.stringify({ ...minimal, events: [jitter] }))).toEqual([
			'test.json: events[0].startJitterMonths.max: must be at most 1200, found number 1000000000000'
		]);
	});

	it('says a seed that is too large once', () => {
		expect(messagesFor(JSON.stringify({ ...minimal, seed: 1e30 }))).toEqual(['test.json: seed: must be at most 4294967295, found number 1e+30']);
	});
});

describe('JSON the loaders refuse', () => {
	it('refuses "__proto__", "constructor" and "prototype" keys with their path, and does not apply them', () => {
		const text = '{"id": "test-case", "title": "t", "description": "", "parameters": {"__proto__": {"demandGrowth": 0.4}}}';
		const loaded = loadScenarioText(text, 'test.json');
		expect(loaded.file).toBeUndefined();
		expect(loaded.problems.map(formatProblem)).toEqual(['test.json:1:69: parameters.__proto__: "__proto__" is not allowed as a key']);
		expect(messagesFor('{"id": "test-case", "title": "t", "description": "", "events": [{"constructor": 1}], "prototype": 2}')).toEqual([
			'test.json:1:66: events[0].constructor: "constructor" is not allowed as a key',
			'test.json:1:86: prototype: "prototype" is not allowed as a key'
		]);
		// A value parsed elsewhere (JSON.parse makes "__proto__" an own key) is refused too, not called "unknown".
		const parsed = JSON.parse('{"id": "test-case", "title": "t", "description": "", "parameters": {"__proto__": {"demandGrowth": 0.4}}}');
		expect(validateScenarioFile(parsed, 'link').problems.map(formatProblem)).toEqual(['link: parameters.__proto__: "__proto__" is not allowed as a key']);
	});

	it('refuses duplicate keys, with where the second one is', () => {
		expect(messagesFor('{"id": "test-case", "title": "t",\n "description": "", "paths": 10, "paths": 20}')).toEqual([
			'test.json:2:34: paths: the key "paths" appears more than once in this object'
		]);
	});

	it('refuses nesting deeper than 64 levels before parsing (no stack overflow)', () => {
		const deep = '['.repeat(200_000) + ']'.repeat(200_000);
		expect(messagesFor(deep)).toEqual(['test.json:1:65: objects and arrays are nested more than 64 levels deep']);
		expect(parseJson('"[[[[' + '['.repeat(100) + '"', 'x').problems).toEqual([]);
		const check = loadCheckText('groups: ' + '['.repeat(100_000) + ']'.repeat(100_000), 'deep.yaml');
		expect(check.problems.map(formatProblem)).toEqual(['deep.yaml:1:73: objects and arrays are nested more than 64 levels deep']);
		const json = loadCheckText('{"groups": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}', 'deep.json');
		expect(json.problems.map(formatProblem)).toEqual(['deep.json:1:75: objects and arrays are nested more than 64 levels deep']);
	});

	it('reports a truncated file once, saying it ends too early', () => {
		const whole = JSON.stringify({ ...minimal, paths: 10 }, null, 1);
		for (const cut of [20, 35, whole.length - 1]) {
			const messages = messagesFor(whole.slice(0, cut));
			expect(messages).toHaveLength(1);
			expect(messages[0]).toMatch(/^test\.json:\d+:\d+: not valid JSON: .*\(the text ends too early: is the file cut short\?\)$/);
		}
	});

	it('refuses a YAML alias bomb with a message, not an exception', () => {
		const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
		for (const [k, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
			const previous = k === 0 ? 'a' : ['b', 'c', 'd', 'e', 'f', 'g'][k - 1];
			lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
		}
		const loaded = loadCheckText(lines.join('\n') + '\ngroups: []\n', 'bomb.yaml');
		expect(loaded.problems.map(formatProblem)).toEqual(['bomb.yaml: aliases (*name) expand to too much data: at most 100 alias expansions are allowed']);
	});
});
