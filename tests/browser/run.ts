import { chromiumPath, freePort, projectRoot, run } from './environment';
import { resolve } from 'node:path';

/**
 * `npm run test:browser`: builds the static site (with the analysis cells' test hooks), then runs Playwright against `vite preview` on
 * a free localhost port (the config starts the server), writing test-results/playwright.json.
 */
async function main() {
	try {
		chromiumPath();
	} catch (error) {
		console.error((error as Error).message);
		process.exit(1);
	}
	// The analysis cells expose their results as JSON for analysis.spec.ts; a production build leaves that out.
	process.env.VITE_EXPOSE_RESULTS = 'true';
	await run(resolve(projectRoot, 'node_modules/.bin/vite'), ['build']);
	process.env.NOTEBOOK_PORT = String(await freePort());
	await run(resolve(projectRoot, 'node_modules/.bin/playwright'), ['test', '--config', 'playwright.config.ts', ...process.argv.slice(2)]);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
