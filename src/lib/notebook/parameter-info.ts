import { describeValue } from '../model/parameter-values';
import { parameterAnchor, parameterById, parameterUnitWords, type ParameterId } from '../model/parameters';
import { displayScale, formatNumber } from './format';

/** What a slider's "why this range" popover says: the parameter, its range, its default and where the default comes from. */
export interface ParameterInfo {
	label: string;
	unit: string;
	/** The slider's range, e.g. "-0.15 to 0.2 per year", "0 to 100 %". */
	range: string;
	/** The scenario's value on the slider. */
	scenarioValue: string;
	/** The model's default as the catalogue writes it (a number or a distribution); shares as written, 0.3 for 30 %. */
	modelDefault: string;
	source: string;
	/** The anchor of the parameter's row on the model page (`/model#…`). */
	docsAnchor: string;
}

function valueText(value: number, unit: string, words: string): string {
	return `${formatNumber(value * displayScale(unit))} ${words}`;
}

/** The popover's text for a slider over `min`…`max` whose scenario puts it at `scenarioValue`. */
export function parameterInfo(param: ParameterId, slider: { label: string; min: number; max: number; scenarioValue: number }): ParameterInfo {
	const definition = parameterById[param];
	const words = parameterUnitWords(param);
	const scale = displayScale(definition.unit);
	return {
		label: slider.label,
		unit: words,
		range: `${formatNumber(slider.min * scale)} to ${valueText(slider.max, definition.unit, words)}`,
		scenarioValue: valueText(slider.scenarioValue, definition.unit, words),
		modelDefault: `${describeValue(definition.default)}${scale === 1 ? ` ${words}` : ' (as a share: 0.3 is 30 %)'}`,
		source: definition.source,
		docsAnchor: parameterAnchor(param)
	};
}
