//! The API's one error type, mapped once to an HTTP status and the JSON body
//! `{ "error": { "code", "message", "details" } }`.

use steward_domain::api::{ErrorBody, ErrorDetail};
use steward_domain::bulk::check::Finding;
use steward_domain::user_form::FieldIssue;
use worker::Response;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("The request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("The request body does not have the expected fields: {0}")]
    InvalidBody(String),
    #[error("The request body is larger than {0} bytes.")]
    BodyTooLarge(usize),
    #[error("The query string is not valid: {0}")]
    InvalidQuery(String),
    #[error("The e-mail address or the password is wrong.")]
    InvalidCredentials,
    #[error("Sign in first.")]
    Unauthenticated,
    /// Said the same whether or not the address has an account.
    #[error("Too many sign-in attempts. Try again in {0} minutes.")]
    TooManyAttempts(i64),
    #[error("Too many applications were sent from here. Try again in {0} minutes.")]
    TooManyApplications(i64),
    #[error("The request did not come from this site.")]
    BadOrigin,
    #[error("You may not do this.")]
    Forbidden,
    /// A refusal whose rule explains itself to the administrator.
    #[error("{0}")]
    ForbiddenBecause(&'static str),
    #[error("Nothing was found at this address.")]
    NotFound,
    /// Fields that break a rule; each issue names its field.
    #[error("Some fields need to be corrected.")]
    Validation(Vec<FieldIssue>),
    /// Rows of an import chunk that break a rule; the chunk was not applied.
    #[error("Rows of this chunk need to be corrected; nothing of it was saved.")]
    RowsRejected(Vec<Finding>),
    /// The request is well-formed but the record's state forbids it.
    #[error("{0}")]
    Conflict(String),
    /// Deliberately says nothing about which part was wrong.
    #[error("The activation link or code is not valid, or the details do not match. Check them, or ask your administrator for a new one.")]
    ActivationRefused,
    #[error("This method is not allowed here.")]
    MethodNotAllowed,
    /// A failure of the platform (D1, crypto); its detail is logged, not sent.
    #[error("Something went wrong on our side. Please try again.")]
    Internal(String),
}

impl ApiError {
    fn status_and_code(&self) -> (u16, &'static str) {
        match self {
            ApiError::MalformedJson(_) => (400, "malformed_json"),
            ApiError::InvalidBody(_) => (422, "invalid_body"),
            ApiError::BodyTooLarge(_) => (413, "body_too_large"),
            ApiError::InvalidQuery(_) => (400, "invalid_query"),
            ApiError::InvalidCredentials => (401, "invalid_credentials"),
            ApiError::Unauthenticated => (401, "unauthenticated"),
            ApiError::TooManyAttempts(_) | ApiError::TooManyApplications(_) => (429, "too_many_attempts"),
            ApiError::BadOrigin => (403, "bad_origin"),
            ApiError::Forbidden | ApiError::ForbiddenBecause(_) => (403, "forbidden"),
            ApiError::NotFound => (404, "not_found"),
            ApiError::Validation(_) => (422, "validation"),
            ApiError::RowsRejected(_) => (422, "rows_rejected"),
            ApiError::Conflict(_) => (409, "conflict"),
            ApiError::ActivationRefused => (400, "activation_refused"),
            ApiError::MethodNotAllowed => (405, "method_not_allowed"),
            ApiError::Internal(_) => (500, "internal"),
        }
    }

    pub fn into_response(self) -> worker::Result<Response> {
        if let ApiError::Internal(detail) = &self {
            worker::console_error!("internal error: {detail}");
        }
        let (status, code) = self.status_and_code();
        let details = match &self {
            ApiError::Validation(issues) => serde_json::to_value(issues).ok(),
            ApiError::RowsRejected(findings) => serde_json::to_value(findings).ok(),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code: code.to_owned(), message: self.to_string(), details } };
        Ok(Response::from_json(&body)?.with_status(status))
    }
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
