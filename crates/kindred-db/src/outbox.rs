//! The mail outbox: every email is first a row written in the same transaction
//! as the event that causes it, then delivered by a background loop.
//!
//! Rows move `pending → sending → sent`, or back to `pending` with a later
//! `next_attempt_at` after a transient failure, or to `dead` after too many
//! attempts or a permanent failure. A `sending` row whose lease ran out (its
//! worker died) is claimed again, so nothing is lost; at most the messages in
//! flight at a crash can go twice. Claims, lease owners (`locked_by`) and
//! outcomes go through the engine shared with the job queue ([`crate::lease`]):
//! a sender that lost its lease cannot record over its rescuer, and a row whose
//! lease ran out on its last attempt is buried instead of sent again. Sent and
//! cancelled rows are deleted after a retention ([`purge_finished`]).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::lease::{self, AttemptBudget, LeasedRow, LeasedTable};
use crate::models::OutboxRow;
use crate::schema::outbox;
use crate::{now, DbConnection, DbResult};

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const DEAD: &str = "dead";
pub const CANCELLED: &str = "cancelled";

/// A message to queue. `message` is the serialised email (JSON).
pub struct NewEmail<'a> {
    pub user_id: Option<&'a str>,
    pub kind: &'a str,
    pub dedupe_key: Option<&'a str>,
    pub recipient: &'a str,
    pub message: &'a str,
}

/// Queues an email. With a `dedupe_key` already present the call is a no-op
/// and returns `None`: one event, one email.
pub fn enqueue(conn: &mut DbConnection, email: &NewEmail<'_>) -> DbResult<Option<String>> {
    if let Some(key) = email.dedupe_key {
        let exists: i64 = outbox::table
            .filter(outbox::dedupe_key.eq(key))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            return Ok(None);
        }
    }
    let at = now();
    let row = OutboxRow {
        id: crate::new_id(),
        user_id: email.user_id.map(str::to_string),
        kind: email.kind.to_string(),
        dedupe_key: email.dedupe_key.map(str::to_string),
        recipient: email.recipient.to_string(),
        message: email.message.to_string(),
        state: PENDING.to_string(),
        attempts: 0,
        next_attempt_at: at,
        locked_until: None,
        last_error: None,
        created_at: at,
        sent_at: None,
        locked_by: None,
    };
    diesel::insert_into(outbox::table)
        .values(&row)
        .execute(conn)?;
    Ok(Some(row.id))
}

/// How `outbox` stores leased work, for the shared engine ([`crate::lease`]).
/// Delivery drops the body (see [`SENT_MESSAGE_PLACEHOLDER`]).
pub const TABLE: LeasedTable = LeasedTable {
    table: "outbox",
    due_column: "next_attempt_at",
    pending: PENDING,
    leased: SENDING,
    done: SENT,
    dead: DEAD,
    max_error_chars: MAX_ERROR_CHARS,
    on_claim: "",
    on_done: ", sent_at = $1, message = '{}'",
    on_retry: "",
    on_dead: "",
};

/// `last_error` is truncated to this many characters.
pub const MAX_ERROR_CHARS: usize = 1000;

impl LeasedRow for OutboxRow {
    fn lease_id(&self) -> &str {
        &self.id
    }

    fn due_at(&self) -> NaiveDateTime {
        self.next_attempt_at
    }
}

/// Claims up to `limit` due rows (pending and due, or sending with an expired
/// lease and attempts left) for `owner`, leased until `now + lease`, counting
/// the attempt now so a crash mid-send still counts. A row whose lease ran out
/// on its last attempt (`attempts >= max_attempts`) becomes `dead` instead.
/// Returned in due order. See [`crate::lease::claim`] (`FOR UPDATE SKIP
/// LOCKED` on PostgreSQL); run it in a short write transaction (`write_tx`).
pub fn claim_due(
    conn: &mut DbConnection,
    owner: &str,
    now: NaiveDateTime,
    lease: TimeDelta,
    limit: i64,
    max_attempts: i32,
) -> DbResult<Vec<OutboxRow>> {
    lease::claim(
        conn,
        &TABLE,
        AttemptBudget::Fixed(max_attempts),
        owner,
        now,
        lease,
        limit,
    )
}

/// Extends `owner`'s lease on a row being sent; false if it is no longer its own.
pub fn renew(
    conn: &mut DbConnection,
    id: &str,
    owner: &str,
    until: NaiveDateTime,
) -> DbResult<bool> {
    lease::renew(conn, &TABLE, id, owner, now(), until)
}

/// What a sent row keeps of its message: nothing. Bodies name other people
/// (introductions carry contact details), so once delivered they are dropped;
/// the row stays as a record of what went when, with its attempts and errors.
pub const SENT_MESSAGE_PLACEHOLDER: &str = "{}";

/// Records a delivery. Only a row still `sending` and leased by `owner`
/// moves; returns whether it did. `last_error` stays as the history of
/// earlier failed attempts.
pub fn mark_sent(conn: &mut DbConnection, id: &str, owner: &str) -> DbResult<bool> {
    lease::finish_done(conn, &TABLE, id, owner, now())
}

/// Records a failed attempt: back to `pending` at `retry_at`, or `dead` when
/// `retry_at` is `None`. Same ownership rule and return value as [`mark_sent`].
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    owner: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> DbResult<bool> {
    lease::finish_failed(conn, &TABLE, id, owner, now(), error, retry_at)
}

/// Deletes `sent` rows delivered before `before` and `cancelled` rows created
/// before it. Dedupe keys of deleted rows become free again, so keep history
/// at least as long as a duplicate enqueue of the same event is possible.
pub fn purge_finished(conn: &mut DbConnection, before: NaiveDateTime) -> DbResult<usize> {
    let sent = diesel::delete(
        outbox::table
            .filter(outbox::state.eq(SENT))
            .filter(outbox::sent_at.lt(before)),
    )
    .execute(conn)?;
    let cancelled = diesel::delete(
        outbox::table
            .filter(outbox::state.eq(CANCELLED))
            .filter(outbox::created_at.lt(before)),
    )
    .execute(conn)?;
    Ok(sent + cancelled)
}

/// Rows waiting to go out (pending or being sent): the backlog gauge.
pub fn backlog(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(outbox::table
        .filter(outbox::state.eq_any([PENDING, SENDING]))
        .count()
        .get_result(conn)?)
}

pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<OutboxRow>> {
    Ok(outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn for_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<OutboxRow>> {
    Ok(outbox::table
        .filter(outbox::user_id.eq(user_id))
        .order(outbox::created_at.asc())
        .select(OutboxRow::as_select())
        .load(conn)?)
}

pub fn count_in_state(conn: &mut DbConnection, state: &str) -> DbResult<i64> {
    Ok(outbox::table
        .filter(outbox::state.eq(state))
        .count()
        .get_result(conn)?)
}

/// A page of rows, optionally in one state, ordered by id.
pub fn list(
    conn: &mut DbConnection,
    state: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<OutboxRow>> {
    let mut query = outbox::table.select(OutboxRow::as_select()).into_boxed();
    if let Some(state) = state {
        query = query.filter(outbox::state.eq(state.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(outbox::id.gt(after.to_string()));
    }
    Ok(query.order(outbox::id.asc()).limit(limit).load(conn)?)
}

/// Gives a dead email a fresh start: pending now, attempts from zero.
pub fn retry_dead(conn: &mut DbConnection, id: &str) -> DbResult<bool> {
    let n = diesel::update(outbox::table.find(id).filter(outbox::state.eq(DEAD)))
        .set((
            outbox::state.eq(PENDING),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now()),
            outbox::locked_until.eq(None::<NaiveDateTime>),
            outbox::locked_by.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Deletes every email not yet delivered (pending, being sent, dead) whose
/// event key names `subject` (a match id): used by erasure.
pub fn delete_unsent_about(conn: &mut DbConnection, subject: &str) -> DbResult<usize> {
    Ok(diesel::delete(
        outbox::table
            .filter(outbox::dedupe_key.like(format!("%{subject}%")))
            .filter(outbox::state.ne(SENT)),
    )
    .execute(conn)?)
}
