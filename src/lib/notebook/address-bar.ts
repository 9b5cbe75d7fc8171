import type { EntryMode } from './history';

/**
 * The page's side of writing the notebook into the address bar, as a new history entry or over the
 * current one. A fragment the page did not write (nor open on) is a link the user navigated to. Its
 * `hashchange` event may still be queued when a write of the old notebook comes due, so the write
 * must not replace it. `adopt` is called from the `hashchange` handler (a link, or Back and
 * Forward), once the session has the new fragment: later writes may replace it again.
 */
export function addressBarWriter(currentFragment: () => string, writeFragment: (fragment: string, mode: EntryMode) => void) {
	let own = currentFragment();
	return {
		write(fragment: string, mode: EntryMode): void {
			if (currentFragment() !== own) return;
			writeFragment(fragment, mode);
			own = currentFragment();
		},
		adopt(): void {
			own = currentFragment();
		}
	};
}
