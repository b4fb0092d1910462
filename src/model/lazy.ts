// Libraries that only some commands need (YAML, located error messages, CSV, globs) are loaded on first use, so a
// `plan` on a snapshot does not pay for them at start-up (yaml alone is ~80 ms of module loading). They are loaded
// synchronously through their CommonJS builds; their objects never leave blastguard, so the two builds never meet.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Returns a function that loads module `name` the first time it is called. */
function lazy<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(name) as T);
}

export const yaml = lazy<typeof import('yaml')>('yaml');
export const jsonc = lazy<typeof import('jsonc-parser')>('jsonc-parser');
export const csvParse = lazy<typeof import('csv-parse')>('csv-parse');
export const tinyglobby = lazy<typeof import('tinyglobby')>('tinyglobby');
