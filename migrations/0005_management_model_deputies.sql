-- The management model (product.md §1): in `owned`, a user is managed by
-- the administrators linked to them (their creator, and whom the creator
-- represents as deputy) and by those administrators' deputies.
ALTER TABLE organizations ADD COLUMN management_model TEXT NOT NULL DEFAULT 'shared' CHECK (management_model IN ('shared', 'owned'));

CREATE TABLE user_managers (
  user_id  TEXT NOT NULL REFERENCES users (id),
  admin_id TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (user_id, admin_id)
);
CREATE INDEX user_managers_by_admin ON user_managers (admin_id);

CREATE TABLE deputies (
  organization_id  TEXT NOT NULL REFERENCES organizations (id),
  administrator_id TEXT NOT NULL REFERENCES users (id),
  deputy_id        TEXT NOT NULL REFERENCES users (id),
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (administrator_id, deputy_id)
);
CREATE INDEX deputies_by_deputy ON deputies (deputy_id);
