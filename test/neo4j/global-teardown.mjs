// Stops the servers global-setup.mjs started (waiting for any still booting) and removes their data.
import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const state = globalThis.__BLASTGUARD_NEO4J__;
  if (!state) return;
  delete globalThis.__BLASTGUARD_NEO4J__;
  const servers = await Promise.all(state.starting);
  await Promise.all(servers.filter(Boolean).map((neo) => neo.stop()));
  rmSync(state.dir, { recursive: true, force: true });
}
