import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/api/index';

/** The README's API table is written by hand: every name the package exports must appear in it. */
describe('README "Use it in your own tests"', () => {
	const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
	const start = readme.indexOf('## Use it in your own tests');
	const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
	const tableNames = new Set([...section.matchAll(/^\| `([A-Za-z]+)/gm)].map((match) => match[1]));

	it('has the section and its table', () => {
		expect(start).toBeGreaterThanOrEqual(0);
		expect(section).toContain('npm install');
		expect(tableNames.size).toBeGreaterThan(0);
	});

	it.each(Object.keys(api))('lists %s', (name) => {
		expect(tableNames).toContain(name);
	});
});
