/**
 * Cuts a text area's value to `limit` characters, keeping the caret where it was (or at the cut);
 * true when text was cut. Text beyond the limit is not kept: the notebook never holds what it could
 * not save and read back.
 */
export function keepWithinLimit(area: HTMLTextAreaElement, limit: number): boolean {
	if (area.value.length <= limit) return false;
	const caret = Math.min(area.selectionStart, limit);
	area.value = area.value.slice(0, limit);
	area.setSelectionRange(caret, caret);
	return true;
}
