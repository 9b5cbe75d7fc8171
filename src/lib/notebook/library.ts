import { buildLibrary } from '../scenario/resolve';

/** The scenario files shipped in `scenarios/`, bundled as text. */
const scenarioTexts = import.meta.glob(['/scenarios/*.json', '!/scenarios/scenario.schema.json'], {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

export function builtInScenarioTexts(): { source: string; text: string }[] {
	return Object.entries(scenarioTexts)
		.map(([path, text]) => ({ source: path.slice(1), text }))
		.sort((a, b) => a.source.localeCompare(b.source));
}

export function builtInLibrary() {
	return buildLibrary(builtInScenarioTexts());
}

export const DEFAULT_SCENARIO_ID = 'baseline';
