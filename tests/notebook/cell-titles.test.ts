import { describe, expect, it } from 'vitest';
import { cellTitle, describeIndicator, describeThreshold } from '../../src/lib/notebook/cell-titles';
import { cellSchema, newCell, type Cell } from '../../src/lib/notebook/cells';
import { metricNames } from '../../src/lib/model/metrics';
import { scenario } from './fixtures';

/** Metric ids that are not also English words (demand, inventory, shortfall … read as words). */
const rawId = new RegExp(`\\b(${metricNames.filter((name) => /[A-Z]/.test(name)).join('|')})\\b`);

describe('cell titles in plain words', () => {
	const base = scenario('baseline');
	it('never show a metric id, for every kind of cell', () => {
		for (const kind of cellSchema.options.map((option) => option.shape.kind.value)) {
			const cell = newCell(kind, [], base, ['baseline', 'renewed-controls']);
			expect(cellTitle(cell), kind).not.toMatch(rawId);
			expect(cellTitle(cell), kind).not.toBe('');
		}
	});

	it('describe thresholds and indicators with metric labels', () => {
		const threshold: Cell = { kind: 'threshold', id: 't', collapsed: false, threshold: 'usMagnetPrice > 2 × start' };
		expect(cellTitle(threshold)).toBe('Chance landed price of a China-made magnet in the U.S., tariffs included above 2 times its first month, over time');
		expect(describeThreshold('chinaShare < 60 %')).toBe("China's share of U.S. supply below 60 %");
		expect(describeThreshold('shortfall > 0')).toBe('unmet demand (shortfall) above 0 tonnes per month');
		expect(describeIndicator('median usMagnetPrice 2030')).toBe('median landed price of a China-made magnet in the U.S., tariffs included in 2030');
		expect(describeIndicator('P(relianceCut >= 30 %) by 2030')).toMatch(/^chance cut in reliance on China .* at or above 30 % at some point by 2030$/);
		expect(describeIndicator('total shortfall 2030')).toBe('total unmet demand (shortfall) through 2030');
	});

	it('replace metric ids even in text that does not read', () => {
		expect(describeIndicator('median chinaExports')).not.toMatch(rawId);
		expect(cellTitle({ kind: 'formula', id: 'f', collapsed: false, expression: 'chinaExports / demand', unit: 'fraction' })).not.toMatch(rawId);
	});
});
