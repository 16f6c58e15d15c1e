-- Bulk imports (product.md §5): one row per import in the organization's
-- audit, and one per applied chunk, whose key makes a chunk sent twice
-- apply once; its result is kept to answer the replay.

CREATE TABLE imports (
  id              TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  operation       TEXT NOT NULL CHECK (operation IN ('create', 'edit', 'delete')),
  actor_id        TEXT NOT NULL,
  actor_name      TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX imports_by_organization ON imports (organization_id, created_at DESC);

CREATE TABLE import_chunks (
  import_id  TEXT NOT NULL REFERENCES imports (id),
  seq        INTEGER NOT NULL,
  rows       INTEGER NOT NULL,
  result     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (import_id, seq)
);
