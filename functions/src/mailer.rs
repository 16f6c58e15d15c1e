//! The e-mail adapter (product.md §8): Cloudflare's `send_email` binding
//! (captured locally by wrangler and Miniflare), or a generic HTTP e-mail
//! API when `EMAIL_API_URL` is set (its key in the `EMAIL_API_KEY` secret).

use steward_domain::notification::Rendered;
use worker::{Fetch, Headers, Method, Request, RequestInit, SendEmail, SendEmailBuilder};
use crate::env::Env;

pub enum Mailer {
    Binding { binding: SendEmail, from: String },
    HttpApi { url: String, key: String, from: String },
}

impl Mailer {
    pub fn from_env(env: &Env) -> Result<Mailer, String> {
        let var = |name: &str| env.var(name).ok().map(|value| value.to_string()).filter(|value| !value.is_empty());
        let from = var("EMAIL_FROM").unwrap_or_else(|| "no-reply@steward.example".to_owned());
        if let Some(url) = var("EMAIL_API_URL") {
            let key = env.secret("EMAIL_API_KEY").map(|secret| secret.to_string()).unwrap_or_default();
            return Ok(Mailer::HttpApi { url, key, from });
        }
        let binding = env.send_email("EMAIL").map_err(|error| format!("no e-mail binding: {error}"))?;
        Ok(Mailer::Binding { binding, from })
    }

    /// Sends one message; the error is short and holds no message content.
    pub async fn send(&self, to: &str, message: &Rendered) -> Result<(), String> {
        match self {
            Mailer::Binding { binding, from } => {
                let builder = SendEmailBuilder::new(from, to, &message.subject);
                builder.set_text(&message.text);
                binding.send_with_builder(&builder).await.map(|_| ()).map_err(|error| format!("send_email: {error:?}"))
            }
            Mailer::HttpApi { url, key, from } => {
                let body = serde_json::json!({ "from": from, "to": to, "subject": message.subject, "text": message.text });
                let headers = Headers::new();
                headers.set("content-type", "application/json").map_err(|e| e.to_string())?;
                headers.set("authorization", &format!("Bearer {key}")).map_err(|e| e.to_string())?;
                let mut init = RequestInit::new();
                init.with_method(Method::Post).with_headers(headers).with_body(Some(body.to_string().into()));
                let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
                let response = Fetch::Request(request).send().await.map_err(|e| format!("e-mail API: {e}"))?;
                match response.status_code() {
                    200..=299 => Ok(()),
                    status => Err(format!("e-mail API answered {status}")),
                }
            }
        }
    }
}
