//! Password-reset codes (also the invitation codes of imported accounts),
//! stored as hashes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::models::PasswordResetCode;
use crate::schema::password_reset_codes;
use crate::users::MAX_LIVE_CODES;
use crate::{now, DbConnection, DbResult};

/// Stores a new password-reset code, keeping the newest [`MAX_LIVE_CODES`]
/// unused ones (older ones stop working).
pub fn insert_reset_code(
    conn: &mut DbConnection,
    user_id: &str,
    code_hash: &str,
    expires_at: NaiveDateTime,
) -> DbResult<()> {
    let live: Vec<String> = password_reset_codes::table
        .filter(password_reset_codes::user_id.eq(user_id))
        .filter(password_reset_codes::used_at.is_null())
        .order(password_reset_codes::created_at.desc())
        .select(password_reset_codes::id)
        .load(conn)?;
    for old in live
        .iter()
        .skip(usize::try_from(MAX_LIVE_CODES - 1).unwrap_or(0))
    {
        diesel::delete(password_reset_codes::table.find(old)).execute(conn)?;
    }
    diesel::insert_into(password_reset_codes::table)
        .values(PasswordResetCode {
            id: crate::new_id(),
            user_id: user_id.to_string(),
            code_hash: code_hash.to_string(),
            attempts: 0,
            expires_at,
            used_at: None,
            created_at: now(),
        })
        .execute(conn)?;
    Ok(())
}

/// The user's reset codes that can still be used (not used, not expired).
pub fn live_reset_codes(
    conn: &mut DbConnection,
    user_id: &str,
    at: NaiveDateTime,
) -> DbResult<Vec<PasswordResetCode>> {
    Ok(password_reset_codes::table
        .filter(password_reset_codes::user_id.eq(user_id))
        .filter(password_reset_codes::used_at.is_null())
        .filter(password_reset_codes::expires_at.gt(at))
        .order(password_reset_codes::created_at.desc())
        .select(PasswordResetCode::as_select())
        .load(conn)?)
}

/// Counts a wrong reset guess against every unused reset code of the user.
pub fn record_failed_reset_guess(conn: &mut DbConnection, user_id: &str) -> DbResult<()> {
    diesel::update(
        password_reset_codes::table
            .filter(password_reset_codes::user_id.eq(user_id))
            .filter(password_reset_codes::used_at.is_null()),
    )
    .set(password_reset_codes::attempts.eq(password_reset_codes::attempts + 1))
    .execute(conn)?;
    Ok(())
}

/// Uses a reset code: marks it used and deletes the user's other unused
/// reset codes. Returns false if it was already used.
pub fn use_reset_code(conn: &mut DbConnection, code: &PasswordResetCode) -> DbResult<bool> {
    let n = diesel::update(
        password_reset_codes::table
            .find(&code.id)
            .filter(password_reset_codes::used_at.is_null()),
    )
    .set(password_reset_codes::used_at.eq(now()))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(
        password_reset_codes::table
            .filter(password_reset_codes::user_id.eq(&code.user_id))
            .filter(password_reset_codes::used_at.is_null()),
    )
    .execute(conn)?;
    Ok(true)
}

/// Stores the invitation code of an account [`create_invited`] just made
/// (a reset code; a new account has no other codes to retire).
pub fn insert_invitation_code(
    conn: &mut DbConnection,
    user_id: &str,
    code_hash: &str,
    expires_at: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(password_reset_codes::table)
        .values(PasswordResetCode {
            id: crate::new_id(),
            user_id: user_id.to_string(),
            code_hash: code_hash.to_string(),
            attempts: 0,
            expires_at,
            used_at: None,
            created_at: now(),
        })
        .execute(conn)?;
    Ok(())
}
