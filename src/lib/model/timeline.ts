import type { ParameterValue } from './parameter-values';
import type { TimeVaryingParameterId } from './parameters';
import type { RegimeCode } from './regime';

/** The month the 2024 demand and allied-supply figures stand for (mid-year). */
export const DEMAND_REFERENCE_MONTH = '2024-07';
/** From this month U.S. plants buy NdPr at no less than the DoD floor (MP Materials–DoD agreement, 10 Jul 2025). */
export const NDPR_FLOOR_FROM = '2025-07';
/** Allied heavy-rare-earth separation outside China (Lynas Malaysia) starts, and reaches its assumed cover. */
export const HEAVY_RE_COVER_FROM = '2025-05';
export const HEAVY_RE_COVER_FULL = '2027-01';

/** A regime pin with its uncertainty: start delayed by a drawn whole number of months, drawn length. */
export interface RegimePin {
	regime: RegimeCode;
	start: number;
	/** Last pinned month (index), or undefined when the length is drawn or runs to the horizon. */
	end?: number;
	durationMin?: number;
	durationMax?: number;
	jitterMin: number;
	jitterMax: number;
	/** Parameter slots whose path values give the start delay and the length instead (sliders). */
	delaySlot?: number;
	durationSlot?: number;
}

/**
 * A scenario turned into what the path loop needs: month indices, per-month arrays shared by all
 * paths, and the parameter specs in catalogue order.
 */
export interface Timeline {
	months: string[];
	startAbsolute: number;
	/** Years from the demand reference month, per month. */
	yearsFromReference: Float64Array;
	initialRegime: RegimeCode;
	parameterSpecs: ParameterValue[];
	regimePins: RegimePin[];
	/** Per time-varying parameter, the value hazard events set for each month (NaN: none). */
	hazardOverrides: Record<TimeVaryingParameterId, Float64Array>;
	stockpileRelease: Float64Array;
	capacityFactor: Float64Array;
	alliedKept: Float64Array;
	/** Scheduled tariff on China-made magnets per month; NaN from when the path's `tariffLater` applies. */
	tariff: Float64Array;
	/** Per plant, its planned start in months from the scenario start. */
	plantStarts: Float64Array;
	/** 1 in the months U.S. plants buy NdPr at no less than the DoD floor. */
	ndprFloorActive: Uint8Array;
	/** Share of the assumed allied heavy-RE cover reached each month (0 → 1). */
	heavyReCoverRamp: Float64Array;
	/** 1 in the months China clears licences in a batch (licencePush events). */
	licencePush: Uint8Array;
}

/** Whole months drawn uniformly in [min, max] from one uniform number. */
export function drawWholeMonths(u: number, min: number, max: number): number {
	return min + Math.floor(u * (max - min + 1));
}

/**
 * The regime each month is pinned to on one path (−1: free), later events over earlier ones.
 * `uniform` gives two draws per pin: start delay, then length. A pin that takes its delay or
 * length from a parameter reads this path's `parameters` instead (its draws are still consumed,
 * so other pins keep theirs).
 */
export function pinRegimes(timeline: Timeline, uniform: () => number, into: Int8Array, parameters: Float64Array): Int8Array {
	into.fill(-1);
	const last = into.length - 1;
	for (const pin of timeline.regimePins) {
		const delayDraw = uniform();
		const lengthDraw = uniform();
		const delay = pin.delaySlot === undefined ? drawWholeMonths(delayDraw, pin.jitterMin, pin.jitterMax) : Math.round(parameters[pin.delaySlot]);
		const start = pin.start + delay;
		const end =
			pin.durationSlot !== undefined
				? start + Math.max(1, Math.round(parameters[pin.durationSlot])) - 1
				: pin.durationMin !== undefined && pin.durationMax !== undefined
					? start + drawWholeMonths(lengthDraw, pin.durationMin, pin.durationMax) - 1
					: (pin.end ?? last);
		for (let t = Math.max(0, start); t <= Math.min(last, end); t++) into[t] = pin.regime;
	}
	return into;
}
