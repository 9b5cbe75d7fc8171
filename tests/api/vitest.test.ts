import { describe, expect, it } from 'vitest';
import { evaluateIndicator, ScenarioInputError } from '../../src/api/index';
import { scenario } from '../../src/api/vitest';

/** The message of the assertion error a claim throws. */
function failure(claim: () => void): string {
	try {
		claim();
	} catch (error) {
		expect((error as Error).name).toBe('AssertionError');
		return (error as Error).message;
	}
	throw new Error('expected the claim to fail');
}

const options = { paths: 400, seed: 7, workers: 1 } as const;

describe('the scenario matcher', () => {
	it('passes a true claim and fails a false one naming metric, time, estimate, SE and bound', async () => {
		const handle = await scenario('renewed-controls', options);
		// The figure the claims are about, from the indicator of the same name (same paths and seed).
		const { value: p, se } = await evaluateIndicator('renewed-controls', 'P(shortfall > 0) in 2027', options);
		const far = 5 * se + 0.01;
		await expect(await scenario('renewed-controls', options))
			.metric('shortfall')
			.probabilityAbove(0)
			.in(2027)
			.toBeGreaterThan(p - far);
		expect(handle)
			.metric('shortfall')
			.probabilityAbove(0)
			.in(2027)
			.toBeLessThan(p + far);
		const message = failure(() =>
			expect(handle)
				.metric('shortfall')
				.probabilityAbove(0)
				.in(2027)
				.toBeLessThan(p - far)
		);
		expect(message).toContain('P(shortfall > 0) in 2027 < ');
		expect(message).toContain('renewed-controls');
		expect(message).toContain('is false');
		expect(message).toMatch(new RegExp(`estimate ${String(Number(p.toPrecision(4))).replace('.', '\\.')}, SE [\\d.e-]+, bound < [\\d.]+`));
	});

	it('fails an underpowered claim as inconclusive, with the paths that would settle it', async () => {
		const handle = await scenario('baseline', options);
		const { value, se } = await evaluateIndicator('baseline', 'median usMagnetPrice 2030', options);
		expect(se).toBeGreaterThan(0);
		const message = failure(() =>
			expect(handle)
				.metric('usMagnetPrice')
				.median()
				.in(2030)
				.toBeLessThan(value + se)
		);
		expect(message).toContain('inconclusive');
		expect(message).toContain('median of usMagnetPrice in 2030 < ');
		const settle = Number(/about ([\d,]+) paths would settle it/.exec(message)?.[1].replaceAll(',', ''));
		// Margin 1 SE against 3 × SE: about 9 × 400 paths.
		expect(settle).toBeGreaterThan(3000);
		expect(settle).toBeLessThan(5000);
	});

	it('reads by(year) from the scenario start, and caches one run per scenario, seed and paths', async () => {
		const handle = await scenario('renewed-controls', options);
		expect(await scenario('renewed-controls', options)).toBe(handle);
		const { value, se } = await evaluateIndicator('renewed-controls', 'P(shortfall > 0) by 2027', options);
		expect(handle)
			.metric('shortfall')
			.probabilityAbove(0)
			.by(2027)
			.toBeGreaterThan(value - 5 * se - 0.01);
		expect(
			failure(() =>
				expect(handle)
					.metric('shortfall')
					.probabilityAbove(0)
					.by(2027)
					.toBeGreaterThan(value + 5 * se + 0.01)
			)
		).toMatch(/P\(shortfall > 0\) from 20\d\d-\d\d through 2027-12 > /);
	});

	it('leaves the ordinary matchers alone and refuses a wrong claim as input', async () => {
		expect(1).toBeLessThan(2);
		expect(() => expect(3).toBeLessThan(2)).toThrow(/expected 3 to be less than 2/);
		const counter = { n: 0 };
		expect(() => counter.n++)
			.to.increase(counter, 'n')
			.by(1);
		const handle = await scenario('baseline', options);
		expect(() => expect(handle).metric('usMagnetPrise')).toThrow(ScenarioInputError);
		expect(() => expect(handle).metric('usMagnetPrise')).toThrow(/did you mean "usMagnetPrice"/);
		expect(() => expect(handle).metric('shortfall').median().in(2099)).toThrow(/outside|not wholly inside/);
		expect(() => expect(42).metric('shortfall')).toThrow(/scenario handle/);
	});
});
