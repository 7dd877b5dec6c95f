//! Coordinator CSV imports: the uploaded file and its progress.

use diesel::prelude::*;

use crate::models::ImportRow;
use crate::schema::imports;
use crate::{now, DbConnection, DbResult};

pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

pub fn insert(conn: &mut DbConnection, row: &ImportRow) -> DbResult<()> {
    diesel::insert_into(imports::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<ImportRow>> {
    Ok(imports::table
        .find(id)
        .select(ImportRow::as_select())
        .first(conn)
        .optional()?)
}

/// The counters after a chunk of rows: how far the import got and what it
/// did so far (`failed` is the whole JSON report up to `processed`).
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub processed: i32,
    pub created: i32,
    pub updated: i32,
    pub failed: &'a str,
}

/// Records progress of a running import.
pub fn record_progress(conn: &mut DbConnection, id: &str, p: Progress<'_>) -> DbResult<()> {
    diesel::update(imports::table.find(id).filter(imports::state.eq(RUNNING)))
        .set((
            imports::processed.eq(p.processed),
            imports::created.eq(p.created),
            imports::updated.eq(p.updated),
            imports::failed.eq(p.failed),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends an import (`done` or `failed` with a reason) and forgets the file:
/// it names people and is not needed any more.
pub fn finish(conn: &mut DbConnection, id: &str, state: &str, error: Option<&str>) -> DbResult<()> {
    diesel::update(imports::table.find(id))
        .set((
            imports::state.eq(state),
            imports::error.eq(error),
            imports::body.eq(""),
            imports::finished_at.eq(Some(now())),
        ))
        .execute(conn)?;
    Ok(())
}
