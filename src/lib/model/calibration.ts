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
		source:
			'derived: 7,444 t / ~0.84 China share of U.S. sintered NdFeB imports (US Census via Rare Earth Exchanges, 2 Jun 2025); excludes magnets in finished goods'
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
		source:
			'derived: ln(0.90)/ln(10) from ~10 % substitution vs ~10x price in 2010–11 (Sprecher et al. 2017, ES&T 51(7):3860); Dy 26x gives 0.03. Not a published estimate'
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
	},
	usImportsFromChinaH1_2025: {
		value: 2510,
		unit: 't',
		source: 'GACC customs data via Reuters, Jul 2025: U.S.-bound magnet exports H1 2025 (−30.6 % y/y)'
	},
	usImportsFromChina2019: {
		value: 4593,
		unit: 't/yr',
		source: "Reuters via SME, 'China's shipments of rare earth magnets climbed 12 percent in 2019', 3 Feb 2020"
	},
	chinaMagnetExports2024: {
		value: 58152,
		unit: 't/yr',
		source: "Adamas Intelligence, 'Record rare earth magnet exports from China in 2024', early 2025"
	},
	ndprMarketAverageQ4_2024: {
		value: 51,
		unit: 'USD/kg',
		source: 'Lynas December 2024 quarterly, via Australian Resources & Investment, 17 Jan 2025: NdPr market average Q4 2024'
	},
	ndprFobApril2024: {
		value: 54,
		unit: 'USD/kg',
		source: 'Fastmarkets, 18 Apr 2024: NdPr oxide FOB China 53–55 USD/kg'
	},
	ndprChinaQ2_2022: {
		value: 120,
		unit: 'USD/kg',
		source: 'Lynas quarterly, Jul 2022, via MarketScreener: China domestic NdPr average Q2 2022 (the 2021–22 cycle high)'
	},
	ndprFloorDoD: {
		value: 110,
		unit: 'USD/kg',
		source: 'MP Materials–DoD agreement, 10 Jul 2025: 10-year NdPr price floor of US$110/kg (Defence-Industry.eu; Adamas Intelligence, Jul 2025)'
	},
	dyOxideEuropeJuly2025: {
		value: 800,
		unit: 'USD/kg',
		source: 'Dy oxide CIF Europe, Jul 2025 (team calibration file; "ex-China premium ~3x")'
	},
	magnetRareEarthContent: {
		value: 0.3,
		unit: 'kg NdPr per kg magnet',
		source:
			'Ahlulang Magnet, 8 Jan 2026: Pr and Nd are about 30 % of an NdFeB magnet; Courage Magnet FAQ: rare earths 29–32.5 wt%; Fastmarkets, 27 Jun 2024: NdPr about a third of a finished magnet'
	},
	magnetDyContent: {
		value: 0.009,
		unit: 'kg Dy per kg magnet',
		source: 'Courage Magnet FAQ (and SENS Magnetics): Dy 0.6–1.2 wt% in standard sintered grades (midpoint)'
	},
	japanChinaDependence2024: {
		value: 0.6,
		unit: 'fraction',
		source: "public reports (team calibration file): Japan's rare-earth dependence on China 60–70 % in 2024, >90 % in 2010; lower end"
	},
	magnetPriceJune2025Move: {
		value: -0.05,
		unit: 'fraction m/m',
		source: 'seed article (news story, June 2025): magnet prices fell about 5 % with the June 2025 export surge'
	},
	licenceReviewDerivedMay2025: {
		value: 46.4,
		unit: 't',
		source: "Bloomberg / SCMP via Ground News, 'China's magnet exports to US slammed in May', Jun 2025 (46.4 t, −93.3 % y/y)"
	}
} as const satisfies Record<string, CalibrationFigure>;

export type CalibrationKey = keyof typeof calibration;

/** China's U.S.-bound magnet exports in the reference year 2024, per month: the denominator of `replacement`. */
export const chinaReferenceSupplyTonnesPerMonth = calibration.usImportsFromChina2024.value / 12;

/** U.S. magnets made in 2024 (t/yr): Noveon and trial lines; an assumption, no published figure. */
export const domesticOutput2024 = 500;
/** Allied magnets' price relative to China's export price: an assumption (no published figure). */
export const alliedPricePremium2024 = 1.3;

/**
 * China's share of U.S. sintered-NdFeB imports is 83.5 % by *value*; Chinese magnets are cheaper,
 * so by volume it is higher: s_v = (s / 1) / (s / 1 + (1 − s) / premium). Allied volume follows.
 */
const valueShare = calibration.chinaShareOfUsImportsValueQ1_2024.value;
export const chinaVolumeShareOfImports2024 = valueShare / (valueShare + (1 - valueShare) / alliedPricePremium2024);
export const alliedImports2024 = (calibration.usImportsFromChina2024.value * (1 - chinaVolumeShareOfImports2024)) / chinaVolumeShareOfImports2024;

/** China's share of U.S. magnet supply in 2024 (imports from China over imports plus U.S. output): the base of `relianceCut`. */
export const chinaShareOfSupply2024 =
	calibration.usImportsFromChina2024.value / (calibration.usImportsFromChina2024.value + alliedImports2024 + domesticOutput2024);

/** kg of NdPr oxide per kg of NdPr metal: Nd₂O₃ is 85.7 % Nd by mass (2·144.24 / 336.48). */
export const OXIDE_PER_METAL = 336.48 / 288.48;

/** Observed monthly series (t/month) as published; `null` months were not reported individually. */
export interface ObservedPoint {
	month: string;
	value: number;
	status: string;
	source: string;
}
