import type { Scenario, ScenarioEvent } from '../scenario/schema';
import { monthRange, monthToAbsolute } from '../time/months';
import { regimes } from '../model/metrics';
import { parameterDefinitions, timeVaryingParameterIds, type ParameterId, type TimeVaryingParameterId } from '../model/parameters';
import { plannedStartMonths } from '../model/plants';
import type { RegimeCode } from '../model/regime';
import { scheduledTariffs } from '../model/tariffs';
import { DEMAND_REFERENCE_MONTH, HEAVY_RE_COVER_FROM, HEAVY_RE_COVER_FULL, NDPR_FLOOR_FROM, type Timeline } from '../model/timeline';

/**
 * Compiles a scenario (its horizon, parameters, events and tariffs) into the model's `Timeline`:
 * the one place the scenario's schema meets the model's per-month inputs.
 */

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
	const hazardOverrides = Object.fromEntries(timeVaryingParameterIds.map((id) => [id, new Float64Array(count).fill(Number.NaN)])) as Record<
		TimeVaryingParameterId,
		Float64Array
	>;
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
