//! Steward's Worker: the JSON API under `/api`, backed by D1, and the
//! scheduled work that keeps registrations, deactivation periods and
//! notifications moving.

mod activation;
mod applications;
mod context;
mod crypto;
mod d1;
mod deputies;
mod env;
mod error;
mod groups;
mod guard;
mod history;
mod http;
mod imports;
mod join;
mod mailer;
mod notify;
mod outbox;
mod requests;
mod reseal;
mod router;
mod scheduled;
mod session;
mod store;
mod transfers;
mod users;
mod vault;

use worker::{event, Context, Env, Method, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let env = env::Env::new(env);
    let mutating = !matches!(req.method(), Method::Get | Method::Head | Method::Options);
    // Read before anything can fail, so that every error is answered in the
    // caller's language, those raised before a handler's context exists too.
    let lang = http::lang(&req);
    let response = match router::handle(req, &env).await {
        Ok(response) => Ok(response),
        Err(error) => error.into_response(lang),
    }
    .and_then(http::with_security_headers);
    // Tests read how many D1 queries a request ran (before the outbox's own).
    if env.var("REPORT_D1_QUERIES").is_ok_and(|flag| flag.to_string() == "1") {
        if let Ok(response) = &response {
            response.headers().set("x-d1-queries", &env.queries_spent().to_string())?;
        }
    }
    // What a change queued goes out now rather than at the next cron run;
    // refusals queue too (a locked activation code tells administrators).
    if mutating {
        ctx.wait_until(async move {
            if let Err(error) = outbox::deliver_due(&env, http::now()).await {
                worker::console_error!("outbox delivery failed: {error}");
            }
        });
    }
    response
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    // The event's own time is the clock: tests inject it, and a delayed run
    // still acts as of when it was due.
    let now = (event.schedule() / 1000.0) as i64;
    let env = env::Env::new(env);
    match scheduled::run(&env, now).await {
        Ok(report) => worker::console_log!(
            "scheduled: {} reminders, {} lapsed, {} deactivated, {} reactivated, {} sent, {} failed",
            report.reminders,
            report.lapsed,
            report.deactivated,
            report.reactivated,
            report.delivery.sent,
            report.delivery.failed
        ),
        Err(error) => worker::console_error!("scheduled run failed: {error}"),
    }
    // After a key rotation, until nothing is left under an earlier key.
    match reseal::run(&env).await {
        Ok(resealed) if resealed != reseal::Resealed::default() => worker::console_log!(
            "re-sealed under the current key: {} CPR numbers, {} queued e-mails; {} values did not open",
            resealed.cprs,
            resealed.payloads,
            resealed.unopened
        ),
        Ok(_) => {}
        Err(error) => worker::console_error!("re-sealing failed: {error}"),
    }
}
