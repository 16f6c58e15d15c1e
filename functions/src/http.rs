//! Request plumbing shared by the handlers: bodies with a size limit, the
//! `Origin` check on mutating requests, JSON answers, the clock.

use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use steward_domain::api::MAX_JSON_BODY_BYTES;
use steward_domain::lang::Lang;
use worker::{Method, Request, Response};

use crate::error::{ApiError, ApiResult, Detail};

/// Reads and parses a JSON body, refusing an oversized one as soon as it is
/// known to be: before reading when the length is declared, else at the
/// first byte past the limit.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    json_body_up_to(req, MAX_JSON_BODY_BYTES).await
}

/// `json_body` with its own limit, for the few bodies that are larger.
pub async fn json_body_up_to<T: DeserializeOwned>(req: &mut Request, limit: usize) -> ApiResult<T> {
    let declared = req.headers().get("content-length")?.and_then(|len| len.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(ApiError::BodyTooLarge(limit));
    }
    let bytes = body_up_to(req, limit).await?;
    // Syntax first, then shape: JSON that parses but has the wrong fields or
    // types is the caller's mistake of content, not of syntax.
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|error| ApiError::MalformedJson(error.to_string()))?;
    serde_json::from_value(value).map_err(|error| ApiError::InvalidBody(Detail::Parser(error.to_string())))
}

/// The body's bytes, read as a stream so that a body without a declared
/// length is never held past `limit` and one chunk: reading stops, and the
/// rest is cancelled (when the stream is dropped), once the limit is passed.
async fn body_up_to(req: &mut Request, limit: usize) -> ApiResult<Vec<u8>> {
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let mut chunks = req.stream()?;
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::BodyTooLarge(limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Refuses a state-changing request whose `Origin` is not this site's own:
/// with `SameSite=Strict` cookies this closes cross-site request forgery.
pub fn check_origin(req: &Request) -> ApiResult<()> {
    if matches!(req.method(), Method::Get | Method::Head | Method::Options) {
        return Ok(());
    }
    let url = req.url()?;
    let own = url.origin().ascii_serialization();
    match req.headers().get("origin")? {
        Some(origin) if origin == own => Ok(()),
        _ => Err(ApiError::BadOrigin),
    }
}

pub fn json<T: Serialize>(value: &T) -> ApiResult<Response> {
    Ok(Response::from_json(value)?)
}

pub fn no_content() -> ApiResult<Response> {
    Ok(Response::empty()?.with_status(204))
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The language to answer in: the best of ours by `Accept-Language`
/// (`Lang::from_accept_language`); English otherwise.
pub fn lang(req: &Request) -> Lang {
    req.headers().get("accept-language").ok().flatten().and_then(|header| Lang::from_accept_language(&header)).unwrap_or_default()
}

pub fn created<T: Serialize>(value: &T) -> ApiResult<Response> {
    Ok(Response::from_json(value)?.with_status(201))
}

/// This site's own origin, e.g. `https://steward.example`, for links in e-mails.
pub fn own_origin(req: &Request) -> ApiResult<String> {
    Ok(req.url()?.origin().ascii_serialization())
}

/// Refuses a query string with unknown keys or values of the wrong type.
pub fn query<T: DeserializeOwned>(req: &Request) -> ApiResult<T> {
    req.query().map_err(|error| ApiError::InvalidQuery(Detail::Parser(error.to_string())))
}

/// The static assets' `_headers` file: its headers go on the API's answers
/// too, so that pages and API cannot drift apart.
const ASSET_HEADERS: &str = include_str!("../../app/_headers");

/// Every `Name: value` line of `_headers` (it has the one rule `/*`).
fn security_headers() -> impl Iterator<Item = (&'static str, &'static str)> {
    ASSET_HEADERS
        .lines()
        .filter(|line| line.starts_with(char::is_whitespace))
        .filter_map(|line| line.trim().split_once(": "))
}

/// Puts the security headers on an answer, error answers included.
pub fn with_security_headers(mut response: Response) -> worker::Result<Response> {
    let headers = response.headers_mut();
    for (name, value) in security_headers() {
        headers.set(name, value)?;
    }
    // Answers differ by the caller's language and carry personal data.
    headers.set("Vary", "Accept-Language, Cookie")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(response)
}
