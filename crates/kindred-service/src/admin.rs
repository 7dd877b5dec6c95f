//! The operators' view of background work: jobs and emails, with retry of
//! dead ones (coordinators). Email bodies are never shown.

use chrono::{DateTime, Utc};
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageQuery};

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobView {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Identifiers only (never personal data).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
}

fn job_view(j: kindred_db::jobs::JobRow) -> JobView {
    JobView {
        payload: serde_json::from_str(&j.payload).unwrap_or(serde_json::Value::Null),
        id: j.id,
        kind: j.kind,
        state: j.state,
        attempts: j.attempts,
        max_attempts: j.max_attempts,
        run_at: j.run_at.and_utc(),
        last_error: j.last_error,
        created_at: j.created_at.and_utc(),
        finished_at: j.finished_at.map(|t| t.and_utc()),
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailView {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn email_view(r: kindred_db::models::OutboxRow) -> EmailView {
    EmailView {
        id: r.id,
        kind: r.kind,
        recipient: r.recipient,
        state: r.state,
        attempts: r.attempts,
        last_error: r.last_error,
        next_attempt_at: r.next_attempt_at.and_utc(),
        created_at: r.created_at.and_utc(),
        sent_at: r.sent_at.map(|t| t.and_utc()),
    }
}

pub const EMAIL_STATES: [&str; 5] = ["pending", "sending", "sent", "dead", "cancelled"];

type Loader<T> =
    fn(&mut DbConnection, Option<&str>, Option<&str>, i64) -> kindred_db::DbResult<Vec<T>>;

/// A coordinator's page of background rows (jobs or emails), optionally in one state.
fn admin_list<T, V>(
    conn: &mut DbConnection,
    caller: &Caller,
    (state, page): (Option<&str>, PageQuery),
    states: &[&str],
    load: Loader<T>,
    key: fn(&T) -> String,
    view: fn(T) -> V,
) -> ServiceResult<Page<V>> {
    caller.require_coordinator()?;
    if let Some(s) = state {
        if !states.contains(&s) {
            return Err(ServiceError::field(
                "state",
                format!("must be one of {}", states.join(", ")),
            ));
        }
    }
    let page = page.validate()?;
    let (rows, next) = page.load(conn, |c, after, n| load(c, state, after, n), key)?;
    Ok(Page {
        items: rows.into_iter().map(view).collect(),
        next_cursor: next,
    })
}

/// Reads a row with its state.
type StateAndRow<T> = fn(&mut DbConnection, &str) -> ServiceResult<Option<(String, T)>>;

/// Moves a dead row (job or email) back to pending; anything else is a `Conflict`.
fn admin_retry<T>(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    what: &str,
    get: StateAndRow<T>,
    retry: fn(&mut DbConnection, &str) -> kindred_db::DbResult<bool>,
) -> ServiceResult<T> {
    caller.require_coordinator()?;
    let (current, _) = get(conn, id)?.ok_or(ServiceError::NotFound)?;
    if !retry(conn, id)? {
        return Err(ServiceError::conflict_in(
            format!("only dead {what} can be retried"),
            current,
        ));
    }
    get(conn, id)?
        .map(|(_, row)| row)
        .ok_or(ServiceError::NotFound)
}

/// Background jobs, e.g. `state = dead` with their last error.
pub fn list_jobs(
    conn: &mut DbConnection,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<JobView>> {
    admin_list(
        conn,
        caller,
        (state, page),
        &kindred_db::jobs::STATES,
        kindred_db::jobs::list,
        |j| j.id.clone(),
        job_view,
    )
}

/// Puts a dead job back in the queue with fresh attempts.
pub fn retry_job(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<JobView> {
    admin_retry(
        conn,
        caller,
        id,
        "jobs",
        |c, id| Ok(kindred_db::jobs::get(c, id)?.map(|j| (j.state.clone(), j))),
        kindred_db::jobs::retry_dead,
    )
    .map(job_view)
}

/// The mail outbox, e.g. `state = dead` with the last SMTP error.
pub fn list_emails(
    conn: &mut DbConnection,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<EmailView>> {
    admin_list(
        conn,
        caller,
        (state, page),
        &EMAIL_STATES,
        kindred_db::outbox::list,
        |r| r.id.clone(),
        email_view,
    )
}

/// Sends a dead email again with fresh attempts.
pub fn retry_email(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<EmailView> {
    admin_retry(
        conn,
        caller,
        id,
        "emails",
        |c, id| Ok(kindred_db::outbox::get(c, id)?.map(|r| (r.state.clone(), r))),
        kindred_db::outbox::retry_dead,
    )
    .map(email_view)
}
