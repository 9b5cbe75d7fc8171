/**
 * Units in words, for anything a user reads. The machine units (`t/month`, `1/yr`, `fraction` …)
 * stay in CSV, JSON and the command line; these words go on axes, tables, sliders and messages.
 * Shares are shown as percentages, so `fraction` reads "%".
 */
const wordsByUnit: Record<string, string> = {
	't/month': 'tonnes per month',
	t: 'tonnes',
	months: 'months',
	'USD/kg': 'USD per kg',
	'USD/month': 'USD per month',
	'1/yr': 'per year',
	'1/month': 'per month',
	'×': 'times',
	'kg/kg': 'kg per kg of magnet',
	year: 'calendar year',
	fraction: '%',
	probability: '%',
	code: 'regime code (0 open, 1 licensing, 2 restricted)'
};

/** A unit in words; a unit the model does not know (a formula's own unit) is shown as written. */
export function unitInWords(unit: string): string {
	return wordsByUnit[unit] ?? unit;
}

/** Whether the model knows words for this unit (a dimensionless "–" needs words of its own). */
export function hasUnitWords(unit: string): boolean {
	return unit in wordsByUnit;
}
