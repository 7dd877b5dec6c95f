//! Session tokens (API bearer tokens and web sessions), stored as hashes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::models::{AuthToken, User};
use crate::schema::{auth_tokens, users};
use crate::{now, DbConnection, DbResult};

pub fn insert_token(
    conn: &mut DbConnection,
    user_id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> DbResult<AuthToken> {
    let token = AuthToken {
        id: crate::new_id(),
        user_id: user_id.to_string(),
        token_hash: token_hash.to_string(),
        created_at: now(),
        expires_at,
        revoked_at: None,
    };
    diesel::insert_into(auth_tokens::table)
        .values(&token)
        .execute(conn)?;
    Ok(token)
}

/// The live token with this hash and its (not deleted) user.
pub fn find_live_token(
    conn: &mut DbConnection,
    token_hash: &str,
    at: NaiveDateTime,
) -> DbResult<Option<(AuthToken, User)>> {
    Ok(auth_tokens::table
        .inner_join(users::table)
        .filter(auth_tokens::token_hash.eq(token_hash))
        .filter(auth_tokens::revoked_at.is_null())
        .filter(auth_tokens::expires_at.gt(at))
        .filter(users::deleted_at.is_null())
        .select((AuthToken::as_select(), User::as_select()))
        .first(conn)
        .optional()?)
}

pub fn revoke_token(conn: &mut DbConnection, token_id: &str) -> DbResult<()> {
    diesel::update(auth_tokens::table.find(token_id))
        .set(auth_tokens::revoked_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

pub fn tokens_for_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<AuthToken>> {
    Ok(auth_tokens::table
        .filter(auth_tokens::user_id.eq(user_id))
        .order(auth_tokens::created_at.asc())
        .select(AuthToken::as_select())
        .load(conn)?)
}

/// Revokes every live token of the user except `keep` (the current session, if any).
pub fn revoke_tokens_except(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
) -> DbResult<usize> {
    let at = now();
    let live = auth_tokens::table
        .filter(auth_tokens::user_id.eq(user_id))
        .filter(auth_tokens::revoked_at.is_null());
    let n = match keep {
        Some(keep) => diesel::update(live.filter(auth_tokens::id.ne(keep)))
            .set(auth_tokens::revoked_at.eq(at))
            .execute(conn)?,
        None => diesel::update(live)
            .set(auth_tokens::revoked_at.eq(at))
            .execute(conn)?,
    };
    Ok(n)
}
