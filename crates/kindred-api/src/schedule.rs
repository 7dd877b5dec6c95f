//! Timed follow-ups of lifecycle events (reminders, expiry). The scheduler
//! enqueues them as durable jobs in the same transaction as the event.

use kindred_config::Settings;
use kindred_db::models::Match;
use kindred_db::DbConnection;

use crate::error::ApiResult;

pub fn on_awaiting_mentor(_conn: &mut DbConnection, _settings: &Settings, _m: &Match) -> ApiResult<()> {
    Ok(())
}

pub fn on_active(_conn: &mut DbConnection, _settings: &Settings, _m: &Match) -> ApiResult<()> {
    Ok(())
}

/// Cancels every pending job concerning a person (erasure).
pub fn cancel_for_user(_conn: &mut DbConnection, _user_id: &str) -> ApiResult<()> {
    Ok(())
}
