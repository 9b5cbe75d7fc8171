import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { metricDefinitions } from '../lib/model/metrics';
import { parameterAnchor, parameterDefinitions, parameterUnitWords } from '../lib/model/parameters';
import { modelVersion } from '../lib/model/version';
import { describeValue } from '../lib/model/parameter-values';

/** docs/MODEL.md holds generated tables between these markers; `npm run docs` rewrites them. */
export const modelDocsPath = resolve(import.meta.dirname, '../../docs/MODEL.md');
const begin = '<!-- generated: parameters -->';
const end = '<!-- end generated -->';

function cell(text: string): string {
	return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function generatedSection(): string {
	const parameterRows = parameterDefinitions.map(
		(p, k) =>
			`| ${k} | <a id="${parameterAnchor(p.id)}"></a>\`${p.id}\` | ${cell(p.label)} | ${cell(parameterUnitWords(p.id))} (\`${p.unit}\`) | [${p.bounds[0]}, ${p.bounds[1]}] | ${describeValue(p.default)} | ${cell(p.source)} |`
	);
	const metricRows = metricDefinitions.map((m) => `| \`${m.name}\` | ${cell(m.label)} | ${cell(m.unitWords)} (\`${m.unit}\`) |`);
	return [
		begin,
		`Model version **${modelVersion}**. Draw *k* of a path's \`parameters\` stream goes to parameter *k*.`,
		'',
		'| k | id | meaning | unit | bounds | default | source |',
		'| --- | --- | --- | --- | --- | --- | --- |',
		...parameterRows,
		'',
		'What every path records each month:',
		'',
		'| metric | meaning | unit |',
		'| --- | --- | --- |',
		...metricRows,
		end
	].join('\n');
}

export function withGeneratedSection(markdown: string): string {
	const from = markdown.indexOf(begin);
	const to = markdown.indexOf(end);
	if (from < 0 || to < 0) throw new Error(`docs/MODEL.md lacks the markers ${begin} … ${end}`);
	return markdown.slice(0, from) + generatedSection() + markdown.slice(to + end.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	writeFileSync(modelDocsPath, withGeneratedSection(readFileSync(modelDocsPath, 'utf8')));
	console.log(`updated ${modelDocsPath}`);
}
