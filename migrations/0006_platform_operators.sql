-- Platform operators (product.md §1): people of the platform, not of the
-- organizations they serve. Their own account belongs to an organization
-- like anyone's; this table grants the platform role.
CREATE TABLE platform_operators (
  user_id TEXT PRIMARY KEY REFERENCES users (id)
);
