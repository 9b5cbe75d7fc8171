import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding `package.json` and `scenarios/`, found upwards from this module: the
 * repository when run from `src/cli/` (tsx, vitest), the installed package when run from the
 * compiled `dist/` (where every module sits one level below the root, in bundled chunks).
 */
export function findPackageRoot(start: string): string {
	for (let directory = start; ; directory = dirname(directory)) {
		if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'scenarios'))) return directory;
		if (dirname(directory) === directory) throw new Error(`cannot find the magnet-scenarios package root (package.json beside scenarios/) above ${start}`);
	}
}

export const packageRoot = findPackageRoot(import.meta.dirname);
