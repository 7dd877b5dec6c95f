//! A circle invitation left unanswered for `circles.invite_timeout` expires;
//! the place goes to the next compatible open request.

use kindred_config::Settings;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::error::ServiceResult;

#[derive(Debug, Serialize, Deserialize)]
pub struct ExpireCircleInvitation {
    pub circle_id: String,
    pub request_id: String,
}

impl BackgroundJob for ExpireCircleInvitation {
    const KIND: &'static str = "expire_circle_invitation";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}",
            Self::KIND,
            self.circle_id,
            self.request_id
        ))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        ctx.tx(move |conn, settings| {
            crate::circles::transitions::expire_invitation(
                conn,
                settings,
                &self.circle_id,
                &self.request_id,
            )
            .map(|_| ())
        })
        .await
    }
}

/// Queues the expiry of a member's invitation sent now.
pub fn schedule_invitation_expiry(
    conn: &mut DbConnection,
    settings: &Settings,
    circle_id: &str,
    request_id: &str,
) -> ServiceResult<()> {
    let subject = kindred_db::circles::requests::get(conn, request_id)?.map(|r| r.user_id);
    super::enqueue(
        conn,
        settings,
        &ExpireCircleInvitation {
            circle_id: circle_id.to_string(),
            request_id: request_id.to_string(),
        },
        EnqueueOptions {
            run_at: Some(kindred_db::now() + settings.circles.invite_timeout.as_chrono()),
            subject_user: subject,
            max_attempts: None,
        },
    )
}
