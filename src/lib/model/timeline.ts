import type { ParameterValue } from '../scenario/distributions';
import type { Scenario, ScenarioEvent } from '../scenario/schema';
import { monthRange, monthToAbsolute } from '../time/months';
import { regimes } from './metrics';
import { parameterDefinitions, timeVaryingParameterIds, type ParameterId, type TimeVaryingParameterId } from './parameters';
import { plannedStartMonths } from './plants';
import type { RegimeCode } from './regime';
import { scheduledTariffs } from './tariffs';

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

const slotOf = (id: ParameterId) => parameterDefinitions.findIndex((p) => p.id === id);

function monthIndex(month: string, startAbsolute: number): number {
	return monthToAbsolute(month) - startAbsolute;
}

function fillWindow(array: Float64Array, from: number, to: number, apply: (current: number) => number) {
	for (let t = Math.max(0, from); t <= Math.min(array.length - 1, to); t++) array[t] = apply(array[t]);
}

export function buildTimeline(scenario: Scenario): Timeline {
	const months = monthRange(scenario.start, scenario.end);
	const startAbsolute = monthToAbsolute(scenario.start);
	const count = months.length;
	const last = count - 1;
	const referenceAbsolute = monthToAbsolute(DEMAND_REFERENCE_MONTH);
	const hazardOverrides = Object.fromEntries(
		timeVaryingParameterIds.map((id) => [id, new Float64Array(count).fill(Number.NaN)])
	) as Record<TimeVaryingParameterId, Float64Array>;
	const timeline: Timeline = {
		months,
		startAbsolute,
		yearsFromReference: Float64Array.from(months, (_, t) => (startAbsolute + t - referenceAbsolute) / 12),
		initialRegime: regimes.indexOf(scenario.initialRegime) as RegimeCode,
		parameterSpecs: parameterDefinitions.map((p) => scenario.parameters[p.id] ?? p.default),
		regimePins: [],
		hazardOverrides,
		stockpileRelease: new Float64Array(count),
		capacityFactor: new Float64Array(count).fill(1),
		alliedKept: new Float64Array(count).fill(1),
		tariff: scheduledTariffs(scenario.start, scenario.end),
		plantStarts: plannedStartMonths(startAbsolute),
		ndprFloorActive: Uint8Array.from(months, (m) => (m >= NDPR_FLOOR_FROM ? 1 : 0)),
		licencePush: new Uint8Array(count),
		heavyReCoverRamp: Float64Array.from(months, (m) => {
			const from = monthToAbsolute(HEAVY_RE_COVER_FROM);
			return Math.min(1, Math.max(0, (monthToAbsolute(m) - from) / (monthToAbsolute(HEAVY_RE_COVER_FULL) - from)));
		})
	};
	for (const event of scenario.events) addEvent(timeline, event, last);
	return timeline;
}

function addEvent(timeline: Timeline, event: ScenarioEvent, last: number) {
	const start = monthIndex(event.start, timeline.startAbsolute);
	const endOf = (end: string | undefined) => (end === undefined ? last : monthIndex(end, timeline.startAbsolute));
	switch (event.type) {
		case 'regime': {
			const duration = event.durationMonths;
			timeline.regimePins.push({
				regime: regimes.indexOf(event.regime) as RegimeCode,
				start,
				end: duration === undefined ? endOf(event.end) : undefined,
				durationMin: typeof duration === 'number' ? duration : duration?.min,
				durationMax: typeof duration === 'number' ? duration : duration?.max,
				jitterMin: event.startJitterMonths?.min ?? 0,
				jitterMax: event.startJitterMonths?.max ?? 0,
				delaySlot: event.startDelayFrom === undefined ? undefined : slotOf(event.startDelayFrom),
				durationSlot: event.durationFrom === undefined ? undefined : slotOf(event.durationFrom)
			});
			break;
		}
		case 'hazard':
			for (const [id, value] of Object.entries(event.set)) {
				if (value !== undefined) fillWindow(timeline.hazardOverrides[id as TimeVaryingParameterId], start, endOf(event.end), () => value);
			}
			break;
		case 'stockpileRelease':
			fillWindow(timeline.stockpileRelease, start, endOf(event.end), (x) => x + event.tonnesPerMonth);
			break;
		case 'capacityShock':
			fillWindow(timeline.capacityFactor, start, endOf(event.end), (x) => x * (1 - event.fraction));
			break;
		case 'alliedDiversion':
			fillWindow(timeline.alliedKept, start, endOf(event.end), (x) => x * (1 - event.fraction));
			break;
		case 'licencePush':
			for (let t = Math.max(0, start); t <= Math.min(last, event.end === undefined ? start : endOf(event.end)); t++) timeline.licencePush[t] = 1;
			break;
		case 'note':
			break;
	}
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
