//! A request's context, built once by the dispatcher: the database, the
//! vault, the clock, the caller's language and this site's origin. Handlers
//! read these; none reads the environment itself.

use steward_domain::lang::Lang;
use steward_domain::vault::Vault;
use worker::Request;

use crate::d1::Db;
use crate::env::Env;
use crate::error::ApiResult;
use crate::http;

pub struct Ctx<'e> {
    env: &'e Env,
    pub db: Db,
    /// Seconds since the Unix epoch, read once per request.
    pub now: i64,
    /// From `Accept-Language`; English otherwise.
    pub lang: Lang,
    /// This site's own origin, e.g. `https://steward.example`, for links in
    /// e-mails: the `PUBLIC_URL` variable, so that a request's `Host` header
    /// cannot put another site's address into them; the request's own
    /// origin only where none is set.
    pub origin: String,
}

impl<'e> Ctx<'e> {
    pub fn new(req: &Request, env: &'e Env) -> ApiResult<Ctx<'e>> {
        let public_url = env.var("PUBLIC_URL").map(|url| url.to_string().trim_end_matches('/').to_owned()).ok().filter(|url| !url.is_empty());
        let origin = match public_url {
            Some(url) => url,
            None => http::own_origin(req)?,
        };
        Ok(Ctx { env, db: env.d1("DB")?, now: http::now(), lang: http::lang(req), origin })
    }

    /// The keys that seal CPR numbers and queued e-mails; made when a
    /// handler needs them, so that requests without personal data do not.
    pub fn vault(&self) -> ApiResult<Vault> {
        crate::vault::vault(self.env)
    }
}
