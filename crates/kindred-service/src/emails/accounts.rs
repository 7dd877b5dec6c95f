//! The emails of the account use cases: registration codes, the "already
//! registered" notice and password-reset codes. They go to addresses that
//! may not be proven yet, so they carry nothing the registrant typed.

use super::*;

/// The one-time code proving a registration. The address is not proven yet,
/// so the email carries nothing the registrant typed (no name).
pub fn verification_code(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
    code: &str,
) -> ServiceResult<()> {
    let ttl = human_duration(settings.auth.verification_ttl.as_std());
    let rendered = templates::verification_code(code, &ttl, &settings.mail.footer);
    send(
        conn,
        settings,
        Queued {
            user,
            kind: "verification_code",
            rendered,
            dedupe_key: None,
            unsubscribe: None,
            attachment: None,
        },
    )
}

/// To the owner of an address someone tried to register again: nothing the
/// registrant typed, and the password-reset route.
pub fn already_registered(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
) -> ServiceResult<()> {
    let reset = format!("POST {}", link(settings, "/auth/password-reset"));
    let rendered = templates::already_registered(&reset, &settings.mail.footer);
    send(
        conn,
        settings,
        Queued {
            user,
            kind: "already_registered",
            rendered,
            dedupe_key: None,
            unsubscribe: None,
            attachment: None,
        },
    )
}

/// The one-time code of a password reset, to an existing account only.
pub fn password_reset_code(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
    code: &str,
) -> ServiceResult<()> {
    let ttl = human_duration(settings.auth.verification_ttl.as_std());
    let rendered = templates::password_reset_code(code, &ttl, &settings.mail.footer);
    send(
        conn,
        settings,
        Queued {
            user,
            kind: "password_reset_code",
            rendered,
            dedupe_key: None,
            unsubscribe: None,
            attachment: None,
        },
    )
}
