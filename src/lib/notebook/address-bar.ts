/**
 * The page's side of writing the notebook into the address bar. A fragment the page did not write
 * (nor open on) is a link the user navigated to. Its `hashchange` event may still be queued when a
 * write of the old notebook comes due, so the write must not replace it. `adopt` is called
 * from the `hashchange` handler, once the session has the link: later writes may replace it again.
 */
export function addressBarWriter(currentFragment: () => string, replaceFragment: (fragment: string) => void) {
	let own = currentFragment();
	return {
		write(fragment: string): void {
			if (currentFragment() !== own) return;
			replaceFragment(fragment);
			own = currentFragment();
		},
		adopt(): void {
			own = currentFragment();
		}
	};
}
