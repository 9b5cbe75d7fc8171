import { beforeAll, describe, expect, it } from 'vitest';
import { attribute, type AttributionResult } from '../../src/lib/analysis/attribution';
import { simulateScenario } from '../../src/lib/analysis/common';
import { compareScenarios } from '../../src/lib/analysis/compare';
import { refineUntilPrecise } from '../../src/lib/analysis/convergence';
import { formulaCell } from '../../src/lib/analysis/formula';
import { thresholdProbabilities } from '../../src/lib/analysis/threshold';
import { tornado, type TornadoResult } from '../../src/lib/analysis/tornado';
import { runScenario } from '../../src/lib/engine/run';
import { attributionFigure, attributionRows, methodText, shortLabel, signed } from '../../src/lib/notebook/attribution-vm';
import { comparisonFigure, comparisonRows, identicalOnEveryPath } from '../../src/lib/notebook/comparison-vm';
import { formulaErrorView, formulaFigure, formulaRows, formulaTiming } from '../../src/lib/notebook/formula-vm';
import { narrativeView } from '../../src/lib/notebook/narrative-vm';
import { refineSteps, refineVerdict, targetFromDisplay, targetToDisplay } from '../../src/lib/notebook/refine-vm';
import { resolveChoice } from '../../src/lib/notebook/state';
import { thresholdMonthFigure, thresholdRows, thresholdYearFigure } from '../../src/lib/notebook/threshold-vm';
import { tornadoFigure, tornadoRows } from '../../src/lib/notebook/tornado-vm';
import { axisTitle, drawnBands, traceNamed, unorderedMonths } from './figure-reading';
import { scenario, testLibrary } from './fixtures';

const library = testLibrary();
const baseline = scenario('baseline');
const renewed = scenario('renewed-controls');
const settings = { seed: 11, paths: 200 };

describe('comparison view-model', () => {
	it('a scenario compared with itself is identical on every path, and says so', async () => {
		const result = await compareScenarios(baseline, baseline, { ...settings, metrics: ['usMagnetPrice'] });
		expect(identicalOnEveryPath(result.metrics.usMagnetPrice!)).toBe(true);
		const figure = comparisonFigure(result, 'usMagnetPrice');
		const median = figure.data.find((t) => t.name === 'Median difference') as { y: number[] };
		expect(median.y.every((v) => v === 0)).toBe(true);
	});

	it('draws the per-path difference fan and P(B worse than A), with rows per year that carry units', async () => {
		const result = await compareScenarios(baseline, renewed, { ...settings, metrics: ['chinaExports'] });
		expect(identicalOnEveryPath(result.metrics.chinaExports!)).toBe(false);
		const figure = comparisonFigure(result, 'chinaExports');
		const names = figure.data.map((t) => t.name);
		expect(names).toEqual(['P5–P95', 'P25–P75', 'Median difference', 'P(renewed-controls worse than baseline)']);
		expect(figure.layout.title).toMatchObject({ text: "China's magnet exports to the U.S.: renewed-controls − baseline, path by path" });
		const bands = drawnBands(figure, 'Median difference');
		expect(unorderedMonths(bands)).toEqual([]);
		expect(bands.p50).toEqual(result.metrics.chinaExports!.difference.p50);
		expect(axisTitle(figure.layout.yaxis)).toBe('difference, tonnes per month');
		expect(figure.layout.yaxis).toMatchObject({ zeroline: true });
		expect(traceNamed(figure, 'Median difference').hovertemplate).toMatch(
			/^Median difference: %\{y:,\.3~r\} tonnes per month<br>P25–P75: .* tonnes per month<br>P5–P95: .* tonnes per month<extra><\/extra>$/
		);
		const pWorse = traceNamed(figure, 'P(renewed-controls worse than baseline)');
		expect(pWorse.yaxis).toBe('y2');
		expect(axisTitle(figure.layout.yaxis2)).toBe('P(worse), %');
		expect(pWorse.y).toEqual(result.metrics.chinaExports!.pWorse.p.map((p) => p * 100));
		expect(pWorse.customdata).toEqual(result.metrics.chinaExports!.pWorse.se.map((se) => se * 100));
		expect(pWorse.hovertemplate).toBe('P(worse): %{y:.1f} % ± %{customdata:.1f} %<extra></extra>');
		const rows = comparisonRows(result, 'chinaExports');
		expect(rows.map((r) => r.month)).toEqual(Array.from({ length: 11 }, (_, k) => `${2025 + k}-12`));
		for (const row of rows) {
			expect(row.median).toMatch(/ (tonnes|kg) per month$/);
			expect(row.pWorse).toMatch(/^\d+(\.\d+)? % ± \d+(\.\d+)? %$/);
		}
	});
});

describe('threshold view-model', () => {
	it('P by month, P reached by month, and per year, in percent', async () => {
		const paths = await simulateScenario(baseline, settings);
		const result = thresholdProbabilities(paths, 'usMagnetPrice > 2 × start');
		const month = thresholdMonthFigure(result);
		expect(month.data.map((t) => t.name)).toEqual(['P(met in the month)', `P(met at least once since ${result.reachedFrom})`]);
		const reached = month.data[1] as { y: number[] };
		expect([...reached.y].sort((a, b) => a - b)).toEqual(reached.y);
		const inMonth = month.data[0] as { y: number[] };
		expect(inMonth.y).toEqual(result.inMonth.p.map((p) => p * 100));
		expect(inMonth.y.filter((p, t) => !(p >= 0 && p <= reached.y[t] && reached.y[t] <= 100))).toEqual([]);
		// In words: the metric's name, not its id.
		expect(month.layout.title).toMatchObject({ text: 'Landed price of a China-made magnet in the U.S., tariffs included > 2 × start: chance by month' });
		expect(axisTitle(month.layout.yaxis)).toBe('probability, %');
		for (const trace of month.data) {
			expect((trace as { hovertemplate: string }).hovertemplate).toBe(`${trace.name}: %{y:.1f} % ± %{customdata:.1f} %<extra></extra>`);
		}
		const year = thresholdYearFigure(result);
		expect((year.data[1] as { x: number[] }).x).toEqual(result.byYear.map((y) => y.year));
		for (const row of thresholdRows(result)) expect(row.reachedBy).toMatch(/ %$/);
	});
});

describe('tornado view-model', () => {
	let result: TornadoResult;
	beforeAll(async () => {
		result = await tornado(baseline, { ...settings, paths: 100, indicator: 'median usMagnetPrice 2026', include: ['control'] });
	});

	it('bars in swing order, largest on top, effects in the indicator’s unit', () => {
		const figure = tornadoFigure(result);
		const low = figure.data[0] as { y: string[]; x: number[] };
		expect(low.y).toEqual(result.bars.map((b) => b.label));
		expect(low.x).toEqual(result.bars.map((b) => b.low.effect));
		expect(figure.layout.yaxis).toMatchObject({ autorange: 'reversed' });
		const rows = tornadoRows(result);
		expect(rows[0].rank).toBe(1);
		for (const row of rows) expect(row.swing).toMatch(/ USD per kg$/);
	});
});

describe('attribution view-model', () => {
	let result: AttributionResult;
	beforeAll(async () => {
		const moved = resolveChoice({ id: 'baseline', values: { demandGrowth: 0.1, licenceApprovalRate: 0.5 } }, library).scenario;
		result = await attribute(baseline, moved, { ...settings, paths: 100, indicator: 'median usMagnetPrice 2026' });
	});

	it('one bar per lever, grouped, and a total bar; the contributions add up to the total', () => {
		const figure = attributionFigure(result);
		// No event or regime changed: no empty "Policy and events" group in the legend.
		expect(figure.data.map((t) => t.name)).toEqual(['Assumptions (parameters)', 'Total']);
		const assumptions = figure.data[0] as { x: number[] };
		const total = figure.data[1] as { x: number[] };
		expect(assumptions.x.reduce((a, b) => a + b, 0)).toBeCloseTo(total.x[0], 9);
		expect(attributionRows(result).map((r) => r.group)).toEqual(['Assumptions (parameters)', 'Assumptions (parameters)']);
		expect(methodText(result)).toContain('Exact Shapley values over 2 levers');
		expect(signed(1.5, 'USD/kg')).toBe('+1.5 USD per kg');
		expect(shortLabel('x'.repeat(80))).toHaveLength(60);
		expect(signed(-0.25, 'probability')).toBe('-25 %');
	});

	it('says there is nothing to attribute when nothing differs', async () => {
		const none = await attribute(baseline, baseline, { ...settings, paths: 50, indicator: 'median usMagnetPrice 2026' });
		expect(methodText(none)).toContain('there is nothing to attribute');
	});
});

describe('formula view-model', () => {
	it('a fan chart and annual rows like a metric, and the time it took', async () => {
		const paths = await simulateScenario(baseline, settings);
		const result = formulaCell('usMagnetPrice * 2', paths, { unit: 'USD/kg' });
		const run = runScenario(baseline, settings);
		const median = formulaFigure(result).data.find((t) => t.name === 'Median') as { y: number[] };
		expect(median.y).toEqual(run.metrics.usMagnetPrice.p50.map((v) => 2 * v));
		for (const row of formulaRows(result)) expect(row.median).toMatch(/^[\d,.]+ ± [\d,.]+ USD per kg$/);
		expect(formulaTiming(result, 120)).toMatch(/in \d[\d,]* ms over 200 paths × 132 months \(the notebook's run took 120 ms\)\. Unit: USD per kg\./);
	});

	it('points at the character a formula error names', () => {
		expect(
			formulaErrorView('usMagnetPrice * (2 +', { message: 'does not parse at character 21: unexpected end of expression', formulaKind: 'syntax', position: 21 })
		).toEqual({
			title: 'The formula does not parse',
			message: 'does not parse at character 21: unexpected end of expression',
			before: 'usMagnetPrice * (2 +',
			at: ' ',
			after: ''
		});
		expect(formulaErrorView('prise * 2', { message: 'unknown name', formulaKind: 'unknownName', position: 1 })).toMatchObject({
			before: '',
			at: 'p',
			after: 'rise * 2'
		});
		expect(formulaErrorView('x', { message: 'too slow', formulaKind: 'timeout' })).toEqual({
			title: 'The formula ran past its time budget and was stopped',
			message: 'too slow'
		});
	});
});

describe('refine view-model', () => {
	it('lists the steps and says whether the target was reached', async () => {
		const result = await refineUntilPrecise(baseline, {
			indicator: 'P(shortfall > 0) by 2026',
			targetSe: 0.02,
			seed: 3,
			startPaths: 100,
			step: 100,
			maxPaths: 2_000
		});
		expect(refineVerdict(result)).toMatch(/^Reached: .* %.* with [\d,]+ paths; the target was ≤ 2 %\.$/);
		expect(refineSteps(result).at(-1)!.paths).toBe(result.pathsUsed.toLocaleString('en-US'));
		expect(targetFromDisplay(0.5, 'probability')).toBe(0.005);
		expect(targetToDisplay(0.005, 'probability')).toBe(0.5);
		expect(targetFromDisplay(2, 'USD/kg')).toBe(2);
	});
});

describe('narrative view-model', () => {
	const run = runScenario(baseline, settings);

	it('fills live figures with their units, escaped, and marks bad references', () => {
		const view = narrativeView(
			'Price in 2027: {{ median(usMagnetPrice, 2027) }}. Shortfall: {{ shortfallBy(2030) }}. {{ median(usMagnetPrise, 2027) }} {{ median(price, 2027) }}',
			run
		);
		expect(view.figures).toBe(2);
		expect(view.markdown).toMatch(/<span class="live-figure" data-figure="median\(usMagnetPrice, 2027\)" title="[^"]+">USD [\d.,]+\/kg<\/span>/);
		expect(view.markdown).toMatch(/>\d+ %<\/span>/);
		expect(view.markdown).toContain('class="figure-error"');
		expect(view.problems[0].message).toContain('unknown metric "usMagnetPrise"');
		// A template written for model 1 says what replaced the removed metric.
		expect(view.problems[1].message).toMatch(/^price: the delivered "price" was removed in model 2\.0: use usMagnetPrice/);
	});

	it('leaves plain text alone, and waits for a result', () => {
		expect(narrativeView('## Title <b>x</b>', run)).toEqual({ markdown: '## Title <b>x</b>', problems: [], figures: 0 });
		const pending = narrativeView('{{ paths() }} and {{ nope() }}', undefined);
		expect(pending.markdown).toContain('class="live-figure pending"');
		expect(pending.problems[0].message).toContain('unknown figure "nope"');
	});
});
