import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** A short, stable digest of results: the first 16 hex digits of SHA-256 over their JSON. */
export function fingerprintOf(value: unknown): string {
	return bytesToHex(sha256(utf8ToBytes(JSON.stringify(value)))).slice(0, 16);
}
