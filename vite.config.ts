import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
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
