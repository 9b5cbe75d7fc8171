import seedrandom from 'seedrandom';

/**
 * Named random streams. Every number a path uses is a function of (seed, path index, stream name,
 * draw index), so results never depend on how paths are split across chunks or workers, and a
 * stream added later does not reshuffle the others.
 */
export const streamNames = ['parameters', 'events', 'policy', 'demand', 'exports', 'price'] as const;
export type StreamName = (typeof streamNames)[number];

/** Uniform on [0, 1) with 32-bit resolution; `int32()` gives the raw 32 bits. */
export type Stream = seedrandom.PRNG;

/** seedrandom's tychei: fast, with a small state that is cheap to seed for every (path, stream). */
export function openStream(seed: number, path: number, name: StreamName): Stream {
	return seedrandom.tychei(`${seed}/${path}/${name}`);
}

/* Ziggurat tables for the standard normal, 128 layers (Marsaglia & Tsang 2000). */
const LAYERS = 128;
const TAIL_START = 3.442619855899;
const LAYER_AREA = 9.91256303526217e-3;
const TWO_TO_31 = 2147483648;
const kn = new Uint32Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
	let dn = TAIL_START;
	let tn = dn;
	const q = LAYER_AREA / Math.exp(-0.5 * dn * dn);
	kn[0] = (dn / q) * TWO_TO_31;
	kn[1] = 0;
	wn[0] = q / TWO_TO_31;
	wn[LAYERS - 1] = dn / TWO_TO_31;
	fn[0] = 1;
	fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
	for (let i = LAYERS - 2; i >= 1; i--) {
		dn = Math.sqrt(-2 * Math.log(LAYER_AREA / dn + Math.exp(-0.5 * dn * dn)));
		kn[i + 1] = (dn / tn) * TWO_TO_31;
		tn = dn;
		fn[i] = Math.exp(-0.5 * dn * dn);
		wn[i] = dn / TWO_TO_31;
	}
}

/**
 * Standard normal draws by the ziggurat method: one 32-bit draw per value in ~98.8 % of cases,
 * a logarithm or exponential only in the rare edge and tail cases.
 */
export class NormalSource {
	/* Held apart from the stream: seedrandom hangs `int32` on the generator function as a property,
	   and looking it up on every draw costs more than the draw. */
	private readonly int32: () => number;
	private readonly uniform: () => number;

	constructor(stream: Stream) {
		this.int32 = stream.int32;
		this.uniform = stream;
	}

	next(): number {
		const bits = this.int32();
		const layer = bits & (LAYERS - 1);
		if (Math.abs(bits) < kn[layer]) return bits * wn[layer];
		return this.edge(bits, layer);
	}

	private edge(bits: number, layer: number): number {
		for (;;) {
			if (layer === 0) {
				let x: number;
				let y: number;
				do {
					x = -Math.log(1 - this.uniform()) / TAIL_START;
					y = -Math.log(1 - this.uniform());
				} while (y + y < x * x);
				return bits > 0 ? TAIL_START + x : -TAIL_START - x;
			}
			const x = bits * wn[layer];
			if (fn[layer] + this.uniform() * (fn[layer - 1] - fn[layer]) < Math.exp(-0.5 * x * x)) return x;
			bits = this.int32();
			layer = bits & (LAYERS - 1);
			if (Math.abs(bits) < kn[layer]) return bits * wn[layer];
		}
	}
}
