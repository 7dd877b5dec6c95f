//! The summary of coordinator alerts held during a batching window (see
//! `crate::emails::alerts`).

use chrono::{DateTime, NaiveDateTime};
use kindred_config::Settings;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::emails::AlertKind;
use crate::error::ServiceResult;

/// Runs at the end of one window of one alert kind. No personal data: the
/// kind and the window's end only.
#[derive(Debug, Serialize, Deserialize)]
pub struct AlertSummary {
    /// `report` or `needs_support`.
    pub kind: String,
    /// The window's end, milliseconds since the Unix epoch.
    pub window_end_ms: i64,
}

impl BackgroundJob for AlertSummary {
    const KIND: &'static str = "alert_summary";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}",
            Self::KIND,
            self.kind,
            self.window_end_ms
        ))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        let Some(kind) = AlertKind::parse(&self.kind) else {
            return Err(JobError::permanent(format!(
                "unknown alert kind {:?}",
                self.kind
            )));
        };
        let Some(window_end) = DateTime::from_timestamp_millis(self.window_end_ms) else {
            return Err(JobError::permanent("window end out of range"));
        };
        let window_end = window_end.naive_utc();
        ctx.tx(move |conn, settings| crate::emails::alert_summary(conn, settings, kind, window_end))
            .await
    }
}

/// An alert of `kind` was held in the window that ends at `until`: queue
/// that window's summary (a no-op for every alert after the first).
pub fn hold_alert(
    conn: &mut DbConnection,
    settings: &Settings,
    kind: AlertKind,
    until: NaiveDateTime,
) -> ServiceResult<()> {
    let job = AlertSummary {
        kind: kind.as_str().to_owned(),
        window_end_ms: until.and_utc().timestamp_millis(),
    };
    super::enqueue(
        conn,
        settings,
        &job,
        EnqueueOptions {
            run_at: Some(until),
            ..EnqueueOptions::default()
        },
    )
}
