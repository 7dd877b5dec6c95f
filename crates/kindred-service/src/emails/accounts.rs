//! The emails of the account use cases: registration codes, the "already
//! registered" notice and password-reset codes. They go to addresses that
//! may not be proven yet, so they carry nothing the registrant typed.

use super::*;

/// The one-time code proving a registration, in the registration's
/// language (`lang`: the account's own may still be an earlier
/// registration's). The address is not proven yet, so the email carries
/// nothing the registrant typed (no name).
pub fn verification_code(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
    code: &str,
    lang: Lang,
) -> ServiceResult<()> {
    send(
        conn,
        settings,
        Queued {
            user,
            lang,
            kind: "verification_code",
            dedupe_key: None,
            unsubscribe: None,
            attachment: None,
        },
        &templates::VerificationCode {
            code,
            ttl_secs: settings.auth.verification_ttl.as_secs(),
        },
    )
}

/// To the owner of an address someone tried to register again, in the
/// owner's language: nothing the registrant typed, and the password-reset
/// route.
pub fn already_registered(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
) -> ServiceResult<()> {
    // The web app's page (kindred-web `/password/forgot`); apps use the
    // API's `POST /auth/password-reset`.
    let reset = format!("{}password/forgot", settings.server.public_url);
    send(
        conn,
        settings,
        Queued {
            user,
            lang: lang_of(user),
            kind: "already_registered",
            dedupe_key: None,
            unsubscribe: None,
            attachment: None,
        },
        &templates::AlreadyRegistered {
            reset_route: &reset,
        },
    )
}

/// The one-time code of a password reset, to an existing account only, in
/// its language.
pub fn password_reset_code(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
    code: &str,
) -> ServiceResult<()> {
    send(
        conn,
        settings,
        Queued {
            user,
            lang: lang_of(user),
            kind: "password_reset_code",
            dedupe_key: None,
            unsubscribe: None,
            attachment: None,
        },
        &templates::PasswordResetCode {
            code,
            ttl_secs: settings.auth.verification_ttl.as_secs(),
        },
    )
}

/// The invitation of a person a coordinator's import created an account
/// for: the one-time code that chooses their password (a reset code, valid
/// for `imports.invitation_ttl`). One per account (`invitation:{user}`).
/// Nothing from the file but the role is in it.
pub fn invitation(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
    code: &str,
    role: kindred_core::ProfileKind,
) -> ServiceResult<()> {
    let confirm = format!("POST {}", link(settings, "/auth/password-reset/confirm"));
    let consent = format!("POST {}", link(settings, "/me/consents"));
    // The web app's page (kindred-web `/invitation`); the API's routes for apps.
    let accept = format!("{}invitation", settings.server.public_url);
    send(
        conn,
        settings,
        Queued {
            user,
            lang: lang_of(user),
            kind: "invitation",
            dedupe_key: Some(format!("invitation:{}", user.id)),
            unsubscribe: None,
            attachment: None,
        },
        &templates::Invitation {
            code,
            ttl_secs: settings.imports.invitation_ttl.as_secs(),
            role: role.as_str(),
            accept_url: &accept,
            confirm_route: &confirm,
            consent_route: &consent,
        },
    )
}
