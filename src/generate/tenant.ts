// A deterministic generator of realistic tenants: organizations owning sites; per site the products with their
// content (projects, issues, spaces, pages, attachments: most of the volume), users with power-law site
// memberships, marketplace app installs with their data, product connections (rarely across sites) and a few
// protected entities. Pure: it yields records and does no I/O. Same options → the same records, in the same order.
import type { Entity, Relation, Schema } from '../model/types.js';
import { mulberry32 } from './random.js';

// Math's members as module constants: global lookups are slow where the global object is intercepted (jest's vm).
const { PI, cos, exp, floor, imul, log, max, min, round, sqrt } = Math;

/** The schema of `samples/tenant.json`: the generated tenants use exactly its relation types. */
export const TENANT_SCHEMA: Schema = {
  boundary: 'site',
  relations: {
    PART_OF: { onDelete: 'cascade', description: 'site belongs to an organization; deleting the org deletes its sites' },
    HOSTED_ON: { onDelete: 'cascade', description: 'product (Jira, Confluence, ...) runs on a site' },
    IN_PRODUCT: { onDelete: 'cascade', description: 'Jira project or Confluence space lives in a product' },
    IN_PROJECT: { onDelete: 'cascade', description: 'issue lives in a Jira project' },
    IN_SPACE: { onDelete: 'cascade', description: 'page lives in a Confluence space' },
    ATTACHED_TO: { onDelete: 'cascade', description: 'attachment is stored on an issue or page' },
    MENTIONS: { onDelete: 'detach', description: 'page links to an issue; the link breaks but the page survives' },
    MEMBER_OF: { onDelete: 'last-owner', description: 'user account is a member of a site; removed only when its last site goes' },
    ISSUED_TO: { onDelete: 'cascade', description: 'API token belongs to a user account' },
    INSTALLED_ON: { onDelete: 'cascade', description: 'marketplace app install lives in a product' },
    INSTANCE_OF: {
      onDelete: 'restrict',
      description: 'install of a marketplace app listing; a listing cannot be deleted while installs exist',
    },
    STORED_BY: { onDelete: 'cascade', description: 'data owned by an app install' },
    CONNECTS: { onDelete: 'cascade', description: 'product link (e.g. Jira <-> Confluence); gone when either end goes' },
    GOVERNS: { onDelete: 'protect', description: 'compliance policy covers a site; the site cannot be deleted while governed' },
  },
};

export interface TenantOptions {
  /** Number of sites; about 1,000 entities are generated per site. */
  sites: number;
  /** Any number or string; the same seed gives the same tenant. */
  seed: number | string;
  /** Multiplies the content and memberships per site (default 1; small values make small test tenants). */
  scale?: number;
}

/** Which records to yield. The generator makes the same decisions either way, so two passes agree exactly. */
export type TenantPart = 'all' | 'entities' | 'relations';

export type TenantRecord = Entity | Relation;

export const isRelation = (r: TenantRecord): r is Relation => (r as Relation).from !== undefined;

/** The retired marketplace app of the 2022 incident. */
export const LEGACY_APP = 'app:legacy-asset-mgmt';

/** A 32-bit seed from a number or a string (FNV-1a over the decimal or given text). */
export function seedOf(seed: number | string): number {
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ORG_WORDS = [
  'acme',
  'globex',
  'initech',
  'umbrella',
  'hooli',
  'vandelay',
  'stark',
  'wayne',
  'wonka',
  'tyrell',
  'cyberdyne',
  'soylent',
  'oscorp',
  'massive',
  'aperture',
  'pied',
  'gringotts',
  'monarch',
  'dunder',
  'sterling',
  'prestige',
  'nakatomi',
  'virtucon',
  'gekko',
  'kramerica',
  'bluth',
  'duff',
  'krusty',
  'ollivander',
  'zorg',
];
const ORG_SUFFIXES = ['Corp', 'Inc', 'Labs', 'Group', 'Systems', 'Industries', 'Holdings', 'GmbH', 'Ltd'];
const SITE_SUFFIXES = ['', '-eu', '-us', '-apac', '-sandbox', '-staging', '-support', '-it', '-hr', '-archive', '-labs', '-dev'];
const REGIONS = ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-southeast', 'ap-northeast'];
const PLANS = ['free', 'standard', 'premium', 'enterprise'];
const FIRST = [
  'jane',
  'raj',
  'maria',
  'emma',
  'tom',
  'lukas',
  'li',
  'sofia',
  'alex',
  'peter',
  'milton',
  'samir',
  'michael',
  'joanna',
  'bill',
  'nina',
  'omar',
  'yuki',
  'chen',
  'ana',
  'kofi',
  'ines',
  'ivan',
  'fatima',
  'david',
  'sara',
];
const LAST = [
  'doe',
  'patel',
  'garcia',
  'johnson',
  'nguyen',
  'muller',
  'wei',
  'rossi',
  'kim',
  'gibbs',
  'walsh',
  'nagheenanajar',
  'bolton',
  'smith',
  'lumbergh',
  'okafor',
  'tanaka',
  'silva',
  'petrov',
  'haddad',
  'cohen',
  'larsen',
  'moreau',
];
const PROJECT_WORDS = [
  'Web',
  'Mobile',
  'Payments',
  'Platform',
  'Billing',
  'Search',
  'Identity',
  'Data',
  'Infra',
  'Growth',
  'Checkout',
  'Firmware',
  'Hardware',
  'Support',
  'Security',
  'Analytics',
  'Onboarding',
  'Catalog',
  'Logistics',
  'Reporting',
];
const VERBS = ['Fix', 'Add', 'Remove', 'Migrate', 'Investigate', 'Update', 'Document', 'Refactor', 'Speed up', 'Audit'];
const OBJECTS = [
  'login timeout',
  'checkout flow',
  'CSV export',
  'SSO settings',
  'dark mode',
  'audit log',
  'rate limiter',
  'invoice PDF',
  'search index',
  'webhook retries',
  'password reset',
  'mobile push',
  'VPN access',
  'badge reader',
  'backup job',
  'release pipeline',
  'API pagination',
  'timezone handling',
  'email digest',
  'permissions page',
];
const PAGE_WORDS = [
  'Architecture overview',
  'Incident runbook',
  'Release notes',
  'Onboarding checklist',
  'Meeting notes',
  'Retrospective',
  'Design review',
  'Roadmap',
  'How-to',
  'Postmortem',
  'Team charter',
  'Decision log',
  'FAQ',
];
const FILE_EXT = ['png', 'pdf', 'log', 'csv', 'docx', 'zip', 'jpg', 'txt'];

interface AppSpec {
  key: string;
  name: string;
  products: string[];
  share: number;
  data: string[];
}

/** Marketplace apps: on which products they install, on what share of those, and what data they keep. */
const APPS: AppSpec[] = [
  {
    key: 'legacy-asset-mgmt',
    name: 'Legacy Asset Management',
    products: ['jira-software', 'jsm'],
    share: 0.3,
    data: ['asset-registry', 'sync-state', 'license-cache', 'import-log'],
  },
  { key: 'tempo-timesheets', name: 'Tempo Timesheets', products: ['jira-software'], share: 0.6, data: ['worklogs', 'team-config'] },
  { key: 'scriptrunner', name: 'ScriptRunner', products: ['jira-software', 'jsm', 'confluence'], share: 0.55, data: ['scripts', 'listeners'] },
  { key: 'zephyr', name: 'Zephyr Scale', products: ['jira-software'], share: 0.5, data: ['test-cases', 'test-runs'] },
  { key: 'bigpicture', name: 'BigPicture', products: ['jira-software'], share: 0.4, data: ['portfolio'] },
  { key: 'xray', name: 'Xray Test Management', products: ['jira-software'], share: 0.4, data: ['test-plans', 'executions'] },
  { key: 'jira-misc-workflow', name: 'JMWE', products: ['jira-software', 'jsm'], share: 0.5, data: ['post-functions'] },
  { key: 'eazybi', name: 'eazyBI Reports', products: ['jira-software', 'jsm'], share: 0.45, data: ['cubes', 'reports'] },
  { key: 'structure', name: 'Structure', products: ['jira-software'], share: 0.45, data: ['hierarchies'] },
  { key: 'automation-plus', name: 'Automation Plus', products: ['jira-software', 'jsm'], share: 0.5, data: ['rules', 'audit-log'] },
  { key: 'time-in-status', name: 'Time in Status', products: ['jira-software', 'jsm'], share: 0.4, data: ['history'] },
  { key: 'git-integration', name: 'Git Integration', products: ['jira-software'], share: 0.5, data: ['repositories', 'commits-index'] },
  { key: 'tempo-planner', name: 'Tempo Planner', products: ['jira-software'], share: 0.35, data: ['plans'] },
  { key: 'drawio', name: 'draw.io Diagrams', products: ['confluence'], share: 0.7, data: ['diagram-store'] },
  { key: 'gliffy', name: 'Gliffy Diagrams', products: ['confluence'], share: 0.4, data: ['diagram-store'] },
  { key: 'comala', name: 'Comala Document Management', products: ['confluence'], share: 0.4, data: ['workflows', 'approvals'] },
  { key: 'refined', name: 'Refined Sites', products: ['confluence', 'jsm'], share: 0.45, data: ['themes'] },
  { key: 'table-filter', name: 'Table Filter and Charts', products: ['confluence'], share: 0.5, data: ['saved-views'] },
  { key: 'scroll-exporter', name: 'Scroll PDF Exporter', products: ['confluence'], share: 0.4, data: ['templates'] },
  { key: 'jsm-assets-sync', name: 'Assets Sync', products: ['jsm'], share: 0.55, data: ['mappings', 'sync-state'] },
  { key: 'opsgenie-bridge', name: 'Alert Bridge', products: ['opsgenie'], share: 0.6, data: ['routes'] },
  { key: 'status-embed', name: 'Status Embed', products: ['statuspage'], share: 0.5, data: ['widgets'] },
];

const PRODUCTS: { key: string; name: string; share: number }[] = [
  { key: 'jira-software', name: 'Jira Software', share: 0.92 },
  { key: 'confluence', name: 'Confluence', share: 0.8 },
  { key: 'jsm', name: 'Jira Service Management', share: 0.45 },
  { key: 'opsgenie', name: 'Opsgenie', share: 0.2 },
  { key: 'statuspage', name: 'Statuspage', share: 0.12 },
];

/** Every record of the tenant, in generation order (a relation may name an entity that comes later). */
export function* generateTenant(options: TenantOptions): Generator<TenantRecord> {
  for (const batch of tenantBatches(options)) yield* batch;
}

/**
 * The tenant's entities, or its relations, or both, one site at a time (resuming a generator per record
 * costs more than making the record). The generator is deterministic, so running it twice (entities, then
 * relations) writes every entity before any relation without holding the tenant in memory.
 */
export function* tenantBatches(options: TenantOptions, part: TenantPart = 'all'): Generator<TenantRecord[]> {
  const relations = part === 'relations';
  for (const batch of siteBatches(options)) yield part === 'all' ? batch : batch.filter((r) => isRelation(r) === relations);
}

/** Records one site at a time (small batches die young, which keeps the garbage collector cheap). */
function* siteBatches(options: TenantOptions): Generator<TenantRecord[]> {
  const sites = floor(options.sites);
  if (!Number.isFinite(sites) || sites < 1) throw new RangeError('sites must be a positive integer');
  const rand = mulberry32(seedOf(options.seed));
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError('scale must be positive');
  const pick = <T>(xs: readonly T[]): T => xs[floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  /** A count around `mean` (Poisson-like spread, never negative). */
  const around = (mean: number) => max(0, round(mean * (0.5 + rand())));
  /** Standard normal (Box–Muller). */
  const normal = () => sqrt(-2 * log(1 - rand())) * cos(2 * PI * rand());
  const rel = (from: string, type: string, to: string): Relation => ({ from, type, to });

  let out: TenantRecord[] = [];
  // App listings: global entities.
  for (const app of APPS) {
    out.push({ id: `app:${app.key}`, type: 'app', name: app.name, attributes: { vendor: `${app.key}-vendor` } });
  }

  // Users: ids kept so that later sites can add memberships; the global membership list drives the power law.
  const userIds: string[] = [];
  const globalMembers: number[] = [];
  // Confluence products of earlier sites, for the rare connection to another organization's site.
  const confluenceProducts: string[] = [];
  let orgNo = 0;
  let siteNo = 0;
  let policyNo = 0;

  while (siteNo < sites) {
    // Organizations: most own one or two sites, a few own many.
    const orgSites = min(sites - siteNo, 1 + floor(-log(1 - rand()) * 1.6) + (chance(0.03) ? floor(rand() * 25) : 0));
    const orgSlug = `${pick(ORG_WORDS)}${orgNo}`;
    const org = `organization:${orgSlug}`;
    const domain = `${orgSlug}.com`;
    out.push({ id: org, type: 'organization', name: `${orgSlug[0].toUpperCase()}${orgSlug.slice(1)} ${pick(ORG_SUFFIXES)}` });
    const orgMembers: number[] = [];
    const orgConfluence: string[] = [];
    const orgSiteIds: string[] = [];
    const billingAdminProtected = chance(0.08);

    for (let k = 0; k < orgSites; k++, siteNo++) {
      const slug = `${orgSlug}${k < SITE_SUFFIXES.length ? SITE_SUFFIXES[k] : `-${k}`}`;
      const site = `site:${slug}`;
      orgSiteIds.push(site);
      // Site sizes are heavy-tailed (log-normal, mean 1), capped at 30× the mean.
      const size = min(30, exp(1.0 * normal() - 0.5));
      const legalHold = chance(0.004);
      const site_: Entity = {
        id: site,
        type: 'site',
        name: `${slug}.atlassian.net`,
        attributes: { region: pick(REGIONS), plan: pick(PLANS) },
      };
      if (legalHold) {
        site_.protected = true;
        site_.attributes!.legalHold = `LH-${2020 + floor(rand() * 6)}-${100 + floor(rand() * 900)}`;
      }
      out.push(site_);
      out.push(rel(site, 'PART_OF', org));

      // Products.
      const products: string[] = [];
      const productKeys: string[] = [];
      for (const p of PRODUCTS) {
        if (!chance(p.share) && !(p.key === 'jira-software' && productKeys.length === 0 && k === 0)) continue;
        const id = `product:${slug}/${p.key}`;
        products.push(id);
        productKeys.push(p.key);
        out.push({ id, type: 'product', name: p.name, attributes: { productKey: p.key } });
        out.push(rel(id, 'HOSTED_ON', site));
      }
      if (products.length === 0) {
        const id = `product:${slug}/confluence`;
        products.push(id);
        productKeys.push('confluence');
        out.push({ id, type: 'product', name: 'Confluence', attributes: { productKey: 'confluence' } });
        out.push(rel(id, 'HOSTED_ON', site));
      }
      const productOf = (key: string) => {
        const i = productKeys.indexOf(key);
        return i < 0 ? undefined : products[i];
      };

      // Jira projects and their issues (Jira Software and JSM).
      const issues: string[] = [];
      for (const [key, projectMean, issueMean] of [
        ['jira-software', 6, 400],
        ['jsm', 1.5, 145],
      ] as const) {
        const product = productOf(key);
        if (!product) continue;
        const projects = 1 + around((projectMean - 1) * sqrt(size) * scale);
        const total = around(issueMean * size * scale);
        // Zipf-like split: the first project is the busiest.
        let weightSum = 0;
        for (let p = 0; p < projects; p++) weightSum += 1 / (p + 1);
        for (let p = 0; p < projects; p++) {
          const pkey = `${key === 'jsm' ? 'SD' : pick(PROJECT_WORDS).slice(0, 3).toUpperCase()}${p}`;
          const project = `project:${slug}/${pkey}`;
          out.push({ id: project, type: 'project', name: `${pick(PROJECT_WORDS)} ${key === 'jsm' ? 'Service Desk' : 'Team'}`, attributes: { key: pkey } });
          out.push(rel(project, 'IN_PRODUCT', product));
          const count = round((total / weightSum) * (1 / (p + 1)));
          for (let n = 1; n <= count; n++) {
            const ikey = `${pkey}-${n}`;
            const issue = `issue:${slug}/${ikey}`;
            issues.push(issue);
            out.push({ id: issue, type: 'issue', name: `${ikey}: ${pick(VERBS)} ${pick(OBJECTS)}` });
            out.push(rel(issue, 'IN_PROJECT', project));
            if (chance(0.22)) {
              const files = 1 + floor(rand() * 3);
              for (let f = 0; f < files; f++) {
                const file = `file-${f}.${pick(FILE_EXT)}`;
                const att = `attachment:${slug}/${ikey}/${file}`;
                out.push({ id: att, type: 'attachment', name: file });
                out.push(rel(att, 'ATTACHED_TO', issue));
              }
            }
          }
        }
      }

      // Confluence spaces and pages; pages mention issues of the same site (heavy-tailed: most a few, some many).
      const confluence = productOf('confluence');
      if (confluence) {
        orgConfluence.push(confluence);
        confluenceProducts.push(confluence);
        const spaces = 1 + around(3 * sqrt(size) * scale);
        const total = around(265 * size * scale);
        for (let s = 0; s < spaces; s++) {
          const skey = `${pick(PROJECT_WORDS).slice(0, 4).toUpperCase()}${s}`;
          const space = `space:${slug}/${skey}`;
          out.push({ id: space, type: 'space', name: `${pick(PROJECT_WORDS)} space`, attributes: { key: skey } });
          out.push(rel(space, 'IN_PRODUCT', confluence));
          const count = round(total / spaces);
          for (let n = 1; n <= count; n++) {
            const page = `page:${slug}/${skey}/${n}`;
            out.push({ id: page, type: 'page', name: `${pick(PAGE_WORDS)} ${n}` });
            out.push(rel(page, 'IN_SPACE', space));
            if (issues.length && !chance(0.35)) {
              const mentions = min(60, issues.length, 1 + floor(-log(1 - rand()) * 12));
              const start = floor(rand() * issues.length);
              const step = 1 + floor(rand() * 7);
              const seen = new Set<number>();
              for (let m = 0; m < mentions; m++) {
                // Distinct issues of the site, by a stride through them.
                const at = (start + m * step) % issues.length;
                if (seen.has(at)) continue;
                seen.add(at);
                out.push(rel(page, 'MENTIONS', issues[at]));
              }
            }
            if (chance(0.18)) {
              const file = `file-0.${pick(FILE_EXT)}`;
              const att = `attachment:${slug}/${skey}/${n}/${file}`;
              out.push({ id: att, type: 'attachment', name: file });
              out.push(rel(att, 'ATTACHED_TO', page));
            }
          }
        }
      }

      // Connections between the site's products, and rarely to another site's Confluence.
      const jira = productOf('jira-software');
      if (jira && confluence && chance(0.7)) {
        const c = `connection:${slug}/jira-confluence`;
        out.push({ id: c, type: 'connection', name: `Jira Software <-> Confluence (${slug}.atlassian.net)` });
        out.push(rel(c, 'CONNECTS', jira));
        out.push(rel(c, 'CONNECTS', confluence));
      }
      const jsm = productOf('jsm');
      if (jsm && confluence && chance(0.5)) {
        const c = `connection:${slug}/jsm-confluence`;
        out.push({ id: c, type: 'connection', name: `Jira Service Management <-> Confluence (${slug}.atlassian.net)` });
        out.push(rel(c, 'CONNECTS', jsm));
        out.push(rel(c, 'CONNECTS', confluence));
      }
      if (jira && chance(0.02)) {
        // Mostly to a sister site of the organization, sometimes to a partner's site.
        const sisters = orgConfluence.length - (confluence ? 1 : 0);
        const others = confluenceProducts.length - (confluence ? 1 : 0);
        const pool = sisters > 0 && chance(0.8) ? sisters : others;
        if (pool > 0) {
          // The current site's Confluence, if any, is the last entry of both lists: pick among the ones before.
          const other = (pool === sisters ? orgConfluence : confluenceProducts)[floor(rand() * pool)];
          const otherSlug = other.slice('product:'.length, other.lastIndexOf('/'));
          const c = `connection:${slug}/jira-software~${otherSlug}/confluence`;
          out.push({ id: c, type: 'connection', name: `Jira Software (${slug}.atlassian.net) <-> Confluence (${otherSlug}.atlassian.net)` });
          out.push(rel(c, 'CONNECTS', jira));
          out.push(rel(c, 'CONNECTS', other));
        }
      }

      // App installs with their data.
      for (let p = 0; p < products.length; p++) {
        for (const app of APPS) {
          if (!app.products.includes(productKeys[p]) || !chance(app.share)) continue;
          const install = `app-install:${slug}/${productKeys[p]}/${app.key}`;
          out.push({
            id: install,
            type: 'app-install',
            name: `${app.name} on ${slug}`,
            attributes: { version: `${1 + floor(rand() * 9)}.${floor(rand() * 20)}` },
          });
          out.push(rel(install, 'INSTALLED_ON', products[p]));
          out.push(rel(install, 'INSTANCE_OF', `app:${app.key}`));
          const nData = 1 + floor(rand() * app.data.length);
          for (let d = 0; d < nData; d++) {
            const data = `app-data:${slug}/${productKeys[p]}/${app.key}/${app.data[d]}`;
            out.push({ id: data, type: 'app-data', name: app.data[d], attributes: { records: floor(rand() * 50000) } });
            out.push(rel(data, 'STORED_BY', install));
          }
        }
      }

      // Users: memberships grow with the site; new accounts, colleagues from sister sites, or shared accounts
      // picked in proportion to how many sites they already belong to (preferential attachment → power law).
      const memberships = around((40 + 200 * sqrt(size)) * scale);
      const here = new Set<number>();
      for (let m = 0; m < memberships; m++) {
        const r = rand();
        let u: number;
        if (r < 0.4 || (r < 0.85 && orgMembers.length === 0) || globalMembers.length === 0) {
          u = userIds.length;
          const first = pick(FIRST);
          const last = pick(LAST);
          const email = `${first}.${last}${u}@${chance(0.04) ? 'contractor.io' : domain}`;
          const id = `user:${email}`;
          userIds.push(id);
          const user: Entity = {
            id,
            type: 'user',
            name: email,
            attributes: { displayName: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}` },
          };
          if (billingAdminProtected && orgMembers.length === 0) {
            user.protected = true;
            user.attributes!.role = 'org billing admin';
          }
          out.push(user);
          const tokens = chance(0.07) ? 1 + floor(rand() * 2) : 0;
          for (let t = 0; t < tokens; t++) {
            const token = `api-token:${email}/token-${t}`;
            out.push({ id: token, type: 'api-token', name: `token-${t}` });
            out.push(rel(token, 'ISSUED_TO', id));
          }
        } else if (r < 0.85 && orgMembers.length > 0) {
          u = orgMembers[floor(rand() * orgMembers.length)];
        } else {
          u = globalMembers[floor(rand() * globalMembers.length)];
        }
        if (here.has(u)) continue;
        here.add(u);
        orgMembers.push(u);
        globalMembers.push(u);
        out.push(rel(userIds[u], 'MEMBER_OF', site));
      }
      yield out;
      out = [];
    }

    // Compliance policies: a few organizations keep a retention policy over some of their sites.
    if (chance(0.02)) {
      const policy = `retention-policy:${orgSlug}/policy-${policyNo++}`;
      out.push({
        id: policy,
        type: 'retention-policy',
        name: `${pick(['SOX', 'GDPR', 'HIPAA', 'ISO27001'])} retention`,
        attributes: { years: 1 + floor(rand() * 10) },
      });
      const covered = 1 + floor(rand() * min(3, orgSiteIds.length));
      for (let c = 0; c < covered; c++) out.push(rel(policy, 'GOVERNS', orgSiteIds[c]));
    }
    orgNo++;
    yield out;
    out = [];
  }
}
