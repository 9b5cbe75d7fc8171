import { sveltekit } from '@sveltejs/kit/vite';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/*
 * Cross-origin isolation lets the workers share one block of paths (SharedArrayBuffer) instead of
 * copying chunks between them. The dev and preview servers send the headers (SvelteKit serves the
 * pages itself, so they are set in a middleware that runs first); a static host that does not
 * send them still works: the workers then copy.
 */
const crossOriginIsolation: Record<string, string> = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

function crossOriginIsolationHeaders(): Plugin {
	const setHeaders = (server: { middlewares: Connect.Server }): void => {
		server.middlewares.use((_request, response, next) => {
			for (const [name, value] of Object.entries(crossOriginIsolation)) response.setHeader(name, value);
			next();
		});
	};
	return { name: 'cross-origin-isolation', configureServer: setHeaders, configurePreviewServer: setHeaders };
}

export default defineConfig({
	plugins: [crossOriginIsolationHeaders(), sveltekit()],
	worker: { format: 'es' },
	optimizeDeps: {
		include: [
			'seedrandom',
			'comlink',
			'plotly.js-basic-dist-min',
			'@stdlib/stats-base-dists-normal-cdf',
			'@stdlib/stats-base-dists-normal-quantile',
			'@noble/hashes/sha2.js',
			'@noble/hashes/utils.js'
		]
	},
	test: {
		include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
