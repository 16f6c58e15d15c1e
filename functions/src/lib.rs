//! Steward's Worker: the JSON API under `/api`, backed by D1.

mod crypto;
mod db;
mod error;
mod http;
mod router;
mod session;
mod users;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    match router::handle(req, &env).await {
        Ok(response) => Ok(response),
        Err(error) => error.into_response(),
    }
}
