-- Applications, custom groups and requests (product.md §1, §6): an
-- application is a named set of roles the organization holds; users hold it
-- by a direct grant or through a custom group; users ask for more.
CREATE TABLE applications (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  UNIQUE (organization_id, name)
);

CREATE TABLE application_roles (
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  role           TEXT NOT NULL,
  PRIMARY KEY (application_id, role)
);

CREATE TABLE user_applications (
  user_id        TEXT NOT NULL REFERENCES users (id),
  application_id TEXT NOT NULL REFERENCES applications (id),
  granted_by     TEXT REFERENCES users (id),
  granted_at     INTEGER NOT NULL,
  PRIMARY KEY (user_id, application_id)
);
CREATE INDEX user_applications_by_application ON user_applications (application_id);

CREATE TABLE user_groups (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name            TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  UNIQUE (organization_id, name)
);

CREATE TABLE group_applications (
  group_id       TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications (id),
  PRIMARY KEY (group_id, application_id)
);
CREATE INDEX group_applications_by_application ON group_applications (application_id);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
  user_id  TEXT NOT NULL REFERENCES users (id),
  added_by TEXT REFERENCES users (id),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE role_requests (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  user_id         TEXT NOT NULL REFERENCES users (id),
  application_id  TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  reason          TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'refused')),
  created_at      INTEGER NOT NULL,
  decided_by      TEXT REFERENCES users (id),
  decided_at      INTEGER
);
CREATE INDEX role_requests_pending ON role_requests (organization_id, created_at) WHERE status = 'pending';
CREATE INDEX role_requests_by_user ON role_requests (user_id, created_at);
-- One open request per person and application.
CREATE UNIQUE INDEX role_requests_one_pending ON role_requests (user_id, application_id) WHERE status = 'pending';

-- Register administrators (product.md §1, §6) decide on applications for
-- protected data; like platform operators, a platform role.
CREATE TABLE register_administrators (
  user_id TEXT PRIMARY KEY REFERENCES users (id)
);

-- Applying to join an organization (product.md §1, §8), where it allows it.
ALTER TABLE organizations ADD COLUMN join_allowed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE join_requests (
  id               TEXT PRIMARY KEY,
  organization_id  TEXT NOT NULL REFERENCES organizations (id),
  first_name       TEXT NOT NULL,
  last_name        TEXT NOT NULL,
  email            TEXT NOT NULL,
  email_normalized TEXT NOT NULL,
  birth_date       TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
  created_at       INTEGER NOT NULL,
  decided_by       TEXT REFERENCES users (id),
  decided_at       INTEGER,
  user_id          TEXT REFERENCES users (id)
);
CREATE INDEX join_requests_pending ON join_requests (organization_id, created_at) WHERE status = 'pending';
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (organization_id, email_normalized) WHERE status = 'pending';
