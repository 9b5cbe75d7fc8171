import { calibration, chinaReferenceSupplyTonnesPerMonth, chinaShareOfSupply2024, domesticOutput2024, OXIDE_PER_METAL } from './calibration';
import { demandShockInnovation, nextDemandShock, requiredDeliveries } from './demand';
import { HELD_RATE_DOUBLING_MONTHS, MAX_REVIEW_MONTHS } from './exports';
import { inventoryAfter, shortfallOf } from './inventory';
import { metricIndex } from './metrics';
import { parameterDefinitions, type ParameterId } from './parameters';
import { plantOutput, plantRampMonths, plants } from './plants';
import { averagePaid, MAX_TIGHTNESS, magnetCost, MIN_TIGHTNESS, nextLogNdpr } from './price';
import { LICENSING, OPEN, RESTRICTED, type RegimeCode } from './regime';
import type { Timeline } from './timeline';

/** Position of each parameter in a path's drawn parameter vector (catalogue order). */
export const parameterSlot = Object.fromEntries(parameterDefinitions.map((p, i) => [p.id, i])) as Record<ParameterId, number>;

/** What a path draws each month, in this order: the policy uniform, then the demand, export, NdPr-price and licence normals. */
export const DRAWS_PER_MONTH = 5;
/** Month-to-month persistence of the licence-approval shock (logit scale): an assumption. */
const APPROVAL_PERSISTENCE = 0.8;

/** Uniforms a path draws after its parameters: one per plant, deciding whether it is built. */
export const PLANT_UNIFORMS = plants.length;
/**
 * Then one more: the position every empirical (joint-sample) parameter of the path takes, so a
 * calibration posterior is drawn as whole rows. Uniforms after the parameters, in all.
 */
export const EXTRA_UNIFORMS = PLANT_UNIFORMS + 1;

/** Where a path writes its monthly records: metric-major arrays, `stride` values per month. */
export interface PathOutput {
	metrics: Float32Array[];
	stride: number;
	column: number;
}

const M = metricIndex;
const SLOT = parameterSlot;

/** The U.S. landed price of a China-made magnet in 2024 (export unit value plus the 2.1 % duty): the base of buyers' price response. */
const LANDED_PRICE_2024 = calibration.chinaExportUnitValue2024.value * 1.021;
/** Weight of this month's target in the ex-China premium. */
const PREMIUM_SMOOTHING = 0.25;
const plantSlip = plants.map((p) => SLOT[`${p.id}Slip` as ParameterId]);
const plantCompletion = plants.map((p) => SLOT[`${p.id}Completion` as ParameterId]);
const plantTonnes = Float64Array.from(plants, (p) => p.tonnesPerYear);
const plantRamp = Float64Array.from(plants, (p) => p.rampMonths);

/** Chooses a time-varying value: the hazard override for this month when there is one. */
function overridden(override: Float64Array, t: number, base: number): number {
	const value = override[t];
	return value === value ? value : base;
}

/**
 * Simulates one path month by month (docs/MODEL.md, "One month") and records every metric.
 * The month's steps are written out in this one loop, with the path's state in local variables:
 * V8 stops inlining well before the loop's end, and a call per step with its state in objects
 * cost more than the steps' arithmetic (the regime step, the licence backlog, the plants).
 * `parameters` are this path's draws in catalogue order; `plantUniforms[plantAt + j]` decides
 * whether plant j is built; `pinned` is this path's regime pins; month t's random numbers are
 * `draws[drawAt + DRAWS_PER_MONTH · t …]`.
 */
export function simulatePath(
	timeline: Timeline,
	parameters: Float64Array,
	plantUniforms: Float64Array,
	plantAt: number,
	pinned: Int8Array,
	draws: Float64Array,
	drawAt: number,
	out: PathOutput
): void {
	const demandBase = parameters[SLOT.demandBase];
	const logGrowth = Math.log1p(parameters[SLOT.demandGrowth]);
	const persistence = parameters[SLOT.demandShockPersistence];
	const demandInnovation = demandShockInnovation(persistence, parameters[SLOT.demandShockVolatility]);
	const priceResponse = parameters[SLOT.priceElasticity] + parameters[SLOT.importLeakElasticity];
	const responseWeight = 1 / parameters[SLOT.priceResponseMonths];
	const targetCover = parameters[SLOT.targetCoverMonths];
	const coverLicensing = targetCover * parameters[SLOT.precautionaryCoverLicensing];
	const coverRestricted = targetCover * parameters[SLOT.precautionaryCoverRestricted];
	const adjustment = parameters[SLOT.coverAdjustmentMonths];
	const maxRestock = parameters[SLOT.maxRestockShare];
	const pipelineWeight = parameters[SLOT.pipelineWeight];
	const shareLicensing = parameters[SLOT.licensingImmediateShare];
	const shareRestricted = parameters[SLOT.restrictedImmediateShare];
	const reviewMonths = Math.min(MAX_REVIEW_MONTHS, Math.max(1, Math.round(parameters[SLOT.licenceReviewMonths])));
	const releaseRate = parameters[SLOT.backlogReleaseRate];
	const cancellation = parameters[SLOT.backlogCancellationRate];
	const heldCancellation = parameters[SLOT.heldCancellationRate];
	const capMonths = parameters[SLOT.backlogCapMonths];
	const maxReleaseMonths = parameters[SLOT.maxReleaseMonths];
	const exportLag = parameters[SLOT.exportShippingLag];
	const pushShare = parameters[SLOT.licencePushShare];
	const licencePush = timeline.licencePush;
	const exportNoise = parameters[SLOT.exportNoise];
	const noiseCorrection = (exportNoise * exportNoise) / 2;
	const tariffLater = parameters[SLOT.tariffLater];
	// Prices
	const ndprStart = parameters[SLOT.ndprPriceStart];
	const logLongRun = Math.log(parameters[SLOT.ndprLongRun] / ndprStart);
	const ndprReversion = parameters[SLOT.ndprReversion];
	const ndprDriftControls = parameters[SLOT.ndprDriftControls];
	const ndprVolatility = parameters[SLOT.ndprVolatility];
	const ndprJump = parameters[SLOT.ndprJumpRestricted];
	const ndprOxidePerKg = parameters[SLOT.magnetNdprContent] * OXIDE_PER_METAL;
	const dyPerKg = parameters[SLOT.magnetDyContent];
	const dyPrice = parameters[SLOT.dyPriceChina];
	// Conversion cost: what makes China's 2024 export unit value at the Q4 2024 NdPr price (derived).
	const conversion = Math.max(
		0,
		calibration.chinaExportUnitValue2024.value - magnetCost(0, ndprOxidePerKg, calibration.ndprMarketAverageQ4_2024.value, dyPerKg, dyPrice)
	);
	const markupSensitivity = parameters[SLOT.exportMarkupSensitivity];
	const alliedPremium = parameters[SLOT.alliedPricePremium];
	const widening = parameters[SLOT.premiumWideningControls];
	const usMadeBase = parameters[SLOT.usMadeMagnetPrice];
	const ndprFloor = calibration.ndprFloorDoD.value;
	const ndprReference = calibration.ndprMarketAverageQ4_2024.value;
	// Capacity
	const startAbsoluteYear = timeline.startAbsolute / 12;
	const extraSlip = parameters[SLOT.capacitySlipExtra];
	let builtPlants = 0;
	for (let j = 0; j < plants.length; j++) {
		if (plantUniforms[plantAt + j] < parameters[plantCompletion[j]]) {
			const start = timeline.plantStarts[j] + parameters[plantSlip[j]] + extraSlip;
			builtStart[builtPlants] = start;
			builtTonnes[builtPlants] = plantTonnes[j];
			builtRamp[builtPlants] = plantRamp[j];
			plantRampMonths(plantRamp[j], start, rampFrom, fullFrom, builtPlants);
			builtPlants++;
		}
	}
	const marketShare = parameters[SLOT.domesticMarketShare];
	const feedstockDependence = parameters[SLOT.feedstockChinaDependence];
	const feedstockYears = Math.max(1e-9, parameters[SLOT.feedstockIndependenceYear] - 2025);
	// Allied supply
	const alliedBase = parameters[SLOT.alliedSupplyBase];
	const alliedLogGrowth = Math.log1p(parameters[SLOT.alliedGrowth]);
	const alliedResponse = parameters[SLOT.alliedPriceResponse];
	const alliedHeavyRe = parameters[SLOT.alliedHeavyReDependence];
	const heavyReCover = parameters[SLOT.lynasHeavyReCover];
	const japanRelease = parameters[SLOT.japanReserveReleaseRate];
	const japanToUs = parameters[SLOT.japanReleaseShareToUs];
	// Regime
	const baseApproval = parameters[SLOT.licenceApprovalRate];
	const baseApprovalOdds = (1 - baseApproval) / baseApproval;
	const approvalInnovation = demandShockInnovation(APPROVAL_PERSISTENCE, parameters[SLOT.approvalVolatility]);
	const resubmitted = parameters[SLOT.refusedResubmittedShare];
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
	const scheduledTariff = timeline.tariff;
	const floorActive = timeline.ndprFloorActive;
	const coverRamp = timeline.heavyReCoverRamp;

	// The licence backlog (exports.ts): cohorts in review (a ring of `reviewMonths`), held and approved orders.
	const inReview = backlogInReview.fill(0);
	let held = 0;
	let approved = 0;
	let restrictedMonths = 0;
	const keep = 1 - cancellation;
	const metrics = out.metrics;
	const stride = out.stride;
	const demandOut = metrics[M.demand];
	const chinaOut = metrics[M.chinaExports];
	const domesticOut = metrics[M.domesticSupply];
	const alliedOut = metrics[M.alliedSupply];
	const inventoryOut = metrics[M.inventory];
	const coverOut = metrics[M.coverMonths];
	const shortfallOut = metrics[M.shortfall];
	const ndprOut = metrics[M.ndprPrice];
	const chinaPriceOut = metrics[M.chinaMagnetPrice];
	const premiumOut = metrics[M.exChinaPremium];
	const landedOut = metrics[M.usMagnetPrice];
	const paidOut = metrics[M.averagePaidPrice];
	const shareOut = metrics[M.chinaShare];
	const relianceOut = metrics[M.relianceCut];
	const domesticShareOut = metrics[M.domesticShare];
	const replacementOut = metrics[M.replacement];
	const importBillOut = metrics[M.importBill];
	const backlogOut = metrics[M.backlog];
	const regimeOut = metrics[M.regime];
	const years = timeline.yearsFromReference;
	const monthCount = years.length;
	const existingOutput = domesticOutput2024 / 12;
	let regime: RegimeCode = timeline.initialRegime;
	let shock = 0;
	let logNdpr = 0;
	let logPremium = 0;
	let logLandedResponse = 0;
	let japanReserve = 0;
	let inTransit = 0;
	let approvalShock = 0;
	let inventory = targetCover * demandBase * Math.exp(logGrowth * years[0]);
	let at = out.column;
	let d = drawAt;

	for (let t = 0; t < monthCount; t++, at += stride, d += DRAWS_PER_MONTH) {
		// 1. Policy regime: a pinned month, else one step of the Markov chain driven by the month's policy uniform
		const pin = pinned[t];
		let nextRegimeCode: RegimeCode;
		if (pin >= 0) nextRegimeCode = pin as RegimeCode;
		else {
			const u = draws[d];
			if (regime === OPEN) {
				const toLicensing = overridden(hazardOpenToLicensing, t, baseOpenToLicensing);
				nextRegimeCode = u < toLicensing ? LICENSING : u < toLicensing + overridden(hazardOpenToRestricted, t, baseOpenToRestricted) ? RESTRICTED : OPEN;
			} else if (regime === LICENSING) {
				const toOpen = overridden(hazardLicensingToOpen, t, baseLicensingToOpen);
				nextRegimeCode = u < toOpen ? OPEN : u < toOpen + overridden(hazardLicensingToRestricted, t, baseLicensingToRestricted) ? RESTRICTED : LICENSING;
			} else {
				const toLicensing = overridden(hazardRestrictedToLicensing, t, baseRestrictedToLicensing);
				nextRegimeCode = u < toLicensing ? LICENSING : u < toLicensing + overridden(hazardRestrictedToOpen, t, baseRestrictedToOpen) ? OPEN : RESTRICTED;
			}
		}
		const escalatedToRestricted = nextRegimeCode === RESTRICTED && regime !== RESTRICTED;
		regime = nextRegimeCode;
		const controlled = regime !== OPEN;
		// The approval rate in force, moved month to month by a persistent shock on the logit scale.
		approvalShock = nextDemandShock(approvalShock, APPROVAL_PERSISTENCE, approvalInnovation, draws[d + 4]);
		// Moved on the logit scale; 0 and 1 stay where they are.
		const approvalBase = overridden(hazardApproval, t, baseApproval);
		const approval =
			approvalBase <= 0 || approvalBase >= 1 || approvalShock === 0
				? approvalBase
				: 1 / (1 + (approvalBase === baseApproval ? baseApprovalOdds : (1 - approvalBase) / approvalBase) * Math.exp(-approvalShock));
		// Share of Chinese inputs (NdPr metal, Dy/Tb) that does not arrive this month.
		const inputsWithheld = regime === RESTRICTED ? 1 : regime === LICENSING ? 1 - approval : 0;

		// 2. Cost drivers: NdPr oxide in China
		logNdpr = nextLogNdpr(
			logNdpr,
			logLongRun,
			ndprReversion,
			controlled ? ndprDriftControls : 0,
			ndprVolatility,
			draws[d + 3],
			escalatedToRestricted ? ndprJump : 0
		);
		const ndprPrice = ndprStart * Math.exp(logNdpr);

		// 3. Demand, with buyers' response to the landed price they saw (smoothed)
		shock = nextDemandShock(shock, persistence, demandInnovation, draws[d + 1]);
		const year = years[t];
		const demand = demandBase * Math.exp(logGrowth * year + shock - priceResponse * logLandedResponse);

		// 4. U.S. plants (offtake: all they make is sold), limited by Chinese feedstock when withheld
		const yearsSince2025 = startAbsoluteYear + t / 12 - 2025;
		const feedstockShare = feedstockDependence * Math.max(0, 1 - Math.max(0, yearsSince2025) / feedstockYears);
		let capacity = existingOutput;
		for (let j = 0; j < builtPlants; j++) {
			if (t >= fullFrom[j]) capacity += builtTonnes[j] / 12;
			else if (t >= rampFrom[j]) capacity += plantOutput(builtTonnes[j], builtRamp[j], builtStart[j], t);
		}
		const domestic = capacity * capacityFactor[t] * (1 - feedstockShare * inputsWithheld);

		// 5. What buyers want delivered: demand plus a bounded move toward their cover, counting part of what waits in China
		const desiredCover = regime === OPEN ? targetCover : regime === LICENSING ? coverLicensing : coverRestricted;
		let waiting = held + approved;
		for (let i = 0; i < reviewMonths; i++) waiting += inReview[i];
		const required = requiredDeliveries(demand, inventory + pipelineWeight * waiting, desiredCover, adjustment, maxRestock);
		const domesticSold = Math.min(existingOutput + marketShare * Math.max(0, domestic - existingOutput), required);

		// 6. Allied supply: grows, substitutes for tariffed Chinese magnets, loses output without Chinese Dy/Tb; Japan's reserve
		const diverted = 1 - alliedKept[t];
		const heavyReLoss = alliedHeavyRe * (1 - heavyReCover * coverRamp[t]) * inputsWithheld;
		const alliedMade = alliedBase * Math.exp(alliedLogGrowth * year + alliedResponse * logLandedResponse) * (1 - heavyReLoss);
		japanReserve += alliedMade * diverted;
		const reserveReleased = regime === RESTRICTED ? japanRelease * japanReserve : 0;
		japanReserve -= reserveReleased;
		const alliedOffer = alliedMade * (1 - diverted) + japanToUs * reserveReleased;
		const stockpile = stockpileRelease[t];
		const allied = Math.min(alliedOffer, Math.max(0, required - domesticSold - stockpile));
		const orders = Math.max(0, required - domesticSold - allied - stockpile);

		// 7. China's exports: immediate share plus released backlog, the backlog bounded (exports.ts)
		const noise = Math.exp(exportNoise * draws[d + 2] - noiseCorrection);
		restrictedMonths = regime === RESTRICTED ? restrictedMonths + 1 : 0;
		const heldRate = heldCancellation * Math.min(2, 1 + restrictedMonths / HELD_RATE_DOUBLING_MONTHS);
		held *= regime === RESTRICTED ? 1 - Math.min(1, heldRate) : keep;
		approved *= keep;
		let immediate: number;
		if (regime === OPEN) {
			immediate = orders * noise;
			for (let i = 0; i < reviewMonths; i++) {
				approved += inReview[i] * keep;
				inReview[i] = 0;
			}
			approved += held;
			held = 0;
		} else {
			const immediateShare = regime === LICENSING ? shareLicensing : shareRestricted;
			immediate = immediateShare * orders * noise;
			const push = licencePush[t] === 1 ? pushShare : 0;
			const slot = t % reviewMonths;
			let reviewed = inReview[slot] * keep;
			for (let i = 0; i < reviewMonths; i++) {
				inReview[i] *= keep;
				// A licensing push reviews part of the cohorts not yet due as well.
				if (i !== slot && push > 0) {
					reviewed += push * inReview[i];
					inReview[i] *= 1 - push;
				}
			}
			inReview[slot] = orders * (1 - immediateShare);
			if (regime === LICENSING) {
				const decided = reviewed + held;
				approved += approval * decided;
				// Some refused orders are filed again and wait through another review.
				inReview[slot] += resubmitted * (1 - approval) * decided;
				held = 0;
			} else {
				held += reviewed;
			}
		}
		// Whatever waits beyond the cap is diverted, from every pool in proportion.
		const cap = capMonths * demand;
		let waitingAfter = held + approved;
		for (let i = 0; i < reviewMonths; i++) waitingAfter += inReview[i];
		if (waitingAfter > cap) {
			const kept = waitingAfter > 0 ? cap / waitingAfter : 0;
			held *= kept;
			approved *= kept;
			for (let i = 0; i < reviewMonths; i++) inReview[i] *= kept;
		}
		const releasedBacklog = Math.min(maxReleaseMonths * demand, releaseRate * approved);
		approved -= releasedBacklog;
		const released = immediate + releasedBacklog;
		// Customs records a shipment when it leaves: part of what China releases this month arrives and counts next month.
		const china = (1 - exportLag) * released + exportLag * inTransit;
		inTransit = released;

		// 8. Prices in layers
		// China's export tightness in logs: what buyers ordered from China over what it shipped, within [1/20, 20].
		const tightness =
			orders <= 0 && china <= 0 ? 0 : Math.log(Math.min(MAX_TIGHTNESS, Math.max(MIN_TIGHTNESS, Math.max(orders, 1e-9) / Math.max(china, 1e-9))));
		const chinaPrice = magnetCost(conversion, ndprOxidePerKg, ndprPrice, dyPerKg, dyPrice) * Math.exp(markupSensitivity * tightness);
		const tariffNow = scheduledTariff[t];
		const tariff = tariffNow === tariffNow ? tariffNow : tariffLater;
		const landed = chinaPrice * (1 + tariff);
		logLandedResponse += responseWeight * (Math.log(landed / LANDED_PRICE_2024) - logLandedResponse);
		logPremium += PREMIUM_SMOOTHING * ((regime === OPEN ? 0 : regime === LICENSING ? widening : 2 * widening) - logPremium);
		const premium = alliedPremium * Math.exp(logPremium);
		const alliedPrice = chinaPrice * premium;
		const usFeedstockNdpr = floorActive[t] === 1 ? Math.max(ndprPrice, ndprFloor) : ndprPrice;
		// Never below its own NdPr content: a low base price must not turn the U.S. price negative.
		const usMadePrice = Math.max(ndprOxidePerKg * usFeedstockNdpr, usMadeBase + ndprOxidePerKg * (usFeedstockNdpr - ndprReference));

		// 9. Inventory and shortfall
		const supply = china + domesticSold + allied + stockpile;
		const shortfall = shortfallOf(inventory, supply, demand);
		inventory = inventoryAfter(inventory, supply, demand);

		const chinaShare = supply > 0 ? china / supply : 0;
		demandOut[at] = demand;
		chinaOut[at] = china;
		domesticOut[at] = domestic;
		alliedOut[at] = allied;
		inventoryOut[at] = inventory;
		coverOut[at] = inventory / demand;
		shortfallOut[at] = shortfall;
		ndprOut[at] = ndprPrice;
		chinaPriceOut[at] = chinaPrice;
		premiumOut[at] = premium;
		landedOut[at] = landed;
		paidOut[at] = averagePaid(china, landed, allied, alliedPrice, domesticSold, usMadePrice, stockpile);
		shareOut[at] = chinaShare;
		relianceOut[at] = 1 - chinaShare / chinaShareOfSupply2024;
		domesticShareOut[at] = Math.min(domesticSold, demand) / demand;
		replacementOut[at] = domestic / chinaReferenceSupplyTonnesPerMonth;
		importBillOut[at] = (china * landed + allied * alliedPrice) * 1000;
		let waitingAtEnd = held + approved;
		for (let i = 0; i < reviewMonths; i++) waitingAtEnd += inReview[i];
		backlogOut[at] = waitingAtEnd;
		regimeOut[at] = regime;
	}
}

/** Built plants of the current path, compacted, and the months each starts and completes its ramp (reused between paths: no allocation per path). */
const builtTonnes = new Float64Array(plants.length);
const builtRamp = new Float64Array(plants.length);
const builtStart = new Float64Array(plants.length);
const rampFrom = new Float64Array(plants.length);
const fullFrom = new Float64Array(plants.length);
/** The current path's cohorts in review. */
const backlogInReview = new Float64Array(MAX_REVIEW_MONTHS);
