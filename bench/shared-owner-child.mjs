// One benchmark process for the shared-owner shape: a support user with a last-owner membership in each of
// SITES sites and BELOW entities cascading from it (a few of them also hosted on a site the user is not in).
// Times the site index, the check of a manifest targeting every site, a plan of the user, and the audit.
// Prints one JSON object on stdout.
import { buildSnapshot, check, plan, audit } from '../dist/api.js';
import { siteIndex } from '../dist/engine/sites.js';

const SITES = Number(process.argv[2] ?? 5000);
const BELOW = Number(process.argv[3] ?? 20000);
const now = () => performance.now();

const entities = [];
const relations = [];
for (let i = 0; i < SITES; i++) {
  entities.push({ id: `site-${i}`, type: 'site', name: `Site ${i}` }, { id: `product-${i}`, type: 'product' });
  relations.push({ from: `product-${i}`, type: 'HOSTED_ON', to: `site-${i}` }, { from: 'user-support', type: 'MEMBER_OF', to: `site-${i}` });
}
entities.push({ id: 'site-outside', type: 'site' }, { id: 'product-outside', type: 'product' }, { id: 'user-support', type: 'user' });
relations.push({ from: 'product-outside', type: 'HOSTED_ON', to: 'site-outside' });
for (let k = 0; k < BELOW; k++) {
  entities.push({ id: `token-${k}`, type: 'token' });
  relations.push({ from: `token-${k}`, type: 'ISSUED_TO', to: k < 100 ? 'user-support' : `token-${k - 100}` });
}
for (let k = BELOW - 3; k < BELOW; k++) relations.push({ from: `token-${k}`, type: 'HOSTED_ON', to: 'product-outside' });
const schema = {
  boundary: 'site',
  relations: { HOSTED_ON: { onDelete: 'cascade' }, MEMBER_OF: { onDelete: 'last-owner' }, ISSUED_TO: { onDelete: 'cascade' } },
};
const g = buildSnapshot({ schema, entities, relations }, 'shared-owner');

const out = { sites: SITES, below: BELOW, entities: g.size };
let t = now();
siteIndex(g);
out.siteIndexMs = now() - t;
const manifest = { targets: Array.from({ length: SITES }, (_, i) => `site-${i}`), intent: { deleteTypes: ['site', 'product', 'user', 'token'] } };
t = now();
const r = check(g, manifest);
out.checkMs = now() - t;
out.check = { verdict: r.verdict, deleted: r.summary.deleted, violations: r.violations.length, sites: r.summary.sites.length };
t = now();
const p = plan(g, ['user-support'], { detail: 'summary' });
out.userPlanMs = now() - t;
out.userPlan = { deleted: p.summary.deleted, violations: p.violations.length };
t = now();
const a = audit(g);
out.auditMs = now() - t;
out.auditFindings = a.findings.length;
process.stdout.write(JSON.stringify(out));
