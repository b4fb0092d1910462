// Loads and compiles the JSON Schemas kept in the repo's schemas/ folder (they are data, shipped with the package).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';

const schemaDir = new URL('../../schemas/', import.meta.url);

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

export function schemaJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')) as Record<string, unknown>;
}

const require = createRequire(import.meta.url);

/**
 * The validator for schemas/NAME. NOTE: `npm run build` precompiles every schema (scripts/build-validators.mjs), which
 * keeps the ajv compiler out of the CLI's start-up; without that output (running the sources) it compiles here.
 */
export function validator(name: string): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    try {
      fn = require(`../validators/${name.replace(/\.json$/, '.cjs')}`) as ValidateFunction;
    } catch {
      if (!ajv) {
        const { Ajv: AjvClass } = require('ajv') as { Ajv: typeof Ajv };
        ajv = new AjvClass({ allErrors: true, strict: false });
        // Every schema is registered by its $id, so one may $ref another (mapping → snapshot).
        for (const f of readdirSync(schemaDir).filter((x) => x.endsWith('.schema.json'))) ajv.addSchema(schemaJson(f));
      }
      fn = ajv.getSchema(String(schemaJson(name).$id))!;
    }
    compiled.set(name, fn);
  }
  return fn;
}

/** `/entities/3/id` → ['entities', 3, 'id'] */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ['entities', 3, 'id'] → `entities[3].id` */
export function pathToField(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/** One readable sentence for an ajv error, plus the path of the field it is about. */
export function describeAjvError(e: ErrorObject): { path: (string | number)[]; message: string } {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: [...path, String(p.missingProperty)], message: `missing required field "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { path: [...path, String(p.additionalProperty)], message: `unknown field "${String(p.additionalProperty)}"` };
    case 'enum':
      return { path, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { path, message: `must be ${String(p.type)}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}
