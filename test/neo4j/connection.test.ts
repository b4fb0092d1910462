// A Neo4j that is not there: one clear line and exit 2, within the driver's connection timeout (the spawned CLI is
// killed after 60 s, so a hang would fail the test). Needs no server: runs even without Java.
import { describe, expect, test } from '@jest/globals';
import net from 'node:net';
import { hasStack, MANIFESTS, run, SAMPLE } from '../helpers/cli.js';

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('Neo4j unreachable', () => {
  test('every command that takes a Neo4j URI fails with one line and exit 2', async () => {
    const uri = `bolt://127.0.0.1:${await closedPort()}`;
    const commands = [
      ['plan', 'site:globex', '-g', uri],
      ['plan', 'site:globex', '-g', uri, '--backend', 'neo4j'],
      ['check', `${MANIFESTS}/legacy-app-cleanup.yaml`, '-g', uri, '--backend', 'neo4j'],
      ['why', 'x', '--roots', 'y', '-g', uri],
      ['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri],
    ];
    for (const args of commands) {
      const r = run(args, { env: { NEO4J_PASSWORD: 'not-to-be-printed' } });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stdout).toBe('');
      expect(hasStack(r.stderr)).toBe(false);
      expect(r.stderr.trim().split('\n')).toEqual([`blastguard: ${uri}: cannot reach Neo4j: connect ECONNREFUSED 127.0.0.1:${uri.split(':')[2]}`]);
      expect(r.stderr).not.toContain('not-to-be-printed');
    }
  });

  test('credentials in the URI are never echoed; a URI that cannot be used is an input error', () => {
    const r = run(['plan', 'x', '-g', 'bolt://admin:hunter2@127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).toContain('bolt://127.0.0.1:1: cannot reach Neo4j');
    const bad = run(['plan', 'x', '-g', 'bolt://127.0.0.1:99999']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('blastguard: bolt://127.0.0.1:99999: not a usable Neo4j URI: Port should be >= 0 and < 65536');
    const notUri = run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', 'http://127.0.0.1:7474']);
    expect(notUri.code).toBe(2);
    expect(notUri.stderr).toContain('is not a Neo4j URI');
  });

  test('--to neo4j and --backend neo4j: their usage mistakes are one line, exit 2, before connecting', () => {
    const cases: [string[], string][] = [
      [['ingest', '--to', 'neo4j', '-g', SAMPLE], '--to neo4j needs --neo4j-uri'],
      [['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', 'bolt://127.0.0.1:1', '--out', 'x.json'], 'drop --out'],
      [['ingest', '-g', SAMPLE, '--neo4j-uri', 'bolt://127.0.0.1:1'], '--neo4j-uri goes with --to neo4j'],
      [['plan', 'x', '-g', SAMPLE, '--backend', 'neo4j'], '--backend neo4j needs --graph bolt://'],
      [['why', 'x', '--roots', 'y', '-g', SAMPLE, '--backend', 'neo4j'], '--backend neo4j needs --graph bolt://'],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
      expect(hasStack(r.stderr)).toBe(false);
    }
  });
});
