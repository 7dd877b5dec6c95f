//! Circle runs (`POST /circle-runs`): the engine over every open request
//! and every facilitator with room; `proposed` circles unless a dry run.

use std::time::Instant;

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_core::FieldErrors;
use kindred_db::circles::CircleRun;
use kindred_db::DbConnection;
use kindred_matching as km;
use serde::{Deserialize, Serialize};

use super::formation::{insert_proposed, snapshot, to_json, Scope};
use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CircleRunInput {
    /// Report only; no circle is created.
    #[serde(default)]
    pub dry_run: bool,
    /// Overrides `circles.min_size` for this run (2..=20).
    #[serde(
        default,
        deserialize_with = "kindred_core::serde_util::optional_integer"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 2, maximum = 20))]
    pub min_size: Option<i64>,
    /// Overrides `circles.max_size` for this run (2..=20, ≥ min_size).
    #[serde(
        default,
        deserialize_with = "kindred_core::serde_util::optional_integer"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 2, maximum = 20))]
    pub max_size: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnplacedView {
    pub request_id: String,
    /// `no_compatible_facilitator`, `no_common_slot`,
    /// `too_few_compatible_people` or `lost_to_higher_scoring_circles`.
    pub reason: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircleRunView {
    pub id: String,
    pub dry_run: bool,
    pub min_size: i32,
    pub max_size: i32,
    /// Circles formed (created unless `dry_run`).
    pub circles: i32,
    pub placed: i32,
    pub unplaced: i32,
    pub total_score: i64,
    /// A proven upper bound on the best possible total.
    pub upper_bound: i64,
    pub duration_ms: i64,
    /// The engine's report: sizes, per-category placement, unplaced by
    /// reason, the bound and its gap.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub report: serde_json::Value,
    /// Each unplaced request with its reason.
    pub unplaced_requests: Vec<UnplacedView>,
    /// The proposed circles this run created (empty for a dry run).
    pub circle_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct StoredReport {
    report: serde_json::Value,
    unplaced: Vec<UnplacedView>,
    circle_ids: Vec<String>,
}

fn run_view(run: &CircleRun) -> ServiceResult<CircleRunView> {
    let stored: StoredReport = serde_json::from_str(&run.report).map_err(ServiceError::internal)?;
    Ok(CircleRunView {
        id: run.id.clone(),
        dry_run: run.dry_run,
        min_size: run.min_size,
        max_size: run.max_size,
        circles: run.circles,
        placed: run.placed,
        unplaced: run.unplaced,
        total_score: run.total_score,
        upper_bound: run.upper_bound,
        duration_ms: run.duration_ms,
        report: stored.report,
        unplaced_requests: stored.unplaced,
        circle_ids: stored.circle_ids,
        created_at: run.created_at.and_utc(),
    })
}

fn check_sizes(settings: &Settings, input: &CircleRunInput) -> ServiceResult<km::CircleConfig> {
    let mut e = FieldErrors::new();
    for (name, v) in [("min_size", input.min_size), ("max_size", input.max_size)] {
        if v.is_some_and(|v| !(2..=20).contains(&v)) {
            e.add(name, "must be between 2 and 20");
        }
    }
    let size = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    let config = super::engine_config(settings, size(input.min_size), size(input.max_size));
    if e.is_empty() && config.max_size < config.min_size {
        e.add("max_size", "must be at least min_size");
    }
    if e.is_empty() {
        Ok(config)
    } else {
        Err(e.into())
    }
}

fn reason_str(r: km::UnplacedReason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `POST /circle-runs`: forms circles from every open request and every
/// facilitator with room; creates them as `proposed` unless `dry_run`.
pub fn run(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &CircleRunInput,
) -> ServiceResult<CircleRunView> {
    caller.require_coordinator()?;
    let config = check_sizes(settings, input)?;
    let started = Instant::now();
    let snap = kindred_db::read_tx(conn, |conn| snapshot(conn, settings, config, &Scope::Open))?;
    let result = km::form_circles(&snap.problem, &km::CircleOptions::default())
        .map_err(|e| ServiceError::internal(format!("circle engine: {e}")))?;
    kindred_db::write_tx(conn, |conn| {
        let run_id = kindred_db::new_id();
        // The run row first: the circles reference it.
        let mut row = CircleRun {
            id: run_id.clone(),
            dry_run: input.dry_run,
            started_by: Some(caller.id().to_string()),
            min_size: i32::try_from(config.min_size).unwrap_or(0),
            max_size: i32::try_from(config.max_size).unwrap_or(0),
            circles: i32::try_from(result.circles.len()).unwrap_or(i32::MAX),
            placed: i32::try_from(result.report.placed).unwrap_or(i32::MAX),
            unplaced: i32::try_from(result.report.unplaced).unwrap_or(i32::MAX),
            total_score: result.objective,
            upper_bound: result.upper_bound,
            duration_ms: 0,
            report: "{}".into(),
            created_at: kindred_db::now(),
        };
        kindred_db::circles::runs::insert(conn, &row)?;
        let mut circle_ids = Vec::new();
        if !input.dry_run {
            for pc in &result.circles {
                if let Some(id) = insert_proposed(conn, Some(&run_id), pc, &snap.person_of, None)? {
                    circle_ids.push(id);
                }
            }
            row.circles = i32::try_from(circle_ids.len()).unwrap_or(i32::MAX);
        }
        let stored = StoredReport {
            report: serde_json::to_value(&result.report).map_err(ServiceError::internal)?,
            unplaced: result
                .unplaced
                .iter()
                .map(|u| UnplacedView {
                    request_id: u.request_id.clone(),
                    reason: reason_str(u.reason),
                })
                .collect(),
            circle_ids,
        };
        row.report = to_json(&stored)?;
        row.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        kindred_db::circles::runs::finish(conn, &row)?;
        run_view(&row)
    })
}

/// `GET /circle-runs/{id}` (coordinators).
pub fn get_run(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<CircleRunView> {
    caller.require_coordinator()?;
    let run = kindred_db::circles::runs::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    run_view(&run)
}

/// The latest runs, newest first (coordinators' console).
pub fn latest_runs(
    conn: &mut DbConnection,
    caller: &Caller,
    limit: i64,
) -> ServiceResult<Vec<CircleRunView>> {
    caller.require_coordinator()?;
    kindred_db::circles::runs::latest(conn, limit)?
        .iter()
        .map(run_view)
        .collect()
}
