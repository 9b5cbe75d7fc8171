import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildLibrary, resolveScenario } from '../../src/lib/scenario/resolve';

export const scenariosDirectory = resolve(import.meta.dirname, '../../scenarios');

export function scenarioTexts() {
	return readdirSync(scenariosDirectory)
		.filter((name) => name.endsWith('.json') && name !== 'scenario.schema.json')
		.sort()
		.map((name) => ({ source: `scenarios/${name}`, text: readFileSync(join(scenariosDirectory, name), 'utf8') }));
}

export function testLibrary() {
	return buildLibrary(scenarioTexts()).library;
}

export function scenario(id: string) {
	return resolveScenario(id, testLibrary());
}
