//! Accounts: registration, verification, login and logout, roles, and the
//! person's own data (export and erasure live in `accounts::data`).

pub mod data;
pub mod operator;
pub mod passwords;

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_core::{AddRoleInput, Lang, LanguageInput, LoginInput, RegisterInput, VerifyInput};
use kindred_db::models::User;
use kindred_db::{DbConnection, Pool};
use serde::Serialize;

use crate::caller::Caller;
use crate::credentials;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeView {
    pub id: String,
    pub email: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = json!(["mentee"])))]
    pub roles: Vec<String>,
    /// The language of the person's emails and, once signed in, of the web
    /// app (`PUT /me/language`).
    pub language: Lang,
    pub created_at: DateTime<Utc>,
}

pub fn me_view(user: &User, roles: &[kindred_core::Role]) -> MeView {
    MeView {
        id: user.id.clone(),
        email: user.email.clone().unwrap_or_default(),
        display_name: user.display_name.clone(),
        pronouns: user.pronouns.clone(),
        roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
        language: crate::emails::lang_of(user),
        created_at: user.created_at.and_utc(),
    }
}

/// The caller's account.
pub fn me(caller: &Caller) -> MeView {
    me_view(&caller.user, &caller.roles)
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedResponse {
    pub user: MeView,
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// False when the registration was contested (the address was registered
    /// again while a code was live): the code proved the mailbox and signed
    /// the person in, but set no password; they choose one with
    /// `POST /auth/password-reset`.
    pub password_set: bool,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// Present (and `true`) while the account must change its one-time
    /// password: until `PUT /me/password` succeeds, every route but `GET /me`,
    /// `PUT /me/password` and `POST /auth/logout` answers `403`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub must_change_password: bool,
}

fn connection(pool: &Pool) -> ServiceResult<kindred_db::PooledConnection> {
    Ok(pool.get().map_err(kindred_db::DbError::from)?)
}

/// Starts a registration. New and existing emails get the same answer and
/// take the same time: the password is hashed first in every case; an
/// existing verified account only gets an "already registered" email.
/// Runs on a blocking thread (argon2id).
pub fn register(pool: &Pool, settings: &Settings, input: &RegisterInput) -> ServiceResult<()> {
    let input = input.validate_all()?;
    let hash =
        credentials::hash_password(input.password.expose()).map_err(ServiceError::Internal)?;
    let mut conn = connection(pool)?;
    kindred_db::write_tx(&mut conn, |conn| -> ServiceResult<()> {
        let email = input.email.as_str();
        match kindred_db::users::find_by_email(conn, email)? {
            Some(existing) if existing.verified_at.is_some() => {
                crate::emails::already_registered(conn, settings, &existing)
            }
            _ => {
                let code = credentials::new_verification_code();
                let user = kindred_db::users::register_unverified(
                    conn,
                    &kindred_db::users::PendingRegistration {
                        email,
                        password_hash: &hash,
                        display_name: input.display_name.as_str(),
                        pronouns: input.pronouns.as_ref().map(|p| p.as_str()),
                        role: input.role.into(),
                        language: input.language.tag(),
                    },
                    |user_id| credentials::code_hash(user_id, &code),
                    kindred_db::now() + settings.auth.verification_ttl.as_chrono(),
                )?;
                crate::emails::verification_code(conn, settings, &user, &code, input.language)
            }
        }
    })
}

const BAD_CODE: &str = "the code is wrong, expired or already used";

fn bad_code() -> ServiceError {
    ServiceError::Rejected(BAD_CODE.into())
}

/// Proves the email address with the emailed code and signs the person in.
/// A wrong guess still commits (it counts against the code's attempts).
///
/// Pre-registration takeover: anyone can register an address they do not
/// own, and the codes all land in the owner's mailbox looking alike, so a
/// code cannot be trusted to say whose password it carries. A code applies
/// its registration's password only when the registration was uncontested;
/// if the address was registered again while a code was live, every one of
/// its codes proves the mailbox only (`password_set: false`), and the reader
/// of the mailbox chooses the password with a password reset. See
/// `kindred_db::users::register_unverified`.
pub fn verify(
    conn: &mut DbConnection,
    settings: &Settings,
    input: &VerifyInput,
) -> ServiceResult<VerifiedResponse> {
    let input = input.validate_all()?;
    // Wrong codes are answered with Ok(Err(..)) so the attempt count commits.
    kindred_db::write_tx(
        conn,
        |conn| -> Result<ServiceResult<_>, kindred_db::DbError> {
            let Some(user) = kindred_db::users::find_by_email(conn, input.email.as_str())? else {
                return Ok(Err(bad_code()));
            };
            let max = i32::try_from(settings.auth.verification_max_attempts).unwrap_or(i32::MAX);
            let live: Vec<_> = kindred_db::users::live_codes(conn, &user.id, kindred_db::now())?
                .into_iter()
                .filter(|c| c.attempts < max)
                .collect();
            let given = credentials::code_hash(&user.id, &input.code);
            let Some(code) = live
                .iter()
                .find(|c| credentials::digests_equal(&given, &c.code_hash))
            else {
                if !live.is_empty() {
                    kindred_db::users::record_failed_guess(conn, &user.id)?;
                }
                return Ok(Err(bad_code()));
            };
            let password_set = code.sets_password;
            if !kindred_db::users::complete_verification(conn, code)? {
                return Ok(Err(bad_code()));
            }
            let (token, hash) = credentials::new_token();
            let expires_at = kindred_db::now() + settings.auth.token_ttl.as_chrono();
            kindred_db::tokens::insert_token(conn, &user.id, &hash, expires_at)?;
            let user = kindred_db::users::find(conn, &user.id)?.ok_or_else(|| {
                kindred_db::DbError::Corrupt("user vanished during verification".into())
            })?;
            // The email identity that blocks and reports follow (docs/privacy.md).
            crate::safety::record_identity(conn, &user.id, user.email.as_deref())?;
            let roles = kindred_db::users::roles(conn, &user.id)?;
            Ok(Ok(VerifiedResponse {
                user: me_view(&user, &roles),
                token,
                expires_at: expires_at.and_utc(),
                password_set,
            }))
        },
    )?
}

/// Exchanges email and password for a session token. Every failure is the
/// same `LoginFailed`, and takes the same time. Runs on a blocking thread.
pub fn login(pool: &Pool, settings: &Settings, input: &LoginInput) -> ServiceResult<LoginResponse> {
    // A login body that breaks the password policy can never match, but is
    // answered like any other failure so the policy check leaks nothing.
    let email_key = kindred_core::Email::normalize(&input.email);
    let user = kindred_db::users::find_by_email(&mut *connection(pool)?, &email_key)?;
    let stored = user
        .as_ref()
        .filter(|u| u.verified_at.is_some())
        .and_then(|u| u.password_hash.clone());
    let ok = credentials::verify_password(&input.password, stored.as_deref());
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => return Err(ServiceError::LoginFailed),
    };
    let (token, hash) = credentials::new_token();
    let expires_at = kindred_db::now() + settings.auth.token_ttl.as_chrono();
    kindred_db::tokens::insert_token(&mut *connection(pool)?, &user.id, &hash, expires_at)?;
    Ok(LoginResponse {
        token,
        expires_at: expires_at.and_utc(),
        must_change_password: user.must_change_password,
    })
}

/// Revokes the session used for this call.
pub fn logout(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<()> {
    Ok(kindred_db::tokens::revoke_token(conn, &caller.token_id)?)
}

/// Sets the language of the caller's emails (and of the web app once they
/// sign in). Setting the language they already have changes nothing.
pub fn set_language(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &LanguageInput,
) -> ServiceResult<MeView> {
    let lang = input.validate_all()?;
    let mut user = caller.user.clone();
    if user.preferred_language != lang.tag() {
        kindred_db::users::set_preferred_language(conn, &user.id, lang.tag())?;
        user.preferred_language = lang.tag().to_string();
    }
    Ok(me_view(&user, &caller.roles))
}

/// Adds the mentee or mentor role to the caller (a person may hold both).
pub fn add_role(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &AddRoleInput,
) -> ServiceResult<MeView> {
    let input = input.validate_all()?;
    let user = &caller.user;
    kindred_db::users::add_role(conn, &user.id, input.role.into())?;
    let roles = kindred_db::users::roles(conn, &user.id)?;
    Ok(me_view(user, &roles))
}
