import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const packageName = 'magnet-scenarios';

function isPackageRoot(directory: string): boolean {
	const manifest = join(directory, 'package.json');
	if (!existsSync(manifest)) return false;
	try {
		return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === packageName;
	} catch {
		// An unreadable package.json on the way up is not ours.
		return false;
	}
}

/**
 * The nearest folder above `start` whose package.json is named `magnet-scenarios`: the repository
 * when run from `src/` (tsx, vitest), the installed package when run from the compiled `dist/`.
 * It holds `scenarios/` (the library) and, in the repository, `checks/`.
 */
export function findPackageRoot(start: string): string {
	for (let directory = start; ; directory = dirname(directory)) {
		if (isPackageRoot(directory)) return directory;
		if (dirname(directory) === directory) throw new Error(`no package.json named "${packageName}" above ${start}`);
	}
}

export const packageRoot = findPackageRoot(import.meta.dirname);
