import { describe, expect, it } from 'vitest';
import { defaultCells } from '../../src/lib/notebook/cells';
import {
	decodeSharePayload,
	encodeSharePayload,
	shareFragment,
	sharedStateOf,
	SHARE_FORMAT,
	shareLimits,
	stateProblems,
	type SharePayload
} from '../../src/lib/notebook/link';
import { modelVersion } from '../../src/lib/model/version';
import { scenario, testLibrary } from './fixtures';

const baseline = scenario('baseline');
const payload: SharePayload = {
	format: SHARE_FORMAT,
	modelVersion: '1.0.0',
	state: { scenario: { id: 'baseline', values: { demandGrowth: 0.1 } }, seed: 42, paths: 2_000, cells: defaultCells(baseline, [...testLibrary().keys()]) },
	fingerprint: '0123456789abcdef'
};

async function compressedBase64Url(text: string): Promise<string> {
	const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate'));
	const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
	return Buffer.from(bytes).toString('base64url');
}

describe('share-URL codec', () => {
	it('round-trips a notebook state exactly', async () => {
		const encoded = await encodeSharePayload(payload);
		expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(await decodeSharePayload(encoded)).toEqual({ ok: true, payload, notes: [] });
		expect(sharedStateOf(shareFragment(encoded))).toBe(encoded);
	});

	it('opens a model 1.x link: the delivered price becomes usMagnetPrice, removed parameters are dropped, and it says so', async () => {
		const old = {
			format: SHARE_FORMAT,
			modelVersion: '1.1.0',
			state: {
				scenario: { id: 'baseline', values: { demandGrowth: 0.1, domesticCapacityTarget: 8000 } },
				seed: 42,
				paths: 2_000,
				cells: [
					{ kind: 'fan', id: 'cell-1', collapsed: false, metric: 'price' },
					{ kind: 'tornado', id: 'cell-2', collapsed: false, indicator: 'median price 2030', paths: 2000, levers: 'both' },
					{
						kind: 'narrative',
						id: 'cell-3',
						collapsed: false,
						markdown: 'The price in 2027: {{ median(price, 2027) }}, first year {{ replacementYear() }}; the prose stays.'
					}
				]
			},
			fingerprint: '0123456789abcdef'
		};
		const decoded = await decodeSharePayload(await compressedBase64Url(JSON.stringify(old)));
		if (!decoded.ok) throw new Error(decoded.problems.join(' '));
		expect(decoded.payload.modelVersion).toBe('1.1.0');
		expect(decoded.payload.fingerprint).toBe('0123456789abcdef');
		expect(decoded.payload.state.scenario.values).toEqual({ demandGrowth: 0.1 });
		expect(decoded.payload.state.cells).toEqual([
			{ kind: 'fan', id: 'cell-1', collapsed: false, metric: 'usMagnetPrice' },
			{ kind: 'tornado', id: 'cell-2', collapsed: false, indicator: 'median usMagnetPrice 2030', paths: 2000, levers: 'both' },
			{
				kind: 'narrative',
				id: 'cell-3',
				collapsed: false,
				markdown: 'The price in 2027: {{ median(usMagnetPrice, 2027) }}, first year {{ relianceCutYear() }}; the prose stays.'
			}
		]);
		expect(decoded.notes).toHaveLength(2);
		expect(decoded.notes[0]).toContain('"domesticCapacityTarget"');
		expect(decoded.notes[1]).toContain('usMagnetPrice');
	});

	it('does not rewrite a current link that names the removed price: it says what to use', async () => {
		const current = {
			...payload,
			modelVersion,
			state: { ...payload.state, cells: [{ kind: 'fan', id: 'cell-1', collapsed: false, metric: 'price' }] }
		};
		const decoded = await decodeSharePayload(await compressedBase64Url(JSON.stringify(current)));
		expect(decoded.ok).toBe(false);
		expect(!decoded.ok && decoded.problems.join(' ')).toContain('usMagnetPrice');
	});

	it('carries an imported scenario file whole', async () => {
		const file = { id: 'my-case', extends: 'baseline', title: 'Mine', description: 'x', parameters: { demandGrowth: 0.05 } };
		const encoded = await encodeSharePayload({ ...payload, state: { ...payload.state, scenario: { id: 'my-case', values: {}, file } } });
		const decoded = await decodeSharePayload(encoded);
		expect(decoded.ok && decoded.payload.state.scenario.file).toEqual(file);
	});

	it('refuses a tampered, truncated or foreign link with a message', async () => {
		const encoded = await encodeSharePayload(payload);
		const middle = Math.floor(encoded.length / 2);
		const tampered = encoded.slice(0, middle) + (encoded[middle] === 'A' ? 'B' : 'A') + encoded.slice(middle + 1);
		for (const bad of [tampered, encoded.slice(0, encoded.length - 12), 'section-3', 'hello world', '%%%']) {
			const decoded = await decodeSharePayload(bad);
			expect(decoded.ok, bad.slice(0, 20)).toBe(false);
			if (!decoded.ok) expect(decoded.problems.join(' ')).toMatch(/link/);
		}
	});

	it('refuses a state that decompresses to something huge, without expanding it all', async () => {
		const bomb = await compressedBase64Url(' '.repeat(50_000_000));
		expect(bomb.length).toBeLessThan(shareLimits.maxEncodedChars);
		const decoded = await decodeSharePayload(bomb);
		expect(decoded).toEqual({ ok: false, problems: [expect.stringMatching(/expands to more than 1,000,000 bytes/)] });
	});

	it('refuses an over-long link before decompressing', async () => {
		const decoded = await decodeSharePayload('A'.repeat(shareLimits.maxEncodedChars + 4));
		expect(decoded.ok).toBe(false);
	});

	it('says which field of a well-formed state is wrong', async () => {
		const wrong = await compressedBase64Url(JSON.stringify({ ...payload, state: { ...payload.state, paths: 10_000_000 } }));
		const decoded = await decodeSharePayload(wrong);
		expect(decoded.ok).toBe(false);
		if (!decoded.ok) expect(decoded.problems[0]).toContain('state.paths');
	});

	it('reports an invalid embedded scenario with the CLI’s precise problems', async () => {
		const file = { id: 'my-case', title: 'Mine', description: 'x', parameters: { demandGrowht: 0.05 } };
		const wrong = await compressedBase64Url(JSON.stringify({ ...payload, state: { ...payload.state, scenario: { id: 'my-case', values: {}, file } } }));
		const decoded = await decodeSharePayload(wrong);
		expect(decoded).toEqual({ ok: false, problems: ['shared scenario: parameters.demandGrowht: unknown key (did you mean "demandGrowth"?)'] });
	});

	it('refuses a state whose cells share an id, saying which cells (a keyed list cannot show them)', async () => {
		const cells = payload.state.cells.map((cell, i) => (i === 3 ? { ...cell, id: payload.state.cells[1].id } : cell));
		const decoded = await decodeSharePayload(await encodeSharePayload({ ...payload, state: { ...payload.state, cells } }));
		expect(decoded.ok).toBe(false);
		if (!decoded.ok) expect(decoded.problems.join(' ')).toContain(`cells 2, 4 all have the id "${payload.state.cells[1].id}"; each cell needs its own id`);
		expect(stateProblems({ ...payload.state, cells })).toEqual([expect.stringContaining('cell 4 (fan), id: cells 2, 4 all have the id')]);
	});

	it('says a narrative over the limit is too long, in the words the notebook uses when it refuses to save it', async () => {
		const cells = [{ kind: 'narrative' as const, id: 'cell-1', collapsed: false, markdown: 'x'.repeat(shareLimits.maxDecodedBytes / 40) }];
		expect(stateProblems({ ...payload.state, cells })).toEqual(['cell 1 (narrative), markdown: at most 20,000 characters (it has 25,000).']);
		const decoded = await decodeSharePayload(await encodeSharePayload({ ...payload, state: { ...payload.state, cells } }));
		expect(!decoded.ok && decoded.problems).toEqual(["The link's state is not valid at state.cells.0.markdown: at most 20,000 characters (it has 25,000)."]);
	});
});
