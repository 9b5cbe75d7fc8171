import type { Indicators, Probability } from '../engine/indicators';
import { proportionError } from '../stats/estimates';
import { formatNumber, formatProbability } from './format';

/** One line of the indicators table: what, the estimate with its unit, and its Monte Carlo standard error. */
export interface IndicatorRow {
	label: string;
	estimate: string;
	/** Null where the engine gives no standard error. */
	standardError: string | null;
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The rows of a run of `paths` paths; each probability's SE is the statistics core's, from its share of the paths. */
export function indicatorRows(indicators: Indicators, paths: number): IndicatorRow[] {
	const rows: IndicatorRow[] = [];
	const probabilityRow = (label: string, probability: Probability) => {
		const [estimate, standardError] = formatProbability(probability.p, proportionError(probability.p, paths)).split(' ± ');
		rows.push({ label, estimate, standardError });
	};
	const { cumulativeShortfall, dependency2030, relianceCut2030, priceAboveMultiple, relianceCut } = indicators;
	rows.push({
		label: 'Expected shortfall, whole horizon',
		estimate: `${formatNumber(cumulativeShortfall.mean)} t`,
		standardError: `${formatNumber(cumulativeShortfall.se)} t`
	});
	for (const year of indicators.shortfallByYear) probabilityRow(`Chance of a shortfall by the end of ${year.year}`, year.byYear);
	probabilityRow(`Chance the landed price of a Chinese magnet exceeds ${priceAboveMultiple.multiple}× its first-month value`, priceAboveMultiple);
	if (dependency2030) {
		rows.push({
			label: "China's share of U.S. supply in 2030, median (P5–P95)",
			estimate: `${percent(dependency2030.p50)} (${percent(dependency2030.p5)} – ${percent(dependency2030.p95)})`,
			standardError: percent(dependency2030.se50)
		});
	}
	if (relianceCut2030) {
		rows.push({
			label: 'Cut in reliance on China by 2030 (vs 2024), median (P5–P95)',
			estimate: `${percent(relianceCut2030.p50)} (${percent(relianceCut2030.p5)} – ${percent(relianceCut2030.p95)})`,
			standardError: percent(relianceCut2030.se50)
		});
	}
	if (relianceCut.by2030) {
		probabilityRow(`Chance reliance on China is cut by ${percent(relianceCut.threshold)} (a year's average) by 2030`, relianceCut.by2030);
	}
	rows.push({
		label: `Median year reliance on China is cut by ${percent(relianceCut.threshold)}`,
		estimate: relianceCut.medianYear === null ? `not within the horizon (${percent(relianceCut.never)} of paths never do)` : `year ${relianceCut.medianYear}`,
		standardError: null
	});
	return rows;
}
