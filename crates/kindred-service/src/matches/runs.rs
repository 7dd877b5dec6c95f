//! Matching runs: the engine over every open request and every accepting
//! mentor with free capacity, on one snapshot, and the proposals it makes.

use std::time::Instant;

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_db::models::MatchingRun;
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matches::transitions::{self, Actor};

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    /// `optimal` (maximum total score) or `stable` (no mentee and mentor who
    /// would both rather have each other).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "optimal", pattern = "^(optimal|stable)$")
    )]
    pub mode: String,
    /// Compute and report without creating proposals.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunView {
    pub id: String,
    pub mode: String,
    pub dry_run: bool,
    pub proposals: i32,
    pub unmatched: i32,
    pub total_score: i64,
    pub duration_ms: i64,
    pub created_at: DateTime<Utc>,
    /// Fairness report, optimality certificate and the unmatched requests with reasons.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub report: serde_json::Value,
}

pub fn run_view(r: &MatchingRun) -> RunView {
    RunView {
        id: r.id.clone(),
        mode: r.mode.clone(),
        dry_run: r.dry_run,
        proposals: r.proposals,
        unmatched: r.unmatched,
        total_score: r.total_score,
        duration_ms: r.duration_ms,
        created_at: r.created_at.and_utc(),
        report: serde_json::from_str(&r.report).unwrap_or(serde_json::Value::Null),
    }
}

fn parse_mode(raw: &str) -> ServiceResult<kindred_matching::Mode> {
    match raw {
        "optimal" => Ok(kindred_matching::Mode::Optimal),
        "stable" => Ok(kindred_matching::Mode::Stable),
        _ => Err(ServiceError::field("mode", "must be optimal or stable")),
    }
}

/// The run's row, written before its proposals (they point at it).
fn run_row(
    settings: &Settings,
    input: &RunInput,
    coordinator_id: &str,
    result: &kindred_matching::RunResult,
) -> MatchingRun {
    let report = serde_json::json!({
        "fairness": result.fairness,
        "certificate": result.certificate,
        "unmatched": result.unmatched,
        "pairs_scored": result.pairs_scored,
        "auto_approve": settings.matching.auto_approve,
    });
    MatchingRun {
        id: kindred_db::new_id(),
        mode: input.mode.clone(),
        dry_run: input.dry_run,
        started_by: Some(coordinator_id.to_string()),
        proposals: i32::try_from(result.pairs.len()).unwrap_or(i32::MAX),
        unmatched: i32::try_from(result.unmatched.len()).unwrap_or(i32::MAX),
        total_score: result.pairs.iter().map(|p| p.score).sum(),
        duration_ms: 0,
        report: report.to_string(),
        created_at: kindred_db::now(),
    }
}

/// One proposal per pair of the result (or auto-approved matches).
fn propose_all(
    conn: &mut DbConnection,
    settings: &Settings,
    result: &kindred_matching::RunResult,
    run_id: &str,
    actor: &Actor<'_>,
) -> ServiceResult<()> {
    for pair in &result.pairs {
        let request = kindred_db::requests::get_request(conn, &pair.request_id)?
            .ok_or_else(|| ServiceError::Internal("request vanished during the run".into()))?;
        transitions::create(
            conn,
            settings,
            &request,
            &pair.mentor_id,
            pair.score,
            &pair.explanation,
            Some(run_id),
            None,
            actor,
        )?;
    }
    Ok(())
}

/// Runs the matcher (coordinators). Runs never overlap: a second one waits
/// for the first and then sees its proposals.
pub fn start(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &RunInput,
) -> ServiceResult<RunView> {
    caller.require_coordinator()?;
    let mode = parse_mode(&input.mode)?;
    let weights = crate::matchmaking::weights(settings)?;
    let row = kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let started = Instant::now();
        kindred_db::runs::lock_matching_runs(conn)?;
        let problem = crate::matchmaking::snapshot(conn, weights, None)?;
        let result = kindred_matching::run(&problem, mode)
            .map_err(|e| ServiceError::Internal(format!("matching: {e}")))?;
        let mut row = run_row(settings, input, caller.id(), &result);
        kindred_db::runs::insert_run(conn, &row)?;
        if !input.dry_run {
            let actor = Actor {
                user_id: Some(caller.id()),
                role: "coordinator",
            };
            propose_all(conn, settings, &result, &row.id, &actor)?;
        }
        row.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        kindred_db::runs::set_run_duration(conn, &row.id, row.duration_ms)?;
        Ok(row)
    })?;
    Ok(run_view(&row))
}

/// A matching run and its report (coordinators).
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<RunView> {
    caller.require_coordinator()?;
    let run = kindred_db::runs::get_run(conn, id)?.ok_or(ServiceError::NotFound)?;
    Ok(run_view(&run))
}

/// How many of a run's proposals are still waiting for review.
pub fn pending_proposals(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> ServiceResult<usize> {
    caller.require_coordinator()?;
    kindred_db::runs::get_run(conn, id)?.ok_or(ServiceError::NotFound)?;
    Ok(kindred_db::matches::ids_of_run(conn, id, kindred_core::MatchState::Proposed)?.len())
}

/// What approving a run's proposals did.
#[derive(Debug, Serialize)]
pub struct BulkApproval {
    pub approved: usize,
    /// Proposals left as they were: the mentor's capacity was taken
    /// meanwhile, or the match changed (each is a `409` on its own).
    pub skipped: usize,
}

/// Approves every proposal of run `id` still waiting for review, one
/// transaction each (as `POST /matches/{id}/approve` would): a proposal
/// that can no longer be approved is skipped and counted, never half-done.
pub fn approve_all(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<BulkApproval> {
    caller.require_coordinator()?;
    kindred_db::runs::get_run(conn, id)?.ok_or(ServiceError::NotFound)?;
    let ids = kindred_db::matches::ids_of_run(conn, id, kindred_core::MatchState::Proposed)?;
    let mut done = BulkApproval {
        approved: 0,
        skipped: 0,
    };
    for match_id in ids {
        let approved = crate::matches::actions::act(
            conn,
            settings,
            caller,
            &match_id,
            kindred_core::MatchAction::Approve,
            None,
        );
        match approved {
            Ok(_) => done.approved += 1,
            Err(ServiceError::Conflict { .. }) => done.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
