import { checkNarrative, narrativeMetrics, renderNarrative, type NarrativeFigure } from '../analysis/narrative';
import type { RunResult } from '../engine/run';
import type { StageResult } from '../runner/protocol';
import type { Problem } from '../problems';
import { proportionError } from '../stats/estimates';
import { labelsFor } from './cell-titles';
import { formatEstimateNumber } from './format';

/**
 * Narrative cells bound to results: `{{ median(usMagnetPrice, 2027) }}` in the text becomes the live
 * figure of the run on screen (preview, then full), so the prose follows the sliders. The figures
 * are marked up as spans (escaped) in the markdown; bad references become visible markers.
 */

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface NarrativeView {
	/** Markdown with figures as inline HTML spans. */
	markdown: string;
	problems: Problem[];
	/** How many live figures the text has. */
	figures: number;
}

/** A probability to the precision its Monte Carlo error supports, unless the text asks for its own decimals ("| 2"). */
function shownFigure(part: NarrativeFigure, paths: number): string {
	if (part.unit !== 'probability' || part.value === null || /\|\s*\d+\s*$/.test(part.source)) return part.formatted;
	return `${formatEstimateNumber(part.value * 100, proportionError(part.value, paths) * 100).value} %`;
}

/** The template filled from `result`, or its figures pending while the result lacks a metric they read. */
export function narrativeView(template: string, result: StageResult | undefined): NarrativeView {
	if (!template.includes('{{')) return { markdown: template, problems: [], figures: 0 };
	if (!result || narrativeMetrics(template).some((metric) => !result.metrics[metric])) {
		const problems = checkNarrative(template);
		const markdown = template.replace(
			/\{\{([^}]*)\}\}/g,
			(_, source: string) => `<span class="live-figure pending" title="${escapeHtml(source.trim())}">…</span>`
		);
		return { markdown, problems, figures: 0 };
	}
	const rendered = renderNarrative(template, result as RunResult);
	let figures = 0;
	const markdown = rendered.parts
		.map((part) => {
			if (part.kind === 'text') return part.text;
			if (part.kind === 'figure') {
				figures++;
				return `<span class="live-figure" data-figure="${escapeHtml(part.source)}" title="${escapeHtml(labelsFor(part.label))}">${escapeHtml(shownFigure(part, result.paths))}</span>`;
			}
			const source = part.source.trim();
			return `<span class="figure-error" title="${escapeHtml(part.message)}">⟨${escapeHtml(source.length > 40 ? `${source.slice(0, 40)}…` : source)}: error⟩</span>`;
		})
		.join('');
	return { markdown, problems: rendered.problems, figures };
}
