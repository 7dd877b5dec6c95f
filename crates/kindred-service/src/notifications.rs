//! Which optional emails a person receives, and one-click unsubscribe.

use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::emails::{CHECKIN_REMINDERS, DIGEST, MENTOR_REMINDERS};
use crate::error::{ServiceError, ServiceResult};

/// Which optional emails a person receives. Introductions and safety
/// alerts are always sent.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationPrefs {
    pub checkin_reminders: bool,
    pub mentor_reminders: bool,
    /// Coordinators' periodic digest.
    pub digest: bool,
}

pub fn prefs_view(p: &kindred_db::models::NotificationPrefs) -> NotificationPrefs {
    NotificationPrefs {
        checkin_reminders: p.checkin_reminders,
        mentor_reminders: p.mentor_reminders,
        digest: p.digest,
    }
}

/// The caller's notification preferences.
pub fn get(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<NotificationPrefs> {
    Ok(prefs_view(&kindred_db::notifications::get_prefs(
        conn,
        caller.id(),
    )?))
}

/// Replaces the caller's notification preferences.
pub fn put(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NotificationPrefs,
) -> ServiceResult<NotificationPrefs> {
    let row = kindred_db::models::NotificationPrefs {
        user_id: caller.id().to_string(),
        checkin_reminders: input.checkin_reminders,
        mentor_reminders: input.mentor_reminders,
        digest: input.digest,
        updated_at: kindred_db::now(),
    };
    kindred_db::notifications::put_prefs(conn, &row)?;
    Ok(prefs_view(&row))
}

fn invalid_link() -> ServiceError {
    ServiceError::Forbidden("this unsubscribe link is not valid".into())
}

/// One-click unsubscribe: the signed token names the person and the
/// category, which is switched off. Returns the category.
pub fn unsubscribe(conn: &mut DbConnection, token: &str) -> ServiceResult<String> {
    let key = crate::emails::unsubscribe_key(conn)?;
    let Some((user_id, category)) = kindred_mail::unsubscribe::verify(&key, token) else {
        return Err(invalid_link());
    };
    let mut prefs = kindred_db::notifications::get_prefs(conn, &user_id)?;
    match category.as_str() {
        CHECKIN_REMINDERS => prefs.checkin_reminders = false,
        MENTOR_REMINDERS => prefs.mentor_reminders = false,
        DIGEST => prefs.digest = false,
        _ => return Err(invalid_link()),
    }
    prefs.updated_at = kindred_db::now();
    if kindred_db::users::find(conn, &user_id)?.is_some() {
        kindred_db::notifications::put_prefs(conn, &prefs)?;
    }
    Ok(category)
}
