-- tenant.sql: samples/tenant.json as a PostgreSQL database (written by make-tenant-sql.mjs; do not edit).
-- blastguard check samples/manifests/incident-replay.yaml --graph postgres://… --overlay samples/postgres/tenant.overlay.yaml

CREATE TABLE "organization" (
  id text PRIMARY KEY,
  name text
);
CREATE TABLE "site" (
  id text PRIMARY KEY,
  name text,
  protected boolean NOT NULL DEFAULT false,
  "region" text,
  "plan" text,
  "legalHold" text,
  "part_of" text
);
CREATE TABLE "product" (
  id text PRIMARY KEY,
  name text,
  "productKey" text,
  "hosted_on" text
);
CREATE TABLE "project" (
  id text PRIMARY KEY,
  name text,
  "key" text,
  "in_product" text
);
CREATE TABLE "issue" (
  id text PRIMARY KEY,
  name text,
  "key" text,
  "in_project" text
);
CREATE TABLE "space" (
  id text PRIMARY KEY,
  name text,
  "key" text,
  "in_product" text
);
CREATE TABLE "page" (
  id text PRIMARY KEY,
  name text,
  "in_space" text,
  "mentions" text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE "attachment" (
  id text PRIMARY KEY,
  name text,
  "attached_to_type" text,
  "attached_to_id" text
);
CREATE TABLE "connection" (
  id text PRIMARY KEY,
  name text,
  "connects" text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE "user" (
  id text PRIMARY KEY,
  name text,
  protected boolean NOT NULL DEFAULT false,
  "displayName" text,
  "role" text,
  "member_of" text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE "api-token" (
  id text PRIMARY KEY,
  name text,
  "issued_to" text
);
CREATE TABLE "app" (
  id text PRIMARY KEY,
  name text,
  "key" text,
  "vendor" text
);
CREATE TABLE "app-install" (
  id text PRIMARY KEY,
  name text,
  "app" text,
  "installed_on" text,
  "instance_of" text
);
CREATE TABLE "app-data" (
  id text PRIMARY KEY,
  name text,
  "app" text,
  "stored_by" text
);
CREATE TABLE "retention-policy" (
  id text PRIMARY KEY,
  name text,
  "regulation" text,
  "retainYears" integer,
  "governs" text
);

INSERT INTO "organization" ("id", "name") VALUES ('acme', 'Acme Corp');
INSERT INTO "organization" ("id", "name") VALUES ('globex', 'Globex Corporation');
INSERT INTO "organization" ("id", "name") VALUES ('initech', 'Initech');
INSERT INTO "site" ("id", "name", "region", "plan", "part_of") VALUES ('acme-prod', 'acme.atlassian.net', 'us-east', 'enterprise', 'acme');
INSERT INTO "site" ("id", "name", "region", "plan", "part_of") VALUES ('acme-eu', 'acme-eu.atlassian.net', 'eu-central', 'enterprise', 'acme');
INSERT INTO "site" ("id", "name", "region", "plan", "part_of") VALUES ('acme-sandbox', 'acme-sandbox.atlassian.net', 'us-east', 'sandbox', 'acme');
INSERT INTO "site" ("id", "name", "region", "plan", "part_of") VALUES ('globex', 'globex.atlassian.net', 'us-west', 'premium', 'globex');
INSERT INTO "site" ("id", "name", "region", "plan", "part_of") VALUES ('globex-support', 'globex-support.atlassian.net', 'us-west', 'standard', 'globex');
INSERT INTO "site" ("id", "name", "region", "plan", "part_of") VALUES ('initech', 'initech.atlassian.net', 'us-east', 'standard', 'initech');
INSERT INTO "site" ("id", "name", "protected", "region", "plan", "legalHold", "part_of") VALUES ('initech-archive', 'initech-archive.atlassian.net', true, 'us-east', 'standard', 'LH-2021-117: preserve all records until released by Legal', 'initech');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-prod/jira-software', 'Jira Software', 'jira-software', 'acme-prod');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-prod/confluence', 'Confluence', 'confluence', 'acme-prod');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-prod/jsm', 'Jira Service Management', 'jsm', 'acme-prod');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-prod/opsgenie', 'Opsgenie', 'opsgenie', 'acme-prod');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-prod/statuspage', 'Statuspage', 'statuspage', 'acme-prod');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('acme-prod/WEB', 'Web Storefront', 'WEB', 'acme-prod/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/WEB-101', 'WEB-101: Checkout button unresponsive on Safari', 'WEB-101', 'acme-prod/WEB');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/WEB-102', 'WEB-102: Migrate image CDN to new provider', 'WEB-102', 'acme-prod/WEB');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/WEB-103', 'WEB-103: Add Apple Pay to checkout', 'WEB-103', 'acme-prod/WEB');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('acme-prod/MOB', 'Mobile App', 'MOB', 'acme-prod/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/MOB-7', 'MOB-7: Crash on login with SSO', 'MOB-7', 'acme-prod/MOB');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/MOB-8', 'MOB-8: Dark mode for settings screen', 'MOB-8', 'acme-prod/MOB');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('acme-prod/IT', 'IT Help Desk', 'IT', 'acme-prod/jsm');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/IT-1042', 'IT-1042: Laptop replacement for new hire', 'IT-1042', 'acme-prod/IT');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-prod/IT-1043', 'IT-1043: VPN access for contractor', 'IT-1043', 'acme-prod/IT');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('acme-prod/ENG', 'Engineering', 'ENG', 'acme-prod/confluence');
INSERT INTO "page" ("id", "name", "in_space") VALUES ('acme-prod/ENG/architecture-overview', 'Architecture overview', 'acme-prod/ENG');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('acme-prod/ENG/incident-runbook', 'Incident runbook', 'acme-prod/ENG', ARRAY['acme-prod/MOB-7']);
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('acme-prod/ENG/release-notes-4-2', 'Release notes 4.2', 'acme-prod/ENG', ARRAY['acme-prod/WEB-101', 'acme-prod/WEB-103']);
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('acme-prod/HR', 'People Team', 'HR', 'acme-prod/confluence');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('acme-prod/HR/onboarding-checklist', 'Onboarding checklist', 'acme-prod/HR', ARRAY['acme-prod/IT-1042']);
INSERT INTO "page" ("id", "name", "in_space") VALUES ('acme-prod/HR/holiday-calendar-2022', 'Holiday calendar 2022', 'acme-prod/HR');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('acme-prod/WEB-101/safari-console.log', 'safari-console.log', 'issue', 'acme-prod/WEB-101');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('acme-prod/IT-1042/purchase-order.pdf', 'purchase-order.pdf', 'issue', 'acme-prod/IT-1042');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('acme-prod/ENG/architecture-overview/architecture.png', 'architecture.png', 'page', 'acme-prod/ENG/architecture-overview');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-eu/jira-software', 'Jira Software', 'jira-software', 'acme-eu');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-eu/confluence', 'Confluence', 'confluence', 'acme-eu');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('acme-eu/PAY', 'Payments EU', 'PAY', 'acme-eu/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-eu/PAY-12', 'PAY-12: SEPA direct debit support', 'PAY-12', 'acme-eu/PAY');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-eu/PAY-13', 'PAY-13: PSD2 strong customer authentication', 'PAY-13', 'acme-eu/PAY');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-eu/PAY-14', 'PAY-14: VAT rounding error on invoices', 'PAY-14', 'acme-eu/PAY');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('acme-eu/EU', 'EU Operations', 'EU', 'acme-eu/confluence');
INSERT INTO "page" ("id", "name", "in_space") VALUES ('acme-eu/EU/gdpr-register', 'GDPR processing register', 'acme-eu/EU');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('acme-eu/EU/sca-rollout-plan', 'SCA rollout plan', 'acme-eu/EU', ARRAY['acme-eu/PAY-13']);
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('acme-eu/PAY-13/sca-flow.pdf', 'sca-flow.pdf', 'issue', 'acme-eu/PAY-13');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('acme-eu/EU/gdpr-register/dpa-template.docx', 'dpa-template.docx', 'page', 'acme-eu/EU/gdpr-register');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-sandbox/jira-software', 'Jira Software', 'jira-software', 'acme-sandbox');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('acme-sandbox/confluence', 'Confluence', 'confluence', 'acme-sandbox');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('acme-sandbox/TEST', 'Sandbox Testing', 'TEST', 'acme-sandbox/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-sandbox/TEST-1', 'TEST-1: Try asset import from CSV', 'TEST-1', 'acme-sandbox/TEST');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('acme-sandbox/TEST-2', 'TEST-2: Validate workflow migration', 'TEST-2', 'acme-sandbox/TEST');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('acme-sandbox/SBX', 'Sandbox', 'SBX', 'acme-sandbox/confluence');
INSERT INTO "page" ("id", "name", "in_space") VALUES ('acme-sandbox/SBX/scratchpad', 'Scratchpad', 'acme-sandbox/SBX');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('globex/jira-software', 'Jira Software', 'jira-software', 'globex');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('globex/confluence', 'Confluence', 'confluence', 'globex');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('globex/jsm', 'Jira Service Management', 'jsm', 'globex');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('globex/HW', 'Hardware R&D', 'HW', 'globex/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex/HW-310', 'HW-310: Prototype thermal test failed', 'HW-310', 'globex/HW');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex/HW-311', 'HW-311: Order replacement sensors', 'HW-311', 'globex/HW');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex/HW-312', 'HW-312: Firmware 2.1 regression', 'HW-312', 'globex/HW');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('globex/FAC', 'Facilities', 'FAC', 'globex/jsm');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex/FAC-88', 'FAC-88: Badge reader broken in lobby', 'FAC-88', 'globex/FAC');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex/FAC-89', 'FAC-89: Desk move request', 'FAC-89', 'globex/FAC');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('globex/RND', 'R&D Wiki', 'RND', 'globex/confluence');
INSERT INTO "page" ("id", "name", "in_space") VALUES ('globex/RND/lab-safety', 'Lab safety procedures', 'globex/RND');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('globex/RND/firmware-roadmap', 'Firmware roadmap 2022', 'globex/RND', ARRAY['globex/HW-312']);
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('globex/RND/test-results-q1', 'Q1 test results', 'globex/RND', ARRAY['globex/HW-310']);
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('globex/OPS', 'Office Operations', 'OPS', 'globex/confluence');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('globex/OPS/visitor-policy', 'Visitor policy', 'globex/OPS', ARRAY['globex/FAC-88']);
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('globex/HW-310/thermal-log.csv', 'thermal-log.csv', 'issue', 'globex/HW-310');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('globex/RND/test-results-q1/test-matrix.xlsx', 'test-matrix.xlsx', 'page', 'globex/RND/test-results-q1');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('globex-support/jsm', 'Jira Service Management', 'jsm', 'globex-support');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('globex-support/statuspage', 'Statuspage', 'statuspage', 'globex-support');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('globex-support/opsgenie', 'Opsgenie', 'opsgenie', 'globex-support');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('globex-support/CS', 'Customer Support', 'CS', 'globex-support/jsm');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex-support/CS-2001', 'CS-2001: Cannot reset password', 'CS-2001', 'globex-support/CS');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex-support/CS-2002', 'CS-2002: Invoice shows wrong currency', 'CS-2002', 'globex-support/CS');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex-support/CS-2003', 'CS-2003: API rate limit too low', 'CS-2003', 'globex-support/CS');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('globex-support/ESC', 'Escalations', 'ESC', 'globex-support/jsm');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('globex-support/ESC-5', 'ESC-5: Outage postmortem follow-up', 'ESC-5', 'globex-support/ESC');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('globex-support/CS-2002/invoice-screenshot.png', 'invoice-screenshot.png', 'issue', 'globex-support/CS-2002');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('initech/jira-software', 'Jira Software', 'jira-software', 'initech');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('initech/confluence', 'Confluence', 'confluence', 'initech');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('initech/jsm', 'Jira Service Management', 'jsm', 'initech');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('initech/TPS', 'TPS Reports', 'TPS', 'initech/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/TPS-1', 'TPS-1: New cover sheet template', 'TPS-1', 'initech/TPS');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/TPS-2', 'TPS-2: Automate weekly TPS export', 'TPS-2', 'initech/TPS');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/TPS-3', 'TPS-3: Fix date format in TPS footer', 'TPS-3', 'initech/TPS');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('initech/BANK', 'Banking Integration', 'BANK', 'initech/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/BANK-40', 'BANK-40: Rounding in interest calculation', 'BANK-40', 'initech/BANK');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/BANK-41', 'BANK-41: Nightly batch job timeout', 'BANK-41', 'initech/BANK');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('initech/HELP', 'Help Desk', 'HELP', 'initech/jsm');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/HELP-501', 'HELP-501: Stapler request', 'HELP-501', 'initech/HELP');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech/HELP-502', 'HELP-502: Printer jams on tray 2', 'HELP-502', 'initech/HELP');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('initech/CORP', 'Corporate', 'CORP', 'initech/confluence');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('initech/CORP/memo-cover-sheets', 'Memo: TPS cover sheets', 'initech/CORP', ARRAY['initech/TPS-1']);
INSERT INTO "page" ("id", "name", "in_space") VALUES ('initech/CORP/org-chart', 'Org chart', 'initech/CORP');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('initech/ENG', 'Engineering', 'ENG', 'initech/confluence');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('initech/ENG/batch-architecture', 'Batch architecture', 'initech/ENG', ARRAY['initech/BANK-40', 'initech/BANK-41']);
INSERT INTO "page" ("id", "name", "in_space") VALUES ('initech/ENG/code-review-guidelines', 'Code review guidelines', 'initech/ENG');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('initech/BANK-40/interest-calc.xlsx', 'interest-calc.xlsx', 'issue', 'initech/BANK-40');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('initech/HELP-502/printer-error.jpg', 'printer-error.jpg', 'issue', 'initech/HELP-502');
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('initech/CORP/memo-cover-sheets/cover-sheet-v2.pdf', 'cover-sheet-v2.pdf', 'page', 'initech/CORP/memo-cover-sheets');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('initech-archive/jira-software', 'Jira Software', 'jira-software', 'initech-archive');
INSERT INTO "product" ("id", "name", "productKey", "hosted_on") VALUES ('initech-archive/confluence', 'Confluence', 'confluence', 'initech-archive');
INSERT INTO "project" ("id", "name", "key", "in_product") VALUES ('initech-archive/LEG', 'Litigation 2021', 'LEG', 'initech-archive/jira-software');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech-archive/LEG-1', 'LEG-1: Preserve email archive', 'LEG-1', 'initech-archive/LEG');
INSERT INTO "issue" ("id", "name", "key", "in_project") VALUES ('initech-archive/LEG-2', 'LEG-2: Collect 2019 payroll records', 'LEG-2', 'initech-archive/LEG');
INSERT INTO "space" ("id", "name", "key", "in_product") VALUES ('initech-archive/ARCH', 'Archive', 'ARCH', 'initech-archive/confluence');
INSERT INTO "page" ("id", "name", "in_space") VALUES ('initech-archive/ARCH/retention-schedule', 'Retention schedule', 'initech-archive/ARCH');
INSERT INTO "page" ("id", "name", "in_space", "mentions") VALUES ('initech-archive/ARCH/custodian-list', 'Custodian list', 'initech-archive/ARCH', ARRAY['initech-archive/LEG-1']);
INSERT INTO "attachment" ("id", "name", "attached_to_type", "attached_to_id") VALUES ('initech-archive/LEG-1/hold-notice.pdf', 'hold-notice.pdf', 'issue', 'initech-archive/LEG-1');
INSERT INTO "connection" ("id", "name", "connects") VALUES ('acme-prod/jira-confluence', 'Jira Software <-> Confluence (acme.atlassian.net)', ARRAY['acme-prod/jira-software', 'acme-prod/confluence']);
INSERT INTO "connection" ("id", "name", "connects") VALUES ('globex/jira-confluence', 'Jira Software <-> Confluence (globex.atlassian.net)', ARRAY['globex/jira-software', 'globex/confluence']);
INSERT INTO "connection" ("id", "name", "connects") VALUES ('initech/jira-confluence', 'Jira Software <-> Confluence (initech.atlassian.net)', ARRAY['initech/jira-software', 'initech/confluence']);
INSERT INTO "connection" ("id", "name", "connects") VALUES ('acme-prod/jira-software~acme-eu/confluence', 'Jira Software (acme.atlassian.net) <-> Confluence (acme-eu.atlassian.net)', ARRAY['acme-prod/jira-software', 'acme-eu/confluence']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('jane.doe@acme.com', 'jane.doe@acme.com', 'Jane Doe', ARRAY['acme-prod', 'acme-eu']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('raj.patel@acme.com', 'raj.patel@acme.com', 'Raj Patel', ARRAY['acme-prod']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('maria.garcia@acme.com', 'maria.garcia@acme.com', 'Maria Garcia', ARRAY['acme-prod']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('emma.johnson@acme.com', 'emma.johnson@acme.com', 'Emma Johnson', ARRAY['acme-prod']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('tom.nguyen@acme.com', 'tom.nguyen@acme.com', 'Tom Nguyen', ARRAY['acme-prod', 'acme-sandbox']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('lukas.muller@acme.com', 'lukas.muller@acme.com', 'Lukas Muller', ARRAY['acme-eu', 'acme-prod']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('li.wei@acme.com', 'li.wei@acme.com', 'Li Wei', ARRAY['acme-eu']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('sofia.rossi@acme.com', 'sofia.rossi@acme.com', 'Sofia Rossi', ARRAY['acme-eu']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('it-admin@acme.com', 'it-admin@acme.com', 'Acme IT Admin', ARRAY['acme-prod', 'acme-eu', 'acme-sandbox']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('qa-bot@acme.com', 'qa-bot@acme.com', 'QA Bot', ARRAY['acme-sandbox']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('hannah.scott@globex.com', 'hannah.scott@globex.com', 'Hannah Scott', ARRAY['globex', 'globex-support']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('frank.oduya@globex.com', 'frank.oduya@globex.com', 'Frank Oduya', ARRAY['globex']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('lisa.chen@globex.com', 'lisa.chen@globex.com', 'Lisa Chen', ARRAY['globex']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('devops@globex.com', 'devops@globex.com', 'Globex DevOps', ARRAY['globex']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('nina.kowalski@globex.com', 'nina.kowalski@globex.com', 'Nina Kowalski', ARRAY['globex', 'globex-support']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('support-lead@globex.com', 'support-lead@globex.com', 'Support Lead', ARRAY['globex-support']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('omar.haddad@globex.com', 'omar.haddad@globex.com', 'Omar Haddad', ARRAY['globex-support']);
INSERT INTO "user" ("id", "name", "protected", "displayName", "role", "member_of") VALUES ('billing-admin@initech.com', 'billing-admin@initech.com', true, 'Initech Billing Admin', 'org billing admin (owns the Initech subscription)', ARRAY['initech']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('peter.gibbs@initech.com', 'peter.gibbs@initech.com', 'Peter Gibbs', ARRAY['initech']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('michelle.boateng@initech.com', 'michelle.boateng@initech.com', 'Michelle Boateng', ARRAY['initech']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('samir.nair@initech.com', 'samir.nair@initech.com', 'Samir Nair', ARRAY['initech']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('milton.walsh@initech.com', 'milton.walsh@initech.com', 'Milton Walsh', ARRAY['initech', 'initech-archive']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('joanna.ortiz@initech.com', 'joanna.ortiz@initech.com', 'Joanna Ortiz', ARRAY['initech-archive']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('records@initech.com', 'records@initech.com', 'Initech Records Office', ARRAY['initech-archive']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('alex.kim@atlas-consulting.io', 'alex.kim@atlas-consulting.io', 'Alex Kim (Atlas Consulting)', ARRAY['acme-prod', 'globex', 'initech']);
INSERT INTO "user" ("id", "name", "displayName", "member_of") VALUES ('priya.sharma@atlas-consulting.io', 'priya.sharma@atlas-consulting.io', 'Priya Sharma (Atlas Consulting)', ARRAY['acme-eu', 'initech']);
INSERT INTO "api-token" ("id", "name", "issued_to") VALUES ('jane.doe@acme.com/jira-cli', 'Jira CLI', 'jane.doe@acme.com');
INSERT INTO "api-token" ("id", "name", "issued_to") VALUES ('it-admin@acme.com/scim-provisioning', 'SCIM user provisioning', 'it-admin@acme.com');
INSERT INTO "api-token" ("id", "name", "issued_to") VALUES ('devops@globex.com/ci-pipeline', 'CI pipeline', 'devops@globex.com');
INSERT INTO "api-token" ("id", "name", "issued_to") VALUES ('peter.gibbs@initech.com/reporting-script', 'Weekly TPS reporting script', 'peter.gibbs@initech.com');
INSERT INTO "api-token" ("id", "name", "issued_to") VALUES ('alex.kim@atlas-consulting.io/migration-tool', 'Atlas migration tool', 'alex.kim@atlas-consulting.io');
INSERT INTO "app" ("id", "name", "key", "vendor") VALUES ('legacy-asset-mgmt', 'Legacy Asset Management', 'legacy-asset-mgmt', 'Acme Asset Tools (retired)');
INSERT INTO "app" ("id", "name", "key", "vendor") VALUES ('tempo-timesheets', 'Tempo Timesheets', 'tempo-timesheets', 'Tempo Software');
INSERT INTO "app" ("id", "name", "key", "vendor") VALUES ('drawio', 'draw.io Diagrams', 'drawio', 'draw.io');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('acme-prod/jira-software/legacy-asset-mgmt', 'Legacy Asset Management (acme.atlassian.net / Jira Software)', 'legacy-asset-mgmt', 'acme-prod/jira-software', 'legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-prod/jira-software/legacy-asset-mgmt/asset-registry', 'asset-registry', 'legacy-asset-mgmt', 'acme-prod/jira-software/legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-prod/jira-software/legacy-asset-mgmt/sync-state', 'sync-state', 'legacy-asset-mgmt', 'acme-prod/jira-software/legacy-asset-mgmt');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('acme-prod/jsm/legacy-asset-mgmt', 'Legacy Asset Management (acme.atlassian.net / Jira Service Management)', 'legacy-asset-mgmt', 'acme-prod/jsm', 'legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-prod/jsm/legacy-asset-mgmt/asset-registry', 'asset-registry', 'legacy-asset-mgmt', 'acme-prod/jsm/legacy-asset-mgmt');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('acme-sandbox/jira-software/legacy-asset-mgmt', 'Legacy Asset Management (acme-sandbox.atlassian.net / Jira Software)', 'legacy-asset-mgmt', 'acme-sandbox/jira-software', 'legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-sandbox/jira-software/legacy-asset-mgmt/asset-registry', 'asset-registry', 'legacy-asset-mgmt', 'acme-sandbox/jira-software/legacy-asset-mgmt');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('globex/jsm/legacy-asset-mgmt', 'Legacy Asset Management (globex.atlassian.net / Jira Service Management)', 'legacy-asset-mgmt', 'globex/jsm', 'legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('globex/jsm/legacy-asset-mgmt/asset-registry', 'asset-registry', 'legacy-asset-mgmt', 'globex/jsm/legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('globex/jsm/legacy-asset-mgmt/audit-log', 'audit-log', 'legacy-asset-mgmt', 'globex/jsm/legacy-asset-mgmt');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('initech/jira-software/legacy-asset-mgmt', 'Legacy Asset Management (initech.atlassian.net / Jira Software)', 'legacy-asset-mgmt', 'initech/jira-software', 'legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('initech/jira-software/legacy-asset-mgmt/asset-registry', 'asset-registry', 'legacy-asset-mgmt', 'initech/jira-software/legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('initech/jira-software/legacy-asset-mgmt/sync-state', 'sync-state', 'legacy-asset-mgmt', 'initech/jira-software/legacy-asset-mgmt');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('initech/jira-software/legacy-asset-mgmt/license-cache', 'license-cache', 'legacy-asset-mgmt', 'initech/jira-software/legacy-asset-mgmt');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('acme-prod/jira-software/tempo-timesheets', 'Tempo Timesheets (acme.atlassian.net / Jira Software)', 'tempo-timesheets', 'acme-prod/jira-software', 'tempo-timesheets');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-prod/jira-software/tempo-timesheets/worklogs', 'worklogs', 'tempo-timesheets', 'acme-prod/jira-software/tempo-timesheets');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-prod/jira-software/tempo-timesheets/team-config', 'team-config', 'tempo-timesheets', 'acme-prod/jira-software/tempo-timesheets');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('acme-eu/jira-software/tempo-timesheets', 'Tempo Timesheets (acme-eu.atlassian.net / Jira Software)', 'tempo-timesheets', 'acme-eu/jira-software', 'tempo-timesheets');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-eu/jira-software/tempo-timesheets/worklogs', 'worklogs', 'tempo-timesheets', 'acme-eu/jira-software/tempo-timesheets');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('globex/jira-software/tempo-timesheets', 'Tempo Timesheets (globex.atlassian.net / Jira Software)', 'tempo-timesheets', 'globex/jira-software', 'tempo-timesheets');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('globex/jira-software/tempo-timesheets/worklogs', 'worklogs', 'tempo-timesheets', 'globex/jira-software/tempo-timesheets');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('globex/jira-software/tempo-timesheets/team-config', 'team-config', 'tempo-timesheets', 'globex/jira-software/tempo-timesheets');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('acme-prod/confluence/drawio', 'draw.io Diagrams (acme.atlassian.net / Confluence)', 'drawio', 'acme-prod/confluence', 'drawio');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('acme-prod/confluence/drawio/diagram-store', 'diagram-store', 'drawio', 'acme-prod/confluence/drawio');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('globex/confluence/drawio', 'draw.io Diagrams (globex.atlassian.net / Confluence)', 'drawio', 'globex/confluence', 'drawio');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('globex/confluence/drawio/diagram-store', 'diagram-store', 'drawio', 'globex/confluence/drawio');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('initech/confluence/drawio', 'draw.io Diagrams (initech.atlassian.net / Confluence)', 'drawio', 'initech/confluence', 'drawio');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('initech/confluence/drawio/diagram-store', 'diagram-store', 'drawio', 'initech/confluence/drawio');
INSERT INTO "app-install" ("id", "name", "app", "installed_on", "instance_of") VALUES ('initech-archive/confluence/drawio', 'draw.io Diagrams (initech-archive.atlassian.net / Confluence)', 'drawio', 'initech-archive/confluence', 'drawio');
INSERT INTO "app-data" ("id", "name", "app", "stored_by") VALUES ('initech-archive/confluence/drawio/diagram-store', 'diagram-store', 'drawio', 'initech-archive/confluence/drawio');
INSERT INTO "retention-policy" ("id", "name", "regulation", "retainYears", "governs") VALUES ('sox-7y', 'SOX 7-year retention', 'Sarbanes-Oxley', 7, 'globex');

ALTER TABLE "site" ADD CONSTRAINT "PART_OF" FOREIGN KEY ("part_of") REFERENCES "organization" ON DELETE CASCADE;
ALTER TABLE "product" ADD CONSTRAINT "HOSTED_ON" FOREIGN KEY ("hosted_on") REFERENCES "site" ON DELETE CASCADE;
ALTER TABLE "project" ADD CONSTRAINT "IN_PRODUCT" FOREIGN KEY ("in_product") REFERENCES "product" ON DELETE CASCADE;
ALTER TABLE "space" ADD CONSTRAINT "IN_PRODUCT" FOREIGN KEY ("in_product") REFERENCES "product" ON DELETE CASCADE;
ALTER TABLE "issue" ADD CONSTRAINT "IN_PROJECT" FOREIGN KEY ("in_project") REFERENCES "project" ON DELETE CASCADE;
ALTER TABLE "page" ADD CONSTRAINT "IN_SPACE" FOREIGN KEY ("in_space") REFERENCES "space" ON DELETE CASCADE;
ALTER TABLE "api-token" ADD CONSTRAINT "ISSUED_TO" FOREIGN KEY ("issued_to") REFERENCES "user" ON DELETE CASCADE;
ALTER TABLE "app-install" ADD CONSTRAINT "INSTALLED_ON" FOREIGN KEY ("installed_on") REFERENCES "product" ON DELETE CASCADE;
ALTER TABLE "app-install" ADD CONSTRAINT "INSTANCE_OF" FOREIGN KEY ("instance_of") REFERENCES "app" DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "app-data" ADD CONSTRAINT "STORED_BY" FOREIGN KEY ("stored_by") REFERENCES "app-install" ON DELETE CASCADE;
ALTER TABLE "retention-policy" ADD CONSTRAINT "GOVERNS" FOREIGN KEY ("governs") REFERENCES "site" ON DELETE RESTRICT;
