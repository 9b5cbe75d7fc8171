/** Export-policy regimes as codes, in order of severity: a move up the scale is an escalation. */
export const OPEN = 0;
export const LICENSING = 1;
export const RESTRICTED = 2;
export type RegimeCode = 0 | 1 | 2;

/** Monthly transition probabilities out of each regime (the rest of the mass stays put). */
export interface TransitionProbabilities {
	openToLicensing: number;
	openToRestricted: number;
	licensingToOpen: number;
	licensingToRestricted: number;
	restrictedToLicensing: number;
	restrictedToOpen: number;
}

/** One step of the Markov chain, driven by one uniform draw `u`. */
export function nextRegime(current: RegimeCode, u: number, p: TransitionProbabilities): RegimeCode {
	if (current === OPEN) {
		if (u < p.openToLicensing) return LICENSING;
		if (u < p.openToLicensing + p.openToRestricted) return RESTRICTED;
		return OPEN;
	}
	if (current === LICENSING) {
		if (u < p.licensingToOpen) return OPEN;
		if (u < p.licensingToOpen + p.licensingToRestricted) return RESTRICTED;
		return LICENSING;
	}
	if (u < p.restrictedToLicensing) return LICENSING;
	if (u < p.restrictedToLicensing + p.restrictedToOpen) return OPEN;
	return RESTRICTED;
}

/** Log-price jump when the regime escalates; none when it stays or eases. */
export function escalationJump(previous: RegimeCode, next: RegimeCode, jumpLicensing: number, jumpRestricted: number): number {
	if (next <= previous) return 0;
	return next === RESTRICTED ? jumpRestricted : jumpLicensing;
}
