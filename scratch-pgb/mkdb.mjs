import pg from 'pg'; import { readFileSync } from 'node:fs';
const [port, db, file] = process.argv.slice(2);
const a = new pg.Client({ host: '127.0.0.1', port: +port, user: 'postgres', password: process.env.PGPASSWORD, database: 'postgres' });
await a.connect(); await a.query(`DROP DATABASE IF EXISTS ${db}`); await a.query(`CREATE DATABASE ${db}`); await a.end();
if (file) { const c = new pg.Client({ host: '127.0.0.1', port: +port, user: 'postgres', password: process.env.PGPASSWORD, database: db }); await c.connect(); await c.query(readFileSync(file, 'utf8')); await c.end(); }
