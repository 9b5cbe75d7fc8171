import { InputError } from '../../problems';

export type FormulaErrorKind =
	'empty' | 'tooLong' | 'syntax' | 'unknownName' | 'unknownFunction' | 'disabledFunction' | 'unsupported' | 'arity' | 'timeout' | 'notFinite';

/** What is wrong with a formula; `position` is the 1-based character where known. */
export class FormulaError extends InputError {
	constructor(
		readonly kind: FormulaErrorKind,
		message: string,
		readonly position?: number
	) {
		super([{ source: 'formula', path: '', message }]);
		this.name = 'FormulaError';
	}
	get reason(): string {
		return this.problems[0].message;
	}
}
