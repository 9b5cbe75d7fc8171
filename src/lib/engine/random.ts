/**
 * Named random streams. Every number a path uses is a function of (seed, path index, stream name,
 * draw index), so results never depend on how paths are split across chunks or workers, and a
 * stream added later does not reshuffle the others.
 */
export const streamNames = ['parameters', 'events', 'policy', 'demand', 'exports', 'price', 'licences'] as const;
export type StreamName = (typeof streamNames)[number];

const TWO_TO_32 = 4294967296;
/** Int32 values of a stream's state (`saveState`, `restoreState`). */
export const STREAM_STATE_SIZE = 4;

/**
 * A stream is defined as seedrandom's tychei generator (Neves & Araujo 2011) seeded with
 * "seed/path/name". This class is that generator as a plain class: the same state update, the same
 * string seeding and the same outputs (tests/engine/random.test.ts checks it against seedrandom),
 * but one object per stream that can be reseeded in place, and methods that V8 inlines into the
 * path loop.
 */
export class TycheiStream {
	/* The state a, b, c, d in an Int32Array: as object fields, 32-bit values outside the small-integer
	   range would be boxed as heap numbers on every update. */
	private readonly state = new Int32Array(4);

	/** Seeds from a string exactly as seedrandom.tychei does (mix in each char, then 20 more steps). */
	reseed(text: string): this {
		const state = this.state;
		state[0] = 0;
		state[1] = 0;
		state[2] = 2654435769 | 0;
		state[3] = 1367130551;
		const length = text.length;
		for (let k = 0; k < length; k++) {
			state[1] ^= text.charCodeAt(k);
			this.int32();
		}
		for (let k = 0; k < 20; k++) this.int32();
		return this;
	}

	/** Copies the state to `into[at …]`: `restoreState` later continues from here. */
	saveState(into: Int32Array, at: number): void {
		const state = this.state;
		into[at] = state[0];
		into[at + 1] = state[1];
		into[at + 2] = state[2];
		into[at + 3] = state[3];
	}

	restoreState(from: Int32Array, at: number): void {
		const state = this.state;
		state[0] = from[at];
		state[1] = from[at + 1];
		state[2] = from[at + 2];
		state[3] = from[at + 3];
	}

	/** The next 32 bits as a signed integer (seedrandom's `int32()`). */
	int32(): number {
		const state = this.state;
		let a = state[0];
		let b = state[1];
		let c = state[2];
		let d = state[3];
		b = (b << 25) ^ (b >>> 7) ^ c;
		c = (c - d) | 0;
		d = (d << 24) ^ (d >>> 8) ^ a;
		a = (a - b) | 0;
		b = (b << 20) ^ (b >>> 12) ^ c;
		c = (c - d) | 0;
		state[1] = b;
		state[2] = c;
		state[3] = (d << 16) ^ (c >>> 16) ^ a;
		return (state[0] = (a - b) | 0);
	}

	/** Uniform on [0, 1) (seedrandom's `prng()`). */
	uniform(): number {
		return (this.int32() >>> 0) / TWO_TO_32;
	}

	/**
	 * A standard normal by the ziggurat method: one 32-bit draw per value in ~98.8 % of cases, a
	 * logarithm or exponential only in the rare edge and tail cases.
	 */
	normal(): number {
		const bits = this.int32();
		const layer = bits & (LAYERS - 1);
		if (Math.abs(bits) < kn[layer]) return bits * wn[layer];
		return normalEdge(this, bits, layer);
	}
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

/** The ziggurat's rare cases: the wedge test of a layer's edge, or the tail beyond TAIL_START. */
function normalEdge(stream: TycheiStream, bits: number, layer: number): number {
	for (;;) {
		if (layer === 0) {
			let x: number;
			let y: number;
			do {
				x = -Math.log(1 - stream.uniform()) / TAIL_START;
				y = -Math.log(1 - stream.uniform());
			} while (y + y < x * x);
			return bits > 0 ? TAIL_START + x : -TAIL_START - x;
		}
		const x = bits * wn[layer];
		if (fn[layer] + stream.uniform() * (fn[layer - 1] - fn[layer]) < Math.exp(-0.5 * x * x)) return x;
		bits = stream.int32();
		layer = bits & (LAYERS - 1);
		if (Math.abs(bits) < kn[layer]) return bits * wn[layer];
	}
}

/**
 * All the streams of one path, reseeded in place for each path (no allocation per path):
 * "parameters" and "events" give uniforms, "policy" one uniform a month, "demand", "exports",
 * "price" and "licences" one standard normal a month each.
 */
export class PathStreams {
	readonly parameters = new TycheiStream();
	readonly events = new TycheiStream();
	readonly policy = new TycheiStream();
	readonly demand = new TycheiStream();
	readonly exports = new TycheiStream();
	readonly price = new TycheiStream();
	readonly licences = new TycheiStream();

	/** Opens path `path`'s streams: stream `name` is seeded with "seed/path/name". */
	open(seed: number, path: number): this {
		const prefix = `${seed}/${path}/`;
		this.parameters.reseed(prefix + 'parameters');
		this.events.reseed(prefix + 'events');
		this.policy.reseed(prefix + 'policy');
		this.demand.reseed(prefix + 'demand');
		this.exports.reseed(prefix + 'exports');
		this.price.reseed(prefix + 'price');
		this.licences.reseed(prefix + 'licences');
		return this;
	}

	policyUniform(): number {
		return this.policy.uniform();
	}
	demandNormal(): number {
		return this.demand.normal();
	}
	exportNormal(): number {
		return this.exports.normal();
	}
	priceNormal(): number {
		return this.price.normal();
	}
	licenceNormal(): number {
		return this.licences.normal();
	}
}
