//! Circle runs.

use diesel::prelude::*;

use super::CircleRun;
use crate::schema::circle_runs;
use crate::{DbConnection, DbResult};

pub fn insert(conn: &mut DbConnection, run: &CircleRun) -> DbResult<()> {
    diesel::insert_into(circle_runs::table)
        .values(run)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<CircleRun>> {
    Ok(circle_runs::table
        .find(id)
        .select(CircleRun::as_select())
        .first(conn)
        .optional()?)
}

/// The latest runs, newest first.
pub fn latest(conn: &mut DbConnection, limit: i64) -> DbResult<Vec<CircleRun>> {
    Ok(circle_runs::table
        .order(circle_runs::id.desc())
        .limit(limit)
        .select(CircleRun::as_select())
        .load(conn)?)
}

/// Writes a run's final figures and report.
pub fn finish(conn: &mut DbConnection, run: &CircleRun) -> DbResult<()> {
    diesel::update(circle_runs::table.find(&run.id))
        .set((
            circle_runs::circles.eq(run.circles),
            circle_runs::report.eq(&run.report),
            circle_runs::duration_ms.eq(run.duration_ms),
        ))
        .execute(conn)?;
    Ok(())
}
