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
