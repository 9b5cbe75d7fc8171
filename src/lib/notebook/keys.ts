import { canonicalJson } from '../limits';
import type { Scenario } from '../scenario/schema';

/**
 * Keys of runs and analyses: canonical JSON of the request (`canonicalJson`), with each scenario's
 * canonical JSON made once per scenario object. A resolved scenario is never changed, and its JSON
 * is the bulk of a key: without this, every slider step wrote the same scenarios out again for each
 * cell and each look-up of the result on screen.
 */
const scenarioJson = new WeakMap<Scenario, string>();

function canonicalScenario(scenario: Scenario): string {
	let json = scenarioJson.get(scenario);
	if (json === undefined) scenarioJson.set(scenario, (json = canonicalJson(scenario)));
	return json;
}

/** `canonicalJson(value)`, exactly, with the scenarios in `fields` (top-level fields of `value`) written once per object. */
export function canonicalJsonWithScenarios(value: object, fields: readonly string[]): string {
	const stand = { ...value } as Record<string, unknown>;
	const scenarios = new Map<string, Scenario>();
	for (const field of fields) {
		const scenario = stand[field] as Scenario | undefined;
		if (scenario === undefined) continue;
		// A stand-in no request holds (NUL characters), replaced by the scenario's own JSON below.
		const placeholder = `\u0000${field}\u0000`;
		scenarios.set(JSON.stringify(placeholder), scenario);
		stand[field] = placeholder;
	}
	let json = canonicalJson(stand);
	for (const [placeholder, scenario] of scenarios) json = json.replace(placeholder, () => canonicalScenario(scenario));
	return json;
}
