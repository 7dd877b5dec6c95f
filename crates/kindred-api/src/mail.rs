//! Queues email into the outbox inside the caller's transaction.

use kindred_config::Settings;
use kindred_db::DbConnection;
use kindred_mail::{OutgoingEmail, RenderedEmail};

use crate::error::ApiResult;

/// What to queue: the rendered message and who it concerns.
pub struct QueuedEmail<'a> {
    pub user_id: Option<&'a str>,
    pub kind: &'a str,
    pub to: &'a str,
    pub rendered: RenderedEmail,
    /// One email per event: a second enqueue with the same key is ignored.
    pub dedupe_key: Option<String>,
}

pub fn queue(
    conn: &mut DbConnection,
    settings: &Settings,
    email: QueuedEmail<'_>,
) -> ApiResult<()> {
    let message = OutgoingEmail::new(email.to, settings.mail.from.clone(), email.rendered);
    let json = serde_json::to_string(&message)
        .map_err(|e| crate::error::ApiError::Internal(format!("serialising email: {e}")))?;
    kindred_db::outbox::enqueue(
        conn,
        &kindred_db::outbox::NewEmail {
            user_id: email.user_id,
            kind: email.kind,
            dedupe_key: email.dedupe_key.as_deref(),
            recipient: email.to,
            message: &json,
        },
    )?;
    Ok(())
}

/// "1 hour", "30 minutes": for sentences in emails.
pub fn human_duration(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    let (n, unit) = if secs >= 86_400 && secs.is_multiple_of(86_400) {
        (secs / 86_400, "day")
    } else if secs >= 3_600 && secs.is_multiple_of(3_600) {
        (secs / 3_600, "hour")
    } else if secs >= 60 {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}
