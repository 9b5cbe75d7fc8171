import { describe, expect, it } from 'vitest';
import {
	allowedAttributes,
	allowedTags,
	boundNesting,
	flattenedNote,
	markdownToHtml,
	maxNesting,
	renderMarkdown,
	sanitizeConfig,
	unrenderableNote
} from '../../src/lib/components/markdown';

const depthOf = (html: string, tag: string) => (html.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length;

describe('markdown of hostile narratives', () => {
	it('block quotes thousands deep render, flattened past the cap, with a visible note', () => {
		for (const text of ['>'.repeat(1_900) + ' deep', '> '.repeat(5_000) + 'deeper']) {
			expect(() => renderMarkdown(text)).not.toThrow();
			const html = markdownToHtml(text);
			expect(html).toContain(flattenedNote);
			expect(depthOf(html, 'blockquote')).toBeLessThanOrEqual(maxNesting);
			expect(html).toMatch(/deep/);
		}
	});

	it('ordered and bullet lists over a thousand deep render, flattened, with a note', () => {
		for (const text of ['1. '.repeat(1_200) + 'item', '- '.repeat(1_900) + 'item', '> - '.repeat(1_500) + 'item']) {
			expect(() => renderMarkdown(text)).not.toThrow();
			const html = markdownToHtml(text);
			expect(html).toContain(flattenedNote);
			expect(depthOf(html, 'li')).toBeLessThanOrEqual(maxNesting);
			expect(html).toContain('item');
		}
	});

	it('lists nested by indentation are bounded too', () => {
		const text = Array.from({ length: 400 }, (_, i) => `${' '.repeat(3 * i)}1. level ${i}`).join('\n');
		const html = markdownToHtml(text);
		expect(html).toContain(flattenedNote);
		expect(html).toContain('level 399');
	});

	it('inline nesting marked still overflows on comes back as plain text with a note', () => {
		const text = '**'.repeat(2_000) + '<b>x</b>' + '**'.repeat(2_000);
		const html = markdownToHtml(text);
		expect(html).toContain(unrenderableNote);
		expect(html).not.toContain('<b>');
	});

	it('ordinary nesting, fences and thematic breaks are left as written', () => {
		const text = [
			'> quote',
			'> > inner',
			'',
			'1. one',
			'   - two',
			'',
			'```',
			'> '.repeat(30) + 'code',
			'```',
			'',
			'- - - - - - - - - - - - - - - - - - - - - - - - -'
		].join('\n');
		expect(boundNesting(text)).toEqual({ markdown: text, flattened: 0 });
		expect(markdownToHtml(text)).not.toContain(flattenedNote);
		expect(markdownToHtml('## Title\n\nText with **bold** and a [link](https://example.org).')).toBe(
			'<h2>Title</h2>\n<p>Text with <strong>bold</strong> and a <a href="https://example.org">link</a>.</p>\n'
		);
	});

	it('the sanitiser keeps only what markdown makes: no forms, styles, frames or objects', () => {
		for (const tag of ['form', 'input', 'button', 'textarea', 'select', 'style', 'iframe', 'object', 'embed', 'script', 'link', 'meta', 'base', 'svg']) {
			expect(allowedTags).not.toContain(tag);
			expect(sanitizeConfig.ALLOWED_TAGS).not.toContain(tag);
		}
		for (const attribute of ['style', 'action', 'formaction', 'srcset', 'onerror', 'onclick']) expect(allowedAttributes).not.toContain(attribute);
		expect(sanitizeConfig.ALLOW_DATA_ATTR).toBe(false);
		const uri = sanitizeConfig.ALLOWED_URI_REGEXP!;
		for (const href of ['https://example.org', 'http://example.org', 'mailto:a@example.org', '#top', 'notes.html', 'blob:http://localhost/x'])
			expect(uri.test(href), href).toBe(true);
		for (const href of ['javascript:alert(1)', 'vbscript:x', 'ftp://example.org/x', 'tel:123']) expect(uri.test(href), href).toBe(false);
	});

	it('without a DOM to sanitise in, it fails closed: the text escaped', () => {
		const html = renderMarkdown('<form action="https://evil.example/x"><input type=password></form>');
		expect(html).not.toContain('<form');
		expect(html).toContain('&lt;form');
	});
});
