import { z } from 'zod';
import { cellsSchema } from './cells';
import { notebookLimits, type NotebookState } from './state';
import { validateScenarioFile } from '../scenario/read';
import { parameterById } from '../model/parameters';
import { formatProblem } from '../problems';
import type { ScenarioFile } from '../scenario/schema';

/**
 * The share-URL codec. A notebook's state travels as zlib-compressed JSON (its Adler-32 checksum catches tampering) in base64url, in
 * the fragment (`#s=…`), with the model version and the fingerprint of the result it was made
 * from. Decoding refuses oversized input before and during decompression (streamed), so a
 * crafted link cannot exhaust memory.
 */
export const shareLimits = {
	maxEncodedChars: notebookLimits.maxEncodedChars,
	maxDecodedBytes: notebookLimits.maxDecodedBytes
} as const;

export const SHARE_FORMAT = 1;
export const SHARE_PARAMETER = 's';

export interface SharePayload {
	format: typeof SHARE_FORMAT;
	modelVersion: string;
	state: NotebookState;
	/** Fingerprint of the full-count run the sender saw, when it had finished. */
	fingerprint?: string;
}

/** A notebook's state as saved and read: the cells' limits, and each cell its own id (see `cellsSchema`). */
const stateSchema = z.strictObject({
	scenario: z.strictObject({
		id: z.string().min(1).max(100),
		values: z.record(z.string().max(100), z.number()),
		file: z.unknown().optional()
	}),
	seed: z.number().int().min(0).max(notebookLimits.maxSeed),
	paths: z.number().int().min(notebookLimits.minPaths).max(notebookLimits.maxPaths),
	cells: cellsSchema
});

const payloadSchema = z.strictObject({
	format: z.literal(SHARE_FORMAT),
	modelVersion: z.string().min(1).max(50),
	state: stateSchema,
	fingerprint: z
		.string()
		.regex(/^[0-9a-f]{16}$/)
		.optional()
});

/** Where in a state an issue is, in words: "cell 3 (narrative), markdown". */
function placeOf(path: readonly PropertyKey[], state: unknown): string {
	const [first, index, ...rest] = path;
	if (first === 'cells' && typeof index === 'number') {
		const cells = (state as { cells?: unknown } | null)?.cells;
		const kind = Array.isArray(cells) ? (cells[index] as { kind?: unknown } | undefined)?.kind : undefined;
		return [`cell ${index + 1}${typeof kind === 'string' ? ` (${kind})` : ''}`, ...rest.map(String)].join(', ');
	}
	return path.map(String).join('.') || 'its top level';
}

/**
 * What keeps a notebook state from being saved and read back, by the limits a link or a saved
 * notebook is read with (an empty list when it fits). The encoded size is checked where it is encoded.
 */
export function stateProblems(state: unknown): string[] {
	const parsed = stateSchema.safeParse(state);
	const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${placeOf(issue.path, state)}: ${issue.message}.`);
	const bytes = new TextEncoder().encode(JSON.stringify(state) ?? '').length;
	if (bytes > notebookLimits.maxDecodedBytes)
		problems.push(`It is ${bytes.toLocaleString('en-US')} bytes of JSON; the limit is ${notebookLimits.maxDecodedBytes.toLocaleString('en-US')} bytes.`);
	return problems;
}

/** `notes` says what a link from an older model version needed changing to open. */
export type DecodeResult = { ok: true; payload: SharePayload; notes: string[] } | { ok: false; problems: string[] };

function renameModel1Metrics(text: string): string {
	return text
		.replace(/\bprice\b/g, 'usMagnetPrice')
		.replace(/\breplacementYear\(/g, 'relianceCutYear(')
		.replace(/\breplacementBy2030\(/g, 'relianceCutBy2030(');
}

/** Text fields of cells that may name a metric: indicators, thresholds, narratives, formulas. */
const CELL_TEXT_FIELDS = ['indicator', 'threshold', 'markdown', 'expression'] as const;

/**
 * Brings a link made with model 1.x to what model 2.0 reads, so it opens (and then says the model
 * has changed): the delivered `price` becomes `usMagnetPrice` (the 2.0 headline price) in every
 * cell, the 1.x narrative figures on `replacement` become the reliance-cut ones, and slider values
 * of parameters 2.0 no longer has are dropped. Returns what it changed, for the user.
 */
function migrateFromModel1(value: unknown): string[] {
	if (typeof value !== 'object' || value === null) return [];
	const payload = value as { modelVersion?: unknown; state?: { scenario?: { values?: unknown }; cells?: unknown } };
	if (typeof payload.modelVersion !== 'string' || !/^1\./.test(payload.modelVersion)) return [];
	const notes: string[] = [];
	const values = payload.state?.scenario?.values;
	if (typeof values === 'object' && values !== null) {
		const dropped = Object.keys(values).filter((id) => !Object.hasOwn(parameterById, id));
		for (const id of dropped) delete (values as Record<string, unknown>)[id];
		if (dropped.length > 0)
			notes.push(
				`Model 2.0 has no parameter ${dropped.map((id) => `"${id}"`).join(', ')}: ${dropped.length === 1 ? 'its slider value was' : 'their slider values were'} left out.`
			);
	}
	let renamed = false;
	for (const cell of Array.isArray(payload.state?.cells) ? payload.state.cells : []) {
		if (typeof cell !== 'object' || cell === null) continue;
		const fields = cell as Record<string, unknown>;
		if (fields.metric === 'price') {
			fields.metric = 'usMagnetPrice';
			renamed = true;
		}
		for (const key of CELL_TEXT_FIELDS) {
			const text = fields[key];
			if (typeof text !== 'string') continue;
			// A narrative names metrics only inside its {{ … }} figures; its prose stays as written.
			const migrated = key === 'markdown' ? text.replace(/\{\{[^}]*\}\}/g, renameModel1Metrics) : renameModel1Metrics(text);
			if (migrated !== text) {
				fields[key] = migrated;
				renamed = true;
			}
		}
	}
	if (renamed) notes.push('The delivered price of model 1.x is gone: its cells now show usMagnetPrice, the landed price of a China-made magnet with tariffs.');
	return notes;
}

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
	const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | 'too large'> {
	const reader = stream.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.length;
		if (total > limit) {
			await reader.cancel();
			return 'too large';
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return bytes;
}

export async function encodeSharePayload(payload: SharePayload): Promise<string> {
	const json = new TextEncoder().encode(JSON.stringify(payload));
	const stream = new Blob([json]).stream().pipeThrough(new CompressionStream('deflate'));
	const compressed = await readAll(stream, Number.POSITIVE_INFINITY);
	return toBase64Url(compressed as Uint8Array);
}

/** Decodes and validates an encoded payload; every failure is a message, never an exception. */
export async function decodeSharePayload(encoded: string): Promise<DecodeResult> {
	const fail = (...problems: string[]): DecodeResult => ({ ok: false, problems });
	if (encoded.length > shareLimits.maxEncodedChars) {
		return fail(
			`The link's state is ${encoded.length.toLocaleString('en-US')} characters long; the limit is ${shareLimits.maxEncodedChars.toLocaleString('en-US')} characters.`
		);
	}
	if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) {
		return fail('The link is not a notebook link: its state has characters a notebook link never contains.');
	}
	let json: string;
	try {
		const stream = new Blob([fromBase64Url(encoded) as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
		const bytes = await readAll(stream, shareLimits.maxDecodedBytes);
		if (bytes === 'too large') {
			return fail(`The link's state expands to more than ${shareLimits.maxDecodedBytes.toLocaleString('en-US')} bytes; it was refused.`);
		}
		json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return fail('The link is damaged or truncated: its state could not be decompressed.');
	}
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch {
		return fail('The link is damaged: its state is not valid JSON.');
	}
	const notes = migrateFromModel1(value);
	const parsed = payloadSchema.safeParse(value);
	if (!parsed.success) {
		return fail(...parsed.error.issues.map((issue) => `The link's state is not valid at ${issue.path.join('.') || 'its top level'}: ${issue.message}.`));
	}
	const { file, ...choice } = parsed.data.state.scenario;
	let scenarioFile: ScenarioFile | undefined;
	if (file !== undefined) {
		const loaded = validateScenarioFile(file, 'shared scenario');
		if (!loaded.file) return fail(...loaded.problems.map(formatProblem));
		scenarioFile = loaded.file;
	}
	const state: NotebookState = { ...parsed.data.state, scenario: scenarioFile ? { ...choice, file: scenarioFile } : choice };
	return { ok: true, payload: { ...parsed.data, state }, notes };
}

/** The encoded state in a URL fragment such as `#s=…`, or undefined when the fragment has none. */
export function sharedStateOf(hash: string): string | undefined {
	const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
	if (fragment === '') return undefined;
	return new URLSearchParams(fragment).get(SHARE_PARAMETER) ?? fragment;
}

export function shareFragment(encoded: string): string {
	return `#${SHARE_PARAMETER}=${encoded}`;
}
