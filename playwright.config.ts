import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './tests/browser/environment';

const port = Number(process.env.NOTEBOOK_PORT || 4173);

export default defineConfig({
	testDir: 'tests/browser',
	testMatch: '**/*.spec.ts',
	timeout: 120_000,
	expect: { timeout: 60_000 },
	fullyParallel: false,
	workers: 1,
	reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
	outputDir: 'test-results/playwright-artifacts',
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		browserName: 'chromium',
		launchOptions: { executablePath: chromiumPath(), args: chromiumArgs },
		acceptDownloads: true
	},
	webServer: {
		command: `node_modules/.bin/vite preview --host 127.0.0.1 --port ${port} --strictPort`,
		url: `http://127.0.0.1:${port}/`,
		reuseExistingServer: false,
		timeout: 30_000
	}
});
