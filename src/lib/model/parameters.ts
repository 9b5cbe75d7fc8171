import type { ParameterValue } from './parameter-values';
import { calibratedFits } from './calibrated';
import { calibrationPriors } from './priors';
import { alliedImports2024, alliedPricePremium2024, calibration, chinaVolumeShareOfImports2024, domesticOutput2024, OXIDE_PER_METAL } from './calibration';
import { plants, type PlantId } from './plants';
import { unitInWords } from './units';

/**
 * Every parameter of the model, with its unit, physical bounds, default and the source of that
 * default. (One long file on purpose: it is the catalogue, a table of ~75 cited entries that the
 * schema, the docs generator and the UI read in this order; splitting it would scatter the sources.) Scenarios override defaults by id; draws are truncated to `bounds`.
 * The order of this list is part of the model: parameter k takes draw k of the path's
 * "parameters" stream, so new parameters go at the end.
 */
export interface ParameterDefinition {
	id: string;
	label: string;
	unit: string;
	/** The unit in words where the machine unit has none of its own (a "–" coefficient, a log drift). */
	unitWords?: string;
	bounds: readonly [number, number];
	default: ParameterValue;
	source: string;
	/** Model step where it acts, for grouping in docs and the UI. */
	area: 'demand' | 'policy' | 'exports' | 'capacity' | 'allied' | 'inventory' | 'price';
	/** Whole months: draws are rounded. */
	integer?: boolean;
}

const assumption = 'assumption';

/** A default fitted by `npm run calibrate`, with its provenance; its prior until a fit exists. */
function fitted(id: string): { default: ParameterValue; source: string } {
	const fit = calibratedFits.main;
	const { prior, why } = calibrationPriors[id];
	const priorText = `prior triangular(${prior.min}, ${prior.mode}, ${prior.max}): ${why}`;
	const spec = fit.parameters[id];
	if (!spec) return { default: prior, source: `${priorText} (not yet fitted: run npm run calibrate)` };
	return { default: spec, source: `fitted: ${fit.method}, data to ${fit.cutoff} (npm run calibrate); ${priorText}` };
}

const plantName = (id: PlantId) => plants.find((p) => p.id === id)!.name;

export const parameterDefinitions = [
	// Demand (U.S. buyers of bare magnets)
	{
		id: 'demandBase',
		label: 'U.S. magnet demand in 2024',
		unit: 't/month',
		bounds: [1, 100_000],
		default: Math.round(((calibration.usImportsFromChina2024.value + alliedImports2024 + domesticOutput2024) / 12) * 10) / 10,
		source: `derived: (${calibration.usImportsFromChina2024.value} t/yr from China (${calibration.usImportsFromChina2024.source}) + ${Math.round(alliedImports2024)} t/yr from other origins + ${domesticOutput2024} t/yr U.S. output (assumption)) / 12. Other origins: China's ${calibration.chinaShareOfUsImportsValueQ1_2024.value} share of import *value* (${calibration.chinaShareOfUsImportsValueQ1_2024.source}) is ${chinaVolumeShareOfImports2024.toFixed(3)} by volume when allied magnets cost ${alliedPricePremium2024}× (assumption)`,
		area: 'demand'
	},
	{
		id: 'demandGrowth',
		label: 'U.S. demand growth',
		unit: '1/yr',
		bounds: [-0.3, 0.5],
		...fitted('demandGrowth'),
		area: 'demand'
	},
	{
		id: 'demandShockPersistence',
		label: 'Demand shock persistence (AR(1) ρ)',
		unit: '–',
		unitWords: 'correlation from one month to the next',
		bounds: [0, 0.99],
		default: 0.8,
		source: assumption,
		area: 'demand'
	},
	{
		id: 'demandShockVolatility',
		label: 'Demand shock volatility (log, stationary)',
		unit: '–',
		unitWords: 'standard deviation of log demand',
		bounds: [0, 1],
		default: 0.08,
		source: 'assumption, sized to the month-to-month spread of the 2024 U.S.-bound customs series (log sd ≈ 0.07 over May–Oct 2024)',
		area: 'demand'
	},
	{
		id: 'priceElasticity',
		label: 'Price elasticity of U.S. magnet use (magnitude)',
		unit: '–',
		unitWords: '% change in use per % change in price',
		bounds: [0, 1],
		default: { dist: 'triangular', min: 0.03, mode: calibration.priceElasticity2011.value, max: 0.1 },
		source: `${calibration.priceElasticity2011.source}; range 0.03–0.10 (assumption within it)`,
		area: 'demand'
	},
	{
		id: 'importLeakElasticity',
		label: 'Leak toward magnets inside imported goods, per log of the landed price',
		unit: '–',
		unitWords: 'share leaked per log of the landed price',
		bounds: [0, 3],
		...fitted('importLeakElasticity'),
		area: 'demand'
	},
	{
		id: 'priceResponseMonths',
		label: 'Months for buyers to respond to a landed-price change',
		unit: 'months',
		bounds: [1, 36],
		default: 6,
		source: 'assumption (contracts reprice over about half a year)',
		area: 'demand'
	},
	// Inventory and ordering
	{
		id: 'targetCoverMonths',
		label: "U.S. buyers' inventory cover target",
		unit: 'months',
		bounds: [0, 24],
		default: 2,
		source:
			'assumption: no U.S. figure published; in spring 2025 automakers reported stocks of weeks (Alliance for Automotive Innovation letter, 9 May 2025, via Japan Times/Reuters: shutdowns "within weeks"; Ford Chicago idled a week in May 2025, CBT News)',
		area: 'inventory'
	},
	{
		id: 'precautionaryCoverLicensing',
		label: 'Precautionary cover multiple under licensing',
		unit: '×',
		bounds: [1, 5],
		default: 1.25,
		source: assumption,
		area: 'inventory'
	},
	{
		id: 'precautionaryCoverRestricted',
		label: 'Precautionary cover multiple under restrictions',
		unit: '×',
		bounds: [1, 5],
		default: 1.5,
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
		id: 'maxRestockShare',
		label: 'Most ordered in a month to rebuild stock, as a share of demand',
		unit: 'fraction',
		bounds: [0, 3],
		default: 0.3,
		source: 'assumption (bounds restocking after a shortage)',
		area: 'inventory'
	},
	{
		id: 'pipelineWeight',
		label: 'Share of orders waiting in China that buyers count as coming',
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.5,
		source: 'assumption (supply-line correction: buyers do not order again what they already wait for)',
		area: 'inventory'
	},
	// China's exports and the backlog
	{
		id: 'licensingImmediateShare',
		label: 'Share of orders shipped at once under licensing',
		unit: 'fraction',
		bounds: [0, 1],
		...fitted('licensingImmediateShare'),
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
		...fitted('licenceReviewMonths'),
		area: 'exports',
		integer: true
	},
	{
		id: 'licenceApprovalRate',
		label: 'Licence approval rate',
		unit: 'fraction',
		bounds: [0, 1],
		...fitted('licenceApprovalRate'),
		area: 'exports'
	},
	{
		id: 'approvalVolatility',
		label: 'Month-to-month swing of the approval rate (logit scale, stationary sd)',
		unit: '–',
		unitWords: 'standard deviation on the logit scale',
		bounds: [0, 5],
		default: 0.5,
		source:
			'assumption: approvals were slow in April–May 2025, faster after the June London framework, scarce again for Europe in October (19 of 141) and eased by general licences in December; the swing persists (ρ = 0.8 a month)',
		area: 'exports'
	},
	{
		id: 'refusedResubmittedShare',
		label: 'Share of refused orders filed again',
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.5,
		source: 'assumption (buyers with no other source re-apply; the rest buy elsewhere or inside imported goods)',
		area: 'exports'
	},
	{
		id: 'licencePushShare',
		label: 'Share of orders in review a licensing push clears at once',
		unit: 'fraction',
		bounds: [0, 1],
		...fitted('licencePushShare'),
		area: 'exports'
	},
	{
		id: 'backlogReleaseRate',
		label: 'Approved backlog shipped per month',
		unit: '1/month',
		bounds: [0, 1],
		...fitted('backlogReleaseRate'),
		area: 'exports'
	},
	{
		id: 'backlogCancellationRate',
		label: 'Waiting orders cancelled or diverted per month',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.05,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'heldCancellationRate',
		label: 'Held orders cancelled or diverted per month under restrictions (at the start; doubles after six months)',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.15,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'maxReleaseMonths',
		label: 'Most backlog released in a month, in months of demand',
		unit: 'months',
		bounds: [0, 12],
		default: 1,
		source: "assumption (exporters' capacity to ship a backlog on top of current orders; the June 2025 surge released about half a month)",
		area: 'exports'
	},
	{
		id: 'backlogCapMonths',
		label: 'Most orders that wait in China, in months of demand',
		unit: 'months',
		bounds: [0, 24],
		default: 4,
		source: 'assumption (buyers divert or cancel beyond a few months of orders; above the two months a licence review holds)',
		area: 'exports'
	},
	{
		id: 'exportNoise',
		label: 'Monthly export noise (log sd)',
		unit: '–',
		unitWords: 'standard deviation of log exports',
		bounds: [0, 1],
		default: 0.12,
		source: assumption,
		area: 'exports'
	},
	{
		id: 'exportShippingLag',
		label: "Share of a month's released exports recorded the next month",
		unit: 'fraction',
		bounds: [0, 1],
		...fitted('exportShippingLag'),
		area: 'exports'
	},
	// Policy regime
	{ id: 'pOpenToLicensing', label: 'Monthly probability open → licensing', unit: '1/month', bounds: [0, 1], default: 0.01, source: assumption, area: 'policy' },
	{
		id: 'pOpenToRestricted',
		label: 'Monthly probability open → restricted',
		unit: '1/month',
		bounds: [0, 1],
		default: 0.002,
		source: assumption,
		area: 'policy'
	},
	{ id: 'pLicensingToOpen', label: 'Monthly probability licensing → open', unit: '1/month', bounds: [0, 1], default: 0.03, source: assumption, area: 'policy' },
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
		source: 'assumption (2010 embargo of Japan lasted ~2 months; Oct 2025 controls paused within a month)',
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
		id: 'renewedRestrictionDelay',
		label: 'Renewed restrictions start, months after their earliest date',
		unit: 'months',
		bounds: [0, 60],
		default: { dist: 'uniform', min: 0, max: 5 },
		source: 'assumption (used by regime events that name it)',
		area: 'policy',
		integer: true
	},
	{
		id: 'renewedRestrictionMonths',
		label: 'Length of renewed restrictions',
		unit: 'months',
		bounds: [1, 120],
		default: { dist: 'uniform', min: 3, max: 12 },
		source: 'assumption: the 2010 embargo of Japan lasted about two months, the 2025 licensing rule about nine (used by regime events that name it)',
		area: 'policy',
		integer: true
	},
	{
		id: 'tariffLater',
		label: 'U.S. tariff on Chinese magnets from Nov 2026',
		unit: 'fraction',
		bounds: [0, 5],
		default: 0.271,
		source:
			'MFN 2.1 % + Section 301 25 % (USTR final notice, 13 Sep 2024), after the IEEPA duties ended (Supreme Court, 20 Feb 2026) and the Section 122 surcharge expired (24 Jul 2026); earlier months follow the dated schedule in tariffs.ts',
		area: 'policy'
	},
	// Prices
	{
		id: 'ndprPriceStart',
		label: 'NdPr oxide price in China at the start',
		unit: 'USD/kg',
		bounds: [1, 2000],
		default: calibration.ndprMarketAverageQ4_2024.value,
		source: calibration.ndprMarketAverageQ4_2024.source,
		area: 'price'
	},
	{
		id: 'ndprLongRun',
		label: 'Long-run NdPr oxide price (cost anchor)',
		unit: 'USD/kg',
		bounds: [10, 2000],
		...fitted('ndprLongRun'),
		area: 'price'
	},
	{
		id: 'ndprReversion',
		label: 'NdPr price reversion toward its long-run level',
		unit: '1/month',
		bounds: [0, 1],
		...fitted('ndprReversion'),
		area: 'price'
	},
	{
		id: 'ndprDriftControls',
		label: 'Extra NdPr drift while China licenses or restricts (log)',
		unit: '1/month',
		unitWords: 'log change per month',
		bounds: [-0.2, 0.2],
		default: 0.01,
		source: 'assumption (controls tighten ex-China raw-material supply; SMM: Pr-Nd oxide flat ±5 % in April–June 2025, so the extra drift is small)',
		area: 'price'
	},
	{
		id: 'ndprVolatility',
		label: 'NdPr price volatility (log, monthly)',
		unit: '–',
		unitWords: 'standard deviation of the monthly log change',
		bounds: [0, 1],
		default: 0.06,
		source: 'assumption (no citable published volatility; MP Materials realised NdPr fell from 62 to 48 USD/kg between Q1 and Q2 2024, MP Q2 2024 results)',
		area: 'price'
	},
	{
		id: 'ndprJumpRestricted',
		label: 'NdPr jump when restrictions start (log)',
		unit: '–',
		unitWords: 'log change in price',
		bounds: [0, 2],
		default: 0.1,
		source: assumption,
		area: 'price'
	},
	{
		id: 'magnetNdprContent',
		label: 'NdPr metal per kg of magnet',
		unit: 'kg/kg',
		bounds: [0, 1],
		default: calibration.magnetRareEarthContent.value,
		source: `${calibration.magnetRareEarthContent.source}; × ${OXIDE_PER_METAL.toFixed(3)} kg oxide per kg metal`,
		area: 'price'
	},
	{
		id: 'magnetDyContent',
		label: 'Dy per kg of magnet (export mix)',
		unit: 'kg/kg',
		bounds: [0, 0.2],
		default: calibration.magnetDyContent.value,
		source: calibration.magnetDyContent.source,
		area: 'price'
	},
	{
		id: 'dyPriceChina',
		label: 'Dy oxide price in China',
		unit: 'USD/kg',
		bounds: [1, 10_000],
		default: Math.round(calibration.dyOxideEuropeJuly2025.value / 3),
		source: `derived: ${calibration.dyOxideEuropeJuly2025.value} USD/kg CIF Europe ÷ the ~3× ex-China premium (${calibration.dyOxideEuropeJuly2025.source})`,
		area: 'price'
	},
	{
		id: 'exportMarkupSensitivity',
		label: "China's export markup per log of export tightness",
		unit: '–',
		unitWords: 'log markup per log of tightness',
		bounds: [0, 1],
		...fitted('exportMarkupSensitivity'),
		area: 'price'
	},
	{
		id: 'alliedPricePremium',
		label: 'Allied magnet price over China export price (open market)',
		unit: '×',
		bounds: [1, 5],
		default: alliedPricePremium2024,
		source: assumption,
		area: 'price'
	},
	{
		id: 'premiumWideningControls',
		label: 'Widening of the ex-China premium under licensing (log; twice under restrictions)',
		unit: '–',
		unitWords: 'log change in the premium',
		bounds: [0, 2],
		default: 0.15,
		source: 'assumption, informed by Dy oxide CIF Europe ~3× China in Jul 2025 (heavy rare earths only)',
		area: 'price'
	},
	{
		id: 'usMadeMagnetPrice',
		label: 'U.S.-made magnet price in 2024',
		unit: 'USD/kg',
		bounds: [1, 1000],
		default: calibration.usMadeMagnetRevenuePerKg.value,
		source: calibration.usMadeMagnetRevenuePerKg.source,
		area: 'price'
	},
	// U.S. capacity, plant by plant
	{
		id: 'capacitySlipExtra',
		label: 'Extra slip of every U.S. plant',
		unit: 'months',
		bounds: [0, 120],
		default: 0,
		source: 'scenario lever (0 in the baseline)',
		area: 'capacity'
	},
	{
		id: 'mpIndependenceSlip',
		label: `Slip: ${plantName('mpIndependence')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 0, mode: 3, max: 12 },
		source: 'assumption (trial production since Jan 2025)',
		area: 'capacity'
	},
	{
		id: 'mpIndependenceCompletion',
		label: `Completion probability: ${plantName('mpIndependence')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.95,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'eVacSlip',
		label: `Slip: ${plantName('eVac')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 0, mode: 3, max: 12 },
		source: 'assumption (built; first commercial shipment reported)',
		area: 'capacity'
	},
	{
		id: 'eVacCompletion',
		label: `Completion probability: ${plantName('eVac')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.95,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'usaRareEarthSlip',
		label: `Slip: ${plantName('usaRareEarth')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 0, mode: 6, max: 24 },
		source: 'assumption (its start has slipped from 2023 to 2026)',
		area: 'capacity'
	},
	{
		id: 'usaRareEarthCompletion',
		label: `Completion probability: ${plantName('usaRareEarth')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.85,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'noveonExpansionSlip',
		label: `Slip: ${plantName('noveonExpansion')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 0, mode: 6, max: 24 },
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'noveonExpansionCompletion',
		label: `Completion probability: ${plantName('noveonExpansion')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.7,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'appleRecyclingSlip',
		label: `Slip: ${plantName('appleRecycling')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 0, mode: 3, max: 18 },
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'appleRecyclingCompletion',
		label: `Completion probability: ${plantName('appleRecycling')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.9,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'mp10xSlip',
		label: `Slip: ${plantName('mp10x')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 6, mode: 36, max: 72 },
		source: `assumption: the mode puts the start about six years after the announcement (Jul 2025), the lead time of new capacity (${calibration.newCapacityLeadTimeYears.value}–7 years: ${calibration.newCapacityLeadTimeYears.source})`,
		area: 'capacity'
	},
	{
		id: 'mp10xCompletion',
		label: `Completion probability: ${plantName('mp10x')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.7,
		source: 'assumption (DoD-backed, with US$1bn bank financing; site not yet named in Jul 2025)',
		area: 'capacity'
	},
	{
		id: 'usaRareEarthExpansionSlip',
		label: `Slip: ${plantName('usaRareEarthExpansion')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 6, mode: 36, max: 72 },
		source: 'assumption (new-capacity lead times of 6–7 years)',
		area: 'capacity'
	},
	{
		id: 'usaRareEarthExpansionCompletion',
		label: `Completion probability: ${plantName('usaRareEarthExpansion')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.5,
		source: assumption,
		area: 'capacity'
	},
	{
		id: 'vulcanSlip',
		label: `Slip: ${plantName('vulcan')}`,
		unit: 'months',
		bounds: [0, 120],
		default: { dist: 'pert', min: 6, mode: 48, max: 84 },
		source: `assumption: the mode puts the start about six years after the site was chosen (Nov 2025); new-capacity lead times of ${calibration.newCapacityLeadTimeYears.value}–7 years (${calibration.newCapacityLeadTimeYears.source})`,
		area: 'capacity'
	},
	{
		id: 'vulcanCompletion',
		label: `Completion probability: ${plantName('vulcan')}`,
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.5,
		source: 'assumption (site chosen Nov 2025; no magnets made at scale yet)',
		area: 'capacity'
	},
	{
		id: 'domesticMarketShare',
		label: "Share of U.S. plants' output sold to U.S. buyers of bare magnets",
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.15,
		source:
			"assumption: the rest goes to defence offtake and stockpiles (MP 10X, Vulcan), to overseas assembly (Apple's recycled magnets) or into U.S.-made goods that replace imported ones, all outside this market",
		area: 'capacity'
	},
	{
		id: 'feedstockChinaDependence',
		label: "Share of U.S. plants' NdPr metal and Dy/Tb from China in 2025",
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.5,
		source: 'assumption (MP makes its own NdPr metal; others buy; Dy/Tb outside China came only from Lynas from May 2025)',
		area: 'capacity'
	},
	{
		id: 'feedstockIndependenceYear',
		label: "Year U.S. plants' feedstock no longer needs China",
		unit: 'year',
		bounds: [2025, 2100],
		default: 2030,
		source: 'assumption (DoD mine-to-magnet goal for 2027, team calibration file; heavy-RE separation at Mountain Pass funded Jul 2025)',
		area: 'capacity'
	},
	// Allied supply
	{
		id: 'alliedSupplyBase',
		label: 'Allied supply to the U.S. in 2024',
		unit: 't/month',
		bounds: [0, 100_000],
		default: Math.round((alliedImports2024 / 12) * 10) / 10,
		source: `derived: ${Math.round(alliedImports2024)} t/yr of U.S. imports not from China: China's import share by value (${calibration.chinaShareOfUsImportsValueQ1_2024.value}) turned into volume with allied magnets at ${alliedPricePremium2024}× China's price (assumption)`,
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
		label: 'Substitution toward allied magnets per log of the landed China price',
		unit: '–',
		unitWords: 'log change in allied share per log of price',
		bounds: [0, 3],
		default: 0.5,
		source: assumption,
		area: 'allied'
	},
	{
		id: 'alliedHeavyReDependence',
		label: 'Share of allied magnet output that needs Chinese Dy/Tb',
		unit: 'fraction',
		bounds: [0, 1],
		default: calibration.japanChinaDependence2024.value,
		source: `${calibration.japanChinaDependence2024.source}; Japan's Dy/Tb was still almost all Chinese in 2025 (Economic Daily, 10 Dec 2025)`,
		area: 'allied'
	},
	{
		id: 'lynasHeavyReCover',
		label: 'Share of allied Dy/Tb needs met outside China by 2027',
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.2,
		source:
			'assumption: Lynas Malaysia made its first Dy in May 2025 and 9 t of Dy+Tb in Jul–Sep 2025 (Argus, Oct 2025); the cover ramps linearly from May 2025',
		area: 'allied'
	},
	{
		id: 'japanReserveReleaseRate',
		label: "Japan's reserve released per month under restrictions",
		unit: '1/month',
		bounds: [0, 1],
		default: 0.1,
		source: 'assumption (JOGMEC reserves are released in supply crises; quantities undisclosed, IEA policy database, Oct 2023)',
		area: 'allied'
	},
	{
		id: 'japanReleaseShareToUs',
		label: "Share of Japan's released reserve that frees allied magnets for the U.S.",
		unit: 'fraction',
		bounds: [0, 1],
		default: 0.2,
		source: assumption,
		area: 'allied'
	}
] as const satisfies readonly ParameterDefinition[];

export type ParameterId = (typeof parameterDefinitions)[number]['id'];
export const parameterIds: ParameterId[] = parameterDefinitions.map((p) => p.id);
export const parameterById: Record<ParameterId, ParameterDefinition> = Object.fromEntries(parameterDefinitions.map((p) => [p.id, p])) as Record<
	ParameterId,
	ParameterDefinition
>;

/** One value per parameter, as drawn for one path. */
/** A parameter's unit in words, for what a user reads (shares as "%"; a coefficient's own words). */
export function parameterUnitWords(id: ParameterId): string {
	const definition = parameterById[id];
	return definition.unitWords ?? unitInWords(definition.unit);
}

/** The anchor of a parameter's row in docs/MODEL.md and on the site's model page (`model#param-demandGrowth`). */
export function parameterAnchor(id: ParameterId): string {
	return `param-${id}`;
}

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
