// Build step: compiles every JSON Schema in schemas/ into a standalone validator (dist/validators/NAME.cjs), so the
// CLI does not load and run the ajv compiler on every start. src/model/json-schemas.ts falls back to compiling at
// run time when a precompiled validator is missing (as under jest, which runs the sources).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const schemas = new URL('../schemas/', import.meta.url);
const out = new URL('../dist/validators/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const file of readdirSync(schemas).filter((f) => f.endsWith('.schema.json'))) {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  const validate = ajv.compile(JSON.parse(readFileSync(new URL(file, schemas), 'utf8')));
  writeFileSync(new URL(file.replace(/\.json$/, '.cjs'), out), standaloneCode.default(ajv, validate));
}
