// `prepare` (run by npm install in a clone, by npm pack, and by npx when it copies this project to run its bin):
// runs `npm run build` unless dist/ was built from exactly these inputs. npx blastguard in a clone copies the project
// into npm's npx cache and runs prepare first; with a build already made by npm install, that is now a hash of the
// sources (~0.1 s) instead of a second full build (tens of seconds). The hash is of file contents, not times.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Everything `npm run build` reads (besides node_modules, fixed by package-lock.json). */
const INPUTS = [
  'src',
  'schemas',
  'scripts/build-cli.mjs',
  'scripts/build-validators.mjs',
  'tsconfig.json',
  'tsconfig.client.json',
  'package.json',
  'package-lock.json',
];
const STAMP = join(root, 'dist', '.build-inputs');

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function inputsHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => files(join(root, p))))
    hash
      .update(`${relative(root, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  return hash.digest('hex');
}

const before = inputsHash();
if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === before && existsSync(join(root, 'dist', 'bundle', 'cli.cjs'))) {
  process.stderr.write('blastguard: dist/ is already built from these sources\n');
} else {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(STAMP, before);
}
