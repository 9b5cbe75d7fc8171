// A strategy team's claims about the library scenarios, with the Monte Carlo-aware matcher:
// each passes only when the estimate clears the bound by k standard errors.
import { describe, expect, it } from 'vitest';
import { scenario } from 'magnet-scenarios/vitest';

describe('our supply plan against the library scenarios', () => {
	it('renewed export controls make a 2027 shortfall likely enough to plan for (P > 15 %)', async () => {
		await expect(await scenario('renewed-controls'))
			.metric('shortfall')
			.probabilityAbove(0)
			.in(2027)
			.toBeGreaterThan(0.15);
	});

	it('without renewed controls, a 2027 shortfall stays unlikely (P < 30 %)', async () => {
		await expect(await scenario('baseline'))
			.metric('shortfall')
			.probabilityAbove(0)
			.in(2027)
			.toBeLessThan(0.3);
	});
});
