-- The users list's search (GET /api/users?q=) through an index instead of a
-- walk of the organization: a trigram full-text index of `users.search_text`
-- (lower-case name and e-mail), whose phrase query finds exactly the texts
-- that contain a needle of 3 characters or more. Case-sensitive, because
-- both sides are lower-case already: what it finds is what `instr` finds.
-- Its rowid is the user's row's; the triggers keep it in step with every
-- write of `search_text`, whoever writes it. Each trigger is one line, so
-- that both `wrangler d1 migrations apply` and the tests' statement splitter
-- read it whole.

CREATE VIRTUAL TABLE users_search USING fts5 (search_text, tokenize = 'trigram case_sensitive 1');

CREATE TRIGGER users_search_on_insert AFTER INSERT ON users BEGIN INSERT INTO users_search (rowid, search_text) VALUES (new.rowid, new.search_text); END;
CREATE TRIGGER users_search_on_update AFTER UPDATE OF search_text ON users BEGIN UPDATE users_search SET search_text = new.search_text WHERE rowid = new.rowid; END;
CREATE TRIGGER users_search_on_delete AFTER DELETE ON users BEGIN DELETE FROM users_search WHERE rowid = old.rowid; END;

-- The users there already.
INSERT INTO users_search (rowid, search_text) SELECT rowid, search_text FROM users;
