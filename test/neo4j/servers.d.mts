import type { StartOptions } from '../neo4j-server/server.mjs';
export const SERVERS: Record<'shared' | 'fault', { files: string[]; options: StartOptions }>;
export const START_TIMEOUT_MS: number;
export const SHARED_POOL: number;
