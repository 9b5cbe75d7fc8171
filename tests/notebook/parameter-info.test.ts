import { describe, expect, it } from 'vitest';
import { parameterInfo } from '../../src/lib/notebook/parameter-info';
import { parameterDefinitions, parameterUnitWords, type ParameterId } from '../../src/lib/model/parameters';
import { metricDefinitions } from '../../src/lib/model/metrics';

const machineUnit = /\b1\/(yr|month)\b|^fraction$|dimensionless|^–$|^$/;

describe('units in words', () => {
	it('every parameter and metric has words for its unit, none a machine unit', () => {
		for (const { id } of parameterDefinitions) expect(parameterUnitWords(id as ParameterId), id).not.toMatch(machineUnit);
		for (const metric of metricDefinitions) expect(metric.unitWords, metric.name).not.toMatch(machineUnit);
	});

	it('says shares of what for share metrics', () => {
		expect(metricDefinitions.find((m) => m.name === 'chinaShare')!.unitWords).toBe('% of U.S. supply');
		expect(parameterUnitWords('demandGrowth')).toBe('per year');
	});
});

describe('parameterInfo', () => {
	it('gives the label, range, scenario value, source and model-page anchor of a slider', () => {
		const info = parameterInfo('demandGrowth', { label: 'U.S. demand growth', min: -0.15, max: 0.2, scenarioValue: 0.087 });
		expect(info).toMatchObject({
			label: 'U.S. demand growth',
			unit: 'per year',
			range: '-0.15 to 0.2 per year',
			scenarioValue: '0.087 per year',
			docsAnchor: 'param-demandGrowth'
		});
		expect(info.source).toMatch(/fitted|prior/);
		expect(info.modelDefault).toMatch(/per year$/);
	});

	it('shows shares as percentages', () => {
		const info = parameterInfo('licenceApprovalRate', { label: 'Licence approval rate', min: 0, max: 1, scenarioValue: 0.761 });
		expect(info.range).toBe('0 to 100 %');
		expect(info.scenarioValue).toBe('76.1 %');
	});

	it('has a source for every parameter', () => {
		for (const { id, bounds } of parameterDefinitions) {
			const info = parameterInfo(id as ParameterId, { label: id, min: bounds[0], max: bounds[1], scenarioValue: bounds[0] });
			expect(info.source, id).not.toBe('');
			expect(info.docsAnchor, id).toBe(`param-${id}`);
		}
	});
});
