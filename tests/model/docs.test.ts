import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { modelDocsPath, withGeneratedSection } from '../../src/cli/write-model-docs';
import { parameterAnchor, parameterDefinitions } from '../../src/lib/model/parameters';

it('docs/MODEL.md lists every parameter and metric as the code defines them', () => {
	const markdown = readFileSync(modelDocsPath, 'utf8');
	expect(markdown, 'run `npm run docs` to regenerate the tables in docs/MODEL.md').toBe(withGeneratedSection(markdown));
});

it('docs/MODEL.md has an anchor for every parameter, which the notebook links to', () => {
	const markdown = readFileSync(modelDocsPath, 'utf8');
	for (const { id } of parameterDefinitions) expect(markdown, id).toContain(`<a id="${parameterAnchor(id)}"></a>\`${id}\``);
});
