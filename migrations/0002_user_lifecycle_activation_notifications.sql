-- Users' full record, activation secrets, history, the notification outbox
-- and in-app notifications (product.md §2, §3, §4, §8).

-- Organization settings that the lifecycle reads.
ALTER TABLE organizations ADD COLUMN activation_link_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE organizations ADD COLUMN registration_period_days INTEGER NOT NULL DEFAULT 120;
ALTER TABLE organizations ADD COLUMN default_language TEXT NOT NULL DEFAULT 'da' CHECK (default_language IN ('da', 'en', 'de'));
ALTER TABLE organizations ADD COLUMN identity_means TEXT NOT NULL DEFAULT 'password,passkey,totp';

CREATE TABLE production_units (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  p_number        TEXT NOT NULL,
  name            TEXT NOT NULL,
  PRIMARY KEY (organization_id, p_number)
);

CREATE TABLE se_numbers (
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  se_number       TEXT NOT NULL,
  PRIMARY KEY (organization_id, se_number)
);

-- The national ID number is never stored in the clear: `cpr_sealed` is
-- authenticated encryption bound to the row, `cpr_lookup` a keyed digest.
ALTER TABLE users ADD COLUMN cpr_sealed TEXT;
ALTER TABLE users ADD COLUMN cpr_lookup TEXT;
ALTER TABLE users ADD COLUMN cpr_masked TEXT;
ALTER TABLE users ADD COLUMN birth_date TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN p_number TEXT;
ALTER TABLE users ADD COLUMN se_number TEXT;
ALTER TABLE users ADD COLUMN identity_means TEXT NOT NULL DEFAULT 'password';
ALTER TABLE users ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN may_sign INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN may_seal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN free1 TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN free2 TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN free3 TEXT NOT NULL DEFAULT '';
-- Lower-cased "first last e-mail": what the users list searches.
ALTER TABLE users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN language TEXT;
-- How an administrator hears of events: in_app, email or both.
ALTER TABLE users ADD COLUMN notify_channel TEXT NOT NULL DEFAULT 'both' CHECK (notify_channel IN ('in_app', 'email', 'both'));
ALTER TABLE users ADD COLUMN created_by TEXT;
ALTER TABLE users ADD COLUMN registration_deadline INTEGER;
ALTER TABLE users ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN deactivate_from TEXT;
ALTER TABLE users ADD COLUMN deactivate_until TEXT;
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
ALTER TABLE users ADD COLUMN deleted_by TEXT;

UPDATE users SET search_text = lower(first_name || ' ' || last_name || ' ' || email);

CREATE UNIQUE INDEX users_cpr_per_organization
  ON users (organization_id, cpr_lookup) WHERE status <> 'deleted' AND cpr_lookup IS NOT NULL;
-- The scheduler's scans: each touches only what is due.
CREATE INDEX users_registration_due ON users (registration_deadline) WHERE status = 'pending';
CREATE INDEX users_deactivation_due ON users (deactivate_from) WHERE deactivate_from IS NOT NULL;
CREATE INDEX users_reactivation_due ON users (deactivate_until) WHERE deactivate_until IS NOT NULL;
-- Administrators to notify, per organization.
CREATE INDEX users_by_role ON users (organization_id, role) WHERE status = 'active';

-- One-time activation secrets, stored as SHA-256 digests only.
CREATE TABLE activation_secrets (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users (id),
  path        TEXT NOT NULL CHECK (path IN ('link', 'code')),
  digest      TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  locked_at   INTEGER,
  consumed_at INTEGER
);
CREATE INDEX activation_secrets_live ON activation_secrets (user_id) WHERE consumed_at IS NULL;

-- Every change to a user, by anyone. Names are copied so that history stays
-- readable after the actor or the user is deleted; never secrets or CPR.
CREATE TABLE history (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  user_id         TEXT NOT NULL,
  at              INTEGER NOT NULL,
  actor_id        TEXT,
  actor_name      TEXT NOT NULL,
  action          TEXT NOT NULL,
  label           TEXT NOT NULL,
  details         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_by_user ON history (user_id, at DESC);
CREATE INDEX history_by_organization ON history (organization_id, at DESC);

-- Notifications waiting to be delivered by e-mail. Written in the same batch
-- as the change that causes them; `dedup_key` makes a reminder for one
-- subject and day exist once; the payload is sealed and erased once sent.
CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,
  dedup_key       TEXT NOT NULL UNIQUE,
  organization_id TEXT NOT NULL,
  user_id         TEXT,
  recipient       TEXT NOT NULL,
  language        TEXT NOT NULL,
  kind            TEXT NOT NULL,
  payload         TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_by_user ON outbox (user_id) WHERE status = 'pending';

-- In-app notifications for administrators.
CREATE TABLE notifications (
  id           TEXT PRIMARY KEY,
  recipient_id TEXT NOT NULL REFERENCES users (id),
  dedup_key    TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL,
  subject      TEXT NOT NULL,
  body         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  read_at      INTEGER
);
CREATE INDEX notifications_by_recipient ON notifications (recipient_id, created_at DESC);
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL;
