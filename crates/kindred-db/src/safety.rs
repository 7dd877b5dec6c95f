//! Check-ins, blocks and reports.

use diesel::prelude::*;

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::models::{Block, CheckIn, Report, SafetyIdentity};
use crate::schema::{blocks, check_ins, reports, safety_identities};
use crate::{now, DbConnection, DbResult};

pub fn insert_check_in(conn: &mut DbConnection, c: &CheckIn) -> DbResult<()> {
    diesel::insert_into(check_ins::table)
        .values(c)
        .execute(conn)?;
    Ok(())
}

pub fn check_ins_for_match(conn: &mut DbConnection, match_id: &str) -> DbResult<Vec<CheckIn>> {
    Ok(check_ins::table
        .filter(check_ins::match_id.eq(match_id))
        .order((check_ins::created_at.asc(), check_ins::id.asc()))
        .select(CheckIn::as_select())
        .load(conn)?)
}

pub fn check_ins_by_author(conn: &mut DbConnection, author_id: &str) -> DbResult<Vec<CheckIn>> {
    Ok(check_ins::table
        .filter(check_ins::author_id.eq(author_id))
        .order(check_ins::created_at.asc())
        .select(CheckIn::as_select())
        .load(conn)?)
}

/// Check-ins that asked for support, newest first.
pub fn needs_support(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<CheckIn>> {
    Ok(check_ins::table
        .filter(check_ins::needs_support.eq(true))
        .order(check_ins::created_at.desc())
        .limit(limit)
        .select(CheckIn::as_select())
        .load(conn)?)
}

/// Records a block; blocking twice is a no-op. Returns whether it was new.
pub fn insert_block(conn: &mut DbConnection, blocker: &str, blocked: &str) -> DbResult<bool> {
    let exists: i64 = blocks::table
        .filter(blocks::blocker_id.eq(blocker))
        .filter(blocks::blocked_id.eq(blocked))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(blocks::table)
        .values(Block {
            blocker_id: blocker.to_string(),
            blocked_id: blocked.to_string(),
            created_at: now(),
        })
        .execute(conn)?;
    Ok(true)
}

/// Whether either of `a` and `b` blocked the other, counting the earlier
/// (erased) accounts with the same email as each of them.
pub fn blocked_either_way(conn: &mut DbConnection, a: &str, b: &str) -> DbResult<bool> {
    let ours = same_person(conn, a)?;
    let theirs = same_person(conn, b)?;
    let n: i64 = blocks::table
        .filter(
            (blocks::blocker_id
                .eq_any(&ours)
                .and(blocks::blocked_id.eq_any(&theirs)))
            .or(blocks::blocker_id
                .eq_any(&theirs)
                .and(blocks::blocked_id.eq_any(&ours))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Every block as (blocker, blocked), each side widened to every account
/// with the same email identity (a person who erased their account and
/// registered again is still blocked, and still blocks).
pub fn blocks_by_identity(conn: &mut DbConnection) -> DbResult<Vec<(String, String)>> {
    let blocked: Vec<(String, String)> = blocks::table
        .select((blocks::blocker_id, blocks::blocked_id))
        .load(conn)?;
    if blocked.is_empty() {
        return Ok(blocked);
    }
    // Identities of the people in a block, then every account sharing one.
    let involved: Vec<String> = safety_identities::table
        .filter(
            safety_identities::user_id
                .eq_any(blocks::table.select(blocks::blocker_id))
                .or(safety_identities::user_id.eq_any(blocks::table.select(blocks::blocked_id))),
        )
        .select(safety_identities::email_hash)
        .distinct()
        .load(conn)?;
    let mut by_hash: HashMap<String, Vec<String>> = HashMap::new();
    let mut hash_of: HashMap<String, String> = HashMap::new();
    for chunk in involved.chunks(500) {
        let rows: Vec<(String, String)> = safety_identities::table
            .filter(safety_identities::email_hash.eq_any(chunk))
            .select((safety_identities::user_id, safety_identities::email_hash))
            .load(conn)?;
        for (user_id, hash) in rows {
            by_hash
                .entry(hash.clone())
                .or_default()
                .push(user_id.clone());
            hash_of.insert(user_id, hash);
        }
    }
    let group = |id: &String| -> Vec<String> {
        hash_of
            .get(id)
            .and_then(|h| by_hash.get(h))
            .cloned()
            .unwrap_or_else(|| vec![id.clone()])
    };
    let mut pairs = Vec::new();
    for (a, b) in &blocked {
        let bs = group(b);
        for a2 in group(a) {
            for b2 in &bs {
                pairs.push((a2.clone(), b2.clone()));
            }
        }
    }
    Ok(pairs)
}

/// The account ids with the same email identity as `user_id` (itself
/// included, also when it has no identity row).
pub fn same_person(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<String>> {
    let hash: Option<String> = safety_identities::table
        .find(user_id)
        .select(safety_identities::email_hash)
        .first(conn)
        .optional()?;
    let mut ids: Vec<String> = match hash {
        Some(hash) => safety_identities::table
            .filter(safety_identities::email_hash.eq(hash))
            .select(safety_identities::user_id)
            .load(conn)?,
        None => Vec::new(),
    };
    if !ids.iter().any(|id| id == user_id) {
        ids.push(user_id.to_string());
    }
    Ok(ids)
}

/// Records the email identity of an account (once; later calls keep the first).
pub fn record_identity(conn: &mut DbConnection, user_id: &str, email_hash: &str) -> DbResult<()> {
    let exists: i64 = safety_identities::table
        .filter(safety_identities::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(safety_identities::table)
            .values(SafetyIdentity {
                user_id: user_id.to_string(),
                email_hash: email_hash.to_string(),
                created_at: now(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// At erasure: keeps the account's identity row only if a block (either
/// way) or a report about the account needs it; otherwise deletes it.
pub fn keep_identity_only_if_needed(conn: &mut DbConnection, user_id: &str) -> DbResult<bool> {
    let blocks_n: i64 = blocks::table
        .filter(
            blocks::blocker_id
                .eq(user_id)
                .or(blocks::blocked_id.eq(user_id)),
        )
        .count()
        .get_result(conn)?;
    let reports_n: i64 = reports::table
        .filter(reports::about_user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let needed = blocks_n > 0 || reports_n > 0;
    if !needed {
        diesel::delete(safety_identities::table.find(user_id)).execute(conn)?;
    }
    Ok(needed)
}

/// Reports about earlier (erased) accounts with the same email identity as
/// `user_id`: how many, and when the last was filed.
pub fn earlier_reports(
    conn: &mut DbConnection,
    user_id: &str,
) -> DbResult<(i64, Option<NaiveDateTime>)> {
    let earlier: Vec<String> = same_person(conn, user_id)?
        .into_iter()
        .filter(|id| id != user_id)
        .collect();
    if earlier.is_empty() {
        return Ok((0, None));
    }
    let dates: Vec<NaiveDateTime> = reports::table
        .filter(reports::about_user_id.eq_any(&earlier))
        .select(reports::created_at)
        .load(conn)?;
    let n = i64::try_from(dates.len()).unwrap_or(i64::MAX);
    Ok((n, dates.into_iter().max()))
}

/// Whether `blocker` has blocked `blocked` (one direction only).
pub fn has_blocked(conn: &mut DbConnection, blocker: &str, blocked: &str) -> DbResult<bool> {
    let n: i64 = blocks::table
        .filter(blocks::blocker_id.eq(blocker))
        .filter(blocks::blocked_id.eq(blocked))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn blocks_by(conn: &mut DbConnection, blocker: &str) -> DbResult<Vec<Block>> {
    Ok(blocks::table
        .filter(blocks::blocker_id.eq(blocker))
        .select(Block::as_select())
        .load(conn)?)
}

pub fn insert_report(conn: &mut DbConnection, r: &Report) -> DbResult<()> {
    diesel::insert_into(reports::table)
        .values(r)
        .execute(conn)?;
    Ok(())
}

pub fn list_reports(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<Report>> {
    let mut query = reports::table.select(Report::as_select()).into_boxed();
    if let Some(after) = after {
        query = query.filter(reports::id.gt(after.to_string()));
    }
    Ok(query.order(reports::id.asc()).limit(limit).load(conn)?)
}

pub fn reports_by(conn: &mut DbConnection, reporter: &str) -> DbResult<Vec<Report>> {
    Ok(reports::table
        .filter(reports::reporter_id.eq(reporter))
        .select(Report::as_select())
        .load(conn)?)
}

/// Which items of the coordinators' safety inbox a query wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Not handled yet.
    Open,
    /// Marked handled by a coordinator.
    Handled,
    /// Both.
    All,
}

/// One item of the safety inbox: a report, or a check-in that asked for support.
#[derive(Debug, Clone)]
pub enum InboxRow {
    Report(Report),
    CheckIn(CheckIn),
}

impl InboxRow {
    pub fn id(&self) -> &str {
        match self {
            InboxRow::Report(r) => &r.id,
            InboxRow::CheckIn(c) => &c.id,
        }
    }
}

/// Reports and check-ins with `needs_support`, newest first (ids are
/// time-ordered UUIDv7, unique across both tables), those older than the
/// item `before` only, at most `limit`. Each table gives at most `limit`
/// rows and the two are merged.
pub fn inbox(
    conn: &mut DbConnection,
    which: Handled,
    before: Option<&str>,
    limit: i64,
) -> DbResult<Vec<InboxRow>> {
    let mut r = reports::table.select(Report::as_select()).into_boxed();
    let mut c = check_ins::table
        .filter(check_ins::needs_support.eq(true))
        .select(CheckIn::as_select())
        .into_boxed();
    match which {
        Handled::Open => {
            r = r.filter(reports::handled_at.is_null());
            c = c.filter(check_ins::handled_at.is_null());
        }
        Handled::Handled => {
            r = r.filter(reports::handled_at.is_not_null());
            c = c.filter(check_ins::handled_at.is_not_null());
        }
        Handled::All => {}
    }
    if let Some(before) = before {
        r = r.filter(reports::id.lt(before.to_string()));
        c = c.filter(check_ins::id.lt(before.to_string()));
    }
    let reports: Vec<Report> = r.order(reports::id.desc()).limit(limit).load(conn)?;
    let check_ins: Vec<CheckIn> = c.order(check_ins::id.desc()).limit(limit).load(conn)?;
    let mut rows: Vec<InboxRow> = reports
        .into_iter()
        .map(InboxRow::Report)
        .chain(check_ins.into_iter().map(InboxRow::CheckIn))
        .collect();
    rows.sort_by(|a, b| b.id().cmp(a.id()));
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(rows)
}

pub fn find_report(conn: &mut DbConnection, id: &str) -> DbResult<Option<Report>> {
    Ok(reports::table
        .find(id)
        .select(Report::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_check_in(conn: &mut DbConnection, id: &str) -> DbResult<Option<CheckIn>> {
    Ok(check_ins::table
        .find(id)
        .select(CheckIn::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a report handled by `by` (a no-op when it already is: the first
/// handling is kept), or, with `None`, open again. Its `status` follows:
/// `resolved` while handled, `open` otherwise.
pub fn set_report_handled(conn: &mut DbConnection, id: &str, by: Option<&str>) -> DbResult<()> {
    match by {
        Some(by) => diesel::update(
            reports::table
                .find(id)
                .filter(reports::handled_at.is_null()),
        )
        .set((
            reports::handled_at.eq(now()),
            reports::handled_by.eq(by),
            reports::status.eq("resolved"),
        ))
        .execute(conn)?,
        None => diesel::update(reports::table.find(id))
            .set((
                reports::handled_at.eq(None::<NaiveDateTime>),
                reports::handled_by.eq(None::<String>),
                reports::status.eq("open"),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Marks a check-in handled by `by` (a no-op when it already is), or, with
/// `None`, open again.
pub fn set_check_in_handled(conn: &mut DbConnection, id: &str, by: Option<&str>) -> DbResult<()> {
    match by {
        Some(by) => diesel::update(
            check_ins::table
                .find(id)
                .filter(check_ins::handled_at.is_null()),
        )
        .set((
            check_ins::handled_at.eq(now()),
            check_ins::handled_by.eq(by),
        ))
        .execute(conn)?,
        None => diesel::update(check_ins::table.find(id))
            .set((
                check_ins::handled_at.eq(None::<NaiveDateTime>),
                check_ins::handled_by.eq(None::<String>),
            ))
            .execute(conn)?,
    };
    Ok(())
}
