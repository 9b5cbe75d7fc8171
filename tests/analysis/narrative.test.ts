import { describe, expect, it } from 'vitest';
import { checkNarrative, formatFigure, renderNarrative } from '../../src/lib/analysis/narrative';
import { runScenario } from '../../src/lib/engine/run';
import { metricNames, removedMetrics } from '../../src/lib/model/metrics';
import { scenario } from './helpers';

const result = runScenario(scenario('baseline'), { seed: 1, paths: 300 });

describe('narrative bound to results', () => {
	it('fills live figures from the run', () => {
		const rendered = renderNarrative(
			'Median price in 2027: {{ median(usMagnetPrice, 2027) }}. June 2027: {{ p50(usMagnetPrice, 2027-06) | 2 }}. Shortfall by 2030: {{ shortfallBy(2030) }}.',
			result
		);
		expect(rendered.problems).toEqual([]);
		const figures = rendered.parts.filter((p) => p.kind === 'figure');
		const rows = result.months.flatMap((m, t) => (m.startsWith('2027-') ? [t] : []));
		const yearly = rows.reduce((s, t) => s + result.metrics.usMagnetPrice.p50[t], 0) / 12;
		expect(figures[0]).toMatchObject({ value: yearly, unit: 'USD/kg', label: 'median of usMagnetPrice in 2027 (average of the monthly medians)' });
		expect(figures[1]).toMatchObject({ value: result.metrics.usMagnetPrice.p50[result.months.indexOf('2027-06')] });
		expect(figures[2]).toMatchObject({ value: result.indicators.shortfallByYear.find((y) => y.year === 2030)!.byYear.p, unit: 'probability' });
		expect(rendered.text).toBe(
			`Median price in 2027: ${formatFigure(yearly, 'USD/kg')}. June 2027: USD ${result.metrics.usMagnetPrice.p50[result.months.indexOf('2027-06')].toFixed(2)}/kg. Shortfall by 2030: ${Math.round(result.indicators.shortfallByYear.find((y) => y.year === 2030)!.byYear.p * 100)} %.`
		);
	});

	it('updates with the scenario (sliders)', () => {
		const other = runScenario(scenario('renewed-controls'), { seed: 1, paths: 300 });
		const template = '{{ mean(usMagnetPrice, 2027) }}';
		expect(renderNarrative(template, other).text).not.toBe(renderNarrative(template, result).text);
	});

	it('formats figures with their units', () => {
		expect(formatFigure(0.634, 'probability')).toBe('63 %');
		expect(formatFigure(61.23, 'USD/kg')).toBe('USD 61.2/kg');
		expect(formatFigure(12345.6, 't')).toBe('12,346 t');
		expect(formatFigure(34_500_000, 'USD/month')).toBe('USD 34.5 million/month');
		expect(formatFigure(null, 'year')).toBe('n/a');
	});

	it('marks bad references, lists them with clear messages, and keeps the rest of the text', () => {
		const rendered = renderNarrative(
			'A {{ medain(ndprPrice, 2027) }} B {{ mean(ndprPrcie, 2027) }} C {{ p95(ndprPrice, 2040) }} D {{ shortfallIn() }} E {{ oops',
			result
		);
		expect(rendered.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
			'character 3: unknown figure "medain" (did you mean "median"?); figures: p5, p25, p50, median, p75, p95, mean, shortfallIn, shortfallBy, cumulativeShortfall, dependency2030, relianceCut2030, priceAbove, relianceCutBy2030, relianceCutYear, paths',
			`character 35: unknown metric "ndprPrcie" (did you mean "ndprPrice"?); metrics: ${metricNames.join(', ')}`,
			"character 65: 2040 is outside the run's horizon 2025-01 … 2035-12",
			'character 94: shortfallIn(<year>) takes 1 argument, found 0',
			'character 116: "{{" at character 116 is never closed with "}}"'
		]);
		expect(rendered.text.startsWith('A ⟨error: unknown figure "medain"')).toBe(true);
		expect(rendered.parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text)).toEqual(['A ', ' B ', ' C ', ' D ', ' E ']);
		expect(checkNarrative('{{ median(usMagnetPrice, 2027) }} {{ nope() }}').map((p) => p.message)).toEqual([
			'unknown figure "nope"; figures: p5, p25, p50, median, p75, p95, mean, shortfallIn, shortfallBy, cumulativeShortfall, dependency2030, relianceCut2030, priceAbove, relianceCutBy2030, relianceCutYear, paths'
		]);
	});

	it('says what replaced a metric or figure of model 1', () => {
		const rendered = renderNarrative('{{ median(price, 2027) }} {{ replacementYear() }} {{ constructor() }}', result);
		expect(rendered.problems.map((p) => p.message)).toEqual([
			`price: ${removedMetrics.price}`,
			'the figure "replacementYear" was renamed in model 2.0: write relianceCutYear() (reliance on China cut by a year\'s average relianceCut)',
			expect.stringMatching(/^unknown figure "constructor"/)
		]);
		expect(rendered.text).toMatch(/^⟨error: price: the delivered "price" was removed in model 2\.0: use usMagnetPrice/);
		// Before any result: the template check says so too.
		expect(checkNarrative('{{ median(price, 2027) }} {{ p95(usMagnetPrice, 2027) }}').map((p) => p.message)).toEqual([`price: ${removedMetrics.price}`]);
	});

	it('fills the reliance-cut figures from the engine indicators', () => {
		const rendered = renderNarrative('{{ relianceCut2030(p50) }} {{ relianceCutBy2030() }} {{ relianceCutYear() }}', result);
		expect(rendered.problems).toEqual([]);
		const values = rendered.parts.filter((p) => p.kind === 'figure').map((p) => (p as { value: number | null }).value);
		expect(values).toEqual([result.indicators.relianceCut2030!.p50, result.indicators.relianceCut.by2030!.p, result.indicators.relianceCut.medianYear]);
	});
});
