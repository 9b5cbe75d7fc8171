// Prints the built client's JavaScript chunks, raw and gzipped, largest first, and what each
// holds (the libraries found in it), so a change that drags heavy code into the page or the
// worker's start-up chunk shows. Run after `npm run build`: `node scripts/bundle-sizes.mjs`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = '.svelte-kit/output/client/_app/immutable';
const markers = {
	mathjs: /typed-function|mathjs|ArgumentsError/,
	plotly: /plotly/i,
	seedrandom: /seedrandom|ARC4|xor4096/,
	'@stdlib': /@stdlib|erfcinv|erfinv/,
	engine: /simulatePaths|drawBlock|nextLogPriceRatio/,
	comlink: /Comlink|comlink|releaseProxy/
};

function* files(directory) {
	for (const name of readdirSync(directory)) {
		const path = join(directory, name);
		if (statSync(path).isDirectory()) yield* files(path);
		else if (name.endsWith('.js')) yield path;
	}
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const rows = [...files(root)]
	.map((path) => {
		const text = readFileSync(path);
		const holds = Object.entries(markers)
			.filter(([, pattern]) => pattern.test(text.toString('latin1')))
			.map(([name]) => name);
		return { path: relative(root, path), raw: text.length, gzip: gzipSync(text).length, holds };
	})
	.filter((row) => row.raw > 1000)
	.sort((a, b) => b.raw - a.raw);

for (const row of rows) console.log(`${kB(row.raw).padStart(10)} ${kB(row.gzip).padStart(10)} gzip  ${row.path}  ${row.holds.join(', ')}`);
