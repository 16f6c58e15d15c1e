-- Failed sign-ins counted per typed e-mail address and per client address
-- (product.md §9). Keys: 'email:<lower-cased address>', 'address:<ip>'.
CREATE TABLE sign_in_attempts (
  key          TEXT PRIMARY KEY,
  failures     INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL
);
