import type { ParameterValue } from '../scenario/distributions';
import { calibration } from './calibration';

/**
 * Every parameter of the model, with its unit, physical bounds, default and the source of that
 * default. Scenarios override defaults by id; draws are truncated to `bounds`.
 * The order of this list is part of the model: parameter k takes draw k of the path's
 * "parameters" stream, so new parameters go at the end.
 */
export interface ParameterDefinition {
	id: string;
	label: string;
	unit: string;
	bounds: readonly [number, number];
	default: ParameterValue;
	source: string;
	/** Model step where it acts, for grouping in docs and the UI. */
	area: 'demand' | 'policy' | 'exports' | 'capacity' | 'allied' | 'inventory' | 'price';
	/** Whole months: draws are rounded. */
	integer?: boolean;
}

const assumption = 'assumption';

export const parameterDefinitions = [
	{
		id: 'demandBase',
		label: 'U.S. magnet demand in 2024',
		unit: 't/month',
		bounds: [1, 100_000],
		default: 784,
		source: `derived: (${calibration.usDirectImports2024.value} t/yr direct imports + ~500 t/yr domestic output, assumption) / 12. ${calibration.usDirectImports2024.source}`,
		area: 'demand'
	},
	{
		id: 'demandGrowth',
		label: 'Demand growth',
		unit: '1/yr',
		bounds: [-0.2, 0.5],
		default: { dist: 'triangular', min: 0.04, mode: calibration.demandCagr2024to2040.value, max: 0.12 },
		source: `mode: ${calibration.demandCagr2024to2040.source}; spread: assumption`,
		area: 'demand'
	},
	{
		id: 'demandShockPersistence',
		label: 'Demand shock persistence (AR(1) ρ)',
		unit: '–',
		bounds: [0, 0.99],
		default: 0.8,
		source: assumption,
		area: 'demand'
	},
	{
		id: 'demandShockVolatility',
		label: 'Demand shock volatility (log, stationary)',
		unit: '–',
		bounds: [0, 1],
		default: 0.08,
		source: assumption,
		area: 'demand'
	},
	{
		id: 'priceElasticity',
		label: 'Price elasticity of demand (magnitude)',
		unit: '–',
		bounds: [0, 1],
		default: { dist: 'triangular', min: 0.03, mode: calibration.priceElasticity2011.value, max: 0.1 },
		source: `${calibration.priceElasticity2011.source}; range 0.03–0.10 (assumption within it)`,
		area: 'demand'
	},
	{
		id: 'targetCoverMonths',
		label: 'Inventory cover target',
		unit: 'months',
		bounds: [0, 24],
		default: 2,
		source: `${calibration.japanStockpileTargetDays.value} days: ${calibration.japanStockpileTargetDays.source}`,
		area: 'inventory'
	},
	{
		id: 'precautionaryCoverLicensing',
		label: 'Precautionary cover multiple under licensing',
		unit: '×',
		bounds: [1, 5],
		default: 1.5,
		source: assumption,
		area: 'inventory'
	},
	{
		id: 'precautionaryCoverRestricted',
		label: 'Precautionary cover multiple under restrictions',
		unit: '×',
		bounds: [1, 5],
		default: 2,
		source: assumption,
		area: 'inventory'
	},
	{
		id: 'coverAdjustmentMonths',
		label: 'Months to rebuild inventory cover',
		unit: 'months',
		bounds: [1, 24],
		default: 4,
		source: assumption,
		area: 'inventory'
	},
	{
		id: 'licensingImmediateShare',
		label: 'Share of orders shipped at once under licensing',
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.075,
		source: 'derived: May 2025 U.S.-bound exports 46.4 t (Bloomberg/SCMP, −93.3 % y/y) against ~620 t/month in 2024',
		area: 'exports'
	},
	{
		id: 'restrictedImmediateShare',
		label: 'Share of orders shipped at once under restrictions',
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.02,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'licenceReviewMonths',
		label: 'Licence review time',
		unit: 'months',
		bounds: [1, 6],
		default: { dist: 'pert', min: 1, mode: 2, max: 4 },
		source: `mode: ${calibration.licenceReviewWorkingDays.value} working days ≈ 2 months, ${calibration.licenceReviewWorkingDays.source}; spread: assumption`,
		area: 'exports',
		integer: true
	},
	{
		id: 'licenceApprovalRate',
		label: 'Licence approval rate',
		unit: 'fraction',
		bounds: [0, 1],
		default: { dist: 'pert', min: 0.4, mode: 0.85, max: 1 },
		source: `assumption (licences flowed after the June 2025 London framework); a low case: ${calibration.euLicenceApprovalRateOct2025.value} in Oct 2025, ${calibration.euLicenceApprovalRateOct2025.source}`,
		area: 'exports'
	},
	{
		id: 'backlogReleaseRate',
		label: 'Approved backlog shipped per month',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.6,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'backlogCancellationRate',
		label: 'Backlog cancelled per month',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.05,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'exportNoise',
		label: 'Monthly export noise (log sd)',
		unit: '–',
		bounds: [0, 1],
		default: 0.12,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'pOpenToLicensing',
		label: 'Monthly probability open → licensing',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.01,
		source: assumption,
		area: 'policy'
	},
	{
		id: 'pOpenToRestricted',
		label: 'Monthly probability open → restricted',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.002,
		source: assumption,
		area: 'policy'
	},
	{
		id: 'pLicensingToOpen',
		label: 'Monthly probability licensing → open',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.03,
		source: assumption,
		area: 'policy'
	},
	{
		id: 'pLicensingToRestricted',
		label: 'Monthly probability licensing → restricted (renewed controls)',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.01,
		source: assumption,
		area: 'policy'
	},
	{
		id: 'pRestrictedToLicensing',
		label: 'Monthly probability restricted → licensing',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.15,
		source: `assumption (2010 embargo of Japan lasted ~2 months; Oct 2025 controls paused within a month)`,
		area: 'policy'
	},
	{
		id: 'pRestrictedToOpen',
		label: 'Monthly probability restricted → open',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.01,
		source: assumption,
		area: 'policy'
	},
	{
		id: 'domesticCapacityInitial',
		label: 'U.S. magnet capacity at start',
		unit: 't/yr',
		bounds: [0, 100_000],
		default: 500,
		source: `assumption: Noveon (nameplate ${calibration.noveonCapacity.value} t/yr) operating well below nameplate; MP Independence trial output`,
		area: 'capacity'
	},
	{
		id: 'domesticCapacityTarget',
		label: 'U.S. magnet capacity planned',
		unit: 't/yr',
		bounds: [0, 100_000],
		default: 4200,
		source: `sum of firm plans: MP Independence ${calibration.mpIndependenceCapacity.value} + USA Rare Earth phase 1 ${calibration.usaRareEarthPhase1.value} + Noveon ${calibration.noveonCapacity.value} t/yr (${calibration.mpIndependenceCapacity.source}; ${calibration.usaRareEarthPhase1.source}; ${calibration.noveonCapacity.source})`,
		area: 'capacity'
	},
	{
		id: 'domesticAchievedFraction',
		label: 'Share of planned capacity achieved',
		unit: 'fraction',
		bounds: [0, 1],
		default: { dist: 'pert', min: 0.2, mode: 0.5, max: 0.9 },
		source: 'assumption (most announced plants are not yet at nameplate; frequent slips)',
		area: 'capacity'
	},
	{
		id: 'domesticRampMidpoint',
		label: 'Planned midpoint of the capacity ramp',
		unit: 'year',
		bounds: [2000, 2100],
		default: 2027.5,
		source: 'assumption from company plans: MP ramp from late 2025, USA Rare Earth first magnets early 2026',
		area: 'capacity'
	},
	{
		id: 'domesticRampDelay',
		label: 'Slip of the capacity ramp',
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 6, mode: 24, max: 60 },
		source: `assumption; new-capacity lead times of ${calibration.newCapacityLeadTimeYears.value}–7 years (${calibration.newCapacityLeadTimeYears.source})`,
		area: 'capacity'
	},
	{
		id: 'domesticRampMonths',
		label: 'Ramp duration (10 % → 90 %)',
		unit: 'months',
		bounds: [1, 120],
		default: 30,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'domesticPricePremium',
		label: 'U.S.-made magnet price premium',
		unit: '×',
		bounds: [1, 10],
		default: 2.54,
		source: `derived: ${calibration.usMadeMagnetRevenuePerKg.value} / ${calibration.chinaExportUnitValue2024.value} USD/kg (${calibration.usMadeMagnetRevenuePerKg.source})`,
		area: 'price'
	},
	{
		id: 'alliedSupplyBase',
		label: 'Allied supply to the U.S. in 2024',
		unit: 't/month',
		bounds: [0, 100_000],
		default: 121,
		source: `derived: (${calibration.usDirectImports2024.value} − ${calibration.usImportsFromChina2024.value}) t/yr / 12, U.S. imports not from China`,
		area: 'allied'
	},
	{
		id: 'alliedGrowth',
		label: 'Allied supply growth',
		unit: '1/yr',
		bounds: [-0.5, 1],
		default: { dist: 'triangular', min: 0.02, mode: 0.06, max: 0.12 },
		source: `assumption, informed by a non-China supply ramp of ${calibration.nonChinaSupplyRamp.value} of market per year (${calibration.nonChinaSupplyRamp.source})`,
		area: 'allied'
	},
	{
		id: 'alliedPriceResponse',
		label: 'Allied supply response to price (elasticity)',
		unit: '–',
		bounds: [0, 3],
		default: 0.5,
		source: assumption,
		area: 'allied'
	},
	{
		id: 'alliedPricePremium',
		label: 'Allied magnet price premium',
		unit: '×',
		bounds: [1, 5],
		default: 1.3,
		source: assumption,
		area: 'price'
	},
	{
		id: 'priceBase',
		label: 'China export price of magnets in 2024',
		unit: 'USD/kg',
		bounds: [1, 1000],
		default: calibration.chinaExportUnitValue2024.value,
		source: calibration.chinaExportUnitValue2024.source,
		area: 'price'
	},
	{
		id: 'priceReversion',
		label: 'Price adjustment speed',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.25,
		source: assumption,
		area: 'price'
	},
	{
		id: 'priceVolatility',
		label: 'Price volatility (log, monthly)',
		unit: '–',
		bounds: [0, 1],
		default: 0.05,
		source: 'assumption (no citable published volatility)',
		area: 'price'
	},
	{
		id: 'supplyElasticity',
		label: 'Price response to tightness (supply elasticity)',
		unit: '–',
		bounds: [0.1, 10],
		default: 1.5,
		source: `assumption: a cut-off market (tightness 10) settles near 4.6x; lower values give spikes of the order of 2010–11 (Nd metal ~${calibration.spikeNdMetal2011.value}x over 31 months: ${calibration.spikeNdMetal2011.source})`,
		area: 'price'
	},
	{
		id: 'escalationJumpLicensing',
		label: 'Price jump when licensing starts (log)',
		unit: '–',
		bounds: [0, 2],
		default: 0.1,
		source: assumption,
		area: 'price'
	},
	{
		id: 'escalationJumpRestricted',
		label: 'Price jump when restrictions start (log)',
		unit: '–',
		bounds: [0, 2],
		default: 0.3,
		source: assumption,
		area: 'price'
	}
] as const satisfies readonly ParameterDefinition[];

export type ParameterId = (typeof parameterDefinitions)[number]['id'];
export const parameterIds = parameterDefinitions.map((p) => p.id) as ParameterId[];
export const parameterById: Record<ParameterId, ParameterDefinition> = Object.fromEntries(
	parameterDefinitions.map((p) => [p.id, p])
) as Record<ParameterId, ParameterDefinition>;

/** One value per parameter, as drawn for one path. */
export type ParameterDraw = Record<ParameterId, number>;

/** Transition parameters that hazard events may reset from a date on. */
export const timeVaryingParameterIds = [
	'pOpenToLicensing',
	'pOpenToRestricted',
	'pLicensingToOpen',
	'pLicensingToRestricted',
	'pRestrictedToLicensing',
	'pRestrictedToOpen',
	'licenceApprovalRate'
] as const satisfies readonly ParameterId[];
export type TimeVaryingParameterId = (typeof timeVaryingParameterIds)[number];
