/** Inventory absorbs the month's supply minus demand; it never goes below zero. */
export function inventoryAfter(inventory: number, supply: number, demand: number): number {
	return Math.max(0, inventory + supply - demand);
}

/** What inventory and supply together cannot cover this month: unmet demand. */
export function shortfallOf(inventory: number, supply: number, demand: number): number {
	return Math.max(0, demand - inventory - supply);
}
