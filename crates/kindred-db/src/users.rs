//! Accounts, roles and verification codes (session tokens: `tokens.rs`;
//! password-reset and invitation codes: `reset_codes.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kindred_core::Role;

use crate::models::{User, UserRole, VerificationCode};
use crate::schema::{
    auth_tokens, outbox, password_reset_codes, profiles, user_roles, users, verification_codes,
};
use crate::{now, DbConnection, DbResult};

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> DbResult<Option<User>> {
    Ok(users::table
        .filter(users::email.eq(email))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: &str) -> DbResult<Option<User>> {
    Ok(users::table
        .find(id)
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn roles(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<Role>> {
    Ok(user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .select(user_roles::role)
        .order(user_roles::role.asc())
        .load(conn)?)
}

pub fn has_role(conn: &mut DbConnection, user_id: &str, role: Role) -> DbResult<bool> {
    let n: i64 = user_roles::table
        .filter(user_roles::user_id.eq(user_id))
        .filter(user_roles::role.eq(role))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Adds a role if the user does not hold it yet. Returns whether it was added.
pub fn add_role(conn: &mut DbConnection, user_id: &str, role: Role) -> DbResult<bool> {
    if has_role(conn, user_id, role)? {
        return Ok(false);
    }
    diesel::insert_into(user_roles::table)
        .values(UserRole {
            user_id: user_id.to_string(),
            role,
            created_at: now(),
        })
        .execute(conn)?;
    Ok(true)
}

/// Details of a registration not yet proven by its verification code.
pub struct PendingRegistration<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub pronouns: Option<&'a str>,
    pub role: Role,
    /// The registration's language (`kindred_core::Lang` tag).
    pub language: &'a str,
}

/// How many unused codes an unverified address may have at once.
pub const MAX_LIVE_CODES: i64 = 3;

/// Records a registration for an address that is not verified yet: creates
/// the unverified account if there is none, and stores a new code carrying
/// this registration's details. An existing unverified account is never
/// changed here — its details change only when one of its codes is used.
///
/// A registration while the address already has a live (unused, unexpired)
/// code is *contested*: two people chose a password for one mailbox and the
/// emails cannot tell the reader which code is whose. Every live code of the
/// address, and the new one, then stops carrying a password
/// (`sets_password = false`): using one proves the mailbox and signs in, and
/// the mailbox reader chooses the password with a password reset. So a
/// stranger's password never ends up working, whichever code is used.
/// `code_hash_for` hashes the code for the account's id (codes are bound to it).
pub fn register_unverified(
    conn: &mut DbConnection,
    reg: &PendingRegistration<'_>,
    code_hash_for: impl FnOnce(&str) -> String,
    expires_at: NaiveDateTime,
) -> DbResult<User> {
    let at = now();
    let user = match find_by_email(conn, reg.email)? {
        Some(existing) => existing,
        None => {
            let user = User {
                id: crate::new_id(),
                email: Some(reg.email.to_string()),
                password_hash: None,
                display_name: reg.display_name.to_string(),
                pronouns: None,
                verified_at: None,
                created_at: at,
                updated_at: at,
                deleted_at: None,
                must_change_password: false,
                preferred_language: reg.language.to_string(),
                invited_at: None,
            };
            diesel::insert_into(users::table)
                .values(&user)
                .execute(conn)?;
            user
        }
    };
    let contested = diesel::update(
        verification_codes::table
            .filter(verification_codes::user_id.eq(&user.id))
            .filter(verification_codes::used_at.is_null())
            .filter(verification_codes::expires_at.gt(at)),
    )
    .set(verification_codes::sets_password.eq(false))
    .execute(conn)?
        > 0;
    // Keep the newest few codes; older ones stop working.
    let live: Vec<String> = verification_codes::table
        .filter(verification_codes::user_id.eq(&user.id))
        .filter(verification_codes::used_at.is_null())
        .order(verification_codes::created_at.desc())
        .select(verification_codes::id)
        .load(conn)?;
    for old in live
        .iter()
        .skip(usize::try_from(MAX_LIVE_CODES - 1).unwrap_or(0))
    {
        diesel::delete(verification_codes::table.find(old)).execute(conn)?;
    }
    diesel::insert_into(verification_codes::table)
        .values(VerificationCode {
            id: crate::new_id(),
            user_id: user.id.clone(),
            code_hash: code_hash_for(&user.id),
            attempts: 0,
            expires_at,
            used_at: None,
            created_at: at,
            password_hash: reg.password_hash.to_string(),
            display_name: reg.display_name.to_string(),
            pronouns: reg.pronouns.map(str::to_string),
            role: reg.role,
            sets_password: !contested,
            language: reg.language.to_string(),
        })
        .execute(conn)?;
    Ok(user)
}

/// Creates a verified account directly (operator-created coordinators).
pub fn create_verified(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
) -> DbResult<User> {
    let at = now();
    let user = User {
        id: crate::new_id(),
        email: Some(email.to_string()),
        password_hash: Some(password_hash.to_string()),
        display_name: display_name.to_string(),
        pronouns: None,
        verified_at: Some(at),
        created_at: at,
        updated_at: at,
        deleted_at: None,
        must_change_password: false,
        preferred_language: "en".to_string(),
        invited_at: None,
    };
    diesel::insert_into(users::table)
        .values(&user)
        .execute(conn)?;
    add_role(conn, &user.id, role)?;
    Ok(user)
}

/// Creates an account for a coordinator's import: no password (nothing can
/// sign in to it until its invitation code sets one) and not verified.
pub fn create_invited(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    pronouns: Option<&str>,
    role: Role,
) -> DbResult<User> {
    let at = now();
    let user = User {
        id: crate::new_id(),
        email: Some(email.to_string()),
        password_hash: None,
        display_name: display_name.to_string(),
        pronouns: pronouns.map(str::to_string),
        verified_at: None,
        created_at: at,
        updated_at: at,
        deleted_at: None,
        must_change_password: false,
        preferred_language: "en".to_string(),
        invited_at: Some(at),
    };
    diesel::insert_into(users::table)
        .values(&user)
        .execute(conn)?;
    // A new account holds no role yet: no need to look.
    diesel::insert_into(user_roles::table)
        .values(UserRole {
            user_id: user.id.clone(),
            role,
            created_at: at,
        })
        .execute(conn)?;
    Ok(user)
}

/// Sets the name and pronouns an import gives an existing account.
pub fn set_name_and_pronouns(
    conn: &mut DbConnection,
    user_id: &str,
    display_name: &str,
    pronouns: Option<&str>,
) -> DbResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::display_name.eq(display_name),
            users::pronouns.eq(pronouns),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_password(conn: &mut DbConnection, user_id: &str, password_hash: &str) -> DbResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks or clears "must change the one-time password at first sign-in".
pub fn set_must_change_password(
    conn: &mut DbConnection,
    user_id: &str,
    required: bool,
) -> DbResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::must_change_password.eq(required),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_verified(conn: &mut DbConnection, user_id: &str) -> DbResult<()> {
    let at = now();
    diesel::update(users::table.find(user_id))
        .set((users::verified_at.eq(at), users::updated_at.eq(at)))
        .execute(conn)?;
    Ok(())
}

/// The user's codes that can still be used (not used, not expired).
pub fn live_codes(
    conn: &mut DbConnection,
    user_id: &str,
    at: NaiveDateTime,
) -> DbResult<Vec<VerificationCode>> {
    Ok(verification_codes::table
        .filter(verification_codes::user_id.eq(user_id))
        .filter(verification_codes::used_at.is_null())
        .filter(verification_codes::expires_at.gt(at))
        .order(verification_codes::created_at.desc())
        .select(VerificationCode::as_select())
        .load(conn)?)
}

/// Counts a wrong guess against every live code of the user, so several
/// live codes never multiply an attacker's guesses.
pub fn record_failed_guess(conn: &mut DbConnection, user_id: &str) -> DbResult<()> {
    diesel::update(
        verification_codes::table
            .filter(verification_codes::user_id.eq(user_id))
            .filter(verification_codes::used_at.is_null()),
    )
    .set(verification_codes::attempts.eq(verification_codes::attempts + 1))
    .execute(conn)?;
    Ok(())
}

/// Uses a code: marks it used, retires the user's other codes, and applies
/// the registration it carries (name, pronouns, role, language, and the password unless
/// the registration was contested: then the account has no password until a
/// reset) to the account, which becomes verified. An invited account (made
/// by an import) keeps its roles and gains the registration's. Returns false if it was
/// already used.
pub fn complete_verification(conn: &mut DbConnection, code: &VerificationCode) -> DbResult<bool> {
    let at = now();
    let n = diesel::update(
        verification_codes::table
            .find(&code.id)
            .filter(verification_codes::used_at.is_null()),
    )
    .set(verification_codes::used_at.eq(at))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(
        verification_codes::table
            .filter(verification_codes::user_id.eq(&code.user_id))
            .filter(verification_codes::used_at.is_null()),
    )
    .execute(conn)?;
    diesel::update(users::table.find(&code.user_id))
        .set((
            users::password_hash.eq(code.sets_password.then_some(&code.password_hash)),
            users::display_name.eq(&code.display_name),
            users::pronouns.eq(&code.pronouns),
            users::preferred_language.eq(&code.language),
            users::verified_at.eq(at),
            users::updated_at.eq(at),
        ))
        .execute(conn)?;
    // A registration's role replaces whatever an unproven registration
    // claimed; the roles a coordinator's import gave an invited account stay.
    let invited: Option<NaiveDateTime> = users::table
        .find(&code.user_id)
        .select(users::invited_at)
        .first(conn)?;
    if invited.is_none() {
        diesel::delete(user_roles::table.filter(user_roles::user_id.eq(&code.user_id)))
            .execute(conn)?;
    }
    add_role(conn, &code.user_id, code.role)?;
    Ok(true)
}

/// Erases a person: credentials, tokens, codes, roles, profiles and every
/// email row addressed to them are deleted; the user row stays only as an
/// anonymous tombstone so foreign keys from shared records keep pointing somewhere.
pub fn erase(conn: &mut DbConnection, user_id: &str, email: Option<&str>) -> DbResult<()> {
    diesel::delete(auth_tokens::table.filter(auth_tokens::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(verification_codes::table.filter(verification_codes::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(password_reset_codes::table.filter(password_reset_codes::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(profiles::table.filter(profiles::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(user_roles::table.filter(user_roles::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::user_id.eq(user_id))).execute(conn)?;
    if let Some(email) = email {
        diesel::delete(outbox::table.filter(outbox::recipient.eq(email))).execute(conn)?;
    }
    let at = now();
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(None::<String>),
            users::password_hash.eq(None::<String>),
            users::display_name.eq("Deleted user"),
            users::pronouns.eq(None::<String>),
            users::preferred_language.eq("en"),
            users::updated_at.eq(at),
            users::deleted_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sets the language of the person's emails (a `kindred_core::Lang` tag).
pub fn set_preferred_language(
    conn: &mut DbConnection,
    user_id: &str,
    language: &str,
) -> DbResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::preferred_language.eq(language),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_pronouns(
    conn: &mut DbConnection,
    user_id: &str,
    pronouns: Option<&str>,
) -> DbResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::pronouns.eq(pronouns), users::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

/// Every live account holding `role`.
pub fn with_role(conn: &mut DbConnection, role: Role) -> DbResult<Vec<User>> {
    Ok(users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(role))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .load(conn)?)
}

/// The live accounts among `ids` (erased ones left out), in no set order.
pub fn find_many(conn: &mut DbConnection, ids: &[&str]) -> DbResult<Vec<User>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .filter(users::deleted_at.is_null())
        .select(User::as_select())
        .load(conn)?)
}

/// `(id, display_name, erased)` of each of `ids` that exists, erased
/// accounts included (their tombstone's name is "Deleted user").
pub fn names(conn: &mut DbConnection, ids: &[&str]) -> DbResult<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, Option<chrono::NaiveDateTime>)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name, users::deleted_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, deleted)| (id, name, deleted.is_some()))
        .collect())
}
