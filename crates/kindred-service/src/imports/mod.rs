//! Coordinators' CSV imports of participants (`POST /admin/imports`,
//! `kindred import participants`).
//!
//! [`start`] checks the whole file (UTF-8, CSV, known columns, an `email`
//! column; else `422` and nothing is stored), stores it in `imports` and
//! queues the [`crate::jobs::ImportParticipants`] job in the same
//! transaction. [`run`] (the job, or the command line directly) applies the
//! rows in chunks of [`CHUNK`]: one write transaction per chunk, one
//! savepoint per row, so a bad row is reported with its number and leaves
//! nothing behind, and progress is committed with the rows it counts (a
//! crashed run resumes after the last committed chunk). A dry run applies
//! each chunk the same way and rolls it back: the same errors and counts,
//! nothing written, no email.

mod file;
mod row;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_core::Email;
use kindred_db::models::ImportRow;
use kindred_db::{DbConnection, Pool};
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use row::{Context, Outcome};

pub use file::{parse as parse_file, ParsedFile};

/// Rows per write transaction.
pub const CHUNK: usize = 250;

/// The answer of `POST /admin/imports`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportStarted {
    /// Read the progress with `GET /admin/imports/{id}`.
    pub id: String,
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ImportState {
    /// Rows are being applied.
    Running,
    /// Every row was applied or reported in `failed`.
    Done,
    /// The import stopped (see `error`); rows before `processed` were applied.
    Failed,
}

/// A row that was not imported: its number (the row a spreadsheet shows;
/// the header is row 1) and its errors by column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedRow {
    pub row: u32,
    #[cfg_attr(feature = "openapi", schema(example = json!({"timezone": ["must be an IANA time zone name, e.g. Europe/Madrid"]})))]
    pub errors: BTreeMap<String, Vec<String>>,
}

/// `GET /admin/imports/{id}`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportView {
    pub id: String,
    pub state: ImportState,
    /// Nothing is written and no email is sent; the counts say what would happen.
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: u32,
    /// Rows handled so far (applied, unchanged or failed).
    pub processed: u32,
    /// New accounts (each got an invitation email).
    pub created: u32,
    /// Existing accounts whose name, pronouns, role or profile changed.
    pub updated: u32,
    /// Rows not imported, in file order.
    pub failed: Vec<FailedRow>,
    /// Why a `failed` import stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
}

fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn view(row: &ImportRow) -> ServiceResult<ImportView> {
    let failed: Vec<FailedRow> = serde_json::from_str(&row.failed)
        .map_err(|e| ServiceError::Internal(format!("import report unreadable: {e}")))?;
    let state = match row.state.as_str() {
        kindred_db::imports::RUNNING => ImportState::Running,
        kindred_db::imports::DONE => ImportState::Done,
        _ => ImportState::Failed,
    };
    Ok(ImportView {
        id: row.id.clone(),
        state,
        dry_run: row.dry_run,
        rows: count(row.total_rows),
        processed: count(row.processed),
        created: count(row.created),
        updated: count(row.updated),
        failed,
        error: row.error.clone(),
        created_at: row.created_at.and_utc(),
        finished_at: row.finished_at.map(|t| t.and_utc()),
    })
}

/// Checks and stores an uploaded file and queues its processing
/// (coordinators). A file that cannot be imported at all is `Invalid` under
/// `file` or `header`.
pub fn start(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    body: &[u8],
    dry_run: bool,
) -> ServiceResult<ImportStarted> {
    caller.require_coordinator()?;
    let id = create(conn, settings, Some(caller.id()), body, dry_run, true)?;
    Ok(ImportStarted { id })
}

/// Stores an import of `body` (checked first). With `queue_job` the job
/// worker runs it; without, the caller runs it with [`run`] (the command line).
pub fn create(
    conn: &mut DbConnection,
    settings: &Settings,
    started_by: Option<&str>,
    body: &[u8],
    dry_run: bool,
    queue_job: bool,
) -> ServiceResult<String> {
    let parsed = file::parse(body)?;
    let text = std::str::from_utf8(body).map_err(ServiceError::internal)?;
    let row = ImportRow {
        id: kindred_db::new_id(),
        started_by: started_by.map(str::to_string),
        dry_run,
        state: kindred_db::imports::RUNNING.to_string(),
        body: text.to_string(),
        total_rows: i32::try_from(parsed.records.len()).unwrap_or(i32::MAX),
        processed: 0,
        created: 0,
        updated: 0,
        failed: "[]".to_string(),
        error: None,
        created_at: kindred_db::now(),
        finished_at: None,
    };
    kindred_db::write_tx(conn, |conn| -> ServiceResult<()> {
        kindred_db::imports::insert(conn, &row)?;
        if queue_job {
            crate::jobs::enqueue_import(conn, settings, &row.id)?;
        }
        Ok(())
    })?;
    Ok(row.id)
}

/// An import's progress and report (coordinators); `NotFound` for an unknown id.
pub fn status(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<ImportView> {
    caller.require_coordinator()?;
    let row = kindred_db::imports::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    view(&row)
}

/// Every record whose (valid) email an earlier record already has, by
/// index, with the earlier record's row number.
fn duplicates(parsed: &ParsedFile) -> HashMap<usize, u32> {
    let mut first: HashMap<String, u32> = HashMap::new();
    let mut out = HashMap::new();
    for (i, (line, record)) in parsed.records.iter().enumerate() {
        let cells: Vec<&str> = record.iter().collect();
        let cell = parsed
            .header
            .cell(&cells, kindred_core::import::Column::Email)
            .unwrap_or("");
        let Ok(email) = Email::parse(cell) else {
            continue;
        };
        match first.get(email.as_str()) {
            Some(row) => {
                out.insert(i, *row);
            }
            None => {
                first.insert(email.into_string(), *line);
            }
        }
    }
    out
}

/// What one chunk did.
#[derive(Debug, Default)]
struct Chunk {
    created: i32,
    updated: i32,
    failed: Vec<FailedRow>,
}

/// A chunk's transaction ends with an error: a real one, or the roll-back
/// of a dry run carrying what the chunk would have done.
enum ChunkEnd {
    DryRun(Chunk),
    Error(ServiceError),
}

impl From<diesel::result::Error> for ChunkEnd {
    fn from(e: diesel::result::Error) -> Self {
        ChunkEnd::Error(e.into())
    }
}

impl From<kindred_db::DbError> for ChunkEnd {
    fn from(e: kindred_db::DbError) -> Self {
        ChunkEnd::Error(e.into())
    }
}

impl From<ServiceError> for ChunkEnd {
    fn from(e: ServiceError) -> Self {
        ChunkEnd::Error(e)
    }
}

fn apply_chunk(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    rows: &[(usize, &(u32, csv::StringRecord))],
    dups: &HashMap<usize, u32>,
) -> ServiceResult<Chunk> {
    use diesel::Connection;
    let mut out = Chunk::default();
    for (index, (line, record)) in rows {
        if let Some(first) = dups.get(index) {
            let mut errors = BTreeMap::new();
            errors.insert(
                "email".to_string(),
                vec![format!(
                    "appears more than once in the file (first on row {first}); only that row is imported"
                )],
            );
            out.failed.push(FailedRow { row: *line, errors });
            continue;
        }
        let cells: Vec<&str> = record.iter().collect();
        // A savepoint: a row that fails leaves nothing behind.
        match conn.transaction(|sp| row::apply(sp, ctx, &cells)) {
            Ok(Outcome::Created) => out.created += 1,
            Ok(Outcome::Updated) => out.updated += 1,
            Ok(Outcome::Unchanged) => {}
            Err(ServiceError::Invalid(errors)) => out.failed.push(FailedRow {
                row: *line,
                errors: errors.into_map(),
            }),
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}

/// Applies the rows of import `id` not processed yet, calling `progress`
/// after each chunk, and ends it. Used by the job and by the command line.
/// A transient failure (database unavailable) is returned, to be retried;
/// an import that cannot go on is ended `failed`.
pub fn run(
    pool: &Pool,
    settings: &Settings,
    id: &str,
    progress: &mut dyn FnMut(&ImportView),
) -> ServiceResult<ImportView> {
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    let conn = &mut *conn;
    let row = kindred_db::imports::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    if row.state != kindred_db::imports::RUNNING {
        return view(&row);
    }
    let parsed = match file::parse_text(&row.body) {
        Ok(p) => p,
        Err(e) => {
            let reason = format!("the stored file can no longer be read: {e}");
            kindred_db::imports::finish(conn, id, kindred_db::imports::FAILED, Some(&reason))?;
            return status_of(conn, id);
        }
    };
    let dups = duplicates(&parsed);
    let mut failed: Vec<FailedRow> = view(&row)?.failed;
    let (mut processed, mut created, mut updated) = (row.processed, row.created, row.updated);
    let start = usize::try_from(row.processed).unwrap_or(0);
    let indexed: Vec<(usize, &(u32, csv::StringRecord))> =
        parsed.records.iter().enumerate().skip(start).collect();
    for rows in indexed.chunks(CHUNK) {
        let taxonomy = crate::profiles::taxonomy(conn)?;
        let ctx = Context {
            settings,
            header: &parsed.header,
            taxonomy: &taxonomy,
        };
        let n = i32::try_from(rows.len()).unwrap_or(i32::MAX);
        let outcome = kindred_db::write_tx(conn, |c| -> Result<Chunk, ChunkEnd> {
            let chunk = apply_chunk(c, &ctx, rows, &dups)?;
            if row.dry_run {
                return Err(ChunkEnd::DryRun(chunk));
            }
            let mut all = failed.clone();
            all.extend(chunk.failed.iter().cloned());
            let report = serde_json::to_string(&all).map_err(ServiceError::internal)?;
            kindred_db::imports::record_progress(
                c,
                id,
                kindred_db::imports::Progress {
                    processed: processed + n,
                    created: created + chunk.created,
                    updated: updated + chunk.updated,
                    failed: &report,
                },
            )?;
            Ok(chunk)
        });
        let chunk = match outcome {
            Ok(chunk) => chunk,
            Err(ChunkEnd::DryRun(chunk)) => {
                let mut all = failed.clone();
                all.extend(chunk.failed.iter().cloned());
                let report = serde_json::to_string(&all).map_err(ServiceError::internal)?;
                kindred_db::imports::record_progress(
                    conn,
                    id,
                    kindred_db::imports::Progress {
                        processed: processed + n,
                        created: created + chunk.created,
                        updated: updated + chunk.updated,
                        failed: &report,
                    },
                )?;
                chunk
            }
            Err(ChunkEnd::Error(e)) => return Err(e),
        };
        processed += n;
        created += chunk.created;
        updated += chunk.updated;
        failed.extend(chunk.failed);
        progress(&status_of(conn, id)?);
    }
    kindred_db::imports::finish(conn, id, kindred_db::imports::DONE, None)?;
    status_of(conn, id)
}

/// Ends import `id` as `failed` with `reason` (the job gave up on it).
pub fn fail(conn: &mut DbConnection, id: &str, reason: &str) -> ServiceResult<()> {
    Ok(kindred_db::imports::finish(
        conn,
        id,
        kindred_db::imports::FAILED,
        Some(reason),
    )?)
}

fn status_of(conn: &mut DbConnection, id: &str) -> ServiceResult<ImportView> {
    let row = kindred_db::imports::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    view(&row)
}
