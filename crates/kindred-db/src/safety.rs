//! Check-ins, blocks and reports.

use diesel::prelude::*;

use crate::models::{Block, CheckIn, Report};
use crate::schema::{blocks, check_ins, reports};
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

pub fn blocked_either_way(conn: &mut DbConnection, a: &str, b: &str) -> DbResult<bool> {
    let n: i64 = blocks::table
        .filter(
            (blocks::blocker_id.eq(a).and(blocks::blocked_id.eq(b)))
                .or(blocks::blocker_id.eq(b).and(blocks::blocked_id.eq(a))),
        )
        .count()
        .get_result(conn)?;
    Ok(n > 0)
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
