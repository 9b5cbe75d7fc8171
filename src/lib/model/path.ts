import { chinaReferenceSupplyTonnesPerMonth } from './calibration';
import { CapacityRamp } from './capacity';
import { demandShockInnovation, demandTonnes, nextDemandShock, requiredDeliveries } from './demand';
import { ExportBacklog, MAX_REVIEW_MONTHS } from './exports';
import { inventoryAfter, shortfallOf } from './inventory';
import { metricIndex } from './metrics';
import { parameterDefinitions, type ParameterId } from './parameters';
import { deliveredPrice, nextLogPriceRatio, tightness } from './price';
import { escalationJump, LICENSING, nextRegime, OPEN, type RegimeCode, type TransitionProbabilities } from './regime';
import type { Timeline } from './timeline';

/** Position of each parameter in a path's drawn parameter vector (catalogue order). */
export const parameterSlot = Object.fromEntries(parameterDefinitions.map((p, i) => [p.id, i])) as Record<ParameterId, number>;

/** What a path draws each month, in this order: the policy uniform, then the demand, export and price normals. */
export const DRAWS_PER_MONTH = 4;

/** Where a path writes its monthly records: metric-major arrays, `stride` values per month. */
export interface PathOutput {
	metrics: Float32Array[];
	stride: number;
	column: number;
}

const M = metricIndex;
const SLOT = parameterSlot;

/** Chooses a time-varying value: the hazard override for this month when there is one. */
function overridden(override: Float64Array, t: number, base: number): number {
	const value = override[t];
	return value === value ? value : base;
}

/**
 * Simulates one path month by month (steps 1–7 of docs/MODEL.md) and records every metric.
 * `parameters` are this path's draws in catalogue order; `pinned` is this path's regime pins;
 * month t's random numbers are `draws[drawAt + DRAWS_PER_MONTH · t …]`.
 */
export function simulatePath(timeline: Timeline, parameters: Float64Array, pinned: Int8Array, draws: Float64Array, drawAt: number, out: PathOutput): void {
	const demandBase = parameters[SLOT.demandBase];
	const logGrowth = Math.log1p(parameters[SLOT.demandGrowth]);
	const persistence = parameters[SLOT.demandShockPersistence];
	const demandInnovation = demandShockInnovation(persistence, parameters[SLOT.demandShockVolatility]);
	const elasticity = parameters[SLOT.priceElasticity];
	const targetCover = parameters[SLOT.targetCoverMonths];
	const coverLicensing = targetCover * parameters[SLOT.precautionaryCoverLicensing];
	const coverRestricted = targetCover * parameters[SLOT.precautionaryCoverRestricted];
	const adjustment = parameters[SLOT.coverAdjustmentMonths];
	const shareLicensing = parameters[SLOT.licensingImmediateShare];
	const shareRestricted = parameters[SLOT.restrictedImmediateShare];
	const reviewMonths = Math.min(MAX_REVIEW_MONTHS, Math.max(1, Math.round(parameters[SLOT.licenceReviewMonths])));
	const releaseRate = parameters[SLOT.backlogReleaseRate];
	const cancellation = parameters[SLOT.backlogCancellationRate];
	const exportNoise = parameters[SLOT.exportNoise];
	const noiseCorrection = (exportNoise * exportNoise) / 2;
	const capacity = new CapacityRamp(
		parameters[SLOT.domesticCapacityInitial] / 12,
		(parameters[SLOT.domesticCapacityTarget] * parameters[SLOT.domesticAchievedFraction]) / 12,
		parameters[SLOT.domesticRampMidpoint] * 12 - timeline.startAbsolute + parameters[SLOT.domesticRampDelay],
		parameters[SLOT.domesticRampMonths]
	);
	const domesticPremium = parameters[SLOT.domesticPricePremium];
	const alliedBase = parameters[SLOT.alliedSupplyBase];
	const alliedLogGrowth = Math.log1p(parameters[SLOT.alliedGrowth]);
	const alliedResponse = parameters[SLOT.alliedPriceResponse];
	const alliedPremium = parameters[SLOT.alliedPricePremium];
	const priceBase = parameters[SLOT.priceBase];
	const reversion = parameters[SLOT.priceReversion];
	const priceVolatility = parameters[SLOT.priceVolatility];
	const supplyElasticity = parameters[SLOT.supplyElasticity];
	const jumpLicensing = parameters[SLOT.escalationJumpLicensing];
	const jumpRestricted = parameters[SLOT.escalationJumpRestricted];
	const baseApproval = parameters[SLOT.licenceApprovalRate];
	const baseOpenToLicensing = parameters[SLOT.pOpenToLicensing];
	const baseOpenToRestricted = parameters[SLOT.pOpenToRestricted];
	const baseLicensingToOpen = parameters[SLOT.pLicensingToOpen];
	const baseLicensingToRestricted = parameters[SLOT.pLicensingToRestricted];
	const baseRestrictedToLicensing = parameters[SLOT.pRestrictedToLicensing];
	const baseRestrictedToOpen = parameters[SLOT.pRestrictedToOpen];
	// Hoisted out of the month loop: property lookups on these objects cost more than the model.
	const hazard = timeline.hazardOverrides;
	const hazardOpenToLicensing = hazard.pOpenToLicensing;
	const hazardOpenToRestricted = hazard.pOpenToRestricted;
	const hazardLicensingToOpen = hazard.pLicensingToOpen;
	const hazardLicensingToRestricted = hazard.pLicensingToRestricted;
	const hazardRestrictedToLicensing = hazard.pRestrictedToLicensing;
	const hazardRestrictedToOpen = hazard.pRestrictedToOpen;
	const hazardApproval = hazard.licenceApprovalRate;
	const capacityFactor = timeline.capacityFactor;
	const stockpileRelease = timeline.stockpileRelease;
	const alliedKept = timeline.alliedKept;
	const transitions: TransitionProbabilities = {
		openToLicensing: 0,
		openToRestricted: 0,
		licensingToOpen: 0,
		licensingToRestricted: 0,
		restrictedToLicensing: 0,
		restrictedToOpen: 0
	};

	const backlog = new ExportBacklog(reviewMonths);
	const metrics = out.metrics;
	const stride = out.stride;
	const demandOut = metrics[M.demand];
	const chinaOut = metrics[M.chinaExports];
	const domesticOut = metrics[M.domesticSupply];
	const alliedOut = metrics[M.alliedSupply];
	const inventoryOut = metrics[M.inventory];
	const coverOut = metrics[M.coverMonths];
	const shortfallOut = metrics[M.shortfall];
	const priceOut = metrics[M.price];
	const shareOut = metrics[M.chinaShare];
	const replacementOut = metrics[M.replacement];
	const importBillOut = metrics[M.importBill];
	const backlogOut = metrics[M.backlog];
	const regimeOut = metrics[M.regime];
	const years = timeline.yearsFromReference;
	const monthCount = years.length;
	let regime: RegimeCode = timeline.initialRegime;
	let shock = 0;
	let logPriceRatio = 0;
	let inventory = targetCover * demandTonnes(demandBase, logGrowth, years[0], 0, elasticity, 0);
	let at = out.column;
	let d = drawAt;

	for (let t = 0; t < monthCount; t++, at += stride, d += DRAWS_PER_MONTH) {
		// 1. Policy regime
		const u = draws[d];
		transitions.openToLicensing = overridden(hazardOpenToLicensing, t, baseOpenToLicensing);
		transitions.openToRestricted = overridden(hazardOpenToRestricted, t, baseOpenToRestricted);
		transitions.licensingToOpen = overridden(hazardLicensingToOpen, t, baseLicensingToOpen);
		transitions.licensingToRestricted = overridden(hazardLicensingToRestricted, t, baseLicensingToRestricted);
		transitions.restrictedToLicensing = overridden(hazardRestrictedToLicensing, t, baseRestrictedToLicensing);
		transitions.restrictedToOpen = overridden(hazardRestrictedToOpen, t, baseRestrictedToOpen);
		const pin = pinned[t];
		const nextRegimeCode: RegimeCode = pin >= 0 ? (pin as RegimeCode) : nextRegime(regime, u, transitions);
		const jump = escalationJump(regime, nextRegimeCode, jumpLicensing, jumpRestricted);
		regime = nextRegimeCode;

		// 2. Demand and stock adjustment
		shock = nextDemandShock(shock, persistence, demandInnovation, draws[d + 1]);
		const year = years[t];
		const demand = demandTonnes(demandBase, logGrowth, year, shock, elasticity, logPriceRatio);
		const desiredCover = regime === OPEN ? targetCover : regime === LICENSING ? coverLicensing : coverRestricted;
		const required = requiredDeliveries(demand, inventory, desiredCover, adjustment);

		// 4–5. Domestic and allied supply are taken first; the rest is ordered from China
		const domestic = Math.min(capacity.next() * capacityFactor[t], required);
		const stockpile = stockpileRelease[t];
		const alliedOffer = alliedBase * Math.exp(alliedLogGrowth * year + alliedResponse * logPriceRatio) * alliedKept[t];
		const allied = Math.min(alliedOffer, Math.max(0, required - domestic - stockpile));
		const orders = Math.max(0, required - domestic - allied - stockpile);

		// 3. China's exports: immediate share plus released backlog
		const noise = Math.exp(exportNoise * draws[d + 2] - noiseCorrection);
		const china = backlog.ship(
			t,
			regime,
			orders,
			noise,
			regime === LICENSING ? shareLicensing : shareRestricted,
			overridden(hazardApproval, t, baseApproval),
			releaseRate,
			cancellation
		);

		// 6. Inventory and shortfall
		const supply = china + domestic + allied + stockpile;
		const shortfall = shortfallOf(inventory, supply, demand);
		inventory = inventoryAfter(inventory, supply, demand);

		// 7. Price
		logPriceRatio = nextLogPriceRatio(
			logPriceRatio,
			tightness(required, supply),
			supplyElasticity,
			reversion,
			priceVolatility,
			draws[d + 3],
			jump
		);
		const marketPrice = priceBase * Math.exp(logPriceRatio);

		demandOut[at] = demand;
		chinaOut[at] = china;
		domesticOut[at] = domestic;
		alliedOut[at] = allied;
		inventoryOut[at] = inventory;
		coverOut[at] = inventory / demand;
		shortfallOut[at] = shortfall;
		priceOut[at] = deliveredPrice(marketPrice, china, allied, domestic, stockpile, alliedPremium, domesticPremium);
		shareOut[at] = supply > 0 ? china / supply : 0;
		replacementOut[at] = domestic / chinaReferenceSupplyTonnesPerMonth;
		importBillOut[at] = (china + allied * alliedPremium) * marketPrice * 1000;
		backlogOut[at] = backlog.total();
		regimeOut[at] = regime;
	}
}
