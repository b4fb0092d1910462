// The HTML report's browser bundle, built by `npm run build` (esbuild → dist/report-client.js). Read here, in the CLI
// layer, and handed to the reporter, which stays a pure function from a result to text.
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function loadClientBundle(): string {
  if (cached !== undefined) return cached;
  const url = new URL('../../dist/report-client.js', import.meta.url);
  try {
    return (cached = readFileSync(url, 'utf8'));
  } catch {
    throw new Error(`the report's browser bundle is missing (${url.pathname}); run "npm run build"`);
  }
}
