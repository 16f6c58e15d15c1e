//! One invocation's view of the Worker's environment: the bindings, and the
//! D1 query budget that every database handle of the invocation shares.

use std::ops::Deref;

use crate::d1::{Db, QueryBudget};

pub struct Env {
    inner: worker::Env,
    budget: QueryBudget,
}

impl Env {
    /// A fresh budget: one per fetch or scheduled invocation.
    pub fn new(inner: worker::Env) -> Env {
        Env { inner, budget: QueryBudget::default() }
    }

    pub fn d1(&self, binding: &str) -> worker::Result<Db> {
        Ok(Db::new(self.inner.d1(binding)?, self.budget.clone()))
    }

    /// The D1 queries this invocation has run so far.
    pub fn queries_spent(&self) -> u32 {
        self.budget.spent()
    }
}

/// Secrets, variables and the other bindings are the platform's own.
impl Deref for Env {
    type Target = worker::Env;

    fn deref(&self) -> &worker::Env {
        &self.inner
    }
}
