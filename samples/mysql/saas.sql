-- saas.sql: the multi-tenant project-management SaaS of samples/postgres/saas.sql, in MySQL/MariaDB (InnoDB), for
-- `blastguard … --graph mysql://…` and for the ground-truth tests (test/mysql/ground-truth.test.ts run real DELETEs
-- on it and compare them with plans). The same tables, keys and data, with what InnoDB does not have replaced:
--  - no deferrable constraints: tenants.owner_id is SET NULL, time_entries.user_id is NO ACTION (immediate);
--  - InnoDB refuses SET DEFAULT: boards.default_sprint_id is SET NULL;
--  - no SET NULL (column list): documents.project_id references projects (id) alone;
--  - no schemas inside a database: billing.invoices is billing_invoices (and so on);
--  - no arrays: saved_filters has no pinned_issue_ids;
--  - MATCH FULL is parsed and ignored by MySQL: issue_field_values_field_fkey is MATCH SIMPLE.
-- Every constraint is named as PostgreSQL names it, so relation types are the same in both samples.
-- Load it with: mariadb DB < samples/mysql/saas.sql

CREATE TABLE plans (
  id smallint PRIMARY KEY,
  code varchar(40) NOT NULL UNIQUE,
  name varchar(100) NOT NULL
) ENGINE = InnoDB;

CREATE TABLE tenants (
  id bigint PRIMARY KEY,
  slug varchar(100) NOT NULL UNIQUE,
  name varchar(100) NOT NULL,
  plan_code varchar(40) NOT NULL,
  legal_hold boolean NOT NULL DEFAULT false,
  owner_id bigint,
  -- A key to a unique column that is not the primary key; a plan in use cannot be dropped.
  CONSTRAINT tenants_plan_code_fkey FOREIGN KEY (plan_code) REFERENCES plans (code) ON DELETE RESTRICT
) ENGINE = InnoDB;

CREATE TABLE tenant_settings (
  tenant_id bigint PRIMARY KEY,
  theme varchar(20) NOT NULL,
  CONSTRAINT tenant_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE users (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  email varchar(100) NOT NULL,
  manager_id bigint,
  UNIQUE (tenant_id, id),
  CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT users_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB;

-- Half of a cycle with users (PostgreSQL: deferred; InnoDB: the owner is set after the users exist).
ALTER TABLE tenants ADD CONSTRAINT tenants_owner_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE SET NULL;

CREATE TABLE roles (
  tenant_id bigint NOT NULL,
  id integer NOT NULL,
  name varchar(40) NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE user_roles (
  tenant_id bigint NOT NULL,
  user_id bigint NOT NULL,
  role_id integer NOT NULL,
  PRIMARY KEY (tenant_id, user_id, role_id),
  CONSTRAINT user_roles_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT user_roles_role_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE teams (
  id integer PRIMARY KEY,
  tenant_id bigint NOT NULL,
  name varchar(40) NOT NULL,
  parent_team_id integer,
  lead_user_id bigint,
  CONSTRAINT teams_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT teams_parent_team_id_fkey FOREIGN KEY (parent_team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT teams_lead_user_id_fkey FOREIGN KEY (lead_user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE TABLE team_members (
  team_id integer NOT NULL,
  user_id bigint NOT NULL,
  PRIMARY KEY (team_id, user_id),
  CONSTRAINT team_members_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE,
  CONSTRAINT team_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE projects (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  name varchar(100) NOT NULL,
  team_id integer,
  owner_id bigint NOT NULL,
  UNIQUE (tenant_id, id),
  CONSTRAINT projects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT projects_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL,
  -- A project's owner cannot be deleted while the project exists.
  CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT
) ENGINE = InnoDB;

CREATE TABLE project_members (
  project_id bigint NOT NULL,
  user_id bigint NOT NULL,
  PRIMARY KEY (project_id, user_id),
  CONSTRAINT project_members_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT project_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE milestones (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL,
  due date NOT NULL,
  CONSTRAINT milestones_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE labels (
  tenant_id bigint NOT NULL,
  name varchar(40) NOT NULL,
  color varchar(20) NOT NULL,
  PRIMARY KEY (tenant_id, name),
  CONSTRAINT labels_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE issues (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  project_id bigint NOT NULL,
  title varchar(100) NOT NULL,
  milestone_id bigint,
  assignee_id bigint,
  reporter_id bigint NOT NULL,
  parent_issue_id bigint,
  duplicate_of_id bigint,
  CONSTRAINT issues_milestone_id_fkey FOREIGN KEY (milestone_id) REFERENCES milestones (id) ON DELETE SET NULL,
  CONSTRAINT issues_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL,
  -- NO ACTION (InnoDB: checked at once, like RESTRICT): a user who reported issues cannot be deleted.
  CONSTRAINT issues_reporter_id_fkey FOREIGN KEY (reporter_id) REFERENCES users (id) ON DELETE NO ACTION,
  CONSTRAINT issues_parent_issue_id_fkey FOREIGN KEY (parent_issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  CONSTRAINT issues_duplicate_of_id_fkey FOREIGN KEY (duplicate_of_id) REFERENCES issues (id) ON DELETE SET NULL,
  -- Composite, to a unique key that is not the primary key.
  CONSTRAINT issues_project_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE issue_labels (
  issue_id bigint NOT NULL,
  tenant_id bigint NOT NULL,
  label_name varchar(40) NOT NULL,
  PRIMARY KEY (issue_id, label_name),
  CONSTRAINT issue_labels_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  CONSTRAINT issue_labels_label_fkey FOREIGN KEY (tenant_id, label_name) REFERENCES labels (tenant_id, name) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE comments (
  id bigint PRIMARY KEY,
  issue_id bigint NOT NULL,
  author_id bigint,
  reply_to_id bigint,
  body varchar(200) NOT NULL,
  CONSTRAINT comments_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  CONSTRAINT comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL,
  CONSTRAINT comments_reply_to_id_fkey FOREIGN KEY (reply_to_id) REFERENCES comments (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE attachments (
  id char(36) PRIMARY KEY,
  comment_id bigint NOT NULL,
  uploaded_by bigint,
  file_name varchar(100) NOT NULL,
  CONSTRAINT attachments_comment_id_fkey FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE,
  CONSTRAINT attachments_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE TABLE reactions (
  comment_id bigint NOT NULL,
  user_id bigint NOT NULL,
  emoji varchar(20) NOT NULL,
  PRIMARY KEY (comment_id, user_id, emoji),
  CONSTRAINT reactions_comment_id_fkey FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE,
  CONSTRAINT reactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE watchers (
  issue_id bigint NOT NULL,
  user_id bigint NOT NULL,
  PRIMARY KEY (issue_id, user_id),
  CONSTRAINT watchers_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  CONSTRAINT watchers_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE issue_links (
  id bigint PRIMARY KEY,
  from_issue_id bigint NOT NULL,
  to_issue_id bigint NOT NULL,
  CONSTRAINT issue_links_from_issue_id_fkey FOREIGN KEY (from_issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  CONSTRAINT issue_links_to_issue_id_fkey FOREIGN KEY (to_issue_id) REFERENCES issues (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE time_entries (
  id bigint PRIMARY KEY,
  issue_id bigint NOT NULL,
  user_id bigint NOT NULL,
  minutes integer NOT NULL,
  CONSTRAINT time_entries_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  -- PostgreSQL: DEFERRABLE INITIALLY DEFERRED (restrict); InnoDB checks at once (protect).
  CONSTRAINT time_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE NO ACTION
) ENGINE = InnoDB;

CREATE TABLE sprints (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL,
  name varchar(40) NOT NULL,
  CONSTRAINT sprints_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE sprint_issues (
  sprint_id bigint NOT NULL,
  issue_id bigint NOT NULL,
  PRIMARY KEY (sprint_id, issue_id),
  CONSTRAINT sprint_issues_sprint_id_fkey FOREIGN KEY (sprint_id) REFERENCES sprints (id) ON DELETE CASCADE,
  CONSTRAINT sprint_issues_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE boards (
  id bigint PRIMARY KEY,
  project_id bigint NOT NULL,
  default_sprint_id bigint DEFAULT NULL,
  CONSTRAINT boards_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
  CONSTRAINT boards_default_sprint_id_fkey FOREIGN KEY (default_sprint_id) REFERENCES sprints (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE TABLE folders (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  parent_id bigint,
  name varchar(40) NOT NULL,
  CONSTRAINT folders_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT folders_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES folders (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE documents (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  folder_id bigint,
  project_id bigint,
  title varchar(100) NOT NULL,
  CONSTRAINT documents_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT documents_folder_id_fkey FOREIGN KEY (folder_id) REFERENCES folders (id) ON DELETE SET NULL,
  CONSTRAINT documents_project_fkey FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE TABLE document_versions (
  document_id bigint NOT NULL,
  version integer NOT NULL,
  author_id bigint,
  PRIMARY KEY (document_id, version),
  CONSTRAINT document_versions_document_id_fkey FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
  CONSTRAINT document_versions_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE TABLE billing_invoices (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  total decimal(12, 2) NOT NULL,
  -- Invoices are kept: a tenant that was ever invoiced cannot be deleted.
  CONSTRAINT invoices_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT
) ENGINE = InnoDB;

CREATE TABLE billing_invoice_lines (
  invoice_id bigint NOT NULL,
  line_no integer NOT NULL,
  amount decimal(12, 2) NOT NULL,
  PRIMARY KEY (invoice_id, line_no),
  CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing_invoices (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE billing_payments (
  id bigint PRIMARY KEY,
  invoice_id bigint NOT NULL,
  amount decimal(12, 2) NOT NULL,
  CONSTRAINT payments_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES billing_invoices (id) ON DELETE NO ACTION
) ENGINE = InnoDB;

CREATE TABLE user_sessions (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL,
  started_at datetime NOT NULL,
  CONSTRAINT user_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE session_events (
  id bigint PRIMARY KEY,
  session_id bigint NOT NULL,
  user_id bigint NOT NULL,
  kind varchar(20) NOT NULL,
  CONSTRAINT session_events_session_id_fkey FOREIGN KEY (session_id) REFERENCES user_sessions (id) ON DELETE CASCADE,
  -- Two cascade paths from a user to the same row.
  CONSTRAINT session_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE approvals (
  id bigint PRIMARY KEY,
  requester_id bigint NOT NULL,
  approver_id bigint NOT NULL,
  CONSTRAINT approvals_requester_id_fkey FOREIGN KEY (requester_id) REFERENCES users (id) ON DELETE CASCADE,
  -- A self-approval: whether InnoDB meets the RESTRICT before the cascade removes the row depends on its order;
  -- blastguard's answer (protect: blocked) is the conservative one (docs/databases.md).
  CONSTRAINT approvals_approver_id_fkey FOREIGN KEY (approver_id) REFERENCES users (id) ON DELETE RESTRICT
) ENGINE = InnoDB;

CREATE TABLE api_keys (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL,
  `key` varchar(100) NOT NULL UNIQUE,
  CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE webhooks (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  created_by bigint,
  url varchar(200) NOT NULL,
  CONSTRAINT webhooks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT webhooks_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE TABLE webhook_deliveries (
  webhook_id bigint NOT NULL,
  seq integer NOT NULL,
  status integer NOT NULL,
  PRIMARY KEY (webhook_id, seq),
  CONSTRAINT webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- No primary key: blastguard warns and does not read it.
CREATE TABLE audit_events (
  tenant_id bigint NOT NULL,
  actor_id bigint,
  action varchar(20) NOT NULL,
  CONSTRAINT audit_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- target_type/target_id point at an issue or a comment; the application deletes the notification with its target.
CREATE TABLE notifications (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL,
  target_type varchar(20) NOT NULL,
  target_id bigint NOT NULL,
  CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE saved_filters (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL,
  name varchar(40) NOT NULL,
  CONSTRAINT saved_filters_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- default_project_id: a plain column with no constraint.
CREATE TABLE integrations (
  id bigint PRIMARY KEY,
  tenant_id bigint NOT NULL,
  kind varchar(20) NOT NULL,
  default_project_id bigint,
  CONSTRAINT integrations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE custom_fields (
  tenant_id bigint NOT NULL,
  `key` varchar(40) NOT NULL,
  PRIMARY KEY (tenant_id, `key`),
  CONSTRAINT custom_fields_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE TABLE issue_field_values (
  issue_id bigint NOT NULL,
  tenant_id bigint NOT NULL,
  field_key varchar(40) NOT NULL,
  value varchar(40),
  PRIMARY KEY (issue_id, field_key),
  CONSTRAINT issue_field_values_issue_id_fkey FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE,
  CONSTRAINT issue_field_values_field_fkey FOREIGN KEY (tenant_id, field_key) REFERENCES custom_fields (tenant_id, `key`) ON DELETE CASCADE
) ENGINE = InnoDB;

-- A document's outline, one node under the other: InnoDB carries out at most 14 levels of nested cascades, so
-- deleting the document (or the tenant) or the top nodes of the 16-deep outline of document 501 is refused by the
-- database (error 193), and blastguard's plan says so (a cascade-depth violation, docs/databases.md).
CREATE TABLE outline_nodes (
  id bigint PRIMARY KEY,
  document_id bigint,
  parent_id bigint,
  CONSTRAINT outline_nodes_document_id_fkey FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE,
  CONSTRAINT outline_nodes_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES outline_nodes (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- ---------------------------------------------------------------------------------------------------------------
-- Data: the same as samples/postgres/saas.sql. `n` (1..8) stands in for generate_series and is dropped at the end.

CREATE TABLE n (i integer PRIMARY KEY) ENGINE = InnoDB;
INSERT INTO n VALUES (1), (2), (3), (4), (5), (6), (7), (8);

START TRANSACTION;
INSERT INTO plans VALUES (1, 'free', 'Free'), (2, 'pro', 'Pro'), (3, 'enterprise', 'Enterprise'), (4, 'legacy', 'Legacy (retired)');

INSERT INTO tenants (id, slug, name, plan_code, legal_hold)
SELECT t.i, CONCAT('tenant-', t.i), CONCAT('Tenant ', t.i, ' Inc.'), ELT(1 + t.i % 3, 'free', 'pro', 'enterprise'), t.i = 6 FROM n t WHERE t.i <= 6;

INSERT INTO tenant_settings SELECT t.i, ELT(1 + t.i % 2, 'light', 'dark') FROM n t WHERE t.i <= 5;

INSERT INTO users (id, tenant_id, email, manager_id)
SELECT 9007199254740992 + 100 * t.i + u.i, t.i, CONCAT('user', u.i, '@tenant-', t.i, '.example'),
       CASE WHEN u.i > 1 THEN 9007199254740992 + 100 * t.i + u.i DIV 2 END
FROM n t, n u WHERE t.i <= 6 ORDER BY t.i, u.i;

UPDATE tenants SET owner_id = 9007199254740992 + 100 * id + 1;

INSERT INTO roles SELECT t.i, r.i, ELT(r.i, 'admin', 'member', 'viewer') FROM n t, n r WHERE t.i <= 6 AND r.i <= 3;
INSERT INTO user_roles SELECT t.i, 9007199254740992 + 100 * t.i + u.i, 1 + u.i % 3 FROM n t, n u WHERE t.i <= 6;

INSERT INTO teams SELECT 10 * t.i + k.i, t.i, CONCAT('team ', k.i), CASE WHEN k.i > 1 THEN 10 * t.i + 1 END, 9007199254740992 + 100 * t.i + k.i
FROM n t, n k WHERE t.i <= 6 AND k.i <= 3 ORDER BY t.i, k.i;
INSERT INTO team_members SELECT 10 * t.i + 1 + u.i % 3, 9007199254740992 + 100 * t.i + u.i FROM n t, n u WHERE t.i <= 6;

INSERT INTO projects SELECT 100 * t.i + p.i, t.i, CONCAT('Project ', t.i, '-', p.i), CASE WHEN p.i < 3 THEN 10 * t.i + p.i END, 9007199254740992 + 100 * t.i + p.i
FROM n t, n p WHERE t.i <= 6 AND p.i <= 3;
INSERT INTO project_members SELECT 100 * t.i + p.i, 9007199254740992 + 100 * t.i + u.i
FROM n t, n p, n u WHERE t.i <= 6 AND p.i <= 3 AND (u.i + p.i) % 2 = 0;
INSERT INTO milestones SELECT 10 * (100 * t.i + p.i) + m.i, 100 * t.i + p.i, DATE_ADD('2026-01-01', INTERVAL 30 * m.i DAY)
FROM n t, n p, n m WHERE t.i <= 6 AND p.i <= 3 AND m.i <= 2;

INSERT INTO labels SELECT t.i, ELT(k.i, 'bug', 'needs|review', '100%', 'ui'), CONCAT('c', t.i) FROM n t, n k WHERE t.i <= 6 AND k.i <= 4;

INSERT INTO issues
SELECT 100 * (100 * t.i + p.i) + i.i, t.i, 100 * t.i + p.i, CONCAT('Issue ', 100 * (100 * t.i + p.i) + i.i),
       CASE WHEN i.i % 3 <> 0 THEN 10 * (100 * t.i + p.i) + 1 + i.i % 2 END,
       CASE WHEN i.i % 4 <> 0 THEN 9007199254740992 + 100 * t.i + i.i END,
       9007199254740992 + 100 * t.i + 1 + i.i % 4,
       CASE WHEN i.i IN (2, 3) THEN 100 * (100 * t.i + p.i) + 1 END,
       CASE WHEN i.i = 8 THEN 100 * (100 * t.i + p.i) + 7 END
FROM n t, n p, n i WHERE t.i <= 6 AND p.i <= 3 ORDER BY 1;

INSERT INTO issue_labels SELECT id, tenant_id, ELT(1 + id % 4, 'bug', 'needs|review', '100%', 'ui') FROM issues;
INSERT INTO issue_labels SELECT id, tenant_id, 'ui' FROM issues WHERE id % 4 = 1;

INSERT INTO comments SELECT 10 * i.id + c.i, i.id, 9007199254740992 + 100 * i.tenant_id + 1 + (c.i + i.id) % 8, CASE WHEN c.i = 2 THEN 10 * i.id + 1 END, CONCAT('comment ', c.i)
FROM issues i, n c WHERE c.i <= 2 ORDER BY 1;
INSERT INTO attachments
SELECT CONCAT_WS('-', SUBSTR(h, 1, 8), SUBSTR(h, 9, 4), SUBSTR(h, 13, 4), SUBSTR(h, 17, 4), SUBSTR(h, 21, 12)), id, author_id, CONCAT('file-', id, '.png')
FROM (SELECT MD5(CONCAT('attachment-', id)) AS h, id, author_id FROM comments WHERE id % 10 = 1 AND id % 3 = 0) x;
INSERT INTO reactions SELECT c.id, 9007199254740992 + 100 * i.tenant_id + 1 + k.i, ELT(1 + k.i % 2, '+1', 'heart')
FROM comments c JOIN issues i ON i.id = c.issue_id, n k WHERE k.i IN (2, 3) AND c.id % 10 = 1;
INSERT INTO watchers SELECT id, 9007199254740992 + 100 * tenant_id + 1 + id % 8 FROM issues;
INSERT INTO issue_links SELECT 10 * id + 1, id, id + 1 FROM issues WHERE id % 100 < 8 AND id % 2 = 1;
INSERT INTO time_entries SELECT 10 * id + 1, id, 9007199254740992 + 100 * tenant_id + 5 + id % 3, 30 FROM issues WHERE id % 3 = 0;

INSERT INTO sprints SELECT 10 * p.id + s.i, p.id, CONCAT('sprint ', s.i) FROM projects p, n s WHERE s.i <= 2;
INSERT INTO sprint_issues SELECT 10 * project_id + 1, id FROM issues WHERE id % 100 <= 4;
INSERT INTO boards SELECT id, id, CASE WHEN id % 100 <> 3 THEN 10 * id + 1 END FROM projects;

INSERT INTO folders SELECT 10 * t.i + f.i, t.i, CASE WHEN f.i > 1 THEN 10 * t.i + 1 END, CONCAT('folder ', f.i) FROM n t, n f WHERE t.i <= 6 AND f.i <= 3 ORDER BY 1;
INSERT INTO documents SELECT 100 * t.i + d.i, t.i, CASE WHEN d.i < 4 THEN 10 * t.i + 1 + d.i % 3 END, CASE WHEN d.i <= 3 THEN 100 * t.i + d.i END, CONCAT('doc ', d.i)
FROM n t, n d WHERE t.i <= 6 AND d.i <= 4;
INSERT INTO document_versions SELECT d.id, v.i, 9007199254740992 + 100 * d.tenant_id + 2 + v.i FROM documents d, n v WHERE v.i <= 2;

INSERT INTO billing_invoices SELECT 10 * t.i + k.i, t.i, 100 * k.i + t.i FROM n t, n k WHERE t.i <= 3 AND k.i <= 2;
INSERT INTO billing_invoice_lines SELECT b.id, l.i, b.total / 2 FROM billing_invoices b, n l WHERE l.i <= 2;
INSERT INTO billing_payments SELECT id, id, total FROM billing_invoices WHERE id % 10 = 1;

INSERT INTO user_sessions SELECT id - 9007199254740000, id, DATE_ADD('2026-03-01 09:00:00', INTERVAL id % 100 HOUR) FROM users;
INSERT INTO session_events SELECT 10 * (u.id - 9007199254740000) + k.i, u.id - 9007199254740000, u.id, ELT(k.i, 'login', 'view') FROM users u, n k WHERE k.i <= 2;
INSERT INTO approvals SELECT id - 9007199254740000, id, CASE WHEN id % 100 >= 5 THEN id ELSE id - 1 END FROM users WHERE id % 100 >= 4;
INSERT INTO api_keys SELECT id - 9007199254740000, id, CONCAT('key-', id) FROM users WHERE id % 2 = 0;
INSERT INTO webhooks SELECT t.i, t.i, 9007199254740992 + 100 * t.i + 2, CONCAT('https://hooks.example/', t.i) FROM n t WHERE t.i <= 6;
INSERT INTO webhook_deliveries SELECT w.i, s.i, 200 FROM n w, n s WHERE w.i <= 6 AND s.i <= 3;
INSERT INTO audit_events SELECT t.i, 9007199254740992 + 100 * t.i + 1, 'login' FROM n t, n k WHERE t.i <= 6 AND k.i <= 3;

INSERT INTO notifications SELECT 10 * id + 1, 9007199254740992 + 100 * tenant_id + 1 + id % 8, 'Issue', id FROM issues WHERE id % 5 = 0;
INSERT INTO notifications SELECT 10 * id + 2, author_id, 'Comment', id FROM comments WHERE id % 7 = 0 AND author_id IS NOT NULL;
INSERT INTO saved_filters SELECT u.id - 9007199254740000, u.id, 'pinned' FROM users u WHERE u.id % 3 = 0;
-- Tenant 3's integration still names a project deleted long ago (no constraint kept it consistent).
INSERT INTO integrations SELECT t.i, t.i, 'github', CASE WHEN t.i = 3 THEN 399 WHEN t.i <> 2 THEN 100 * t.i + 1 END FROM n t WHERE t.i <= 6;

INSERT INTO custom_fields SELECT t.i, ELT(k.i, 'severity', 'customer') FROM n t, n k WHERE t.i <= 6 AND k.i <= 2;
INSERT INTO issue_field_values SELECT id, tenant_id, 'severity', CONCAT('S', id % 3) FROM issues WHERE id % 2 = 0;
INSERT INTO outline_nodes SELECT 5000 + 2 * (k.i - 1) + j.i, CASE WHEN k.i = 1 AND j.i = 1 THEN 501 END,
       CASE WHEN k.i > 1 OR j.i > 1 THEN 5000 + 2 * (k.i - 1) + j.i - 1 END
FROM n k, n j WHERE j.i <= 2 ORDER BY 1;
COMMIT;
DROP TABLE n;
ANALYZE TABLE tenants, users, projects, issues, comments;
