//! Accounts made by an operator on the command line.

use kindred_db::Pool;

use crate::credentials;
use crate::error::{ServiceError, ServiceResult};

/// A coordinator account made or promoted, with its one-time password.
pub struct CoordinatorCreated {
    /// False when an existing account was promoted (its password is reset).
    pub created: bool,
    pub email: String,
    /// Shown once to the operator, who hands it over out of band.
    pub one_time_password: String,
}

/// Creates a verified coordinator, or promotes an existing account and
/// resets its password. Either way the account must change the one-time
/// password at first sign-in (until then only `GET /me`, `PUT /me/password`
/// and logout work). Runs on a blocking thread (argon2id).
pub fn create_coordinator(
    pool: &Pool,
    email: &str,
    name: &str,
) -> ServiceResult<CoordinatorCreated> {
    let email = kindred_core::Email::parse(email).map_err(|e| ServiceError::field("email", e))?;
    let name =
        kindred_core::DisplayName::parse(name).map_err(|e| ServiceError::field("name", e))?;
    let password = credentials::new_one_time_password();
    let hash = credentials::hash_password(&password).map_err(ServiceError::Internal)?;
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    let created = kindred_db::write_tx(&mut conn, |conn| -> kindred_db::DbResult<bool> {
        if let Some(existing) = kindred_db::users::find_by_email(conn, email.as_str())? {
            kindred_db::users::add_role(conn, &existing.id, kindred_core::Role::Coordinator)?;
            kindred_db::users::set_password(conn, &existing.id, &hash)?;
            kindred_db::users::mark_verified(conn, &existing.id)?;
            kindred_db::users::set_must_change_password(conn, &existing.id, true)?;
            // The old password is gone: so are the sessions made with it.
            kindred_db::tokens::revoke_tokens_except(conn, &existing.id, None)?;
            return Ok(false);
        }
        let user = kindred_db::users::create_verified(
            conn,
            email.as_str(),
            name.as_str(),
            &hash,
            kindred_core::Role::Coordinator,
        )?;
        kindred_db::users::set_must_change_password(conn, &user.id, true)?;
        crate::safety::record_identity(conn, &user.id, Some(email.as_str()))?;
        Ok(true)
    })?;
    Ok(CoordinatorCreated {
        created,
        email: email.as_str().to_string(),
        one_time_password: password,
    })
}
