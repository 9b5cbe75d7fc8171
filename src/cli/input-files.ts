import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { inputLimits } from '../lib/limits';
import type { Problem } from '../lib/problems';

/**
 * Reads a text file given by the user, refusing before reading it whole what is not a regular file
 * (a directory, /dev/zero, a FIFO) or is larger than `maxBytes`. Never throws for such input:
 * the answer is the text or one problem saying what is wrong with the file.
 */
export function readInputFile(
	path: string,
	source = path,
	maxBytes: number = inputLimits.maxFileBytes
): { text: string; problem?: undefined } | { text?: undefined; problem: Problem } {
	const fail = (message: string) => ({ problem: { source, path: '', message } });
	let stats;
	try {
		stats = statSync(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return fail('no such file');
		if (code === 'ENOTDIR') return fail('no such file (a part of the path is a file, not a directory)');
		if (code === 'EACCES' || code === 'EPERM') return fail('permission denied');
		return fail(`cannot read: ${code ?? String(error)}`);
	}
	if (stats.isDirectory()) return fail('is a directory, not a file');
	if (!stats.isFile()) return fail('is not a regular file (a device, pipe or socket)');
	if (stats.size > maxBytes) return fail(`the file is ${stats.size.toLocaleString('en-US')} bytes; the limit is ${maxBytes.toLocaleString('en-US')} bytes`);
	let fd: number | undefined;
	try {
		fd = openSync(path, 'r');
		// Sized for the file as stat saw it, grown if it grew since, and read at most one byte beyond
		// the limit: a file that grew past it is still refused, and a large limit costs no memory.
		let buffer = Buffer.alloc(Math.min(maxBytes, stats.size) + 1);
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				const grown = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2));
				buffer.copy(grown, 0, 0, length);
				buffer = grown;
			}
			const read = readSync(fd, buffer, length, buffer.length - length, null);
			if (read === 0) break;
			length += read;
			if (length > maxBytes) return fail(`the file is larger than the limit of ${maxBytes.toLocaleString('en-US')} bytes`);
		}
		return { text: buffer.toString('utf8', 0, length) };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EACCES' || code === 'EPERM') return fail('permission denied');
		return fail(`cannot read: ${code ?? String(error)}`);
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
