//! Programme health for coordinators: queue, speed, outcomes, gaps.

use std::collections::BTreeMap;

use kindred_core::MatchState;
use kindred_db::models::{Match, Request};
use kindred_db::DbConnection;
use serde::Serialize;

pub mod trends;

use crate::caller::Caller;
use crate::error::ServiceResult;

/// Matches that end within this many days of starting count as ended early.
const EARLY_END_DAYS: i64 = 90;

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeMetrics {
    pub open_requests: usize,
    /// Open requests with no proposal or match in progress.
    pub waiting_unmatched: usize,
    pub oldest_wait_days: Option<i64>,
    /// Median hours from request to an active match, over all matched requests.
    pub median_hours_to_match: Option<f64>,
    pub proposed: usize,
    pub awaiting_mentor: usize,
    pub active_matches: usize,
    /// Accepted ÷ (accepted + declined + expired), over every answer so far.
    pub acceptance_rate: Option<f64>,
    pub declined: usize,
    pub expired: usize,
    pub rejected_by_coordinators: usize,
    pub ended: usize,
    pub ended_early: usize,
    /// Why matches ended early, by the reason given.
    pub ended_early_reasons: BTreeMap<String, usize>,
    /// Waiting, unmatched requests by the tag categories on the mentee's profile.
    pub unmatched_by_category: BTreeMap<String, usize>,
    pub open_reports: usize,
}

/// Median hours from request to an active match.
pub(crate) fn median_hours_to_match(requests: &[Request]) -> Option<f64> {
    let mut hours: Vec<f64> = requests
        .iter()
        .filter_map(|r| {
            r.matched_at
                .map(|t| (t - r.created_at).num_seconds() as f64 / 3600.0)
        })
        .collect();
    hours.sort_by(|a, b| a.total_cmp(b));
    (!hours.is_empty()).then(|| {
        let mid = hours.len() / 2;
        if hours.len().is_multiple_of(2) {
            (hours[mid - 1] + hours[mid]) / 2.0
        } else {
            hours[mid]
        }
    })
}

/// Matches that ended within `EARLY_END_DAYS` of starting.
pub(crate) fn ended_early(matches: &[Match]) -> Vec<&Match> {
    matches
        .iter()
        .filter(|m| m.state == kindred_core::MatchState::Ended)
        .filter(|m| match (m.activated_at, m.ended_at) {
            (Some(a), Some(e)) => (e - a).num_days() < EARLY_END_DAYS,
            _ => false,
        })
        .collect()
}

fn reasons(early: &[&Match]) -> BTreeMap<String, usize> {
    let mut reasons = BTreeMap::new();
    for m in early {
        let reason = m
            .ended_reason
            .clone()
            .unwrap_or_else(|| "no reason given".into());
        *reasons.entry(reason).or_insert(0) += 1;
    }
    reasons
}

/// Unmatched requests by the tag categories on the mentee's profile.
pub(crate) fn unmatched_by_category(
    conn: &mut DbConnection,
    unmatched: &[Request],
) -> ServiceResult<BTreeMap<String, usize>> {
    let tags: BTreeMap<String, String> = kindred_db::tags::list(conn, true)?
        .into_iter()
        .map(|t| (t.slug, t.category))
        .collect();
    let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
    for r in unmatched {
        if let Some(p) = kindred_db::profiles::get(conn, &r.mentee_id, "mentee")? {
            let mut categories: Vec<&String> = p
                .tags
                .iter()
                .filter_map(|t| tags.get(&t.tag_slug))
                .collect();
            categories.sort();
            categories.dedup();
            for c in categories {
                *by_category.entry(c.clone()).or_insert(0) += 1;
            }
        }
    }
    Ok(by_category)
}

/// Programme health (coordinators), read in one transaction.
pub fn metrics(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<ProgrammeMetrics> {
    caller.require_coordinator()?;
    kindred_db::read_tx(conn, |conn| -> ServiceResult<ProgrammeMetrics> {
        let requests = kindred_db::requests::all_requests(conn)?;
        let matches = kindred_db::matches::all_matches(conn)?;
        let unmatched = kindred_db::requests::unmatched_open_requests(conn)?;
        let reports = kindred_db::safety::list_reports(conn, None, i64::MAX)?;
        let now = kindred_db::now();
        let count = |state: MatchState| matches.iter().filter(|m| m.state == state).count();
        let open: Vec<_> = requests
            .iter()
            .filter(|r| r.state == kindred_core::RequestState::Open)
            .collect();
        let accepted = matches.iter().filter(|m| m.activated_at.is_some()).count();
        let (declined, expired) = (count(MatchState::Declined), count(MatchState::Expired));
        let answered = accepted + declined + expired;
        let early = ended_early(&matches);
        Ok(ProgrammeMetrics {
            open_requests: open.len(),
            waiting_unmatched: unmatched.len(),
            oldest_wait_days: open.iter().map(|r| (now - r.created_at).num_days()).max(),
            median_hours_to_match: median_hours_to_match(&requests),
            proposed: count(MatchState::Proposed),
            awaiting_mentor: count(MatchState::AwaitingMentor),
            active_matches: count(MatchState::Active),
            acceptance_rate: (answered > 0).then(|| accepted as f64 / answered as f64),
            declined,
            expired,
            rejected_by_coordinators: count(MatchState::Rejected),
            ended: count(MatchState::Ended),
            ended_early: early.len(),
            ended_early_reasons: reasons(&early),
            unmatched_by_category: unmatched_by_category(conn, &unmatched)?,
            open_reports: reports.iter().filter(|r| r.status == "open").count(),
        })
    })
}
