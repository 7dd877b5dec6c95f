//! The mail outbox: every email is first a row written in the same transaction
//! as the event that causes it, then delivered by a background loop.
//!
//! Rows move `pending → sending → sent`, or back to `pending` with a later
//! `next_attempt_at` after a transient failure, or to `dead` after too many
//! attempts or a permanent failure. A `sending` row whose lease ran out (its
//! worker died) is claimed again, so nothing is lost; at most the messages in
//! flight at a crash can go twice.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

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
    };
    diesel::insert_into(outbox::table)
        .values(&row)
        .execute(conn)?;
    Ok(Some(row.id))
}

/// Claims up to `limit` due rows (pending and due, or sending with an expired
/// lease) for one worker, counting the attempt now so a crash mid-send still
/// counts. PostgreSQL uses `FOR UPDATE SKIP LOCKED` so many workers never
/// claim the same row; SQLite has one writer, so a single statement is atomic.
pub fn claim_due(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> DbResult<Vec<OutboxRow>> {
    let rows = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, locked_until = $1 \
             WHERE id IN (SELECT id FROM outbox \
               WHERE (state = 'pending' AND next_attempt_at <= $2) \
                  OR (state = 'sending' AND locked_until <= $2) \
               ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
        )
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(at)
        .bind::<BigInt, _>(limit)
        .load::<OutboxRow>(pg)?,
        DbConnection::Sqlite(lite) => diesel::sql_query(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, locked_until = ? \
             WHERE id IN (SELECT id FROM outbox \
               WHERE (state = 'pending' AND next_attempt_at <= ?) \
                  OR (state = 'sending' AND locked_until <= ?) \
               ORDER BY next_attempt_at, id LIMIT ?) \
             RETURNING *",
        )
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(at)
        .bind::<Timestamp, _>(at)
        .bind::<BigInt, _>(limit)
        .load::<OutboxRow>(lite)?,
    };
    Ok(rows)
}

/// What a sent row keeps of its message: nothing. Bodies name other people
/// (introductions carry contact details), so once delivered they are dropped;
/// the row stays as a record of what went when, with its attempts and errors.
pub const SENT_MESSAGE_PLACEHOLDER: &str = "{}";

/// Records a delivery. Only a row still leased by us (state `sending`) moves;
/// `last_error` stays as the history of earlier failed attempts.
pub fn mark_sent(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    diesel::update(outbox::table.find(id).filter(outbox::state.eq(SENDING)))
        .set((
            outbox::message.eq(SENT_MESSAGE_PLACEHOLDER),
            outbox::state.eq(SENT),
            outbox::sent_at.eq(now()),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: back to `pending` at `retry_at`, or `dead` when
/// `retry_at` is `None`.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> DbResult<()> {
    let error: String = error.chars().take(1000).collect();
    let target = outbox::table.find(id).filter(outbox::state.eq(SENDING));
    match retry_at {
        Some(at) => diesel::update(target)
            .set((
                outbox::state.eq(PENDING),
                outbox::next_attempt_at.eq(at),
                outbox::locked_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                outbox::state.eq(DEAD),
                outbox::locked_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(error),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Cancels every email not yet sent to a person.
pub fn cancel_pending_for_user(conn: &mut DbConnection, user_id: &str) -> DbResult<usize> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::user_id.eq(user_id))
            .filter(outbox::state.eq_any([PENDING, SENDING])),
    )
    .set(outbox::state.eq(CANCELLED))
    .execute(conn)?)
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
