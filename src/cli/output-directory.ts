import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Problem } from '../lib/problems';

function statOf(path: string) {
	try {
		return statSync(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return undefined;
		if (code === 'ENOTDIR') return 'under a file' as const;
		throw error;
	}
}

/**
 * Checks, before any work, that `directory` is (or can be made) a directory to write into: not an
 * existing file, not under a file, and creatable where it would go (probed by making and removing
 * an empty directory in the nearest existing ancestor). Creates nothing that stays.
 */
export function outputDirectoryProblem(directory: string, option = '--out'): Problem | undefined {
	const fail = (message: string): Problem => ({ source: 'command line', path: option, message: `${directory}: ${message}` });
	try {
		const target = resolve(directory);
		const own = statOf(target);
		if (own === 'under a file') return fail('is under a file, not a directory');
		if (own && !own.isDirectory()) return fail('exists and is not a directory');
		let existing = own ? target : dirname(target);
		for (;;) {
			const stats = statOf(existing);
			if (stats === 'under a file') return fail('is under a file, not a directory');
			if (stats) {
				if (!stats.isDirectory()) return fail(`is under ${existing}, which is a file, not a directory`);
				break;
			}
			const parent = dirname(existing);
			if (parent === existing) return fail('no existing directory above it');
			existing = parent;
		}
		const probe = join(existing, `.write-probe-${process.pid}-${Date.now()}`);
		try {
			mkdirSync(probe);
			rmdirSync(probe);
		} catch (error) {
			return fail(`cannot write there (${(error as NodeJS.ErrnoException).code ?? String(error)} in ${existing})`);
		}
		return undefined;
	} catch (error) {
		return fail(`cannot use it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
}

/**
 * Creates a directory and its missing parents one level at a time. (`mkdirSync(…, { recursive: true })`
 * spins forever under /proc on some Node versions.)
 */
export function makeDirectory(directory: string): void {
	const target = resolve(directory);
	const missing: string[] = [];
	for (let path = target; ; path = dirname(path)) {
		const stats = statOf(path);
		if (stats === 'under a file') throw Object.assign(new Error(`${directory} is under a file`), { code: 'ENOTDIR' });
		if (stats) break;
		missing.unshift(path);
		if (dirname(path) === path) break;
	}
	for (const path of missing) {
		try {
			mkdirSync(path);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
	}
}
