//! Calls to the Worker's JSON API.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use steward_domain::api::{
    OrganizationAdministrators, TransferRequest, TransferResult,
    ImportProgress, JoinApproved, JoinDecision, JoinRequests, JoiningSetting,
    ApplicationCatalog, ApplicationDraft, ApplicationInfo, GrantRequest, GroupDetail, GroupDraft, GroupInfo, GroupMemberRequest, Groups, MyApplications,
    NewRoleRequest, RequestDecision, RoleRequestInfo, RoleRequests, UserApplications,
    ActivateRequest, ActivationSent, AuditPage, BulkActivationRequest, DeputyRequest, Deputyships, ManagementModelRequest, BulkActivationResult, DeactivateRequest, ErrorBody, HistoryPage, Me, NotificationPreference, Notifications,
    PasswordChange, RoleChange, SignInRequest, UserDetail, UsersPage,
};
use steward_domain::bulk::check::Finding;
use steward_domain::join::JoinInput;
use steward_domain::lang::Lang;

use crate::i18n::*;
use crate::language;
use steward_domain::bulk::import::{ChunkResult, ImportChunk};
use steward_domain::authz::ManagementModel;
use steward_domain::notification::Channel;
use steward_domain::user::Role;
use steward_domain::user_form::{FieldIssue, UserInput};

/// Why a call did not give what was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// No live session: the visitor must sign in.
    Unauthenticated,
    /// The API answered with an error it explains; `issues` name fields.
    Refused { code: String, message: String, issues: Vec<FieldIssue>, details: Option<serde_json::Value> },
    /// The API could not be reached or answered nonsense.
    Network(String),
}

impl ApiFailure {
    pub fn message(&self) -> String {
        match self {
            ApiFailure::Unauthenticated => td_string!(language::locale(language::current()), common.sign_in_first).to_string(),
            ApiFailure::Refused { message, .. } => message.clone(),
            ApiFailure::Network(detail) => {
                td_string!(language::locale(language::current()), common.unreachable, detail = detail).to_string()
            }
        }
    }

    /// The problems with single fields, if the API named any.
    pub fn issues(&self) -> Vec<FieldIssue> {
        match self {
            ApiFailure::Refused { issues, .. } => issues.clone(),
            _ => Vec::new(),
        }
    }
}

fn network(error: gloo_net::Error) -> ApiFailure {
    ApiFailure::Network(error.to_string())
}

async fn failure(response: Response) -> ApiFailure {
    match response.json::<ErrorBody>().await {
        Ok(body) if body.error.code == "unauthenticated" => ApiFailure::Unauthenticated,
        Ok(body) => ApiFailure::Refused {
            issues: body.error.details.clone().and_then(|details| serde_json::from_value(details).ok()).unwrap_or_default(),
            details: body.error.details,
            code: body.error.code,
            message: body.error.message,
        },
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

async fn expect_empty(response: Response) -> Result<(), ApiFailure> {
    if response.ok() {
        Ok(())
    } else {
        Err(failure(response).await)
    }
}

/// Every call says which language to answer in.
fn in_language(request: RequestBuilder) -> RequestBuilder {
    request.header("Accept-Language", language::current().as_str())
}

async fn send_json<B: Serialize>(request: RequestBuilder, body: &B) -> Result<Response, ApiFailure> {
    in_language(request).json(body).map_err(network)?.send().await.map_err(network)
}

async fn send(request: RequestBuilder) -> Result<Response, ApiFailure> {
    in_language(request).send().await.map_err(network)
}

pub async fn sign_in(email: String, password: String) -> Result<Me, ApiFailure> {
    expect_json(send_json(Request::post("/api/session"), &SignInRequest { email, password }).await?).await
}

pub async fn set_language(lang: Lang) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::put("/api/me/language"), &serde_json::json!({ "language": lang.as_str() })).await?).await
}

pub async fn sign_out() -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete("/api/session")).await?).await
}

pub async fn me() -> Result<Me, ApiFailure> {
    expect_json(send(Request::get("/api/me")).await?).await
}

pub async fn users(search: String, after: Option<String>) -> Result<UsersPage, ApiFailure> {
    let mut request = Request::get("/api/users");
    if !search.trim().is_empty() {
        request = request.query([("q", search.trim())]);
    }
    if let Some(after) = after {
        request = request.query([("after", after)]);
    }
    expect_json(send(request).await?).await
}

pub async fn create_user(input: &UserInput) -> Result<UserDetail, ApiFailure> {
    expect_json(send_json(Request::post("/api/users"), input).await?).await
}

pub async fn user(id: &str) -> Result<UserDetail, ApiFailure> {
    expect_json(send(Request::get(&format!("/api/users/{id}"))).await?).await
}

pub async fn import_progress(id: &str) -> Result<ImportProgress, ApiFailure> {
    expect_json(send(Request::get(&format!("/api/imports/{}", js_sys::encode_uri_component(id)))).await?).await
}

pub async fn update_user(id: &str, input: &UserInput) -> Result<UserDetail, ApiFailure> {
    expect_json(send_json(Request::patch(&format!("/api/users/{id}")), input).await?).await
}

pub async fn delete_user(id: &str) -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete(&format!("/api/users/{id}"))).await?).await
}

pub async fn send_to_activation(id: &str) -> Result<ActivationSent, ApiFailure> {
    expect_json(send(Request::post(&format!("/api/users/{id}/activation"))).await?).await
}

pub async fn deactivate(id: &str, period: &DeactivateRequest) -> Result<UserDetail, ApiFailure> {
    expect_json(send_json(Request::post(&format!("/api/users/{id}/deactivation")), period).await?).await
}

pub async fn reactivate(id: &str) -> Result<UserDetail, ApiFailure> {
    expect_json(send(Request::post(&format!("/api/users/{id}/reactivation"))).await?).await
}

pub async fn history(id: &str, from: &str, to: &str, text: &str) -> Result<HistoryPage, ApiFailure> {
    let mut request = Request::get(&format!("/api/users/{id}/history"));
    for (name, value) in [("from", from), ("to", to), ("q", text)] {
        if !value.trim().is_empty() {
            request = request.query([(name, value.trim())]);
        }
    }
    expect_json(send(request).await?).await
}

pub async fn activate(request: &ActivateRequest) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::post("/api/activation"), request).await?).await
}

pub async fn notifications() -> Result<Notifications, ApiFailure> {
    expect_json(send(Request::get("/api/notifications")).await?).await
}

pub async fn mark_notifications_read() -> Result<(), ApiFailure> {
    expect_empty(send(Request::post("/api/notifications/read")).await?).await
}

pub async fn set_notification_channel(channel: Channel) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::put("/api/notifications/preference"), &NotificationPreference { channel }).await?).await
}

/// One chunk of an import; `Ok` when the server applied it (or had already).
pub async fn send_import_chunk(import_id: &str, seq: u32, chunk: &ImportChunk) -> Result<ChunkResult, ApiFailure> {
    expect_json(send_json(Request::post(&format!("/api/imports/{import_id}/chunks/{seq}")), chunk).await?).await
}

/// The findings the server gave for a refused chunk.
pub fn rejected_rows(failure: &ApiFailure) -> Option<Vec<Finding>> {
    match failure {
        ApiFailure::Refused { code, details, .. } if code == "rows_rejected" => {
            details.clone().and_then(|details| serde_json::from_value(details).ok())
        }
        _ => None,
    }
}

pub async fn send_many_to_activation(user_ids: Vec<String>) -> Result<BulkActivationResult, ApiFailure> {
    expect_json(send_json(Request::post("/api/activations"), &BulkActivationRequest { user_ids }).await?).await
}

pub async fn audit(from: &str, to: &str, text: &str) -> Result<AuditPage, ApiFailure> {
    let mut request = Request::get("/api/audit");
    for (name, value) in [("from", from), ("to", to), ("q", text)] {
        if !value.trim().is_empty() {
            request = request.query([(name, value.trim())]);
        }
    }
    expect_json(send(request).await?).await
}

pub async fn set_role(id: &str, role: Role) -> Result<UserDetail, ApiFailure> {
    expect_json(send_json(Request::put(&format!("/api/users/{id}/role")), &RoleChange { role }).await?).await
}

pub async fn deputies() -> Result<Deputyships, ApiFailure> {
    expect_json(send(Request::get("/api/deputies")).await?).await
}

pub async fn register_deputy(deputy_id: String) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::post("/api/deputies"), &DeputyRequest { deputy_id }).await?).await
}

pub async fn withdraw_deputy(deputy_id: &str) -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete(&format!("/api/deputies/{deputy_id}"))).await?).await
}

pub async fn set_management_model(model: ManagementModel) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::put("/api/organization/management-model"), &ManagementModelRequest { model }).await?).await
}

pub async fn change_password(current_password: String, new_password: String) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::put("/api/me/password"), &PasswordChange { current_password, new_password }).await?).await
}

pub async fn my_applications() -> Result<MyApplications, ApiFailure> {
    expect_json(send(Request::get("/api/me/applications")).await?).await
}

pub async fn request_application(application_id: String, reason: String) -> Result<RoleRequestInfo, ApiFailure> {
    expect_json(send_json(Request::post("/api/me/requests"), &NewRoleRequest { application_id, reason }).await?).await
}

pub async fn applications() -> Result<ApplicationCatalog, ApiFailure> {
    expect_json(send(Request::get("/api/applications")).await?).await
}

pub async fn define_application(name: String, roles: Vec<String>) -> Result<ApplicationInfo, ApiFailure> {
    expect_json(send_json(Request::post("/api/applications"), &ApplicationDraft { name, roles }).await?).await
}

pub async fn remove_application(id: &str) -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete(&format!("/api/applications/{id}"))).await?).await
}

pub async fn user_applications(user_id: &str) -> Result<UserApplications, ApiFailure> {
    expect_json(send(Request::get(&format!("/api/users/{user_id}/applications"))).await?).await
}

pub async fn grant_application(user_id: &str, application_id: String) -> Result<UserApplications, ApiFailure> {
    expect_json(send_json(Request::post(&format!("/api/users/{user_id}/applications")), &GrantRequest { application_id }).await?).await
}

pub async fn revoke_application(user_id: &str, application_id: &str) -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete(&format!("/api/users/{user_id}/applications/{application_id}"))).await?).await
}

pub async fn pending_requests() -> Result<RoleRequests, ApiFailure> {
    expect_json(send(Request::get("/api/requests")).await?).await
}

pub async fn decide_request(id: &str, grant: bool) -> Result<RoleRequestInfo, ApiFailure> {
    expect_json(send_json(Request::post(&format!("/api/requests/{id}/decision")), &RequestDecision { grant }).await?).await
}

pub async fn groups() -> Result<Groups, ApiFailure> {
    expect_json(send(Request::get("/api/groups")).await?).await
}

pub async fn define_group(name: String, application_ids: Vec<String>) -> Result<GroupInfo, ApiFailure> {
    expect_json(send_json(Request::post("/api/groups"), &GroupDraft { name, application_ids }).await?).await
}

pub async fn group(id: &str) -> Result<GroupDetail, ApiFailure> {
    expect_json(send(Request::get(&format!("/api/groups/{id}"))).await?).await
}

pub async fn remove_group(id: &str) -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete(&format!("/api/groups/{id}"))).await?).await
}

pub async fn add_group_member(id: &str, email: String) -> Result<GroupDetail, ApiFailure> {
    expect_json(send_json(Request::post(&format!("/api/groups/{id}/members")), &GroupMemberRequest { email }).await?).await
}

pub async fn remove_group_member(id: &str, user_id: &str) -> Result<(), ApiFailure> {
    expect_empty(send(Request::delete(&format!("/api/groups/{id}/members/{user_id}"))).await?).await
}

pub async fn apply_to_join(input: &JoinInput) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::post("/api/join"), input).await?).await
}

pub async fn join_requests() -> Result<JoinRequests, ApiFailure> {
    expect_json(send(Request::get("/api/join-requests")).await?).await
}

/// Approves (the new user and their activation) or refuses (`None`).
pub async fn decide_join(id: &str, approve: bool) -> Result<Option<JoinApproved>, ApiFailure> {
    let response = send_json(Request::post(&format!("/api/join-requests/{id}/decision")), &JoinDecision { approve }).await?;
    if approve {
        expect_json(response).await.map(Some)
    } else {
        expect_empty(response).await.map(|()| None)
    }
}

pub async fn set_joining(allowed: bool) -> Result<(), ApiFailure> {
    expect_empty(send_json(Request::put("/api/organization/joining"), &JoiningSetting { allowed }).await?).await
}

pub async fn organization_administrators(cvr: &str) -> Result<OrganizationAdministrators, ApiFailure> {
    expect_json(send(Request::get("/api/platform/administrators").query([("cvr", cvr.trim())])).await?).await
}

pub async fn transfer(from_administrator_id: String, to_administrator_id: String) -> Result<TransferResult, ApiFailure> {
    expect_json(send_json(Request::post("/api/platform/transfers"), &TransferRequest { from_administrator_id, to_administrator_id }).await?).await
}
