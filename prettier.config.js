/**
 * The code's current style: tabs, single quotes, no trailing commas, long lines (most run to
 * about 160 characters), so that a first `prettier --write` changes little.
 * @type {import('prettier').Config}
 */
export default {
	useTabs: true,
	singleQuote: true,
	trailingComma: 'none',
	printWidth: 160,
	plugins: ['prettier-plugin-svelte'],
	overrides: [{ files: '*.svelte', options: { parser: 'svelte' } }]
};
