import { describe, expect, it } from 'vitest';
import { evaluateIndicator, libraryIds, loadScenario, modelVersion, runScenario, ScenarioInputError } from 'magnet-scenarios';

describe('the magnet-scenarios API, installed from its tarball', () => {
	it('gives the fingerprint the repository prints for the same scenario, seed and paths', async () => {
		const result = await runScenario(await loadScenario('baseline'), { paths: 1000 });
		expect(result.modelVersion).toBe(modelVersion);
		expect(result.paths).toBe(1000);
		// Set by scripts/consumer-test.mjs from `npm run -s batch -- baseline --paths 1000` in the repository.
		const expected = process.env.EXPECTED_BASELINE_FINGERPRINT;
		if (!expected) throw new Error('EXPECTED_BASELINE_FINGERPRINT is not set: run this example through scripts/consumer-test.mjs');
		expect(result.fingerprint).toBe(expected);
	});

	it('lists the library scenarios our plans are tested against', () => {
		expect(libraryIds()).toEqual(expect.arrayContaining(['baseline', 'renewed-controls']));
	});

	it('refuses an unknown scenario with the problem list the command line prints', async () => {
		let caught;
		try {
			await loadScenario('no-such-scenario');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ScenarioInputError);
		expect(caught.problems.length).toBeGreaterThan(0);
		expect(caught.problems[0].message).toMatch(/unknown scenario "no-such-scenario"/);
	});

	it('prices U.S. magnets in 2030 within a plausible band (median, USD/kg)', async () => {
		const { value, se, unit } = await evaluateIndicator(await loadScenario('baseline'), 'median usMagnetPrice 2030', { paths: 2000 });
		expect(unit).toMatch(/USD\/kg/);
		expect(se).toBeGreaterThan(0);
		expect(value - 3 * se).toBeGreaterThan(20);
		expect(value + 3 * se).toBeLessThan(500);
	});
});
