-- Guards for D1 batches: a batch's first statement inserts a row here only
-- when the state it was decided on has changed meanwhile, and the CHECK
-- that fails then rolls the whole batch back (D1 has no SELECT ... RAISE
-- outside triggers). The table stays empty.
CREATE TABLE expectations (
    unchanged INTEGER NOT NULL DEFAULT 1 CONSTRAINT changed_meanwhile CHECK (unchanged = 1),
    admin_remains INTEGER NOT NULL DEFAULT 1 CONSTRAINT last_organization_admin CHECK (admin_remains = 1)
);
