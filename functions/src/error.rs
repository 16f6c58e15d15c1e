//! The API's one error type, mapped once to an HTTP status and the JSON body
//! `{ "error": { "code", "message", "details" } }`.

use steward_domain::api::{ErrorBody, ErrorDetail};
use steward_domain::bulk::check::Finding;
use steward_domain::lang::Lang;
use steward_domain::messages::{Arg, Message, Text};
use steward_domain::user_form::FieldIssue;
use worker::Response;

/// The detail of a refused body or query: the parser's own words (serde
/// speaks English, and names fields as the API does), or a rule of ours.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Parser(String),
    Rule(Text),
}

impl Detail {
    fn render(&self, lang: Lang) -> String {
        match self {
            Detail::Parser(text) => text.clone(),
            Detail::Rule(text) => text.render(lang),
        }
    }
}

impl From<Text> for Detail {
    fn from(text: Text) -> Detail {
        Detail::Rule(text)
    }
}

impl From<Message> for Detail {
    fn from(message: Message) -> Detail {
        Detail::Rule(message.into())
    }
}

/// Every error carries what to say, not yet in which language: the answer
/// is made in the caller's (`into_response`), from `domain::messages`.
#[derive(Debug)]
pub enum ApiError {
    MalformedJson(String),
    InvalidBody(Detail),
    BodyTooLarge(usize),
    InvalidQuery(Detail),
    InvalidCredentials,
    Unauthenticated,
    /// Said the same whether or not the address has an account.
    TooManyAttempts(i64),
    TooManyApplications(i64),
    BadOrigin,
    Forbidden,
    /// A refusal whose rule explains itself to the administrator.
    ForbiddenBecause(Message),
    NotFound,
    /// Fields that break a rule; each issue names its field.
    Validation(Vec<FieldIssue>),
    /// Rows of an import chunk that break a rule; the chunk was not applied.
    RowsRejected(Vec<Finding>),
    /// The request is well-formed but the record's state forbids it.
    Conflict(Text),
    /// Deliberately says nothing about which part was wrong.
    ActivationRefused,
    MethodNotAllowed,
    /// A failure of the platform (D1, crypto); its detail is logged, not sent.
    Internal(String),
}

impl ApiError {
    /// What the answer says, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::MalformedJson(detail) => Message::MalformedJson.with(lang, &[detail]),
            ApiError::InvalidBody(detail) => Message::InvalidBody.with(lang, &[&detail.render(lang)]),
            ApiError::BodyTooLarge(limit) => Message::BodyTooLarge.with(lang, &[limit]),
            ApiError::InvalidQuery(detail) => Message::InvalidQuery.with(lang, &[&detail.render(lang)]),
            ApiError::InvalidCredentials => Message::InvalidCredentials.text(lang),
            ApiError::Unauthenticated => Message::Unauthenticated.text(lang),
            ApiError::TooManyAttempts(minutes) => Message::TooManyAttempts.with(lang, &[minutes]),
            ApiError::TooManyApplications(minutes) => Message::TooManyApplications.with(lang, &[minutes]),
            ApiError::BadOrigin => Message::BadOrigin.text(lang),
            ApiError::Forbidden => Message::Forbidden.text(lang),
            ApiError::ForbiddenBecause(reason) => reason.text(lang),
            ApiError::NotFound => Message::NotFound.text(lang),
            ApiError::Validation(_) => Message::Validation.text(lang),
            ApiError::RowsRejected(_) => Message::RowsRejected.text(lang),
            ApiError::Conflict(text) => text.render(lang),
            ApiError::ActivationRefused => Message::ActivationRefused.text(lang),
            ApiError::MethodNotAllowed => Message::MethodNotAllowed.text(lang),
            ApiError::Internal(_) => Message::Internal.text(lang),
        }
    }

    /// A conflict said by one message with its arguments.
    pub fn conflict(message: Message, args: Vec<Arg>) -> ApiError {
        ApiError::Conflict(Text::new(message, args))
    }
}

/// For logs: English, and an internal error's own detail.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Internal(detail) => write!(f, "{detail}"),
            other => f.write_str(&other.message(Lang::En)),
        }
    }
}

impl std::error::Error for ApiError {}

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

    /// The answer, its message in `lang` (the request's `Accept-Language`).
    pub fn into_response(self, lang: Lang) -> worker::Result<Response> {
        if let ApiError::Internal(detail) = &self {
            worker::console_error!("internal error: {detail}");
        }
        let (status, code) = self.status_and_code();
        let details = match &self {
            ApiError::Validation(issues) => serde_json::to_value(issues).ok(),
            ApiError::RowsRejected(findings) => serde_json::to_value(findings).ok(),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code: code.to_owned(), message: self.message(lang), details } };
        Ok(Response::from_json(&body)?.with_status(status))
    }
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
