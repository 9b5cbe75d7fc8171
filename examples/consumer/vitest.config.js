import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.js'],
		environment: 'node',
		// Monte Carlo runs on a shared CI machine: minutes, not the default 5 seconds.
		testTimeout: 180_000
	}
});
