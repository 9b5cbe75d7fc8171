/**
 * Order-preserving 32-bit keys of float32 values, shared by the in-memory selection
 * (quantiles.ts) and the streamed one (column-statistics.ts), which must order values alike.
 * As signed integers, positive floats' bits already sort right; negative ones sort backwards, so
 * their magnitude bits are flipped (−0 becomes −1, just below +0); NaN, whatever its sign, goes
 * last: the order of `Float32Array.prototype.sort`.
 */

const keyBits = new Int32Array(1);
const keyFloat = new Float32Array(keyBits.buffer);

/** The key of a float32's bits (as a signed 32-bit integer). */
export function keyOf(bits: number): number {
	return (bits & 0x7fffffff) > 0x7f800000 ? 0x7fffffff : bits ^ ((bits >> 31) & 0x7fffffff);
}

/** The key of a value, rounded to float32 first. */
export function keyOfValue(value: number): number {
	keyFloat[0] = value;
	return keyOf(keyBits[0]);
}

/** The float32 value of a key (the inverse of `keyOf`; NaN for the NaN key). */
export function valueOfKey(key: number): number {
	keyBits[0] = key < 0 ? key ^ 0x7fffffff : key;
	return keyFloat[0];
}
