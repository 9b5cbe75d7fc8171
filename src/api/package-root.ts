import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's name in its package.json: the root is the nearest folder above this module that holds it. */
export const packageName = 'magnet-scenarios';

/**
 * The package's root folder: the nearest folder, walking up from this module's own, whose
 * package.json is named `magnet-scenarios`. Works from `src/api/` (tsx, vitest) and from a
 * compiled `dist/…/api/` inside an installed tarball alike.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
	let directory = from;
	for (;;) {
		const manifest = join(directory, 'package.json');
		if (existsSync(manifest)) {
			try {
				if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === packageName) return directory;
			} catch {
				// An unreadable package.json on the way up is not ours: keep walking.
			}
		}
		const parent = dirname(directory);
		if (parent === directory) throw new Error(`no package.json named "${packageName}" above ${from}`);
		directory = parent;
	}
}

/** The scenario library: `<package root>/scenarios` (its `*.json` files, except the schema). */
export function libraryDirectory(): string {
	return join(packageRoot(), 'scenarios');
}
