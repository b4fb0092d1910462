-- saas.sql: a multi-tenant project-management SaaS in PostgreSQL, for `blastguard … --graph postgres://…` and for
-- the ground-truth tests (test/postgres/ground-truth.test.ts run real DELETEs on it and compare them with plans).
-- 41 tables, one row of `tenants` per customer (the boundary), and every kind of constraint: ON DELETE CASCADE,
-- SET NULL (also with a column list), SET DEFAULT, RESTRICT, NO ACTION (immediate and DEFERRABLE INITIALLY
-- DEFERRED), composite keys, foreign keys to unique non-primary columns, MATCH FULL, self-references, a cycle, a
-- schema other than public, a table without a primary key, user IDs above 2^53, and columns that reference rows
-- without a constraint (saas.overlay.yaml declares them). The data is generated deterministically (no random()).
-- Load it with: psql -d DB -f samples/postgres/saas.sql

CREATE TABLE plans (
  id smallint PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL
);

CREATE TABLE tenants (
  id bigint PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  -- A key to a unique column that is not the primary key; a plan in use cannot be dropped.
  plan_code text NOT NULL REFERENCES plans (code) ON DELETE RESTRICT,
  legal_hold boolean NOT NULL DEFAULT false,
  -- Half of a cycle with users: only a deferred constraint lets both rows be inserted.
  owner_id bigint
);

CREATE TABLE tenant_settings (
  tenant_id bigint PRIMARY KEY REFERENCES tenants ON DELETE CASCADE,
  theme text NOT NULL
);

CREATE TABLE users (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  email text NOT NULL,
  manager_id bigint REFERENCES users ON DELETE SET NULL,
  UNIQUE (tenant_id, id)
);

ALTER TABLE tenants ADD CONSTRAINT tenants_owner_fkey FOREIGN KEY (owner_id) REFERENCES users DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE roles (
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  id integer NOT NULL,
  name text NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE user_roles (
  tenant_id bigint NOT NULL,
  user_id bigint NOT NULL,
  role_id integer NOT NULL,
  PRIMARY KEY (tenant_id, user_id, role_id),
  CONSTRAINT user_roles_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT user_roles_role_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES roles ON DELETE CASCADE
);

CREATE TABLE teams (
  id integer PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  name text NOT NULL,
  parent_team_id integer REFERENCES teams ON DELETE CASCADE,
  lead_user_id bigint REFERENCES users ON DELETE SET NULL
);

CREATE TABLE team_members (
  team_id integer NOT NULL REFERENCES teams ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  PRIMARY KEY (team_id, user_id)
);

CREATE TABLE projects (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  name text NOT NULL,
  team_id integer REFERENCES teams ON DELETE SET NULL,
  -- A project's owner cannot be deleted while the project exists.
  owner_id bigint NOT NULL REFERENCES users ON DELETE RESTRICT,
  UNIQUE (tenant_id, id)
);

CREATE TABLE project_members (
  project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE milestones (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
  due date NOT NULL
);

CREATE TABLE labels (
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  name text NOT NULL,
  color text NOT NULL,
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE issues (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  project_id bigint NOT NULL,
  title text NOT NULL,
  milestone_id bigint REFERENCES milestones ON DELETE SET NULL,
  assignee_id bigint REFERENCES users ON DELETE SET NULL,
  -- NO ACTION, checked at the end of the statement: a user who reported issues cannot be deleted.
  reporter_id bigint NOT NULL REFERENCES users ON DELETE NO ACTION,
  parent_issue_id bigint REFERENCES issues ON DELETE CASCADE,
  duplicate_of_id bigint REFERENCES issues ON DELETE SET NULL,
  -- Composite, to a unique key that is not the primary key.
  CONSTRAINT issues_project_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE issue_labels (
  issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  tenant_id bigint NOT NULL,
  label_name text NOT NULL,
  PRIMARY KEY (issue_id, label_name),
  CONSTRAINT issue_labels_label_fkey FOREIGN KEY (tenant_id, label_name) REFERENCES labels ON DELETE CASCADE
);

CREATE TABLE comments (
  id bigint PRIMARY KEY,
  issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  author_id bigint REFERENCES users ON DELETE SET NULL,
  reply_to_id bigint REFERENCES comments ON DELETE CASCADE,
  body text NOT NULL
);

CREATE TABLE attachments (
  id uuid PRIMARY KEY,
  comment_id bigint NOT NULL REFERENCES comments ON DELETE CASCADE,
  uploaded_by bigint REFERENCES users ON DELETE SET NULL,
  file_name text NOT NULL
);

CREATE TABLE reactions (
  comment_id bigint NOT NULL REFERENCES comments ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  emoji text NOT NULL,
  PRIMARY KEY (comment_id, user_id, emoji)
);

CREATE TABLE watchers (
  issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  PRIMARY KEY (issue_id, user_id)
);

CREATE TABLE issue_links (
  id bigint PRIMARY KEY,
  from_issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  to_issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE
);

CREATE TABLE time_entries (
  id bigint PRIMARY KEY,
  issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  -- Checked at commit: deleting a user whose time entries the same transaction deletes is fine.
  user_id bigint NOT NULL REFERENCES users DEFERRABLE INITIALLY DEFERRED,
  minutes integer NOT NULL
);

CREATE TABLE sprints (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
  name text NOT NULL
);

CREATE TABLE sprint_issues (
  sprint_id bigint NOT NULL REFERENCES sprints ON DELETE CASCADE,
  issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  PRIMARY KEY (sprint_id, issue_id)
);

CREATE TABLE boards (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL REFERENCES projects ON DELETE CASCADE,
  default_sprint_id bigint DEFAULT NULL REFERENCES sprints ON DELETE SET DEFAULT
);

CREATE TABLE folders (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  parent_id bigint REFERENCES folders ON DELETE CASCADE,
  name text NOT NULL
);

CREATE TABLE documents (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  folder_id bigint REFERENCES folders ON DELETE SET NULL,
  project_id bigint,
  title text NOT NULL,
  -- Composite with a nullable column (MATCH SIMPLE: a NULL project is no reference); only project_id is nulled.
  CONSTRAINT documents_project_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE SET NULL (project_id)
);

CREATE TABLE document_versions (
  document_id bigint NOT NULL REFERENCES documents ON DELETE CASCADE,
  version integer NOT NULL,
  author_id bigint REFERENCES users ON DELETE SET NULL,
  PRIMARY KEY (document_id, version)
);

CREATE SCHEMA billing;

CREATE TABLE billing.invoices (
  id bigint PRIMARY KEY,
  -- Invoices are kept: a tenant that was ever invoiced cannot be deleted.
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE RESTRICT,
  total numeric(12, 2) NOT NULL
);

CREATE TABLE billing.invoice_lines (
  invoice_id bigint NOT NULL REFERENCES billing.invoices ON DELETE CASCADE,
  line_no integer NOT NULL,
  amount numeric(12, 2) NOT NULL,
  PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE billing.payments (
  id bigint PRIMARY KEY,
  invoice_id bigint NOT NULL REFERENCES billing.invoices ON DELETE NO ACTION,
  amount numeric(12, 2) NOT NULL
);

CREATE TABLE user_sessions (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  started_at timestamptz NOT NULL
);

CREATE TABLE session_events (
  id bigint PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES user_sessions ON DELETE CASCADE,
  -- Two cascade paths from a user to the same row.
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  kind text NOT NULL
);

CREATE TABLE approvals (
  id bigint PRIMARY KEY,
  requester_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  -- RESTRICT, created after requester_id's CASCADE: a self-approval is cascaded away before this check runs, so
  -- PostgreSQL deletes its user; blastguard's answer (protect: blocked) is the conservative one (docs/databases.md).
  approver_id bigint NOT NULL REFERENCES users ON DELETE RESTRICT
);

CREATE TABLE api_keys (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  key text NOT NULL UNIQUE
);

CREATE TABLE webhooks (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  created_by bigint REFERENCES users ON DELETE SET NULL,
  url text NOT NULL
);

CREATE TABLE webhook_deliveries (
  webhook_id bigint NOT NULL REFERENCES webhooks ON DELETE CASCADE,
  seq integer NOT NULL,
  status integer NOT NULL,
  PRIMARY KEY (webhook_id, seq)
);

-- No primary key: blastguard warns and does not read it.
CREATE TABLE audit_events (
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  actor_id bigint,
  action text NOT NULL
);

-- target_type/target_id point at an issue or a comment; the application deletes the notification with its target.
CREATE TABLE notifications (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  target_type text NOT NULL,
  target_id bigint NOT NULL
);

-- pinned_issue_ids holds issue IDs without a constraint (PostgreSQL has no foreign keys from arrays).
CREATE TABLE saved_filters (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  name text NOT NULL,
  pinned_issue_ids bigint[] NOT NULL DEFAULT '{}'
);

-- default_project_id: a plain column with no constraint.
CREATE TABLE integrations (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  kind text NOT NULL,
  default_project_id bigint
);

CREATE TABLE custom_fields (
  tenant_id bigint NOT NULL REFERENCES tenants ON DELETE CASCADE,
  key text NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE issue_field_values (
  issue_id bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  tenant_id bigint NOT NULL,
  field_key text NOT NULL,
  value text,
  PRIMARY KEY (issue_id, field_key),
  CONSTRAINT issue_field_values_field_fkey FOREIGN KEY (tenant_id, field_key) REFERENCES custom_fields MATCH FULL ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------------------------
-- Data: 6 tenants (tenant 6 is under legal hold; tenants 1-3 were invoiced), 8 users each, 3 projects each, 8
-- issues per project. User IDs are 2^53 + 100 × tenant + n: above what a JavaScript number holds exactly.

BEGIN;
INSERT INTO plans VALUES (1, 'free', 'Free'), (2, 'pro', 'Pro'), (3, 'enterprise', 'Enterprise'), (4, 'legacy', 'Legacy (retired)');

INSERT INTO tenants (id, slug, name, plan_code, legal_hold)
SELECT t, 'tenant-' || t, 'Tenant ' || t || ' Inc.', (ARRAY['free', 'pro', 'enterprise'])[1 + t % 3], t = 6
FROM generate_series(1, 6) t;

INSERT INTO tenant_settings SELECT t, (ARRAY['light', 'dark'])[1 + t % 2] FROM generate_series(1, 5) t;

INSERT INTO users (id, tenant_id, email, manager_id)
SELECT 9007199254740992 + 100 * t + u, t, 'user' || u || '@tenant-' || t || '.example',
       CASE WHEN u > 1 THEN 9007199254740992 + 100 * t + u / 2 END
FROM generate_series(1, 6) t, generate_series(1, 8) u;

UPDATE tenants SET owner_id = 9007199254740992 + 100 * id + 1;

INSERT INTO roles SELECT t, r, (ARRAY['admin', 'member', 'viewer'])[r] FROM generate_series(1, 6) t, generate_series(1, 3) r;
INSERT INTO user_roles SELECT t, 9007199254740992 + 100 * t + u, 1 + u % 3 FROM generate_series(1, 6) t, generate_series(1, 8) u;

INSERT INTO teams SELECT 10 * t + k, t, 'team ' || k, CASE WHEN k > 1 THEN 10 * t + 1 END, 9007199254740992 + 100 * t + k
FROM generate_series(1, 6) t, generate_series(1, 3) k;
INSERT INTO team_members SELECT 10 * t + 1 + u % 3, 9007199254740992 + 100 * t + u FROM generate_series(1, 6) t, generate_series(1, 8) u;

INSERT INTO projects SELECT 100 * t + p, t, 'Project ' || t || '-' || p, CASE WHEN p < 3 THEN 10 * t + p END, 9007199254740992 + 100 * t + p
FROM generate_series(1, 6) t, generate_series(1, 3) p;
INSERT INTO project_members SELECT 100 * t + p, 9007199254740992 + 100 * t + u
FROM generate_series(1, 6) t, generate_series(1, 3) p, generate_series(1, 8) u WHERE (u + p) % 2 = 0;
INSERT INTO milestones SELECT 10 * (100 * t + p) + m, 100 * t + p, date '2026-01-01' + 30 * m
FROM generate_series(1, 6) t, generate_series(1, 3) p, generate_series(1, 2) m;

INSERT INTO labels SELECT t, n, 'c' || t FROM generate_series(1, 6) t, unnest(ARRAY['bug', 'needs|review', '100%', 'ui']) n;

INSERT INTO issues
SELECT 100 * (100 * t + p) + i, t, 100 * t + p, 'Issue ' || (100 * (100 * t + p) + i),
       CASE WHEN i % 3 <> 0 THEN 10 * (100 * t + p) + 1 + i % 2 END,
       CASE WHEN i % 4 <> 0 THEN 9007199254740992 + 100 * t + i END,
       9007199254740992 + 100 * t + 1 + i % 4,
       CASE WHEN i IN (2, 3) THEN 100 * (100 * t + p) + 1 END,
       CASE WHEN i = 8 THEN 100 * (100 * t + p) + 7 END
FROM generate_series(1, 6) t, generate_series(1, 3) p, generate_series(1, 8) i;

INSERT INTO issue_labels SELECT id, tenant_id, (ARRAY['bug', 'needs|review', '100%', 'ui'])[1 + id % 4] FROM issues;
INSERT INTO issue_labels SELECT id, tenant_id, 'ui' FROM issues WHERE id % 4 = 1;

INSERT INTO comments SELECT 10 * i.id + c, i.id, 9007199254740992 + 100 * i.tenant_id + 1 + (c + i.id) % 8, CASE WHEN c = 2 THEN 10 * i.id + 1 END, 'comment ' || c
FROM issues i, generate_series(1, 2) c;
INSERT INTO attachments SELECT md5('attachment-' || id)::uuid, id, author_id, 'file-' || id || '.png' FROM comments WHERE id % 10 = 1 AND id % 3 = 0;
INSERT INTO reactions SELECT c.id, 9007199254740992 + 100 * i.tenant_id + 1 + k, (ARRAY['+1', 'heart'])[1 + k % 2]
FROM comments c JOIN issues i ON i.id = c.issue_id, generate_series(2, 3) k WHERE c.id % 10 = 1;
INSERT INTO watchers SELECT id, 9007199254740992 + 100 * tenant_id + 1 + id % 8 FROM issues;
INSERT INTO issue_links SELECT 10 * id + 1, id, id + 1 FROM issues WHERE id % 100 < 8 AND id % 2 = 1;
INSERT INTO time_entries SELECT 10 * id + 1, id, 9007199254740992 + 100 * tenant_id + 5 + id % 3, 30 FROM issues WHERE id % 3 = 0;

INSERT INTO sprints SELECT 10 * id + s, id, 'sprint ' || s FROM projects, generate_series(1, 2) s;
INSERT INTO sprint_issues SELECT 10 * project_id + 1, id FROM issues WHERE id % 100 <= 4;
INSERT INTO boards SELECT id, id, CASE WHEN id % 100 <> 3 THEN 10 * id + 1 END FROM projects;

INSERT INTO folders SELECT 10 * t + f, t, CASE WHEN f > 1 THEN 10 * t + 1 END, 'folder ' || f FROM generate_series(1, 6) t, generate_series(1, 3) f;
INSERT INTO documents SELECT 100 * t + d, t, CASE WHEN d < 4 THEN 10 * t + 1 + d % 3 END, CASE WHEN d <= 3 THEN 100 * t + d END, 'doc ' || d
FROM generate_series(1, 6) t, generate_series(1, 4) d;
INSERT INTO document_versions SELECT id, v, 9007199254740992 + 100 * tenant_id + 2 + v FROM documents, generate_series(1, 2) v;

INSERT INTO billing.invoices SELECT 10 * t + n, t, 100 * n + t FROM generate_series(1, 3) t, generate_series(1, 2) n;
INSERT INTO billing.invoice_lines SELECT id, l, total / 2 FROM billing.invoices, generate_series(1, 2) l;
INSERT INTO billing.payments SELECT id, id, total FROM billing.invoices WHERE id % 10 = 1;

INSERT INTO user_sessions SELECT id - 9007199254740000, id, timestamptz '2026-03-01 09:00:00+00' + (id % 100) * interval '1 hour' FROM users;
INSERT INTO session_events SELECT 10 * (id - 9007199254740000) + k, id - 9007199254740000, id, (ARRAY['login', 'view'])[k] FROM users, generate_series(1, 2) k;
INSERT INTO approvals SELECT id - 9007199254740000, id, CASE WHEN id % 100 >= 5 THEN id ELSE id - 1 END FROM users WHERE id % 100 >= 4;
INSERT INTO api_keys SELECT id - 9007199254740000, id, 'key-' || id FROM users WHERE id % 2 = 0;
INSERT INTO webhooks SELECT t, t, 9007199254740992 + 100 * t + 2, 'https://hooks.example/' || t FROM generate_series(1, 6) t;
INSERT INTO webhook_deliveries SELECT w, s, 200 FROM generate_series(1, 6) w, generate_series(1, 3) s;
INSERT INTO audit_events SELECT t, 9007199254740992 + 100 * t + 1, 'login' FROM generate_series(1, 6) t, generate_series(1, 3);

INSERT INTO notifications SELECT 10 * id + 1, 9007199254740992 + 100 * tenant_id + 1 + id % 8, 'Issue', id FROM issues WHERE id % 5 = 0;
INSERT INTO notifications SELECT 10 * id + 2, author_id, 'Comment', id FROM comments WHERE id % 7 = 0 AND author_id IS NOT NULL;
INSERT INTO saved_filters SELECT u.id - 9007199254740000, u.id, 'pinned',
       ARRAY[10000 * u.tenant_id + 100 + u.id % 8 + 1, 10000 * u.tenant_id + 200 + 1]::bigint[]
FROM users u WHERE u.id % 3 = 0;
-- Tenant 3's integration still names a project deleted long ago (no constraint kept it consistent).
INSERT INTO integrations SELECT t, t, 'github', CASE WHEN t = 3 THEN 399 WHEN t <> 2 THEN 100 * t + 1 END FROM generate_series(1, 6) t;

INSERT INTO custom_fields SELECT t, k FROM generate_series(1, 6) t, unnest(ARRAY['severity', 'customer']) k;
INSERT INTO issue_field_values SELECT id, tenant_id, 'severity', 'S' || id % 3 FROM issues WHERE id % 2 = 0;
COMMIT;
ANALYZE;
