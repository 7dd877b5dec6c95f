//! Coordinator alerts about a new report or a check-in asking for support,
//! batched when they flood: the first alert of a kind goes out at once and
//! opens a window (`safety.alert_batch_window`); further alerts of that kind
//! inside it are only counted (`alert_windows`, in the same transaction as
//! the report or check-in), and one [`AlertSummary`](crate::jobs::AlertSummary)
//! job at the end of the window sends each coordinator one summary: how many
//! more, and a link to the list. Never the text, never who.

use chrono::NaiveDateTime;
use kindred_config::Settings;
use kindred_db::alert_windows::Recorded;
use kindred_db::models::Match;
use kindred_db::DbConnection;
use kindred_mail::templates;

use super::{link, to_coordinators};
use crate::error::ServiceResult;

/// The kinds of coordinator alert that are batched, each with its own window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    Report,
    NeedsSupport,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Report => "report",
            AlertKind::NeedsSupport => "needs_support",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [AlertKind::Report, AlertKind::NeedsSupport]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// The list the summary links to.
    fn list_path(self) -> &'static str {
        match self {
            AlertKind::Report => "/reports",
            AlertKind::NeedsSupport => "/check-ins?needs_support=true",
        }
    }

    fn summary_kind(self) -> templates::SummaryKind {
        match self {
            AlertKind::Report => templates::SummaryKind::Report,
            AlertKind::NeedsSupport => templates::SummaryKind::NeedsSupport,
        }
    }

    fn summary_email_kind(self) -> &'static str {
        match self {
            AlertKind::Report => "alert_report_summary",
            AlertKind::NeedsSupport => "alert_needs_support_summary",
        }
    }
}

/// Counts one alert of `kind`: true if it is to be sent now (no window was
/// open); otherwise it is held, and the summary job for its window is queued
/// (once per window: the job's unique key).
fn send_now(conn: &mut DbConnection, settings: &Settings, kind: AlertKind) -> ServiceResult<bool> {
    let now = kindred_db::now();
    let until = now + settings.safety.alert_batch_window.as_chrono();
    match kindred_db::alert_windows::record(conn, kind.as_str(), now, until)? {
        Recorded::SendNow { .. } => Ok(true),
        Recorded::Held { until } => {
            crate::jobs::hold_alert(conn, settings, kind, until)?;
            Ok(false)
        }
    }
}

/// A new report: each coordinator is alerted (the alert does not carry the
/// text, nor who), unless a report alert went out within the window.
pub fn report_alert(
    conn: &mut DbConnection,
    settings: &Settings,
    report_id: &str,
) -> ServiceResult<()> {
    if !send_now(conn, settings, AlertKind::Report)? {
        return Ok(());
    }
    let url = link(settings, "/reports");
    to_coordinators(
        conn,
        settings,
        "alert_report",
        &format!("report:{report_id}"),
        None,
        &templates::CoordinatorAlertReport {
            report_id,
            link: &url,
        },
    )
}

/// A check-in asked for support: each coordinator is alerted, unless such an
/// alert went out within the window.
pub fn needs_support_alert(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
    check_in_id: &str,
    rating: i32,
) -> ServiceResult<()> {
    if !send_now(conn, settings, AlertKind::NeedsSupport)? {
        return Ok(());
    }
    let url = link(settings, &format!("/matches/{}/check-ins", m.id));
    to_coordinators(
        conn,
        settings,
        "alert_needs_support",
        &format!("needs_support:{check_in_id}"),
        None,
        &templates::CoordinatorAlertNeedsSupport {
            match_id: &m.id,
            rating,
            link: &url,
        },
    )
}

/// The end of a window of `kind` (the job keyed by `window_end`): one
/// summary to each coordinator of the alerts held in it, if any. Then the
/// window runs on for another period, so a flood that continues is summed up
/// once per window.
pub fn alert_summary(
    conn: &mut DbConnection,
    settings: &Settings,
    kind: AlertKind,
    window_end: NaiveDateTime,
) -> ServiceResult<()> {
    let window = settings.safety.alert_batch_window;
    let next_until = kindred_db::now() + window.as_chrono();
    let held = kindred_db::alert_windows::take_held(conn, kind.as_str(), next_until)?;
    if held == 0 {
        return Ok(());
    }
    let url = link(settings, kind.list_path());
    to_coordinators(
        conn,
        settings,
        kind.summary_email_kind(),
        &format!(
            "alert_summary:{}:{}",
            kind.as_str(),
            window_end.and_utc().timestamp_millis()
        ),
        None,
        &templates::CoordinatorAlertSummary {
            kind: kind.summary_kind(),
            count: held,
            window_secs: window.as_secs(),
            link: &url,
        },
    )
}
