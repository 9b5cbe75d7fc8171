import { describe, expect, it } from 'vitest';
import { addressBarWriter } from '../../src/lib/notebook/address-bar';

/** An address bar whose fragment the user can change (a navigation) and the page can replace. */
function addressBar(initial: string) {
	const bar = { fragment: initial, replaced: [] as string[] };
	const writer = addressBarWriter(
		() => bar.fragment,
		(fragment) => {
			bar.fragment = fragment;
			bar.replaced.push(fragment);
		}
	);
	return { bar, writer };
}

describe('addressBarWriter', () => {
	it('replaces the fragment it opened on and the ones it wrote', () => {
		const { bar, writer } = addressBar('#s=bad');
		writer.write('#s=one');
		writer.write('#s=two');
		expect(bar.replaced).toEqual(['#s=one', '#s=two']);
	});

	it('never replaces a link the user navigated to before its hashchange is handled; after it, writes go on', () => {
		const { bar, writer } = addressBar('');
		writer.write('#s=one');
		bar.fragment = '#s=theirs';
		writer.write('#s=stale');
		expect(bar.fragment).toBe('#s=theirs');
		writer.adopt();
		writer.write('#s=next');
		expect(bar.fragment).toBe('#s=next');
	});
});
