import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchema } from '../lib/scenario/schema';
import { sweepSchemaText } from '../lib/sweep/schema';
import { packageRoot } from './package-root';
import { scenariosDirectory } from './scenario-files';

/** Writes scenarios/scenario.schema.json from the zod schema (a test checks it is current). */
export function scenarioSchemaText(): string {
	return JSON.stringify(scenarioJsonSchema(), null, '\t') + '\n';
}

export const sweepSchemaPath = join(packageRoot, 'sweeps', 'sweep.schema.json');

if (import.meta.url === `file://${process.argv[1]}`) {
	const path = join(scenariosDirectory, 'scenario.schema.json');
	writeFileSync(path, scenarioSchemaText());
	console.log(`wrote ${path}`);
	writeFileSync(sweepSchemaPath, sweepSchemaText());
	console.log(`wrote ${sweepSchemaPath}`);
}
