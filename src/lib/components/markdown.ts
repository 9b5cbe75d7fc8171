import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** Markdown to HTML that is safe to insert: marked renders, DOMPurify sanitises. */
export function renderMarkdown(markdown: string): string {
	return DOMPurify.sanitize(marked.parse(markdown, { async: false, gfm: true }));
}
