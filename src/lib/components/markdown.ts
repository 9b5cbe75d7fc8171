import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import { marked } from 'marked';
import { escapeHtml } from '../text/escape-html';

/**
 * Markdown to HTML that is safe to insert. The text may come from a share link, so it is hostile
 * until proven otherwise: its nesting is bounded before marked sees it (marked recurses once per
 * level and overflows the stack at a few thousand), marked renders, and DOMPurify keeps only what
 * markdown itself produces — no forms, styles, frames or external images.
 */

/** Deepest nesting of block quotes and lists rendered as written; deeper lines are flattened. */
export const maxNesting = 20;

export const flattenedNote = `Nesting deeper than ${maxNesting} levels was flattened.`;
export const unrenderableNote = 'This text is nested too deeply to render as markdown; it is shown as plain text.';

/** Columns of leading whitespace (a tab is 4). */
function columns(whitespace: string): number {
	let width = 0;
	for (const c of whitespace) width = c === '\t' ? width + 4 - (width % 4) : width + 1;
	return width;
}

const containerPrefix = /^[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))/;
const thematicBreak = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const fence = /^ {0,3}(`{3,}|~{3,})/;

/**
 * How deep a line nests: its block-quote and list markers, plus its leading indentation at two
 * columns a level (the least a nested list item needs). Returns the depth and the prefix's length.
 */
export function lineNesting(line: string): { depth: number; prefix: number } {
	let depth = Math.floor(columns(/^[ \t]*/.exec(line)![0]) / 2);
	let prefix = 0;
	for (;;) {
		const marker = containerPrefix.exec(line.slice(prefix));
		if (!marker) break;
		depth += 1;
		prefix += marker[0].length;
	}
	prefix += /^[ \t]*/.exec(line.slice(prefix))![0].length;
	return { depth, prefix };
}

/**
 * Bounds the nesting of block quotes and lists: a line nested deeper than `max` levels loses its
 * markers and indentation (its text is kept, at the top level). Lines in fenced code blocks are left alone.
 */
export function boundNesting(markdown: string, max = maxNesting): { markdown: string; flattened: number } {
	let flattened = 0;
	let openFence: string | undefined;
	const lines = markdown.split(/\r\n|\r|\n/).map((line) => {
		const fenceMarker = fence.exec(line)?.[1];
		if (openFence !== undefined) {
			if (fenceMarker && fenceMarker[0] === openFence[0] && fenceMarker.length >= openFence.length) openFence = undefined;
			return line;
		}
		if (fenceMarker) {
			openFence = fenceMarker;
			return line;
		}
		if (thematicBreak.test(line)) return line;
		const { depth, prefix } = lineNesting(line);
		if (depth <= max) return line;
		flattened++;
		return line.slice(prefix);
	});
	return { markdown: lines.join('\n'), flattened };
}

/** marked's HTML for a text of bounded nesting, with a note when it was flattened; plain text if marked still fails. */
export function markdownToHtml(markdown: string): string {
	const bounded = boundNesting(markdown);
	const note = bounded.flattened > 0 ? `<p class="markdown-note"><em>${escapeHtml(flattenedNote)}</em></p>\n` : '';
	try {
		return note + marked.parse(bounded.markdown, { async: false, gfm: true });
	} catch (error) {
		// Nesting marked still recurses on (inline emphasis thousands deep) overflows its stack.
		if (!(error instanceof RangeError) && !/call stack/i.test(String(error))) throw error;
		return `<p class="markdown-note"><em>${escapeHtml(unrenderableNote)}</em></p>\n<pre>${escapeHtml(markdown)}</pre>`;
	}
}

/** What markdown produces, and nothing more: no forms, styles, frames, objects or scripts. */
export const allowedTags = [
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'p',
	'em',
	'strong',
	'del',
	's',
	'code',
	'pre',
	'blockquote',
	'ul',
	'ol',
	'li',
	'a',
	'table',
	'thead',
	'tbody',
	'tr',
	'th',
	'td',
	'hr',
	'br',
	'img',
	'span'
];
/** `class` is further limited to the classes below; `data-figure` marks a live figure. */
export const allowedAttributes = ['href', 'title', 'alt', 'src', 'class', 'align', 'start', 'data-figure'];
const allowedClass = /^(?:live-figure|pending|figure-error|markdown-note|language-[\w-]+)$/;
const linkProtocols = new Set(['http:', 'https:', 'mailto:']);

export const sanitizeConfig: Config = {
	ALLOWED_TAGS: allowedTags,
	ALLOWED_ATTR: allowedAttributes,
	ALLOW_DATA_ATTR: false,
	ALLOW_ARIA_ATTR: false,
	ALLOW_UNKNOWN_PROTOCOLS: false,
	// DOMPurify's default list, less ftp/tel/sms/…, plus blob: (checked further below).
	ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto|blob):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
	FORBID_TAGS: [
		'style',
		'form',
		'input',
		'button',
		'select',
		'textarea',
		'option',
		'iframe',
		'frame',
		'object',
		'embed',
		'svg',
		'math',
		'link',
		'meta',
		'base'
	],
	FORBID_ATTR: ['style', 'action', 'formaction', 'srcset', 'target']
};

/** Same origin as the page, or data:/blob: of this page: an image that cannot tell anyone the text was opened. */
function localImage(src: string): boolean {
	if (/^data:image\//i.test(src.trim())) return true;
	try {
		const url = new URL(src, document.baseURI);
		if (url.protocol === 'blob:') return new URL(url.pathname).origin === location.origin;
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === location.origin;
	} catch {
		return false;
	}
}

function makePurifier(): Purifier | undefined {
	if (typeof window === 'undefined') return undefined;
	const purifier = DOMPurify(window);
	if (!purifier.isSupported) return undefined;
	purifier.addHook('uponSanitizeAttribute', (_node, data) => {
		if (data.attrName !== 'class') return;
		const kept = data.attrValue.split(/\s+/).filter((name) => allowedClass.test(name));
		if (kept.length === 0) data.keepAttr = false;
		else data.attrValue = kept.join(' ');
	});
	purifier.addHook('afterSanitizeAttributes', (node) => {
		if (node.nodeName === 'A') {
			const href = node.getAttribute('href');
			if (href === null) return;
			let url: URL | undefined;
			try {
				url = new URL(href, document.baseURI);
			} catch {
				url = undefined;
			}
			if (!url || !linkProtocols.has(url.protocol)) {
				node.removeAttribute('href');
				return;
			}
			node.setAttribute('rel', 'noopener noreferrer');
			if (url.origin !== location.origin) node.setAttribute('target', '_blank');
		} else if (node.nodeName === 'IMG') {
			const src = node.getAttribute('src');
			if (src !== null && localImage(src)) return;
			// An external image would tell its server who opened the text: show its alt text instead.
			node.replaceWith(node.ownerDocument.createTextNode(node.getAttribute('alt') ?? ''));
		}
	});
	return purifier;
}

let purifier: Purifier | undefined;

/** Markdown to HTML that is safe to insert: nesting bounded, marked renders, DOMPurify keeps markdown's own elements. */
export function renderMarkdown(markdown: string): string {
	purifier ??= makePurifier();
	const html = markdownToHtml(markdown);
	// Without a DOM to sanitise in, fail closed: the text, escaped.
	if (!purifier) return `<pre>${escapeHtml(markdown)}</pre>`;
	return purifier.sanitize(html, sanitizeConfig);
}
