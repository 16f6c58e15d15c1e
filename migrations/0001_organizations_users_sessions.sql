-- The walking skeleton: organizations, their users, and sign-in sessions.

CREATE TABLE organizations (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  cvr        TEXT UNIQUE,
  kind       TEXT NOT NULL DEFAULT 'business' CHECK (kind IN ('business', 'private')),
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id               TEXT PRIMARY KEY,
  organization_id  TEXT NOT NULL REFERENCES organizations (id),
  first_name       TEXT NOT NULL,
  last_name        TEXT NOT NULL,
  email            TEXT NOT NULL,
  -- Lower-cased e-mail: addresses are unique and looked up without regard to case.
  email_normalized TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('organization_admin', 'user_admin', 'user')),
  status           TEXT NOT NULL CHECK (status IN ('created', 'pending', 'active', 'deactivated', 'lapsed', 'deleted')),
  password_hash    TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

CREATE UNIQUE INDEX users_email_per_organization
  ON users (organization_id, email_normalized) WHERE status <> 'deleted';
-- Sign-in looks people up by e-mail across organizations.
CREATE INDEX users_by_email ON users (email_normalized);
-- The users list pages through an organization by (last name, first name, id).
CREATE INDEX users_by_name ON users (organization_id, last_name, first_name, id);

CREATE TABLE sessions (
  -- SHA-256 of the cookie's token: the token itself is never stored.
  token_digest TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
