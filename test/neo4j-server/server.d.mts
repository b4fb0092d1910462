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
  /** QUICK_JVM_FLAGS (C1 only): less CPU to start and warm up; for tests, not benchmarks. */
  quick?: boolean;
}
export const SERVER_DIR: string;
export const LIB_DIR: string;
export const JVM_FLAGS: string[];
export const QUICK_JVM_FLAGS: string[];
export function ensureJars(): Promise<void>;
export function ensureClassArchive(): Promise<void>;
export function javaAndMavenAvailable(): { ok: boolean; why?: string };
export function freePort(): Promise<number>;
export function startNeo4j(o?: StartOptions): Promise<Neo4jServer>;
export function runNeo4jAdmin(home: string, args: string[], o?: { heap?: string; quick?: boolean }): Promise<{ code: number | null; out: string }>;
