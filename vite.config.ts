import { sveltekit } from '@sveltejs/kit/vite';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { cspDirectives } from './svelte.config.js';

/*
 * Cross-origin isolation lets the workers share one block of paths (SharedArrayBuffer) instead of
 * copying chunks between them. The dev and preview servers send the headers (SvelteKit serves the
 * pages itself, so they are set in a middleware that runs first); a static host that does not
 * send them still works: the workers then copy.
 */
const crossOriginIsolation: Record<string, string> = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const cspKeywords = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', 'wasm-unsafe-eval', 'unsafe-hashes', 'report-sample']);

/** A policy's text from SvelteKit-style directives (keywords and hashes unquoted). */
function policyText(directives: Record<string, readonly string[]>): string {
	return Object.entries(directives)
		.map(([name, sources]) => [name, ...sources.map((s) => (cspKeywords.has(s) || /^(?:sha256|sha384|sha512|nonce)-/.test(s) ? `'${s}'` : s))].join(' '))
		.join('; ');
}

/** The prerendered page a preview request is served from, as SvelteKit's preview server finds it. */
function prerenderedPage(url: string | undefined): string | undefined {
	const root = resolve(import.meta.dirname, '.svelte-kit/output/prerendered/pages');
	let pathname: string;
	try {
		pathname = decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
	} catch {
		return undefined;
	}
	const candidates = pathname.endsWith('/') ? [`${pathname}index.html`] : [pathname, `${pathname}.html`, `${pathname}/index.html`];
	for (const candidate of candidates) {
		const file = resolve(root, `.${candidate}`);
		if ((file === root || file.startsWith(`${root}/`)) && file.endsWith('.html') && existsSync(file) && statSync(file).isFile()) return file;
	}
	return undefined;
}

/**
 * The policy a response is sent with: svelte.config.js's directives, plus, for a prerendered
 * page, the hashes of its inline scripts, read off the <meta> SvelteKit wrote into it (the header
 * then says the same as the tag, and adds frame-ancestors, which a tag cannot).
 */
function policyFor(url: string | undefined): string {
	const page = prerenderedPage(url);
	if (!page) return policyText(cspDirectives as Record<string, string[]>);
	const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(readFileSync(page, 'utf8'))?.[1] ?? '';
	const scriptSources = /(?:^|;\s*)script-src ([^;]*)/.exec(meta)?.[1] ?? '';
	const hashes = [...scriptSources.matchAll(/'((?:sha256|sha384|sha512)-[^']+)'/g)].map((m) => m[1]);
	return policyText({ ...(cspDirectives as Record<string, string[]>), 'script-src': [...(cspDirectives['script-src'] as string[]), ...hashes] });
}

function securityHeaders(): Plugin {
	const setHeaders =
		(preview: boolean) =>
		(server: { middlewares: Connect.Server }): void => {
			server.middlewares.use((request, response, next) => {
				for (const [name, value] of Object.entries(crossOriginIsolation)) response.setHeader(name, value);
				// In dev, SvelteKit sends the page's own policy (hashes included) with the page itself; the rest
				// (scripts, workers) get the plain policy, which is what governs a worker.
				if (preview) response.setHeader('Content-Security-Policy', policyFor(request.url));
				else if (request.headers['sec-fetch-dest'] !== 'document')
					response.setHeader('Content-Security-Policy', policyText(cspDirectives as Record<string, string[]>));
				next();
			});
		};
	return { name: 'security-headers', configureServer: setHeaders(false), configurePreviewServer: setHeaders(true) };
}

export default defineConfig({
	plugins: [securityHeaders(), sveltekit()],
	worker: { format: 'es' },
	optimizeDeps: {
		include: [
			'seedrandom',
			'comlink',
			'plotly.js-basic-dist-min',
			'@stdlib/stats-base-dists-normal-cdf',
			'@stdlib/stats-base-dists-normal-quantile',
			'@noble/hashes/sha2.js',
			'@noble/hashes/utils.js'
		]
	},
	test: {
		include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
