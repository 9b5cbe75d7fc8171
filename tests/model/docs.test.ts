import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { modelDocsPath, withGeneratedSection } from '../../src/cli/write-model-docs';

it('docs/MODEL.md lists every parameter and metric as the code defines them', () => {
	const markdown = readFileSync(modelDocsPath, 'utf8');
	expect(markdown, 'run `npm run docs` to regenerate the tables in docs/MODEL.md').toBe(withGeneratedSection(markdown));
});
