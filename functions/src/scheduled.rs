//! The Worker's scheduled handler (cron in wrangler.toml): registration
//! reminders and lapses, deactivation periods that start or end, and
//! delivery of the outbox. Every step selects only what is due (by index),
//! and everything it writes has an id made of the subject and the due day,
//! so that running twice, or at once, does the work once.

use serde::Deserialize;
use steward_domain::activation::{registration_event, ActivationPath, RegistrationEvent, DAY_SECONDS, REMINDER_DAYS};
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::user::Role;
use steward_domain::notification::Message;
use crate::d1::{Db, MAX_QUERIES_PER_INVOCATION};
use crate::env::Env;

use crate::activation::{activation_url, new_secret, NewSecret};
use crate::db::{commit, expect_another_organization_admin, int};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::notify::{self, queue_email, Outgoing};
use crate::outbox::{deliver_due, Delivery};
use crate::users::end_sessions;
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

#[derive(Debug, Deserialize)]
struct PendingUser {
    id: String,
    organization_id: String,
    first_name: String,
    last_name: String,
    email: String,
    language: Option<String>,
    default_language: String,
    registration_deadline: i64,
    reminders_sent: i64,
    has_cpr: i64,
    activation_link_days: i64,
}

async fn registrations(db: &Db, env: &Env, public_url: &str, now: i64, report: &mut Report) -> ApiResult<()> {
    // Only users with something due: the lapse, or a reminder not yet sent.
    let earliest_reminder = REMINDER_DAYS[0] * DAY_SECONDS;
    let last_reminder = REMINDER_DAYS[1] * DAY_SECONDS;
    let due: Vec<PendingUser> = db
        .prepare(
            "SELECT u.id, u.organization_id, u.first_name, u.last_name, u.email, u.language, o.default_language, \
               u.registration_deadline, u.reminders_sent, u.cpr_sealed IS NOT NULL AS has_cpr, o.activation_link_days \
             FROM users u JOIN organizations o ON o.id = u.organization_id \
             WHERE u.status = 'pending' AND u.registration_deadline <= ?1 \
               AND (u.registration_deadline <= ?3 OR u.reminders_sent < 1 OR (u.reminders_sent < 2 AND u.registration_deadline <= ?4)) \
             ORDER BY u.registration_deadline LIMIT ?2",
        )
        .bind(&[int(now + earliest_reminder), int(USERS_PER_STEP.into()), int(now), int(now + last_reminder)])?
        .all()
        .await?
        .results()?;
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
                statements.push(
                    db.prepare("UPDATE users SET reminders_sent = ?2 WHERE id = ?1 AND reminders_sent < ?2")
                        .bind(&[user.id.as_str().into(), int(stage)])?,
                );
                // A link user gets a fresh link, under an id fixed for this
                // reminder: a second run re-inserts nothing and keeps it live.
                let url = if user.has_cpr != 0 {
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
                statements.push(
                    db.prepare("UPDATE users SET status = 'lapsed', updated_at = ?2 WHERE id = ?1 AND status = 'pending'")
                        .bind(&[user.id.as_str().into(), int(now)])?,
                );
                statements.push(
                    db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL")
                        .bind(&[user.id.as_str().into(), int(now)])?,
                );
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

#[derive(Debug, Deserialize)]
struct PeriodUser {
    id: String,
    organization_id: String,
    role: String,
    status: String,
    day: String,
}

async fn deactivation_periods(db: &Db, env: &Env, now: i64, report: &mut Report) -> ApiResult<()> {
    let today = Date::from_unix_seconds(now).to_string();
    let actor = Actor::scheduler();
    let share = Share::start(env);
    let starting: Vec<PeriodUser> = db
        .prepare("SELECT id, organization_id, role, status, deactivate_from AS day FROM users WHERE deactivate_from <= ?1 LIMIT ?2")
        .bind(&[today.as_str().into(), int(USERS_PER_STEP.into())])?
        .all()
        .await?
        .results()?;
    for user in starting {
        // The last active organization administrator stays: the period is dropped.
        let keeps_admin = user.role == Role::OrganizationAdmin.as_str() && user.status == "active";
        let mut statements = if keeps_admin { vec![expect_another_organization_admin(db, &user.organization_id, &user.id)?] } else { Vec::new() };
        statements.push(db
            .prepare("UPDATE users SET deactivate_from = NULL, status = CASE WHEN status = 'active' THEN 'deactivated' ELSE status END, updated_at = ?2 WHERE id = ?1")
            .bind(&[user.id.as_str().into(), int(now)])?);
        if user.status == "active" {
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
            Ok(()) => report.deactivated += usize::from(user.status == "active"),
            Err(ApiError::Conflict(_)) if keeps_admin => {
                worker::console_warn!("deactivation period of user {} dropped: the last active organization administrator", user.id);
                db.prepare("UPDATE users SET deactivate_from = NULL, deactivate_until = NULL WHERE id = ?1").bind(&[user.id.as_str().into()])?.run().await?;
            }
            Err(error) => return Err(error),
        }
    }
    let share = Share::start(env);
    let ending: Vec<PeriodUser> = db
        .prepare(
            "SELECT id, organization_id, role, status, deactivate_until AS day FROM users \
             WHERE deactivate_until <= ?1 AND deactivate_from IS NULL LIMIT ?2",
        )
        .bind(&[today.as_str().into(), int(USERS_PER_STEP.into())])?
        .all()
        .await?
        .results()?;
    for user in ending {
        let mut statements = vec![db
            .prepare("UPDATE users SET deactivate_until = NULL, status = CASE WHEN status = 'deactivated' THEN 'active' ELSE status END, updated_at = ?2 WHERE id = ?1")
            .bind(&[user.id.as_str().into(), int(now)])?];
        if user.status == "deactivated" {
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
        report.reactivated += usize::from(user.status == "deactivated");
    }
    Ok(())
}
