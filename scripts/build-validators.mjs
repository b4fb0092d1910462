// Build step: compiles every JSON Schema in schemas/ into a standalone validator (dist/validators/NAME.cjs), so the
// CLI does not load and run the ajv compiler on every start. src/model/json-schemas.ts falls back to compiling at
// run time when a precompiled validator is missing (as under jest, which runs the sources).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const schemas = new URL('../schemas/', import.meta.url);
const out = new URL('../dist/validators/', import.meta.url);
mkdirSync(out, { recursive: true });
const files = readdirSync(schemas).filter((f) => f.endsWith('.schema.json'));
const json = new Map(files.map((f) => [f, JSON.parse(readFileSync(new URL(f, schemas), 'utf8'))]));
for (const file of files) {
  // Every schema is registered, so one may $ref another (mapping → snapshot); standalone code inlines the refs.
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  for (const [f, schema] of json) if (f !== file) ajv.addSchema(schema);
  const validate = ajv.compile(json.get(file));
  writeFileSync(new URL(file.replace(/\.json$/, '.cjs'), out), standaloneCode.default(ajv, validate));
}
