/** How far outside the viewport an element still counts as near the screen (scrolling there takes a moment). */
const NEAR_SCREEN_MARGIN = '200px 0px';

/** Calls `onchange(near)` as `element` comes within NEAR_SCREEN_MARGIN of the viewport or leaves it; returns the disconnect. */
export function observeNearScreen(element: Element, onchange: (near: boolean) => void): () => void {
	const observer = new IntersectionObserver((entries) => onchange(entries.some((entry) => entry.isIntersecting)), { rootMargin: NEAR_SCREEN_MARGIN });
	observer.observe(element);
	return () => observer.disconnect();
}
