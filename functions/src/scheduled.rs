//! The Worker's scheduled handler (cron in wrangler.toml): registration
//! reminders and lapses, deactivation periods that start or end, and
//! delivery of the outbox. Every step selects only what is due (by index),
//! and everything it writes has an id made of the subject and the due day,
//! so that running twice, or at once, does the work once.

use steward_domain::activation::{registration_event, ActivationPath, RegistrationEvent, DAY_SECONDS, REMINDER_DAYS};
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::user::{Role, UserStatus};
use steward_domain::notification::Message;
use crate::d1::{Db, MAX_QUERIES_PER_INVOCATION};
use crate::env::Env;

use crate::activation::{activation_url, new_secret, NewSecret};
use crate::store::guards::{commit, expect_another_organization_admin};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::notify::{self, queue_email, Outgoing};
use crate::outbox::{deliver_due, Delivery};
use crate::users::end_sessions;
use crate::store::ids::{OrganizationId, UserId};
use crate::store::periods::{self, PeriodUser};
use crate::store::registrations;
use crate::vault::vault;

/// What the outbox delivery at the end of a run may spend: one select and
/// two queries per entry, 50 entries (`outbox::deliver_due`).
const DELIVERY_QUERIES: u32 = 101;
/// Each of the three steps' share of a run's D1 queries: the invocation's
/// 1,000, less the delivery and the steps' own selections. A step stops at
/// its share; the users it leaves are still due at the next run.
const STEP_QUERIES: u32 = (MAX_QUERIES_PER_INVOCATION - DELIVERY_QUERIES - 3) / 3;
/// The least a user costs a step: a reminder by code or a lapse writes
/// three statements, a deactivation period ending one or two.
const USERS_PER_STEP: u32 = STEP_QUERIES / 2;

/// A step's share of the run's D1 queries, counted from where it starts.
struct Share<'a> {
    env: &'a Env,
    until: u32,
}

impl Share<'_> {
    fn start(env: &Env) -> Share<'_> {
        Share { env, until: env.queries_spent() + STEP_QUERIES }
    }

    /// Whether `queries` more stay within the share.
    fn allows(&self, queries: usize) -> bool {
        self.env.queries_spent() as usize + queries <= self.until as usize
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub reminders: usize,
    pub lapsed: usize,
    pub deactivated: usize,
    pub reactivated: usize,
    pub delivery: Delivery,
}

pub async fn run(env: &Env, now: i64) -> ApiResult<Report> {
    let db = env.d1("DB")?;
    let public_url = env
        .var("PUBLIC_URL")
        .map(|value| value.to_string())
        .map_err(|_| ApiError::Internal("the PUBLIC_URL variable is not set".into()))?;
    let mut report = Report::default();
    registrations(&db, env, &public_url, now, &mut report).await?;
    deactivation_periods(&db, env, now, &mut report).await?;
    report.delivery = deliver_due(env, now).await?;
    Ok(report)
}

async fn registrations(db: &Db, env: &Env, public_url: &str, now: i64, report: &mut Report) -> ApiResult<()> {
    // Only users with something due: the lapse, or a reminder not yet sent.
    let earliest_reminder = REMINDER_DAYS[0] * DAY_SECONDS;
    let last_reminder = REMINDER_DAYS[1] * DAY_SECONDS;
    let due = registrations::due(db, now, now + earliest_reminder, now + last_reminder, USERS_PER_STEP).await?;
    if due.is_empty() {
        return Ok(());
    }
    let vault = vault(env)?;
    let actor = Actor::scheduler();
    let share = Share::start(env);
    for user in due {
        let Some(event) = registration_event(now, user.registration_deadline, user.reminders_sent) else {
            continue;
        };
        // The administrators a lapse tells are read before its statements are known.
        if !share.allows(4) {
            break;
        }
        let subject = format!("{}:{}", user.id, user.registration_deadline);
        let mut statements = Vec::new();
        match event {
            RegistrationEvent::Reminder { days_left, stage } => {
                statements.push(registrations::reminder_sent_statement(db, UserId(&user.id), stage)?);
                // A link user gets a fresh link, under an id fixed for this
                // reminder: a second run re-inserts nothing and keeps it live.
                let url = if user.has_cpr {
                    let secret_id = format!("reminder:{subject}:{days_left}");
                    let expires_at = (now + user.activation_link_days * DAY_SECONDS).min(user.registration_deadline);
                    let NewSecret { secret, statements: secret_statements } =
                        new_secret(db, &secret_id, &user.id, ActivationPath::Link, expires_at, now)?;
                    statements.extend(secret_statements);
                    activation_url(public_url, Some(&secret))
                } else {
                    activation_url(public_url, None)
                };
                let message = Message::RegistrationReminder { first_name: user.first_name.clone(), url, days_left };
                statements.push(queue_email(
                    db,
                    &vault,
                    Outgoing {
                        organization_id: &user.organization_id,
                        user_id: Some(&user.id),
                        recipient: &user.email,
                        lang: Lang::for_person(user.language.as_deref(), &user.default_language),
                        message: &message,
                        dedup_key: format!("reminder:{subject}:{days_left}"),
                    },
                    now,
                )?);
                statements.push(history::record_with_id(
                    db,
                    &format!("reminder:{subject}:{days_left}"),
                    Event {
                        organization_id: &user.organization_id,
                        user_id: &user.id,
                        at: now,
                        actor: &actor,
                        action: HistoryAction::ReminderSent,
                        details: format!("{days_left} days left"),
                    },
                )?);
            }
            RegistrationEvent::Lapse => {
                statements.extend(registrations::lapse_statements(db, UserId(&user.id), now)?);
                statements.push(history::record_with_id(
                    db,
                    &format!("lapse:{subject}"),
                    Event {
                        organization_id: &user.organization_id,
                        user_id: &user.id,
                        at: now,
                        actor: &actor,
                        action: HistoryAction::Lapsed,
                        details: String::new(),
                    },
                )?);
                let message = Message::RegistrationLapsed { user_name: format!("{} {}", user.first_name, user.last_name) };
                statements.extend(
                    notify::to_administrators_of(db, &vault, &user.organization_id, &user.id, &message, &format!("lapse:{subject}"), now)
                        .await?,
                );
            }
        }
        if !share.allows(statements.len()) {
            break;
        }
        commit(db, statements).await?;
        match event {
            RegistrationEvent::Reminder { .. } => report.reminders += 1,
            RegistrationEvent::Lapse => report.lapsed += 1,
        }
    }
    Ok(())
}

async fn deactivation_periods(db: &Db, env: &Env, now: i64, report: &mut Report) -> ApiResult<()> {
    let today = Date::from_unix_seconds(now).to_string();
    let actor = Actor::scheduler();
    let share = Share::start(env);
    let starting = periods::starting(db, &today, USERS_PER_STEP).await?;
    for user in starting {
        // The last active organization administrator stays: the period is dropped.
        let keeps_admin = keeps_admin(&user);
        let mut statements = if keeps_admin { vec![expect_another_organization_admin(db, OrganizationId(&user.organization_id), UserId(&user.id))?] } else { Vec::new() };
        statements.push(periods::start_statement(db, UserId(&user.id), now)?);
        if user.status == UserStatus::Active {
            statements.push(end_sessions(db, &user.id)?);
            statements.push(history::record_with_id(
                db,
                &format!("deactivate:{}:{}", user.id, user.day),
                Event {
                    organization_id: &user.organization_id,
                    user_id: &user.id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::Deactivated,
                    details: format!("period from {}", user.day),
                },
            )?);
        }
        // One more if the period is dropped.
        if !share.allows(statements.len() + 1) {
            break;
        }
        match commit(db, statements).await {
            Ok(()) => report.deactivated += usize::from(user.status == UserStatus::Active),
            Err(ApiError::Conflict(_)) if keeps_admin => {
                worker::console_warn!("deactivation period of user {} dropped: the last active organization administrator", user.id);
                periods::drop(db, UserId(&user.id)).await?;
            }
            Err(error) => return Err(error),
        }
    }
    let share = Share::start(env);
    let ending = periods::ending(db, &today, USERS_PER_STEP).await?;
    for user in ending {
        let mut statements = vec![periods::end_statement(db, UserId(&user.id), now)?];
        if user.status == UserStatus::Deactivated {
            statements.push(history::record_with_id(
                db,
                &format!("reactivate:{}:{}", user.id, user.day),
                Event {
                    organization_id: &user.organization_id,
                    user_id: &user.id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::Reactivated,
                    details: format!("period ended {}", user.day),
                },
            )?);
        }
        if !share.allows(statements.len()) {
            break;
        }
        commit(db, statements).await?;
        report.reactivated += usize::from(user.status == UserStatus::Deactivated);
    }
    Ok(())
}

/// Whether starting the period would take an active organization
/// administrator away: then the batch expects another one to remain.
fn keeps_admin(user: &PeriodUser) -> bool {
    user.role == Role::OrganizationAdmin && user.status == UserStatus::Active
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, status: UserStatus) -> PeriodUser {
        PeriodUser { id: "u".into(), organization_id: "o".into(), role, status, day: "2026-12-02".into() }
    }

    #[test]
    fn only_an_active_organization_administrator_needs_another_to_remain() {
        assert!(keeps_admin(&user(Role::OrganizationAdmin, UserStatus::Active)));
        assert!(!keeps_admin(&user(Role::OrganizationAdmin, UserStatus::Deactivated)));
        assert!(!keeps_admin(&user(Role::OrganizationAdmin, UserStatus::Pending)));
        assert!(!keeps_admin(&user(Role::UserAdmin, UserStatus::Active)));
        assert!(!keeps_admin(&user(Role::User, UserStatus::Active)));
    }
}
