import { parseIndicator } from '../analysis/indicator-spec';
import { parseThreshold, START_MULTIPLE_UNIT, type ThresholdSpec } from '../analysis/threshold-spec';
import { metricLabels, metricUnitWords, type MetricName } from '../model/metrics';
import { isMetricName } from '../problems';
import type { Comparison } from '../stats/probability-syntax';
import type { Cell } from './cells';
import { formatNumber } from './format';
import { sweepTitleOf } from '../sweep/notebook-text';

/** Cell titles and analysis names in plain words: metric labels, never metric ids. */

/** A label inside a sentence: "U.S. magnet demand", "inventory cover". */
export function inSentence(label: string): string {
	return /^[A-Z][a-z]+\b/.test(label) && !/^(China|Japan|Allied)\b/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

const comparisonWords: Record<Comparison, string> = { '>': 'above', '>=': 'at or above', '<': 'below', '<=': 'at or below' };

/** Every metric id in a text replaced by its label (also the fallback for text that does not read). */
export function labelsFor(text: string): string {
	return text.replace(/[A-Za-z_]\w*/g, (word) => (isMetricName(word) ? inSentence(metricLabels[word]) : word));
}

function thresholdWords(spec: ThresholdSpec): string {
	const metric = spec.metric as MetricName;
	const level =
		spec.unit === START_MULTIPLE_UNIT
			? `${formatNumber(spec.value)} times its first month`
			: spec.unit === '%' || spec.unit === 'fraction'
				? `${formatNumber(spec.unit === '%' ? spec.value : spec.value * 100)} %`
				: `${formatNumber(spec.value)} ${metricUnitWords[metric]}`;
	return `${inSentence(metricLabels[metric])} ${comparisonWords[spec.comparison]} ${level}`;
}

/** A threshold as written ("usMagnetPrice > 2 × start") in words. */
export function describeThreshold(text: string): string {
	try {
		return thresholdWords(parseThreshold(text));
	} catch {
		return labelsFor(text);
	}
}

/** An indicator as written ("median usMagnetPrice 2030", "P(shortfall > 0) by 2030") in words. */
export function describeIndicator(text: string): string {
	try {
		const spec = parseIndicator(text);
		if (spec.kind === 'probability') {
			const when =
				spec.within === 'by' ? `at some point by ${spec.year}` : spec.from !== undefined ? `at some point in ${spec.from}–${spec.year}` : `in ${spec.year}`;
			return `chance ${thresholdWords(spec.threshold)} ${when}`;
		}
		const label = inSentence(metricLabels[spec.metric as MetricName]);
		if (spec.kind === 'total') return `total ${label} through ${spec.year}`;
		return `${spec.kind} ${label} in ${spec.year}`;
	} catch {
		return labelsFor(text);
	}
}

export function capitalised(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The title a cell shows in its header. */
export function cellTitle(cell: Cell): string {
	switch (cell.kind) {
		case 'narrative':
			return (
				cell.markdown
					.split('\n')[0]
					.replace(/^#+\s*/, '')
					.slice(0, 60) || 'Notes'
			);
		case 'controls':
			return 'Sliders (now in the panel)';
		case 'fan':
			return metricLabels[cell.metric];
		case 'distribution':
			return `${metricLabels[cell.metric]} in ${cell.month}`;
		case 'indicators':
			return 'Indicators with their Monte Carlo error';
		case 'comparison':
			return `${metricLabels[cell.metric]}: this scenario minus ${cell.against}, path by path`;
		case 'threshold':
			return `Chance ${describeThreshold(cell.threshold)}, over time`;
		case 'tornado':
			return `What moves the ${describeIndicator(cell.indicator)}`;
		case 'attribution':
			return `Why the ${describeIndicator(cell.indicator)} differs from ${cell.against}`;
		case 'formula':
			return capitalised(labelsFor(cell.expression.slice(0, 60))) || 'Formula';
		case 'sweep':
			return sweepTitleOf(cell.sweep);
	}
}
