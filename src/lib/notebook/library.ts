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

/**
 * The order the library tells its story in: the baseline, then the shocks, then the policy answers,
 * then the history replays. A scenario not named here follows, by id.
 */
export const storyOrder = [
	'baseline',
	'renewed-controls',
	'controls-and-delays',
	'us-capacity-30pct-2030',
	'allied-stockpiling',
	'export-surge-2025',
	'history-2025',
	'history-2025-walk-forward'
];

/** Library ids in story order. */
export function inStoryOrder(ids: Iterable<string>): string[] {
	const rank = (id: string) => {
		const at = storyOrder.indexOf(id);
		return at < 0 ? storyOrder.length : at;
	};
	return [...ids].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function builtInLibrary() {
	const { library, problems } = buildLibrary(builtInScenarioTexts());
	return { library: new Map(inStoryOrder(library.keys()).map((id) => [id, library.get(id)!])), problems };
}

export const DEFAULT_SCENARIO_ID = 'baseline';
