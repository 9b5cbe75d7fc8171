import { describe, expect, it } from 'vitest';
import { addressBarWriter } from '../../src/lib/notebook/address-bar';

/** An address bar whose fragment the user can change (a navigation) and the page can replace. */
function addressBar(initial: string) {
	const bar = { fragment: initial, replaced: [] as string[] };
	const writer = addressBarWriter(
		() => bar.fragment,
		(fragment, mode) => {
			bar.fragment = fragment;
			bar.replaced.push(`${mode} ${fragment}`);
		}
	);
	return { bar, writer };
}

describe('addressBarWriter', () => {
	it('replaces or pushes after the fragment it opened on and the ones it wrote', () => {
		const { bar, writer } = addressBar('#s=bad');
		writer.write('#s=one', 'replace');
		writer.write('#s=two', 'push');
		expect(bar.replaced).toEqual(['replace #s=one', 'push #s=two']);
	});

	it('never replaces a link the user navigated to before its hashchange is handled; after it, writes go on', () => {
		const { bar, writer } = addressBar('');
		writer.write('#s=one', 'replace');
		bar.fragment = '#s=theirs';
		writer.write('#s=stale', 'push');
		expect(bar.fragment).toBe('#s=theirs');
		writer.adopt();
		writer.write('#s=next', 'replace');
		expect(bar.fragment).toBe('#s=next');
	});
});
