import { monthToAbsolute } from '../time/months';

/**
 * U.S. magnet plants, one by one. Each starts producing `plannedStart` plus its drawn slip (and
 * the scenario's extra slip), reaches `tonnesPerYear` in a straight line over `rampMonths`, and is
 * built at all only on paths whose completion draw falls below its completion probability.
 * Capacities and dates are the companies' announcements; ramps are assumptions.
 */
export interface Plant {
	id: PlantId;
	name: string;
	tonnesPerYear: number;
	plannedStart: string;
	rampMonths: number;
	source: string;
}

export const plantIds = ['mpIndependence', 'eVac', 'usaRareEarth', 'noveonExpansion', 'appleRecycling', 'mp10x', 'usaRareEarthExpansion', 'vulcan'] as const;
export type PlantId = (typeof plantIds)[number];

export const plants: readonly Plant[] = [
	{
		id: 'mpIndependence',
		name: 'MP Materials Independence, Fort Worth TX',
		tonnesPerYear: 1000,
		plannedStart: '2025-10',
		rampMonths: 12,
		source:
			"MP Materials, 'MP Materials Restores U.S. Rare Earth Magnet Production', 22 Jan 2025: 1,000 t/yr, first automotive deliveries targeted for the end of 2025"
	},
	{
		id: 'eVac',
		name: 'e-VAC Magnetics, Sumter SC',
		tonnesPerYear: 2000,
		plannedStart: '2025-11',
		rampMonths: 18,
		source:
			"Fastmarkets, 14 Dec 2023: operations expected late fall 2025 (capacity not disclosed); Rare Earth Exchanges, 'A Magnet Ships and a Line Is Crossed': Sumter plans 2,000 t/yr by 2026"
	},
	{
		id: 'usaRareEarth',
		name: 'USA Rare Earth, Stillwater OK (phase 1)',
		tonnesPerYear: 1200,
		plannedStart: '2026-03',
		rampMonths: 12,
		source:
			'USA Rare Earth via MINING.COM, Jan 2025: 1,200 t/yr initially, 4,800 t/yr nameplate (production once slated for 2023, then 2024); Metalnomist, Aug 2025: commercial operations H1 2026'
	},
	{
		id: 'noveonExpansion',
		name: 'Noveon Magnetics, San Marcos TX (to its 2,000 t/yr nameplate)',
		tonnesPerYear: 1500,
		plannedStart: '2025-07',
		rampMonths: 24,
		source:
			"Noveon (Austin Business Journal), 'Noveon aims to jumpstart rare-earth magnet production in US', 23 Feb 2023: facility built for 2,000 t/yr, recycled feed; the 500 t/yr already made in 2024 is domesticOutput2024 (assumption)"
	},
	{
		id: 'appleRecycling',
		name: 'Apple–MP Materials recycled-magnet line, Fort Worth TX',
		tonnesPerYear: 300,
		plannedStart: '2027-01',
		rampMonths: 12,
		source: 'NS Energy, 16 Jul 2025: US$500m Apple–MP agreement, magnets from recycled feed, shipments from 2027; tonnage not public: 300 t/yr is an assumption'
	},
	{
		id: 'mp10x',
		name: 'MP Materials 10X facility',
		tonnesPerYear: 9000,
		plannedStart: '2028-01',
		rampMonths: 24,
		source:
			'MP Materials–DoD agreement, 10 Jul 2025 (Defence-Industry.eu; Adamas Intelligence): 10X commissioning 2028, MP total ~10,000 t/yr, 100 % of output bought by defence and commercial customers for 10 years'
	},
	{
		id: 'usaRareEarthExpansion',
		name: 'USA Rare Earth, Stillwater OK (to 4,800 t/yr)',
		tonnesPerYear: 3600,
		plannedStart: '2028-01',
		rampMonths: 24,
		source: 'USA Rare Earth via MINING.COM, Jan 2025: nameplate 4,800 t/yr; the date is an assumption (none announced)'
	},
	{
		id: 'vulcan',
		name: 'Vulcan Elements, Benson NC',
		tonnesPerYear: 10000,
		plannedStart: '2027-07',
		rampMonths: 36,
		source: 'Manufacturing Dive, Nov 2025; Tectonic Defense, Nov 2025: 10,000 t/yr plant, initial operations expected in 2027; the ramp is an assumption'
	}
];

/** Per plant, its planned start as months after the scenario start. */
export function plannedStartMonths(startAbsolute: number): Float64Array {
	return Float64Array.from(plants, (plant) => monthToAbsolute(plant.plannedStart) - startAbsolute);
}

/** A plant's output (t/month) in month `t` when it starts in month `start` (fractional) and is built. */
export function plantOutput(tonnesPerYear: number, rampMonths: number, start: number, t: number): number {
	const progress = (t - start + 1) / rampMonths;
	if (progress <= 0) return 0;
	return (tonnesPerYear / 12) * (progress >= 1 ? 1 : progress);
}

/**
 * The first month a plant that starts in month `start` makes anything, and the first it runs at
 * full output, decided by the same arithmetic as `plantOutput` (so the month loop computes the
 * ramp only in between); written to `from[slot]` and `full[slot]`.
 */
export function plantRampMonths(rampMonths: number, start: number, from: Float64Array, full: Float64Array, slot: number): void {
	const progress = (t: number) => (t - start + 1) / rampMonths;
	let first = Math.max(0, Math.ceil(start - 1));
	while (first > 0 && progress(first - 1) > 0) first--;
	while (progress(first) <= 0) first++;
	let complete = Math.max(first, Math.ceil(start - 1 + rampMonths));
	while (complete > first && progress(complete - 1) >= 1) complete--;
	while (progress(complete) < 1) complete++;
	from[slot] = first;
	full[slot] = complete;
}
