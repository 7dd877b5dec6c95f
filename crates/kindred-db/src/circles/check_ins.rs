//! Circle attendance and check-ins.

use diesel::prelude::*;

use super::{Attendance, CircleCheckIn};
use crate::schema::{circle_attendance, circle_check_ins};
use crate::{DbConnection, DbResult};

/// Replaces the attendance of one session.
pub fn record_attendance(
    conn: &mut DbConnection,
    circle_id: &str,
    session_n: i32,
    rows: &[Attendance],
) -> DbResult<()> {
    diesel::delete(
        circle_attendance::table
            .filter(circle_attendance::circle_id.eq(circle_id))
            .filter(circle_attendance::session_n.eq(session_n)),
    )
    .execute(conn)?;
    for r in rows {
        diesel::insert_into(circle_attendance::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

pub fn attendance(conn: &mut DbConnection, circle_id: &str) -> DbResult<Vec<Attendance>> {
    Ok(circle_attendance::table
        .filter(circle_attendance::circle_id.eq(circle_id))
        .order((
            circle_attendance::session_n.asc(),
            circle_attendance::user_id.asc(),
        ))
        .select(Attendance::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, c: &CircleCheckIn) -> DbResult<()> {
    diesel::insert_into(circle_check_ins::table)
        .values(c)
        .execute(conn)?;
    Ok(())
}

/// A circle's check-ins, newest first; `author` limits them to one person's.
pub fn of_circle(
    conn: &mut DbConnection,
    circle_id: &str,
    author: Option<&str>,
) -> DbResult<Vec<CircleCheckIn>> {
    let mut q = circle_check_ins::table
        .filter(circle_check_ins::circle_id.eq(circle_id))
        .select(CircleCheckIn::as_select())
        .into_boxed();
    if let Some(a) = author {
        q = q.filter(circle_check_ins::author_id.eq(a.to_string()));
    }
    Ok(q.order(circle_check_ins::id.desc()).load(conn)?)
}

pub fn by_author(conn: &mut DbConnection, author: &str) -> DbResult<Vec<CircleCheckIn>> {
    Ok(circle_check_ins::table
        .filter(circle_check_ins::author_id.eq(author))
        .select(CircleCheckIn::as_select())
        .load(conn)?)
}

/// Erasure: the person's check-in notes go (ratings stay, anonymous).
pub fn scrub_author(conn: &mut DbConnection, author: &str) -> DbResult<()> {
    diesel::update(circle_check_ins::table.filter(circle_check_ins::author_id.eq(author)))
        .set(circle_check_ins::note.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}
