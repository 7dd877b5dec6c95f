//! What the operations endpoints read: readiness and the outbox gauges.

use kindred_db::DbConnection;

use crate::error::{ServiceError, ServiceResult};

/// Whether the database answers; the backend's name if it does.
pub fn readiness(conn: &mut DbConnection) -> ServiceResult<&'static str> {
    kindred_db::ping(conn).map_err(|e| ServiceError::Unavailable(format!("database: {e}")))?;
    Ok(conn.backend().as_str())
}

/// The outbox backlog (pending + sending) and the dead emails.
pub fn outbox_gauges(conn: &mut DbConnection) -> ServiceResult<(i64, i64)> {
    Ok((
        kindred_db::outbox::backlog(conn)?,
        kindred_db::outbox::count_in_state(conn, kindred_db::outbox::DEAD)?,
    ))
}
