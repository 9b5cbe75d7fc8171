// Compiles the installable package into dist/ (run by `npm run build:package` and `prepack`):
//   dist/index.js, dist/vitest.js   the API and the vitest matcher (ESM), with shared chunks beside them
//   dist/bin.js                     the `magnet-scenarios` command
//   dist/runner-thread.js           the worker thread the Node runner starts (no tsx needed)
//   dist/types/                     declarations from tsc, for the two entries and what they reference
//
// Why esbuild + tsc rather than tsdown: esbuild (0.28, already installed with vite and tsx) bundles
// our TypeScript into plain ESM for Node 20 without adding a toolchain; tsc (the project's own
// TypeScript) emits the declarations exactly as svelte-check sees the types. tsdown's newer
// releases want Node 22, and its dts plugin pins would add a second bundler (rolldown) version.
// Every chunk must stay in dist/ itself: the runner finds ./runner-thread.js beside its own chunk,
// and the package root (scenarios/) is found upwards from there.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });

await build({
	absWorkingDir: root,
	entryPoints: {
		index: 'src/api/index.ts',
		vitest: 'src/api/vitest.ts',
		bin: 'src/cli/bin.ts',
		'runner-thread': 'src/lib/runner/node/thread.ts'
	},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// Dependencies (and the vitest peer) are installed beside the package, not bundled into it.
	packages: 'external',
	chunkNames: 'chunk-[hash]',
	legalComments: 'none',
	logLevel: 'warning'
});

const bin = join(dist, 'bin.js');
writeFileSync(bin, '#!/usr/bin/env node\n' + readFileSync(bin, 'utf8'));
chmodSync(bin, 0o755);

const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.package.json'], { cwd: root, stdio: ['ignore', 2, 2] });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// tsc keeps relative specifiers as written (extensionless); Node-style resolution in a consumer's
// tsconfig ("module": "nodenext") needs them explicit: './x' → './x.js' or './x/index.js'.
function files(directory) {
	return readdirSync(directory).flatMap((name) => {
		const path = join(directory, name);
		return statSync(path).isDirectory() ? files(path) : [path];
	});
}
for (const file of files(join(dist, 'types')).filter((f) => f.endsWith('.d.ts'))) {
	const text = readFileSync(file, 'utf8');
	const fixed = text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\2/g, (whole, head, quote, specifier) => {
		if (/\.(m?js|json)$/.test(specifier)) return whole;
		const base = resolve(dirname(file), specifier);
		if (existsSync(`${base}.d.ts`)) return `${head}${quote}${specifier}.js${quote}`;
		if (existsSync(join(base, 'index.d.ts'))) return `${head}${quote}${specifier}/index.js${quote}`;
		return whole;
	});
	if (fixed !== text) writeFileSync(file, fixed);
}
// On stderr: `npm pack --json` prints its report on stdout after this script runs.
console.error(`built ${files(dist).length} files in dist/`);
