/**
 * The one reader of probability statements, shared by check files ("P(shortfall > 0)", "P(> 0)"),
 * thresholds ("usMagnetPrice > 2 × start") and indicators ("P(shortfall > 0 t/month) by 2030"):
 * `[metric] comparison number [unit]`, optionally wrapped in "P( … )". Callers decide what they
 * accept of it (a metric, a unit) and word their own problems.
 */

export const comparisons = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof comparisons)[number];

/** Whether `value` op `level` holds. */
export function satisfies(value: number, op: Comparison, level: number): boolean {
	switch (op) {
		case '>':
			return value > level;
		case '>=':
			return value >= level;
		case '<':
			return value < level;
		case '<=':
			return value <= level;
	}
}

/** "[metric] comparison number [unit]" as written. */
export interface ComparisonText {
	/** Absent when the text starts with the comparison ("> 0"). */
	metric?: string;
	comparison: Comparison;
	value: number;
	/** What follows the number, trimmed ('' for none). */
	unit: string;
}

const comparisonPattern = /^\s*([A-Za-z_][A-Za-z0-9_]*)?\s*(>=|<=|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(.*?)\s*$/i;
const probabilityPattern = /^\s*P\s*\((.*)\)\s*$/is;

export function isComparison(text: unknown): text is Comparison {
	return comparisons.some((comparison) => comparison === text);
}

/** Reads "[metric] comparison number [unit]"; undefined when the text is not of that form. */
export function parseComparison(text: string): ComparisonText | undefined {
	const match = comparisonPattern.exec(text);
	if (!match) return undefined;
	const [, metric, comparison, number, unit] = match;
	if (!isComparison(comparison)) return undefined;
	return { ...(metric === undefined ? {} : { metric }), comparison, value: Number(number), unit };
}

/**
 * Reads "P( … )": undefined when the text is not written so, else the text inside and, when it
 * reads, its comparison.
 */
export function parseProbability(text: string): { inside: string; comparison?: ComparisonText } | undefined {
	const match = probabilityPattern.exec(text);
	if (!match) return undefined;
	return { inside: match[1], comparison: parseComparison(match[1]) };
}
