let pointJobModule: Promise<typeof import('../../sweep/point-job')> | undefined;

/**
 * The sweep code, loaded with the first sweep point (a pool that never sweeps never loads it), and
 * imported once: each `import()` goes through the module loader's hooks again (tsx's run in a
 * thread of their own), which cost more than the point.
 */
export function pointJobs(): Promise<typeof import('../../sweep/point-job')> {
	return (pointJobModule ??= import('../../sweep/point-job'));
}
