import { parse as parseJsonc, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';

import { formatPath, knownKeysFromSchema, lineAndColumn, problemsFromZod, type Problem } from '../problems';
import { scenarioFileSchema, type ScenarioFile } from './schema';
import { forbiddenKeys, inputLimits } from '../limits';

/** Reading scenario files: JSON with comments, its syntax, nesting and key problems, then the schema. */

const knownKeys = knownKeysFromSchema(scenarioFileSchema);

/** A scenario file as read: its parsed content, or what is wrong with it. */
export interface LoadedScenarioFile {
	source: string;
	file?: ScenarioFile;
	problems: Problem[];
}

const jsonErrorText: Record<string, string> = {
	InvalidSymbol: 'unexpected character',
	InvalidNumberFormat: 'malformed number',
	PropertyNameExpected: 'expected a property name in double quotes',
	ValueExpected: 'expected a value',
	ColonExpected: 'expected ":"',
	CommaExpected: 'expected "," between items',
	CloseBraceExpected: 'expected "}"',
	CloseBracketExpected: 'expected "]"',
	EndOfFileExpected: 'unexpected text after the end of the JSON value',
	InvalidCommentToken: 'comments are not allowed in JSON',
	UnexpectedEndOfComment: 'unterminated comment',
	UnexpectedEndOfString: 'unterminated string',
	UnexpectedEndOfNumber: 'unexpected end of number',
	InvalidUnicode: 'invalid \\u escape',
	InvalidEscapeCharacter: 'invalid escape character',
	InvalidCharacter: 'invalid character in string'
};

/**
 * The deepest nesting of objects and arrays in a JSON or YAML text (brackets outside strings), or
 * the offset where it first exceeds `limit`. Parsers recurse per level, so a deep text is refused
 * before parsing rather than overflowing the stack.
 */
export function nestingBeyond(text: string, limit: number = inputLimits.maxNesting): number | undefined {
	let depth = 0;
	let quote = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === '\\') i++;
			else if (c === quote || (c === '\n' && quote !== '"')) quote = '';
			continue;
		}
		if (c === '"') quote = c;
		else if (c === '[' || c === '{') {
			if (++depth > limit) return i;
		} else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
	}
	return undefined;
}

export function nestingProblem(text: string, source: string, offset: number): Problem {
	const { line, column } = lineAndColumn(text, offset);
	return { source: `${source}:${line}:${column}`, path: '', message: `objects and arrays are nested more than ${inputLimits.maxNesting} levels deep` };
}

/** Duplicate keys and keys such as "__proto__" anywhere in a parsed JSON tree, with their JSON paths. */
function keyProblems(root: JsonNode, text: string, source: string): Problem[] {
	const problems: Problem[] = [];
	const walk = (node: JsonNode, path: (string | number)[]) => {
		if (node.type === 'array') node.children?.forEach((child, index) => walk(child, [...path, index]));
		if (node.type !== 'object') return;
		const seen = new Set<string>();
		for (const property of node.children ?? []) {
			const [keyNode, valueNode] = property.children ?? [];
			if (!keyNode) continue;
			const key = String(keyNode.value);
			const where = formatPath([...path, key]);
			const { line, column } = lineAndColumn(text, keyNode.offset);
			if (forbiddenKeys.includes(key)) {
				problems.push({ source: `${source}:${line}:${column}`, path: where, message: `"${key}" is not allowed as a key` });
				continue;
			}
			if (seen.has(key))
				problems.push({ source: `${source}:${line}:${column}`, path: where, message: `the key "${key}" appears more than once in this object` });
			seen.add(key);
			if (valueNode) walk(valueNode, [...path, key]);
		}
	};
	walk(root, []);
	return problems;
}

/**
 * Parses JSON text. A syntax error is reported once, at the first place the text goes wrong (later
 * errors follow from it); text nested too deep, duplicate keys and keys such as "__proto__" are
 * refused with where they are.
 */
export function parseJson(text: string, source: string): { value?: unknown; problems: Problem[] } {
	const deep = nestingBeyond(text);
	if (deep !== undefined) return { problems: [nestingProblem(text, source, deep)] };
	const errors: ParseError[] = [];
	const options = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
	const root = parseTree(text, errors, options);
	if (errors.length > 0) {
		const [error] = errors;
		const { line, column } = lineAndColumn(text, error.offset);
		const code = printParseErrorCode(error.error);
		const atEnd =
			text.slice(error.offset + error.length).trim() === '' &&
			['UnexpectedEndOfString', 'CloseBraceExpected', 'CloseBracketExpected', 'ValueExpected', 'UnexpectedEndOfNumber', 'ColonExpected'].includes(code);
		const truncated = atEnd && text.trim() !== '' ? ' (the text ends too early: is the file cut short?)' : '';
		return { problems: [{ source: `${source}:${line}:${column}`, path: '', message: `not valid JSON: ${jsonErrorText[code] ?? code}${truncated}` }] };
	}
	if (root) {
		const problems = keyProblems(root, text, source);
		if (problems.length > 0) return { problems };
	}
	return { value: parseJsonc(text, [], options), problems: [] };
}

export function validateScenarioFile(value: unknown, source: string): LoadedScenarioFile {
	const result = scenarioFileSchema.safeParse(value);
	if (result.success) return { source, file: result.data, problems: [] };
	return { source, problems: problemsFromZod(result.error, value, source, knownKeys) };
}

export function loadScenarioText(text: string, source: string): LoadedScenarioFile {
	const parsed = parseJson(text, source);
	if (parsed.problems.length > 0) return { source, problems: parsed.problems };
	return validateScenarioFile(parsed.value, source);
}
