import seedrandom from 'seedrandom';
import { simulatePaths } from '../engine/simulate';
import { metricIndex, type MetricName } from '../model/metrics';
import { buildTimeline } from '../engine/timeline';
import type { DistributionSpec } from '../model/parameter-values';
import type { Scenario } from '../scenario/schema';

/**
 * Approximate Bayesian computation by rejection, on simulated medians. The model has no tractable
 * likelihood (pinned regimes, a capped backlog, a clamped price walk) and the data are a dozen
 * noisy monthly figures, some derived, so each candidate parameter set drawn from the prior is
 * simulated and kept when its median path lies closest to the data. Seeded: the same inputs give
 * the same fit.
 */

/** A target the model is fitted to: the median over paths of a metric, at a month or summed over months, or a ratio of two months. */
export interface CalibrationTarget {
	label: string;
	metric: MetricName;
	/** Months summed on each path (one month for a monthly figure). */
	months: string[];
	/** Each path's value is divided by its value in this month (a ratio target). */
	over?: string;
	observed: number;
	/** How far off, in logs, counts as one unit of distance: the figure's precision plus the model's noise. */
	logScale: number;
	source: string;
}

export interface PriorParameter {
	id: string;
	prior: Extract<DistributionSpec, { dist: 'triangular' }>;
}

export interface AbcSettings {
	candidates: number;
	pathsPerCandidate: number;
	acceptedShare: number;
	seed: number;
}

export interface AbcFit {
	accepted: number;
	candidates: number;
	distanceThreshold: number;
	/**
	 * Per parameter: its prior, the accepted draws (row r of every parameter is one accepted
	 * candidate, so together they are the joint posterior) and their P5, median and P95.
	 */
	parameters: { id: string; prior: DistributionSpec; sample: number[]; summary: { p5: number; median: number; p95: number } }[];
	/** The targets and the medians of the accepted candidates' simulated medians. */
	targets: { label: string; observed: number; fitted: number }[];
}

/** Inverse CDF of a triangular distribution. */
export function triangularQuantile(u: number, { min, mode, max }: { min: number; mode: number; max: number }): number {
	const cut = (mode - min) / (max - min);
	return u < cut ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
}

function quantile(sorted: readonly number[], p: number): number {
	const h = (sorted.length - 1) * p;
	const low = Math.floor(h);
	return sorted[low] + (h - low) * ((sorted[Math.min(low + 1, sorted.length - 1)] ?? sorted[low]) - sorted[low]);
}

/** Each target's median over `paths` paths of `scenario` with `seed`. */
export function simulatedTargets(scenario: Scenario, targets: readonly CalibrationTarget[], seed: number, paths: number): number[] {
	const timeline = buildTimeline(scenario);
	const block = simulatePaths(timeline, seed, 0, paths);
	const index = new Map(timeline.months.map((m, t) => [m, t]));
	return targets.map((target) => {
		const values = block.metrics[metricIndex[target.metric]];
		const perPath: number[] = [];
		for (let i = 0; i < paths; i++) {
			let sum = 0;
			for (const month of target.months) sum += values[index.get(month)! * paths + i];
			if (target.over !== undefined) sum /= Math.max(1e-9, values[index.get(target.over)! * paths + i]);
			perPath.push(sum);
		}
		return quantile(
			perPath.sort((a, b) => a - b),
			0.5
		);
	});
}

function distance(simulated: readonly number[], targets: readonly CalibrationTarget[]): number {
	let total = 0;
	targets.forEach((target, k) => {
		const gap = (Math.log(Math.max(1e-9, simulated[k])) - Math.log(target.observed)) / target.logScale;
		total += gap * gap;
	});
	return total;
}

/** Fits `priors` to `targets` on `scenario` (already cut at the calibration month). */
export function fitAbc(
	scenario: Scenario,
	priors: readonly PriorParameter[],
	targets: readonly CalibrationTarget[],
	settings: AbcSettings,
	progress?: (done: number) => void
): AbcFit {
	const random = seedrandom.alea(`calibrate/${settings.seed}/${scenario.end}`);
	const runs: { values: number[]; distance: number; simulated: number[] }[] = [];
	for (let c = 0; c < settings.candidates; c++) {
		const values = priors.map((p) => triangularQuantile(random(), p.prior));
		const parameters = { ...scenario.parameters, ...Object.fromEntries(priors.map((p, k) => [p.id, values[k]])) };
		const simulated = simulatedTargets({ ...scenario, parameters }, targets, settings.seed, settings.pathsPerCandidate);
		runs.push({ values, distance: distance(simulated, targets), simulated });
		progress?.(c + 1);
	}
	runs.sort((a, b) => a.distance - b.distance);
	const accepted = runs.slice(0, Math.max(2, Math.round(settings.candidates * settings.acceptedShare)));
	const round = (x: number) => Number(x.toPrecision(4));
	return {
		accepted: accepted.length,
		candidates: settings.candidates,
		distanceThreshold: accepted.at(-1)!.distance,
		parameters: priors.map((p, k) => {
			const sample = accepted.map((run) => round(run.values[k]));
			const sorted = [...sample].sort((a, b) => a - b);
			return {
				id: p.id,
				prior: p.prior,
				sample,
				summary: { p5: round(quantile(sorted, 0.05)), median: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)) }
			};
		}),
		targets: targets.map((target, k) => ({
			label: target.label,
			observed: target.observed,
			fitted: quantile(
				accepted.map((run) => run.simulated[k]).sort((a, b) => a - b),
				0.5
			)
		}))
	};
}
