import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { PathStreams, streamNames, TycheiStream, type StreamName } from '../../src/lib/engine/random';

/** The definition of a stream: seedrandom's tychei seeded with "seed/path/name". */
const definedStream = (seed: number, path: number, name: StreamName) => seedrandom.tychei(`${seed}/${path}/${name}`);

describe('TycheiStream', () => {
	it('gives the same numbers as the stream definition (seedrandom.tychei of "seed/path/name")', () => {
		const fast = new TycheiStream();
		for (const seed of [0, 1, 20260101, 123.5, -7]) {
			for (const path of [0, 1, 9999, 123456]) {
				for (const name of streamNames) {
					const reference = definedStream(seed, path, name);
					fast.reseed(`${seed}/${path}/${name}`);
					for (let k = 0; k < 50; k++) expect(fast.int32()).toBe(reference.int32());
					for (let k = 0; k < 50; k++) expect(fast.uniform()).toBe(reference());
				}
			}
		}
	});

	it('PathStreams opens every named stream of a path as the definition does', () => {
		const streams = new PathStreams().open(42, 77);
		for (const name of streamNames) {
			const reference = definedStream(42, 77, name);
			for (let k = 0; k < 20; k++) expect(streams[name].uniform()).toBe(reference());
		}
	});

	it('normal draws are standard normal (mean 0, variance 1, tails beyond the ziggurat base)', () => {
		const stream = new TycheiStream().reseed('normal-test');
		const n = 400_000;
		let sum = 0;
		let squares = 0;
		let beyond = 0;
		for (let i = 0; i < n; i++) {
			const x = stream.normal();
			sum += x;
			squares += x * x;
			if (Math.abs(x) > 3.442619855899) beyond++;
		}
		expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
		expect(Math.abs(squares / n - 1)).toBeLessThan(0.01);
		// P(|Z| > 3.4426) ≈ 5.76e-4
		expect(beyond / n).toBeGreaterThan(4e-4);
		expect(beyond / n).toBeLessThan(7.5e-4);
	});
});
