//! Passwords: reset by email code, change by the signed-in person, and the
//! one-time password of operator-made accounts that must be changed first.

use kindred_config::Settings;
use kindred_core::{ChangePasswordInput, PasswordResetConfirmInput, PasswordResetInput};
use kindred_db::{DbConnection, Pool};

use crate::caller::Caller;
use crate::credentials;
use crate::error::{ServiceError, ServiceResult};

const BAD_CODE: &str = "the code is wrong, expired or already used";

/// Reset codes are hashed under their own prefix, so a reset code can never
/// be used as a verification code of the same account or the other way round.
pub(crate) fn reset_code_hash(user_id: &str, code: &str) -> String {
    credentials::code_hash(&format!("reset:{user_id}"), code)
}

/// Whether a reset code may set this account's password: a verified
/// account, or one a coordinator's import created (its invitation code is a
/// reset code; a fresh one can be asked for the same way).
fn may_reset(user: &kindred_db::models::User) -> bool {
    user.verified_at.is_some() || user.invited_at.is_some()
}

/// Starts a password reset. The answer is the same, and takes about the same
/// time, for every address: an existing verified (or invited) account gets an
/// email with a one-time code (`Reset code: …`); an unknown or unverified
/// address gets nothing, so nobody is mailed by a stranger's request who has
/// no account.
pub fn request_reset(
    conn: &mut DbConnection,
    settings: &Settings,
    input: &PasswordResetInput,
) -> ServiceResult<()> {
    let email = input.validate_all()?;
    // Drawn in every case so both paths do the same work before the lookup.
    let code = credentials::new_verification_code();
    kindred_db::write_tx(conn, |conn| -> ServiceResult<()> {
        let Some(user) = kindred_db::users::find_by_email(conn, email.as_str())?.filter(may_reset)
        else {
            return Ok(());
        };
        kindred_db::reset_codes::insert_reset_code(
            conn,
            &user.id,
            &reset_code_hash(&user.id, &code),
            kindred_db::now() + settings.auth.verification_ttl.as_chrono(),
        )?;
        crate::emails::password_reset_code(conn, settings, &user, &code)
    })
}

/// Sets a new password with an emailed reset code and revokes every token of
/// the account (whoever held a session is signed out). Wrong, used or
/// expired codes are `Rejected`; a wrong guess counts against every live code
/// of the account, and a code dies after `auth.verification_max_attempts`
/// wrong guesses. The new password is hashed before the lookup, so unknown
/// addresses take as long. Runs on a blocking thread (argon2id).
pub fn confirm_reset(
    pool: &Pool,
    settings: &Settings,
    input: &PasswordResetConfirmInput,
) -> ServiceResult<()> {
    let input = input.validate_all()?;
    let hash =
        credentials::hash_password(input.new_password.expose()).map_err(ServiceError::Internal)?;
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    // Wrong codes are answered with Ok(Err(..)) so the attempt count commits.
    kindred_db::write_tx(
        &mut conn,
        |conn| -> Result<ServiceResult<()>, kindred_db::DbError> {
            let bad = || Ok(Err(ServiceError::Rejected(BAD_CODE.into())));
            let Some(user) =
                kindred_db::users::find_by_email(conn, input.email.as_str())?.filter(may_reset)
            else {
                return bad();
            };
            let max = i32::try_from(settings.auth.verification_max_attempts).unwrap_or(i32::MAX);
            let live: Vec<_> =
                kindred_db::reset_codes::live_reset_codes(conn, &user.id, kindred_db::now())?
                    .into_iter()
                    .filter(|c| c.attempts < max)
                    .collect();
            let given = reset_code_hash(&user.id, &input.code);
            let Some(code) = live
                .iter()
                .find(|c| credentials::digests_equal(&given, &c.code_hash))
            else {
                if !live.is_empty() {
                    kindred_db::reset_codes::record_failed_reset_guess(conn, &user.id)?;
                }
                return bad();
            };
            if !kindred_db::reset_codes::use_reset_code(conn, code)? {
                return bad();
            }
            kindred_db::users::set_password(conn, &user.id, &hash)?;
            // The person chose this password: an operator's one-time one is gone.
            kindred_db::users::set_must_change_password(conn, &user.id, false)?;
            kindred_db::tokens::revoke_tokens_except(conn, &user.id, None)?;
            if user.verified_at.is_none() {
                // An invitation code arrived in this mailbox: the address is proven.
                kindred_db::users::mark_verified(conn, &user.id)?;
                crate::safety::record_identity(conn, &user.id, user.email.as_deref())?;
            }
            Ok(Ok(()))
        },
    )?
}

/// Changes the caller's password: the current one must match (else `422`
/// naming `current_password`). The caller's other sessions are revoked; this
/// one stays. Clears "must change password". Runs on a blocking thread.
pub fn change_password(
    pool: &Pool,
    caller: &Caller,
    input: &ChangePasswordInput,
) -> ServiceResult<()> {
    let input = input.validate_all()?;
    let user = &caller.user;
    if !credentials::verify_password(
        input.current_password.expose(),
        user.password_hash.as_deref(),
    ) {
        return Err(ServiceError::field(
            "current_password",
            "is not the current password",
        ));
    }
    let hash =
        credentials::hash_password(input.new_password.expose()).map_err(ServiceError::Internal)?;
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    kindred_db::write_tx(&mut conn, |conn| -> ServiceResult<()> {
        kindred_db::users::set_password(conn, &user.id, &hash)?;
        kindred_db::users::set_must_change_password(conn, &user.id, false)?;
        kindred_db::tokens::revoke_tokens_except(conn, &user.id, Some(&caller.token_id))?;
        Ok(())
    })
}
