/**
 * The public figures the model's defaults come from, copied from the team's calibration file
 * with their sources. Every default in `parameters.ts` points at one of these or says
 * "assumption". Nothing here is read at run time from outside the project.
 */
export interface CalibrationFigure {
	value: number;
	unit: string;
	source: string;
}

export const calibration = {
	usImportsFromChina2024: {
		value: 7444,
		unit: 't/yr',
		source: 'GACC annual data reported by Reuters (derived): U.S.-bound NdFeB magnet exports from China, 2024'
	},
	usDirectImports2024: {
		value: 8900,
		unit: 't/yr',
		source: 'derived: 7,444 t / ~0.84 China share of U.S. sintered NdFeB imports (US Census via Rare Earth Exchanges, 2 Jun 2025); excludes magnets in finished goods'
	},
	chinaShareOfUsImportsValueQ1_2024: {
		value: 0.835,
		unit: 'fraction',
		source: 'US Census via Rare Earth Exchanges, 2 Jun 2025 (US$58.4m of 69.9m)'
	},
	demandCagr2024to2040: {
		value: 0.087,
		unit: '1/yr',
		source: "Adamas Intelligence, 'Rare Earth Magnet Market Outlook to 2040' (Q3 2024): NdFeB demand CAGR"
	},
	priceElasticity2011: {
		value: 0.05,
		unit: '–',
		source: 'derived: ln(0.90)/ln(10) from ~10 % substitution vs ~10x price in 2010–11 (Sprecher et al. 2017, ES&T 51(7):3860); Dy 26x gives 0.03. Not a published estimate'
	},
	chinaExportUnitValue2024: {
		value: 49.2,
		unit: 'USD/kg',
		source: "derived: US$2.86bn / 58,152 t (Adamas Intelligence, 'Record rare earth magnet exports from China in 2024')"
	},
	usMadeMagnetRevenuePerKg: {
		value: 125,
		unit: 'USD/kg',
		source: 'derived: Noveon 2,000 t/yr ~ US$250m revenue (Austin Business Journal via noveon.co); low confidence'
	},
	japanStockpileTargetDays: {
		value: 60,
		unit: 'days',
		source: "IEA policy database, 'International Resource Strategy – National stockpiling system' (JOGMEC 60-day target), Oct 2023"
	},
	licenceReviewWorkingDays: {
		value: 45,
		unit: 'working days',
		source: 'Adamas via mining.com, Apr 2025: licence review "upwards of 45 business days"'
	},
	euLicenceApprovalRateOct2025: {
		value: 0.135,
		unit: 'fraction',
		source: 'European industry report via particle.news, Oct 2025: 19 of 141 applications approved'
	},
	nonChinaSupplyRamp: {
		value: 0.04,
		unit: 'fraction of market per yr',
		source: 'Sprecher et al. 2017, ES&T 51(7):3860-3870 (2010 crisis: non-China supply ramp)'
	},
	newCapacityLeadTimeYears: {
		value: 6,
		unit: 'years',
		source: 'Keilhacker & Minner 2017 (6 yr); Riddle, Argonne, 2021 (up to 7 yr)'
	},
	mpIndependenceCapacity: {
		value: 1000,
		unit: 't/yr',
		source: "MP Materials, 'MP Materials Restores U.S. Rare Earth Magnet Production', 22 Jan 2025"
	},
	mp10xCapacity: {
		value: 9000,
		unit: 't/yr',
		source: 'MP Materials / DoD agreement, Jul 2025: 10X facility commissioning 2028, MP total ~10,000 t/yr'
	},
	usaRareEarthPhase1: {
		value: 1200,
		unit: 't/yr',
		source: 'USA Rare Earth, Stillwater OK: 1,200 t/yr phase 1, 4,800 t/yr nameplate (Washington Post, 22 Jun 2025)'
	},
	noveonCapacity: {
		value: 2000,
		unit: 't/yr',
		source: 'Noveon Magnetics, San Marcos TX (noveon.co, 2023)'
	},
	spikeNdMetal2011: {
		value: 22,
		unit: 'x',
		source: "University of Birmingham, 'The race for rare earth metals', 2013: Nd metal ~US$20 → 450/kg"
	}
} as const satisfies Record<string, CalibrationFigure>;

export type CalibrationKey = keyof typeof calibration;

/** China's U.S.-bound magnet exports in the reference year 2024, per month: the denominator of `replacement`. */
export const chinaReferenceSupplyTonnesPerMonth = calibration.usImportsFromChina2024.value / 12;

/** Observed monthly series (t/month) as published; `null` months were not reported individually. */
export interface ObservedPoint {
	month: string;
	value: number;
	status: string;
	source: string;
}
