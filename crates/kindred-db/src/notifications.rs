//! Notification preferences (which optional emails a person receives).

use diesel::prelude::*;

use crate::models::NotificationPrefs;
use crate::schema::notification_prefs;
use crate::{now, DbConnection, DbResult};

pub fn get_prefs(conn: &mut DbConnection, user_id: &str) -> DbResult<NotificationPrefs> {
    let found = notification_prefs::table
        .find(user_id)
        .select(NotificationPrefs::as_select())
        .first(conn)
        .optional()?;
    Ok(found.unwrap_or(NotificationPrefs {
        user_id: user_id.to_string(),
        checkin_reminders: true,
        mentor_reminders: true,
        digest: true,
        updated_at: now(),
    }))
}

pub fn put_prefs(conn: &mut DbConnection, prefs: &NotificationPrefs) -> DbResult<()> {
    let n = diesel::update(notification_prefs::table.find(&prefs.user_id))
        .set(prefs)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(notification_prefs::table)
            .values(prefs)
            .execute(conn)?;
    }
    Ok(())
}
