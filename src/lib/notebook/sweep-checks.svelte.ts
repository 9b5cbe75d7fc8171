/**
 * The sweep cell's reader and planner (the YAML parser among them), loaded by the page with the
 * first sweep cell it shows rather than with the page: most notebooks have none. Reading the
 * module through `sweepChecks()` in a template or derived value redraws it once it has loaded.
 */
type SweepChecks = typeof import('../sweep/notebook');

let loaded = $state.raw<SweepChecks>();
let loading: Promise<SweepChecks> | undefined;

/** Loads the module (once); resolves when it is there. */
export function loadSweepChecks(): Promise<SweepChecks> {
	loading ??= import('../sweep/notebook').then((module) => (loaded = module));
	return loading;
}

/** The module if loaded; else undefined, and it starts loading. */
export function sweepChecks(): SweepChecks | undefined {
	if (!loaded) void loadSweepChecks();
	return loaded;
}
