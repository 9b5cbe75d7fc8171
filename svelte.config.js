import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The notebook's Content-Security-Policy. Everything it loads is its own: scripts, module workers,
 * styles and images come from the site itself (images also from data: and blob:, which exports and
 * Plotly make). Nothing posts a form, sets a base URL or embeds an object, and no page may frame it.
 * SvelteKit writes it into the prerendered page as a <meta> tag, with the hash of its inline
 * bootstrap script (frame-ancestors cannot go in a <meta>: vite.config.ts adds it to the header the
 * dev and preview servers send). Plotly sets inline styles on the charts it draws, hence
 * style-src 'unsafe-inline'.
 * @type {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const cspDirectives = {
	'default-src': ['self'],
	'script-src': ['self'],
	'worker-src': ['self'],
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'form-action': ['none'],
	'frame-ancestors': ['none']
};

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ fallback: undefined }),
		alias: { $scenarios: 'scenarios' },
		csp: { mode: 'hash', directives: cspDirectives }
	}
};
