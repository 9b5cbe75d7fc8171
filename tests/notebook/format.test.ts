import { describe, expect, it } from 'vitest';
import { estimateParts, formatEstimate, formatEstimateNumber, formatProbability, formatQuantity } from '../../src/lib/notebook/format';

describe('numbers to the precision their Monte Carlo error supports', () => {
	it('rounds the estimate where the SE’s leading digit falls', () => {
		expect(formatEstimateNumber(1234.567, 42)).toEqual({ value: '1,230', se: '40' });
		expect(formatEstimateNumber(1234.567, 420)).toEqual({ value: '1,200', se: '400' });
		expect(formatEstimateNumber(0.4623, 0.0049)).toEqual({ value: '0.462', se: '0.005' });
	});

	it('keeps two digits of an SE that starts with 1 or 2', () => {
		expect(formatEstimateNumber(1234.567, 12.3)).toEqual({ value: '1,235', se: '12' });
		expect(formatEstimateNumber(0.14300000000000002, 0.0011)).toEqual({ value: '0.1430', se: '0.0011' });
	});

	it('falls back to three significant digits without a usable SE', () => {
		expect(formatEstimateNumber(0.14300000000000002, 0)).toEqual({ value: '0.143', se: '0' });
		expect(formatEstimateNumber(2.5, Number.NaN).value).toBe('2.5');
	});

	it('shows no negative zero', () => {
		expect(formatEstimateNumber(-0.0001, 0.05).value).toBe('0.00');
	});

	it('writes estimates with units in words', () => {
		expect(formatEstimate(1234.567, 42, 't')).toBe('1,230 ± 40 tonnes');
		expect(formatEstimate(0.4623, 0.0049, 'probability')).toBe('46.2 ± 0.5 %');
		expect(formatEstimate(86.2345, 0.31, 'USD/kg', { withSe: false })).toBe('86.2 USD per kg');
		expect(estimateParts(1500, 30, 't')).toEqual({ value: '1,500 tonnes', se: '30 tonnes' });
		expect(formatProbability(0.4623, 0.0049)).toBe('46.2 % ± 0.5 %');
	});

	it('shows small tonnages in kilograms, not as 0.000183 tonnes', () => {
		expect(formatQuantity(0.000183, 't/month')).toBe('0.183 kg per month');
		expect(formatEstimate(0.000183, 0.00002, 't/month')).toBe('0.183 ± 0.020 kg per month');
	});
});
