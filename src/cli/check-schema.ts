import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchemaText } from '../lib/checks/schema';
import { checksDirectory, checkSchemaFile } from './check-files';

/** Writes checks/check.schema.json from the zod schema: `npx tsx src/cli/check-schema.ts`. */
const path = join(checksDirectory, checkSchemaFile);
writeFileSync(path, checkSchemaText());
console.log(`wrote ${path}`);
