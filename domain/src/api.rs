//! The JSON shapes of the API, shared by the Worker and the app so that both
//! sides agree by construction.

use serde::{Deserialize, Serialize};

use crate::activation::ActivationPath;
use crate::authz::ManagementModel;
use crate::lang::Lang;
use crate::notification::Channel;
use crate::user::{Role, UserStatus};

/// Largest JSON request body the API reads.
pub const MAX_JSON_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub organization: OrganizationSummary,
    /// Whether they operate the platform (transfers of responsibility).
    #[serde(default)]
    pub platform_operator: bool,
    /// Whether they decide applications for protected data (product.md §6).
    #[serde(default)]
    pub register_administrator: bool,
    /// The language Steward speaks to them in: their own choice if made
    /// (`PUT /api/me/language`), else the organization's default.
    #[serde(default)]
    pub language: Lang,
    /// Their own choice, if they made one: the app prefers it, then the
    /// browser's language, then `language`.
    #[serde(default)]
    pub chosen_language: Option<Lang>,
}

/// `PUT /api/me/language`: `"da"`, `"en"` or `"de"`; anything else is a
/// validation error at `language`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageChoice {
    pub language: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: UserStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<UserSummary>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

/// The body of every error answer: `{ "error": { "code", "message", "details" } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// A user as an administrator sees them: the CPR number only masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub cpr_masked: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub p_number: Option<String>,
    pub se_number: Option<String>,
    pub identity_means: String,
    pub anonymous: bool,
    pub may_sign: bool,
    pub may_seal: bool,
    pub scope: String,
    pub free1: String,
    pub free2: String,
    pub free3: String,
    pub role: Role,
    pub status: UserStatus,
    pub activation_path: ActivationPath,
    /// Unix seconds; while pending, when the registration lapses.
    pub registration_deadline: Option<i64>,
    /// Whether the user's activation code is locked after wrong attempts.
    pub code_locked: bool,
    pub deactivate_from: Option<String>,
    pub deactivate_until: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The answer to "send to activation": on the code path the code, shown
/// once to the administrator and never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivationSent {
    pub path: ActivationPath,
    pub code: Option<String>,
    pub registration_deadline: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkActivationRequest {
    pub user_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedUser {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkActivationResult {
    pub sent: Vec<String>,
    pub skipped: Vec<SkippedUser>,
}

/// Most users one bulk "send to activation" takes.
pub const MAX_BULK_ACTIVATION: usize = 500;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeactivateRequest {
    /// `YYYY-MM-DD`; absent means today.
    #[serde(default)]
    pub from: Option<String>,
    /// `YYYY-MM-DD`; absent means until reactivated by hand.
    #[serde(default)]
    pub until: Option<String>,
}

/// What a person sends to activate: the link's token, or e-mail + code +
/// birth date; with the password they choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ActivateRequest {
    Link(LinkActivation),
    Code(CodeActivation),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkActivation {
    pub token: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeActivation {
    pub email: String,
    pub code: String,
    pub birth_date: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub label: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
}

/// Most history entries one request returns (product.md §4: the latest 200).
pub const HISTORY_LIMIT: u32 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notifications {
    pub items: Vec<NotificationItem>,
    pub unread: u32,
    pub channel: Channel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreference {
    pub channel: Channel,
}

/// One event of the organization's audit log: a history event with what it
/// was about (a user, by name while they exist, or an import).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    pub actor_name: String,
    pub action: String,
    pub label: String,
    pub subject_id: String,
    pub subject_name: String,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
}

/// An import's progress and result (`GET /api/imports/{id}`), as counts:
/// nothing of any row's cells. Its audit-log event's `subject_id` is its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub id: String,
    pub operation: crate::bulk::template::Operation,
    /// Who started it, by name.
    pub actor_name: String,
    /// When its first chunk was applied (Unix seconds).
    pub started_at: i64,
    /// When its latest chunk was applied (Unix seconds).
    pub last_activity_at: i64,
    /// The sequence numbers of its applied chunks, ascending; each once,
    /// however often it was sent.
    pub chunks: Vec<u32>,
    /// Rows of the applied chunks.
    pub rows: u64,
    pub outcomes: OutcomeCounts,
}

/// How many rows of an import's applied chunks had each outcome; the
/// fields are `bulk::import::Outcome`'s names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeCounts {
    pub created: u64,
    pub updated: u64,
    pub deleted: u64,
    pub rejected: u64,
}

/// Most audit events the CSV export holds.
pub const AUDIT_EXPORT_LIMIT: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// The signed-in administrator's deputies, whom they stand in for, and who
/// could be registered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deputyships {
    pub model: ManagementModel,
    pub my_deputies: Vec<PersonRef>,
    pub i_stand_in_for: Vec<PersonRef>,
    pub candidates: Vec<PersonRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeputyRequest {
    pub deputy_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagementModelRequest {
    pub model: ManagementModel,
}

/// A platform operator moves every user one administrator manages to
/// another administrator of the same organization (the first has left).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub from_administrator_id: String,
    pub to_administrator_id: String,
}

/// An organization's administrators, for a platform operator choosing whom
/// responsibility moves from and to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationAdministrators {
    pub organization: OrganizationSummary,
    pub administrators: Vec<AdministratorRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdministratorRef {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// How many users are linked to them.
    pub manages: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferResult {
    pub moved: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// An application of the organization: a named set of roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationInfo {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationCatalog {
    pub applications: Vec<ApplicationInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDraft {
    pub name: String,
    pub roles: Vec<String>,
}

/// An application a person holds, granted directly or through a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldApplication {
    pub application: ApplicationInfo,
    /// The group's name when the application comes with a group.
    pub via_group: Option<String>,
}

/// A user's applications as their administrator sees them, with the
/// applications this administrator may still grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserApplications {
    pub scope: String,
    pub held: Vec<HeldApplication>,
    pub grantable: Vec<ApplicationInfo>,
    /// Whether this administrator may revoke the user's direct grants.
    pub may_revoke: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    pub application_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Pending,
    Granted,
    Refused,
}

/// A person's request for a further application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleRequestInfo {
    pub id: String,
    pub requester: PersonRef,
    pub application: ApplicationInfo,
    pub reason: String,
    pub status: RequestStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleRequests {
    pub requests: Vec<RoleRequestInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRoleRequest {
    pub application_id: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDecision {
    pub grant: bool,
}

/// What the signed-in person holds, has asked for and may ask for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyApplications {
    pub scope: String,
    pub held: Vec<HeldApplication>,
    pub requests: Vec<RoleRequestInfo>,
    pub requestable: Vec<ApplicationInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Made by an organization administrator; members added by administrators.
    Custom,
    /// One per P-unit; its members are the unit's users, not edited.
    System,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupInfo {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
    pub applications: Vec<ApplicationInfo>,
    pub member_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Groups {
    pub groups: Vec<GroupInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupDraft {
    pub name: String,
    #[serde(default)]
    pub application_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupDetail {
    pub group: GroupInfo,
    pub members: Vec<PersonRef>,
}

/// Adds a person of the organization to a custom group, by e-mail address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupMemberRequest {
    pub email: String,
}

/// A person's application to join the organization, as administrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequestInfo {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub birth_date: String,
    pub created_at: i64,
}

/// Whether the organization takes applications, and those waiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequests {
    pub allowed: bool,
    pub requests: Vec<JoinRequestInfo>,
}

/// An approved application: the new user, sent to activation. A person
/// who gave only a birth date activates with a code, shown here once for
/// the administrator to hand over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinApproved {
    pub user: UserDetail,
    pub activation: ActivationSent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinDecision {
    pub approve: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoiningSetting {
    pub allowed: bool,
}
