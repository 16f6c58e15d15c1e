//! D1 with a per-invocation query budget. Production D1 runs at most 1,000
//! queries per Worker invocation (every `run`/`first`/`all` and every
//! statement of a batch counts) and fails the rest; Miniflare does not, so
//! the Worker counts them itself and fails loudly at the same limit, in
//! tests as in production, before D1 would fail part-way.

use std::cell::Cell;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// D1's limit of queries per Worker invocation (paid plan).
pub const MAX_QUERIES_PER_INVOCATION: u32 = 1000;
/// D1 binds at most this many parameters to one statement.
pub const MAX_BOUND_PARAMETERS: usize = 100;

/// The queries one invocation has run; shared by every `Db` made for it.
#[derive(Clone, Default)]
pub struct QueryBudget(Rc<Cell<u32>>);

impl QueryBudget {
    pub fn spent(&self) -> u32 {
        self.0.get()
    }

    fn spend(&self, queries: u32) -> worker::Result<()> {
        let total = self.0.get() + queries;
        if total > MAX_QUERIES_PER_INVOCATION {
            worker::console_error!(
                "D1 query budget exceeded: this invocation would run {total} queries; D1 allows {MAX_QUERIES_PER_INVOCATION}"
            );
            return Err(worker::Error::RustError(format!(
                "D1 query budget exceeded: {total} queries in one invocation (at most {MAX_QUERIES_PER_INVOCATION})"
            )));
        }
        self.0.set(total);
        Ok(())
    }
}

/// The database, counting what it runs against the invocation's budget.
pub struct Db {
    inner: D1Database,
    budget: QueryBudget,
}

impl Db {
    pub fn new(inner: D1Database, budget: QueryBudget) -> Db {
        Db { inner, budget }
    }

    pub fn prepare<T: Into<String>>(&self, query: T) -> Statement {
        Statement { inner: self.inner.prepare(query), budget: self.budget.clone() }
    }

    /// One statement per group of `keys` small enough for D1's bound
    /// parameters: `{keys}` in `sql` stands for the group's placeholders,
    /// which follow `leading`, the parameters ?1 … of `sql` itself. No keys,
    /// no statements.
    pub fn for_keys(&self, sql: &str, leading: &[JsValue], keys: &[String]) -> worker::Result<Vec<Statement>> {
        keys.chunks(MAX_BOUND_PARAMETERS - leading.len())
            .map(|group| {
                let placeholders: Vec<String> = (1..=group.len()).map(|i| format!("?{}", leading.len() + i)).collect();
                let mut binds = leading.to_vec();
                binds.extend(group.iter().map(|key| JsValue::from(key.as_str())));
                self.prepare(sql.replace("{keys}", &placeholders.join(", "))).bind(&binds)
            })
            .collect()
    }

    /// Every row `sql` selects for `keys` (see `for_keys`), a query per group.
    pub async fn all_for_keys<T: DeserializeOwned>(&self, sql: &str, leading: &[JsValue], keys: &[String]) -> worker::Result<Vec<T>> {
        let mut rows = Vec::new();
        for statement in self.for_keys(sql, leading, keys)? {
            rows.extend(statement.all().await?.results::<T>()?);
        }
        Ok(rows)
    }

    /// Statements that insert `rows` with as few multi-row INSERTs as D1's
    /// bound parameters allow; `head` is the statement up to `VALUES`, and
    /// every row has a value for each of its columns.
    pub fn insert_rows(&self, head: &str, rows: Vec<Vec<JsValue>>) -> worker::Result<Vec<Statement>> {
        let Some(width) = rows.first().map(Vec::len) else { return Ok(Vec::new()) };
        rows.chunks(MAX_BOUND_PARAMETERS / width)
            .map(|group| {
                let tuples: Vec<String> = (0..group.len())
                    .map(|row| format!("({})", (1..=width).map(|column| format!("?{}", row * width + column)).collect::<Vec<_>>().join(", ")))
                    .collect();
                self.prepare(format!("{head} {}", tuples.join(", "))).bind(&group.concat())
            })
            .collect()
    }

    /// Runs statements as one transaction; each one counts.
    pub async fn batch(&self, statements: Vec<Statement>) -> worker::Result<Vec<D1Result>> {
        self.budget.spend(statements.len() as u32)?;
        self.inner.batch(statements.into_iter().map(|statement| statement.inner).collect()).await
    }
}

/// A prepared statement; running it costs one query of the budget.
pub struct Statement {
    inner: D1PreparedStatement,
    budget: QueryBudget,
}

impl Statement {
    pub fn bind(self, values: &[JsValue]) -> worker::Result<Statement> {
        Ok(Statement { inner: self.inner.bind(values)?, budget: self.budget })
    }

    pub async fn first<T: DeserializeOwned>(&self, column: Option<&str>) -> worker::Result<Option<T>> {
        self.budget.spend(1)?;
        self.inner.first(column).await
    }

    pub async fn run(&self) -> worker::Result<D1Result> {
        self.budget.spend(1)?;
        self.inner.run().await
    }

    pub async fn all(&self) -> worker::Result<D1Result> {
        self.budget.spend(1)?;
        self.inner.all().await
    }
}
