//! The account emails: registration code, "already registered" notice,
//! password-reset code. They go to addresses that may not be proven yet.

use super::*;

/// The one-time code sent on registration. The text part holds the exact line
/// `Verification code: <code>`.
///
/// It goes to an address nobody has proven yet, so it carries no text the
/// registrant chose (no name greeting): anyone can register anyone's address,
/// and this email must not become a way to mail them one's own words.
pub fn verification_code(code: &str, ttl_human: &str, footer: &str) -> RenderedEmail {
    render(
        "Your Kindred verification code",
        &[
            Paragraph::text("Hello,"),
            Paragraph::text("Welcome to Kindred. To finish creating your account, enter this code:"),
            Paragraph::field("Verification code", code.trim()),
            Paragraph::text(format!(
                "The code can be used once and expires in {ttl_human}. If you did not try to create a Kindred account, you can ignore this email: no account is created without the code."
            )),
        ],
        footer,
    )
}

/// Sent instead of a code when someone registers with an address that already
/// has an account. Like the code email it carries no text the registrant
/// chose. `reset_route` names the password-reset route (e.g.
/// `POST https://…/api/v1/auth/password-reset`).
pub fn already_registered(reset_route: &str, footer: &str) -> RenderedEmail {
    render(
        "Someone tried to register with your email address",
        &[
            Paragraph::text("Hello,"),
            Paragraph::text(
                "Someone tried to create a new Kindred account with this email address. You already have an account, so no new account was created.",
            ),
            Paragraph::text(format!(
                "If it was you, log in with your existing account instead. If you have forgotten your password, reset it with a password reset ({}) or ask your programme coordinator for help.",
                one_line(reset_route)
            )),
            Paragraph::text(
                "If it was not you, you can ignore this email: nothing about your account has changed.",
            ),
        ],
        footer,
    )
}

/// The one-time code of a password reset. The text part holds the exact line
/// `Reset code: <code>`. Only sent to the address of an existing account.
pub fn password_reset_code(code: &str, ttl_human: &str, footer: &str) -> RenderedEmail {
    render(
        "Your Kindred password reset code",
        &[
            Paragraph::text("Hello,"),
            Paragraph::text("Someone asked to reset the password of the Kindred account with this email address. To choose a new password, enter this code:"),
            Paragraph::field("Reset code", code.trim()),
            Paragraph::text(format!(
                "The code can be used once and expires in {ttl_human}. Resetting signs you out everywhere. If you did not ask for this, you can ignore this email: your password has not changed."
            )),
        ],
        footer,
    )
}
