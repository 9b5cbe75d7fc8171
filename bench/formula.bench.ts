// Formula cells against the run they sit on: 10,000 paths × 132 months (baseline, 2025-01 … 2035-12).
// Run with: npx tsx bench/formula.bench.ts [paths]
import { all, create } from 'mathjs';
import { compileFormula, evaluateFormula, formulaCell } from '../src/lib/analysis/formula';
import { simulatePaths } from '../src/lib/engine/simulate';
import { metricIndex, metricNames } from '../src/lib/model/metrics';
import { buildTimeline } from '../src/lib/engine/timeline';
import { resolveScenarioArguments } from '../src/cli/scenario-files';

const paths = Number(process.argv[2] ?? 10_000);
const [baseline] = resolveScenarioArguments(['baseline']);
const timeline = buildTimeline(baseline);

function best<T>(runs: number, work: () => T): { ms: number; value: T } {
	let ms = Infinity;
	let value!: T;
	for (let r = 0; r < runs; r++) {
		const started = performance.now();
		value = work();
		ms = Math.min(ms, performance.now() - started);
	}
	return { ms, value };
}

const simulation = best(2, () => simulatePaths(timeline, baseline.seed, 0, paths));
const block = simulation.value;
const data = { months: timeline.months, block };
const cells = paths * timeline.months.length;
console.log(
	`simulatePaths: ${paths.toLocaleString('en-US')} paths × ${timeline.months.length} months = ${cells.toLocaleString('en-US')} path-months: ${simulation.ms.toFixed(0)} ms`
);

const formulas = [
	'usMagnetPrice * 2',
	'usMagnetPrice * chinaExports * 1000',
	'max(0, demand - domesticSupply - alliedSupply)',
	'shortfall > 0 ? log(usMagnetPrice / 49.2) : sqrt(abs(inventory - 2 * demand)) / max(coverMonths, 0.1)'
];
for (const expression of formulas) {
	const compiled = compileFormula(expression);
	const evaluation = best(5, () => evaluateFormula(compiled, data));
	const cell = best(3, () => formulaCell(expression, data));
	console.log(
		`${expression.padEnd(92)} evaluate ${evaluation.ms.toFixed(1).padStart(6)} ms (${((evaluation.ms * 1e6) / cells).toFixed(2)} ns/path-month, ${((100 * evaluation.ms) / simulation.ms).toFixed(1)} % of the run); with summaries ${cell.ms.toFixed(0)} ms`
	);
}

// For scale: mathjs's own compiled evaluator, one scope per path-month, on a sample.
const math = create(all);
const compiledByMathjs = math.compile('max(0, demand - domesticSupply - alliedSupply)');
const sample = Math.min(cells, 200_000);
const scope: Record<string, number> = {};
const mathjsRun = best(2, () => {
	let sum = 0;
	for (let k = 0; k < sample; k++) {
		for (const name of metricNames) scope[name] = block.metrics[metricIndex[name]][k];
		sum += compiledByMathjs.evaluate(scope) as number;
	}
	return sum;
});
console.log(
	`mathjs compile().evaluate, per path-month: ${((mathjsRun.ms * 1e6) / sample).toFixed(0)} ns/path-month → ~${((mathjsRun.ms * cells) / sample).toFixed(0)} ms for the whole block (extrapolated from ${sample.toLocaleString('en-US')})`
);
