// Stops the server global-setup.mjs started and removes its data directory.
export default async function globalTeardown() {
  const server = globalThis.__BLASTGUARD_MARIADB__;
  if (!server) return;
  delete globalThis.__BLASTGUARD_MARIADB__;
  await server.stop();
}
