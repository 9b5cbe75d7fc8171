/*
 * Plotly's basic bundle (scatter, bar and pie traces: all the notebook draws, at a quarter of the
 * full bundle's size) ships no type declarations. Its API is plotly.js's, typed by the full
 * bundle's declarations (a development dependency, never loaded by the page).
 */
declare module 'plotly.js-basic-dist-min' {
	export * from 'plotly.js-dist-min';
	export { default } from 'plotly.js-dist-min';
}
