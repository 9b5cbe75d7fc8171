/**
 * The verdict rule of checks, and how many paths a precision needs. A margin (how far a figure is
 * on the right side of its bound) decides only when it is at least `factor` standard errors from
 * zero; SE shrinks as 1/√n, so n·(SE/target)² paths bring an SE found on n paths down to `target`.
 */

import type { Comparison } from './probability-syntax';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** Paths that would bring a standard error `se`, found on `n` paths, down to `target` (a real number). */
export function pathsForError(n: number, se: number, target: number): number {
	return n * (se / target) ** 2;
}

/**
 * Judges "figure op bound" from its margin (positive on the side where it holds) and the margin's
 * SE: decided when |margin| ≥ factor × SE, then pass if the inequality holds, else fail; otherwise
 * inconclusive, with the paths that would settle it (Infinity for a zero margin, none for an SE
 * that is not known).
 */
export function judge(op: Comparison, margin: number, se: number, factor: number, n: number): { holds: boolean; verdict: Verdict; settlePaths?: number } {
	const holds = op === '>' || op === '<' ? margin > 0 : margin >= 0;
	if (se === 0 || Math.abs(margin) >= factor * se) return { holds, verdict: holds ? 'pass' : 'fail' };
	if (Number.isNaN(se)) return { holds, verdict: 'inconclusive' };
	const settlePaths = margin === 0 ? Infinity : Math.ceil(pathsForError(n, factor * se, Math.abs(margin)));
	return { holds, verdict: 'inconclusive', settlePaths };
}

/** A fail anywhere fails; otherwise an inconclusive part leaves the whole inconclusive. */
export function combine(verdicts: readonly Verdict[]): Verdict {
	if (verdicts.includes('fail')) return 'fail';
	if (verdicts.includes('inconclusive')) return 'inconclusive';
	return 'pass';
}
