/** Calendar months as "YYYY-MM" strings and as absolute month numbers (year * 12 + month - 1). */
export const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthToAbsolute(month: string): number {
	const match = monthPattern.exec(month);
	if (!match) throw new Error(`"${month}" is not a month of the form YYYY-MM`);
	return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function absoluteToMonth(absolute: number): string {
	const year = Math.floor(absolute / 12);
	const month = absolute - year * 12 + 1;
	return `${year}-${String(month).padStart(2, '0')}`;
}

/** Every month from `start` to `end`, inclusive. */
export function monthRange(start: string, end: string): string[] {
	const first = monthToAbsolute(start);
	const last = monthToAbsolute(end);
	return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => absoluteToMonth(first + i));
}
