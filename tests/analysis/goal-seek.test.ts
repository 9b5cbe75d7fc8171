import { describe, expect, it } from 'vitest';
import { goalSeek } from '../../src/lib/analysis/goal-seek';
import { TycheiStream } from '../../src/lib/engine/random';

/**
 * A constructed monotone case on common random numbers: each of n paths has a latent uniform u, and
 * a path "fails" at lever θ when u > θ, so P(failure) = 1 − θ and the smallest θ with P ≤ 5 % is 0.95.
 */
const n = 20_000;
const stream = new TycheiStream().reseed('goal-seek-test');
const latent = Float64Array.from({ length: n }, () => stream.uniform());
function failureChance(lever: number) {
	let failures = 0;
	for (const u of latent) if (u > lever) failures++;
	const p = failures / n;
	return { value: p, se: Math.sqrt((p * (1 - p)) / n) };
}

describe('goal seeking on common random numbers', () => {
	it('finds the known answer of a monotone case within its reported Monte Carlo error', async () => {
		const result = await goalSeek(failureChance, 0, 1, 0.05, { tolerance: 1e-6 });
		const expectedSe = Math.sqrt((0.05 * 0.95) / n);
		expect(result.se).toBeGreaterThan(0.7 * expectedSe);
		expect(result.se).toBeLessThan(1.3 * expectedSe);
		expect(Math.abs(result.lever - 0.95)).toBeLessThan(3 * result.se);
		expect(result.estimate.value).toBeLessThanOrEqual(0.05);
		// Just below the answer the target is not met: it is the smallest such lever.
		expect(failureChance(result.lever - 2e-6).value).toBeGreaterThan(0.05);
	});

	it('stops when the bracket is one float step wide, whatever the tolerance', async () => {
		const result = await goalSeek(failureChance, 0, 1, 0.05, { tolerance: 1e-300 });
		expect(result.evaluations).toBeLessThan(60 + 4);
		expect(result.estimate.value).toBeLessThanOrEqual(0.05);
	});

	it('says when the target is met already at the lowest value or not even at the highest', async () => {
		await expect(goalSeek(failureChance, 0.97, 1, 0.05)).rejects.toThrow(/met already at the lowest/);
		await expect(goalSeek(failureChance, 0, 0.9, 0.05)).rejects.toThrow(/not met even at the highest/);
		await expect(goalSeek(failureChance, 1, 0, 0.05)).rejects.toThrow(/high > low/);
	});
});
