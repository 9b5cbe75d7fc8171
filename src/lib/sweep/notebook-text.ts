import type { Scenario } from '../scenario/schema';

/**
 * What the notebook knows of sweep cells without reading their YAML: the caps, the text a new cell
 * starts with and the title its header shows. Light on purpose: the page bundles it, and loads the
 * YAML reader and the planner (notebook.ts) only with its first sweep cell.
 */

/** The most a sweep cell may run: points of its design, and paths per point. */
export const notebookSweepLimits = { maxPoints: 500, maxPathsPerPoint: 2_000 } as const;

/** The sliders a default sweep varies, when the scenario has them; else its first ones. */
const PREFERRED_SLIDERS = ['alliedGrowth', 'demandGrowth', 'capacitySlipExtra', 'tariffLater'];

/**
 * The text a new sweep cell starts with: a small Latin hypercube over two or three sliders of the
 * scenario on screen, one output and a discovery block, small enough to run in a few seconds.
 */
export function defaultSweepText(scenario: Scenario, year: number): string {
	const controls = scenario.controls ?? [];
	const preferred = PREFERRED_SLIDERS.flatMap((param) => controls.filter((c) => c.param === param));
	const chosen = [...new Set([...preferred, ...controls])].slice(0, 3);
	const output = `P(shortfall > 0) in ${year}`;
	const factors =
		chosen.length > 0
			? chosen.map((c) => `  - param: ${c.param}\n    min: ${c.min}\n    max: ${c.max}`).join('\n')
			: '  - param: alliedGrowth\n    min: 0\n    max: 0.3';
	return [
		`# A small sweep, run in the page's workers (at most ${notebookSweepLimits.maxPoints} points of ${notebookSweepLimits.maxPathsPerPoint.toLocaleString('en-US')} paths).`,
		'# Bigger ones: npm run sweep, then load the merged result below.',
		`title: ${JSON.stringify(`What leaves U.S. buyers short in ${year}`)}`,
		`scenario: ${scenario.id}`,
		'paths: 300',
		'design:',
		'  kind: latin-hypercube',
		'  points: 60',
		'factors:',
		factors,
		'outputs:',
		`  - ${output}`,
		'discover:',
		`  output: ${output}`,
		'  above: 0.1',
		'  minimumDensity: 0.8',
		''
	].join('\n');
}

/** A sweep text's title line, for the cell's header ("Sweep" when it has none that reads). */
export function sweepTitleOf(text: string): string {
	const line = /^title:[ \t]*(.+)$/m.exec(text)?.[1]?.trim();
	if (!line) return 'Sweep';
	const unquoted = /^(["'])(.*)\1$/.exec(line)?.[2] ?? line;
	return unquoted.slice(0, 80) || 'Sweep';
}
