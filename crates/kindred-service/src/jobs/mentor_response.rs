//! The mentor's answer: a reminder halfway through the response time, and
//! expiry when it runs out.

use kindred_config::Settings;
use kindred_core::{MatchAction, MatchState};
use kindred_db::models::Match;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::error::ServiceResult;
use crate::matches::transitions::{self, Actor};

/// Reminds the mentor of a match still `awaiting_mentor`.
#[derive(Debug, Serialize, Deserialize)]
pub struct MentorReminder {
    pub match_id: String,
}

impl BackgroundJob for MentorReminder {
    const KIND: &'static str = "mentor_reminder";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.match_id))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        ctx.tx(move |conn, settings| crate::emails::mentor_reminder(conn, settings, &self.match_id))
            .await
    }
}

/// `awaiting_mentor → expired` when the mentor did not answer in time.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExpireMatch {
    pub match_id: String,
}

impl BackgroundJob for ExpireMatch {
    const KIND: &'static str = "expire_match";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.match_id))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        ctx.tx(move |conn, settings| expire(conn, settings, &self.match_id))
            .await
    }
}

fn expire(conn: &mut DbConnection, settings: &Settings, match_id: &str) -> ServiceResult<()> {
    let Some(m) = kindred_db::matches::get_match(conn, match_id)? else {
        return Ok(());
    };
    if m.state != MatchState::AwaitingMentor {
        return Ok(()); // answered in time
    }
    let reason = "the mentor did not answer in time";
    transitions::apply(
        conn,
        settings,
        &m.id,
        MatchAction::Expire,
        &Actor::SYSTEM,
        Some(reason),
    )?;
    Ok(())
}

/// Queues both jobs for a match that just entered `awaiting_mentor`.
pub(super) fn schedule(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
) -> ServiceResult<()> {
    let since = m.awaiting_since.unwrap_or_else(kindred_db::now);
    let timeout = settings.matching.response_timeout.as_chrono();
    let about_mentor = |run_at| EnqueueOptions {
        run_at: Some(run_at),
        subject_user: Some(m.mentor_id.clone()),
        max_attempts: None,
    };
    let match_id = m.id.clone();
    super::enqueue(
        conn,
        settings,
        &MentorReminder {
            match_id: match_id.clone(),
        },
        about_mentor(since + timeout / 2),
    )?;
    super::enqueue(
        conn,
        settings,
        &ExpireMatch { match_id },
        about_mentor(since + timeout),
    )
}
