import { describe, expect, it } from 'vitest';
import { applyControlValues, controlDefaults, rangeSteps, sliderGrid, snapToSlider } from '../../src/lib/scenario/controls';
import { scenarioFileText, exportedScenarioFile } from '../../src/lib/notebook/export-scenario';
import { scenario, testLibrary } from '../notebook/fixtures';

const library = testLibrary();
const ids = [...library.keys()];

describe('slider step grid', () => {
	it("holds every library scenario's own slider positions", () => {
		for (const id of ids) {
			const resolved = scenario(id);
			const defaults = controlDefaults(resolved);
			for (const control of resolved.controls) {
				const grid = sliderGrid(control, defaults[control.param]);
				const at = `${id} ${control.param}`;
				expect(snapToSlider(grid, defaults[control.param]), at).toBeCloseTo(defaults[control.param], 12);
				expect(grid.start, at).toBeGreaterThanOrEqual(control.min);
				expect(control.step / grid.step, `${at}: the step only ever gets finer`).toBeGreaterThanOrEqual(1);
			}
		}
	});

	it("refines demand growth's 0.005 step so 0.087 is on the grid", () => {
		const demandGrowth = { min: -0.15, max: 0.2, step: 0.005 };
		expect(sliderGrid(demandGrowth, 0.087)).toEqual({ min: -0.15, max: 0.2, start: -0.15, step: 0.001 });
		expect(sliderGrid(demandGrowth, 0.05)).toEqual({ min: -0.15, max: 0.2, start: -0.15, step: 0.005 });
		expect(sliderGrid({ min: 0, max: 1, step: 0.01 }, 0.025)).toEqual({ min: 0, max: 1, start: 0, step: 0.005 });
	});

	it('counts the grid from the value itself when a finer step would be too fine', () => {
		const grid = sliderGrid({ min: -0.15, max: 0.2, step: 0.005 }, 0.0203251);
		expect(grid).toEqual({ min: -0.15, max: 0.2, start: -0.1496749, step: 0.005 });
		expect([0.0203251, 0.0253, -0.15, 0.2, 0.199].map((x) => snapToSlider(grid, x))).toEqual([0.0203251, 0.0253251, -0.15, 0.2, 0.2]);
	});

	it('gives the range input at most 1,000 key presses end to end, each position on the grid, the scenario value among them', () => {
		const demandGrowth = { min: -0.15, max: 0.2, step: 0.005 };
		const fine = sliderGrid(demandGrowth, 0.020325);
		expect(fine.step).toBe(0.000025);
		const range = rangeSteps(fine, demandGrowth, 0.020325);
		expect(range).toEqual({ min: -0.149675, step: 0.005 });
		for (const k of [0, 1, 20, 33]) {
			const position = range.min + k * range.step;
			expect(snapToSlider(fine, position), `position ${k}`).toBeCloseTo(position, 12);
		}
		expect(rangeSteps(sliderGrid(demandGrowth, 0.087), demandGrowth, 0.087)).toEqual({ min: -0.15, step: 0.001 });
	});

	it('snaps to the grid as a clean decimal', () => {
		const grid = { min: -0.15, max: 0.2, start: -0.15, step: 0.001 };
		expect(snapToSlider(grid, 0.14300000000000002)).toBe(0.143);
		expect(snapToSlider(grid, 0.0873)).toBe(0.087);
		expect(snapToSlider(grid, 0.5)).toBe(0.2);
		expect(snapToSlider({ min: 0, max: 0.2, start: 0, step: 0.01 }, 0.1 + 0.2 - 0.2)).toBe(0.1);
		expect(String(snapToSlider({ min: 0.1, max: 1, start: 0.1, step: 0.1 }, 0.7))).toBe('0.7');
	});
});

describe('slider values in the notebook', () => {
	it('hold and export clean numbers, so the exported file runs what the page ran', () => {
		for (const id of ids) {
			const base = scenario(id);
			for (const control of base.controls) {
				const requested = control.min + (control.max - control.min) * 0.37 + 1e-12;
				const { scenario: applied } = applyControlValues(base, { [control.param]: requested }, 'clamp');
				const text = scenarioFileText(exportedScenarioFile({ id, values: { [control.param]: requested } }, base, applied, base.seed, base.paths));
				const numbers = text.match(/-?\d+\.\d+(e-?\d+)?/g) ?? [];
				for (const n of numbers) expect(n.replace(/^-?\d+\./, '').replace(/e.*$/, '').length, `${id} ${control.param}: ${n}`).toBeLessThanOrEqual(10);
				expect(applyControlValues(base, { [control.param]: requested }, 'clamp').scenario).toEqual(applied);
			}
		}
	});

	it('leaves strict mode (files, command line) to the value given', () => {
		const base = scenario('baseline');
		const { scenario: applied } = applyControlValues(base, { demandGrowth: 0.0873 }, 'strict');
		expect(controlDefaults(applied).demandGrowth).toBeCloseTo(0.0873, 12);
	});
});
