-- An import id belongs to the organization and administrator whose chunk
-- made its `imports` row. Every chunk's batch inserts a row here when that
-- row names anyone else, and the CHECK that fails then rolls the batch back,
-- so that two first chunks racing under one id cannot both be applied.
ALTER TABLE expectations ADD COLUMN import_owner INTEGER NOT NULL DEFAULT 1 CONSTRAINT import_of_another CHECK (import_owner = 1);
