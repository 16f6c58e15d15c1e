//! Calls to the Worker's JSON API.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use steward_domain::api::{ErrorBody, Me, SignInRequest, UsersPage};

/// Why a call did not give what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No live session: the visitor must sign in.
    Unauthenticated,
    /// The API answered with an error it explains.
    Refused { code: String, message: String },
    /// The API could not be reached or answered nonsense.
    Network(String),
}

impl ApiFailure {
    pub fn message(&self) -> String {
        match self {
            ApiFailure::Unauthenticated => "Sign in first.".into(),
            ApiFailure::Refused { message, .. } => message.clone(),
            ApiFailure::Network(detail) => format!("Steward could not be reached ({detail}). Please try again."),
        }
    }
}

fn network(error: gloo_net::Error) -> ApiFailure {
    ApiFailure::Network(error.to_string())
}

async fn failure(response: Response) -> ApiFailure {
    match response.json::<ErrorBody>().await {
        Ok(body) if body.error.code == "unauthenticated" => ApiFailure::Unauthenticated,
        Ok(body) => ApiFailure::Refused { code: body.error.code, message: body.error.message },
        Err(_) => ApiFailure::Network(format!("unexpected answer {}", response.status())),
    }
}

async fn expect_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    if response.ok() {
        response.json().await.map_err(network)
    } else {
        Err(failure(response).await)
    }
}

pub async fn sign_in(email: String, password: String) -> Result<Me, ApiFailure> {
    let response = Request::post("/api/session")
        .json(&SignInRequest { email, password })
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    expect_json(response).await
}

pub async fn sign_out() -> Result<(), ApiFailure> {
    let response = Request::delete("/api/session").send().await.map_err(network)?;
    if response.ok() {
        Ok(())
    } else {
        Err(failure(response).await)
    }
}

pub async fn me() -> Result<Me, ApiFailure> {
    expect_json(Request::get("/api/me").send().await.map_err(network)?).await
}

pub async fn users(after: Option<String>) -> Result<UsersPage, ApiFailure> {
    let mut request = Request::get("/api/users");
    if let Some(after) = after {
        request = request.query([("after", after)]);
    }
    expect_json(request.send().await.map_err(network)?).await
}
