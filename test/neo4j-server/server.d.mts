// Types of server.mjs, for the TypeScript tests that import it.
export interface Neo4jServer {
  uri: string;
  port: number;
  home: string;
  pid: number;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stderr(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}
export interface StartOptions {
  port?: number;
  home?: string;
  removeHomeOnStop?: boolean;
  timeoutMs?: number;
  heap?: string;
  stopTimeoutMs?: number;
  password?: string;
  pagecacheMb?: number;
}
export const SERVER_DIR: string;
export const LIB_DIR: string;
export const JVM_FLAGS: string[];
export function ensureJars(): Promise<void>;
export function javaAndMavenAvailable(): { ok: boolean; why?: string };
export function freePort(): Promise<number>;
export function startNeo4j(o?: StartOptions): Promise<Neo4jServer>;
export function runNeo4jAdmin(home: string, args: string[], o?: { heap?: string }): Promise<{ code: number | null; out: string }>;
