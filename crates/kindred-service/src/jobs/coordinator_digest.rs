//! The coordinators' digest, queued by the scheduler tick.

use kindred_config::Settings;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::error::ServiceResult;

/// The digest of one `digest_interval` period (periods count from the epoch).
#[derive(Debug, Serialize, Deserialize)]
pub struct CoordinatorDigest {
    pub period: u64,
    /// The interval the period is counted in (seconds); part of the key so a
    /// changed interval starts fresh.
    #[serde(skip)]
    pub interval_secs: u64,
}

impl BackgroundJob for CoordinatorDigest {
    const KIND: &'static str = "coordinator_digest";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}",
            Self::KIND,
            self.interval_secs,
            self.period
        ))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        let period = self.period;
        ctx.tx(move |conn, settings| crate::emails::coordinator_digest(conn, settings, period))
            .await
    }
}

/// Enqueues this period's coordinator digest (one per `digest_interval`,
/// whoever's tick gets there first).
pub fn enqueue_digest(conn: &mut DbConnection, settings: &Settings) -> ServiceResult<()> {
    let interval = settings.schedule.digest_interval.as_secs().max(1);
    let now = kindred_db::now();
    let period = u64::try_from(now.and_utc().timestamp()).unwrap_or(0) / interval;
    let job = CoordinatorDigest {
        period,
        interval_secs: interval,
    };
    super::enqueue(conn, settings, &job, EnqueueOptions::default())
}
