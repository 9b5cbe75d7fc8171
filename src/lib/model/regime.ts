/**
 * Export-policy regimes as codes, in order of severity: a move up the scale is an escalation.
 * Each month is one step of a Markov chain over them, driven by the month's policy uniform (the
 * step is written out in the month loop, `simulatePath` in path.ts).
 */
export const OPEN = 0;
export const LICENSING = 1;
export const RESTRICTED = 2;
export type RegimeCode = 0 | 1 | 2;
