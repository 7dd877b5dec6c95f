//! Request bodies of the account endpoints (register, verify, login, add role), validated
//! with `validator` derives that delegate to the parsers of [`super`], and their typed forms.

use std::fmt;

use serde::Deserialize;
use validator::{Validate, ValidationError};

use super::{
    validate_password, DisplayName, Email, Password, Pronouns, SelfServiceRole, PASSWORD_MAX_CHARS,
    VERIFICATION_CODE_MAX_CHARS,
};
use crate::errors::{custom_error, FieldErrors};
use crate::text;

// ---- validator glue: each delegates to the single parser above -------------------------

fn v_email(v: &str) -> Result<(), ValidationError> {
    Email::parse(v).map(drop).map_err(custom_error)
}
fn v_password(v: &str) -> Result<(), ValidationError> {
    validate_password(v).map_err(custom_error)
}
fn v_display_name(v: &str) -> Result<(), ValidationError> {
    DisplayName::parse(v).map(drop).map_err(custom_error)
}
fn v_pronouns(v: &str) -> Result<(), ValidationError> {
    Pronouns::parse_optional(v).map(drop).map_err(custom_error)
}
fn v_role(v: &str) -> Result<(), ValidationError> {
    SelfServiceRole::parse(v).map(drop).map_err(custom_error)
}
fn v_required(v: &str) -> Result<(), ValidationError> {
    if v.is_empty() {
        Err(custom_error("is required".to_owned()))
    } else {
        Ok(())
    }
}
fn v_login_password(v: &str) -> Result<(), ValidationError> {
    v_required(v)?;
    if v.chars().count() > PASSWORD_MAX_CHARS {
        return Err(custom_error(format!(
            "must be at most {PASSWORD_MAX_CHARS} characters long"
        )));
    }
    Ok(())
}
fn v_code(v: &str) -> Result<(), ValidationError> {
    text::single_line(v, 1, VERIFICATION_CODE_MAX_CHARS)
        .map(drop)
        .map_err(custom_error)
}

/// Turns a derive-validated input into its typed form; the parsers cannot fail once
/// `validate()` passed, but errors are still mapped rather than unwrapped.
fn run<T>(
    input: &impl Validate,
    build: impl FnOnce(&mut FieldErrors) -> Option<T>,
) -> Result<T, FieldErrors> {
    let mut errors = match input.validate() {
        Ok(()) => FieldErrors::new(),
        Err(e) => return Err(e.into()),
    };
    match build(&mut errors) {
        Some(v) if errors.is_empty() => Ok(v),
        _ => Err(errors),
    }
}

fn take<T>(errors: &mut FieldErrors, path: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| errors.add(path, m)).ok()
}

/// Body of `POST /auth/register`. Missing fields default to empty and are reported as
/// `422` "is required" with the rest, rather than as a `400`.
#[derive(Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    /// Login address; normalised to lower case.
    #[serde(default)]
    #[validate(custom(function = "v_email"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = "email", max_length = 254)
    )]
    pub email: String,
    /// At least 12 characters.
    #[serde(default)]
    #[validate(custom(function = "v_password"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 12,
            max_length = 1024,
            pattern = r"\S",
            format = "password"
        )
    )]
    pub password: String,
    /// Name shown to matches and coordinators, 1..=80 characters.
    #[serde(default)]
    #[validate(custom(function = "v_display_name"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 80,
            pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0][^\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]*$"
        )
    )]
    pub display_name: String,
    /// `mentee` or `mentor`.
    #[serde(default)]
    #[validate(custom(function = "v_role"))]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = SelfServiceRole))]
    pub role: String,
    /// Optional, at most 40 characters.
    #[serde(default)]
    #[validate(custom(function = "v_pronouns"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 40, pattern = r"^[^\x00-\x1f\x7f-\x9f]*$")
    )]
    pub pronouns: Option<String>,
    /// The language of the person's emails (and of the web app once they
    /// sign in): `en` (the default) or `es`. Changed later with
    /// `PUT /me/language`.
    #[serde(default)]
    #[validate(custom(function = "crate::lang::v_language"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::Lang>))]
    pub language: Option<String>,
}

impl fmt::Debug for RegisterInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisterInput")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("pronouns", &self.pronouns)
            .field("language", &self.language)
            .finish()
    }
}

/// A registration that satisfies every rule, with normalised values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedRegister {
    /// Normalised login address.
    pub email: Email,
    /// Policy-compliant password.
    pub password: Password,
    /// Trimmed display name.
    pub display_name: DisplayName,
    /// The initial role.
    pub role: SelfServiceRole,
    /// Pronouns, `None` when absent or blank.
    pub pronouns: Option<Pronouns>,
    /// The preferred language (English when absent).
    pub language: crate::Lang,
}

impl RegisterInput {
    /// Checks every field and reports all violations at once.
    pub fn validate_all(&self) -> Result<ValidatedRegister, FieldErrors> {
        run(self, |e| {
            let email = take(e, "email", Email::parse(&self.email));
            let password = take(e, "password", Password::parse(&self.password));
            let display_name = take(e, "display_name", DisplayName::parse(&self.display_name));
            let role = take(e, "role", SelfServiceRole::parse(&self.role));
            let pronouns = match &self.pronouns {
                Some(p) => take(e, "pronouns", Pronouns::parse_optional(p))?,
                None => None,
            };
            let language = match &self.language {
                Some(l) => take(e, "language", crate::Lang::parse_input(l))?,
                None => crate::Lang::default(),
            };
            Some(ValidatedRegister {
                email: email?,
                password: password?,
                display_name: display_name?,
                role: role?,
                pronouns,
                language,
            })
        })
    }
}

/// Body of `POST /auth/verify`.
#[derive(Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyInput {
    /// The address the code was sent to.
    #[serde(default)]
    #[validate(custom(function = "v_email"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = "email", max_length = 254)
    )]
    pub email: String,
    /// The one-time code from the email.
    #[serde(default)]
    #[validate(custom(function = "v_code"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 64,
            pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub code: String,
}

impl fmt::Debug for VerifyInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyInput")
            .field("email", &self.email)
            .field("code", &"<redacted>")
            .finish()
    }
}

/// A verification attempt with a normalised email and trimmed code.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidatedVerify {
    /// Normalised address.
    pub email: Email,
    /// Trimmed code, to compare in constant time.
    pub code: String,
}

impl fmt::Debug for ValidatedVerify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidatedVerify")
            .field("email", &self.email)
            .field("code", &"<redacted>")
            .finish()
    }
}

impl VerifyInput {
    /// Checks both fields and reports all violations at once.
    pub fn validate_all(&self) -> Result<ValidatedVerify, FieldErrors> {
        run(self, |e| {
            let email = take(e, "email", Email::parse(&self.email));
            let code = take(
                e,
                "code",
                text::single_line(&self.code, 1, VERIFICATION_CODE_MAX_CHARS),
            );
            Some(ValidatedVerify {
                email: email?,
                code: code?,
            })
        })
    }
}

/// Body of `POST /auth/login`.
///
/// Deliberately lenient: only presence and the password size bound are checked, so a
/// malformed address or short password is a plain `401` like any other wrong credential.
#[derive(Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    /// Login address.
    #[serde(default)]
    #[validate(custom(function = "v_required"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = "email", max_length = 254)
    )]
    pub email: String,
    /// Password.
    #[serde(default)]
    #[validate(custom(function = "v_login_password"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 1024,
            format = "password"
        )
    )]
    pub password: String,
}

impl fmt::Debug for LoginInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginInput")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A login attempt: the email is normalised but not validated (an impossible address just
/// matches no account), the password is exactly as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedLogin {
    /// Trimmed, lower-cased address (see [`Email::normalize`]).
    pub email: String,
    /// The password as typed.
    pub password: Password,
}

impl LoginInput {
    /// Checks presence and size bounds, reporting all violations at once.
    pub fn validate_all(&self) -> Result<ValidatedLogin, FieldErrors> {
        let email = Email::normalize(&self.email);
        let mut errors: FieldErrors = match self.validate() {
            Ok(()) => FieldErrors::new(),
            Err(e) => e.into(),
        };
        if email.is_empty() && !errors.contains("email") {
            errors.add("email", "is required");
        }
        errors.into_result(ValidatedLogin {
            email,
            password: Password(self.password.clone()),
        })
    }
}

/// Body of `POST /me/roles`.
#[derive(Debug, Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddRoleInput {
    /// `mentee` or `mentor`.
    #[serde(default)]
    #[validate(custom(function = "v_role"))]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = SelfServiceRole))]
    pub role: String,
}

/// A role a user asked to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidatedAddRole {
    /// The role to add.
    pub role: SelfServiceRole,
}

impl AddRoleInput {
    /// Checks the role.
    pub fn validate_all(&self) -> Result<ValidatedAddRole, FieldErrors> {
        run(self, |e| {
            let role = take(e, "role", SelfServiceRole::parse(&self.role))?;
            Some(ValidatedAddRole { role })
        })
    }
}

/// Body of `POST /auth/password-reset`.
#[derive(Debug, Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetInput {
    /// The account's address. The answer is the same whether or not it has an account.
    #[serde(default)]
    #[validate(custom(function = "v_email"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = "email", max_length = 254)
    )]
    pub email: String,
}

impl PasswordResetInput {
    /// Checks the address.
    pub fn validate_all(&self) -> Result<Email, FieldErrors> {
        run(self, |e| take(e, "email", Email::parse(&self.email)))
    }
}

/// Body of `POST /auth/password-reset/confirm`.
#[derive(Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmInput {
    /// The address the reset code was sent to.
    #[serde(default)]
    #[validate(custom(function = "v_email"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = "email", max_length = 254)
    )]
    pub email: String,
    /// The one-time code from the email (`Reset code: …`).
    #[serde(default)]
    #[validate(custom(function = "v_code"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 64,
            pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub code: String,
    /// The new password, at least 12 characters.
    #[serde(default)]
    #[validate(custom(function = "v_password"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 12,
            max_length = 1024,
            pattern = r"\S",
            format = "password"
        )
    )]
    pub new_password: String,
}

impl fmt::Debug for PasswordResetConfirmInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordResetConfirmInput")
            .field("email", &self.email)
            .field("code", &"<redacted>")
            .field("new_password", &"<redacted>")
            .finish()
    }
}

/// A reset confirmation with a normalised address, trimmed code and a policy-compliant password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedPasswordReset {
    /// Normalised address.
    pub email: Email,
    /// Trimmed code, to compare in constant time (redacted by the input's `Debug`).
    pub code: String,
    /// The new password.
    pub new_password: Password,
}

impl PasswordResetConfirmInput {
    /// Checks every field and reports all violations at once.
    pub fn validate_all(&self) -> Result<ValidatedPasswordReset, FieldErrors> {
        run(self, |e| {
            let email = take(e, "email", Email::parse(&self.email));
            let code = take(
                e,
                "code",
                text::single_line(&self.code, 1, VERIFICATION_CODE_MAX_CHARS),
            );
            let new_password = take(e, "new_password", Password::parse(&self.new_password));
            Some(ValidatedPasswordReset {
                email: email?,
                code: code?,
                new_password: new_password?,
            })
        })
    }
}

/// Body of `PUT /me/password`.
#[derive(Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordInput {
    /// The password in use now.
    #[serde(default)]
    #[validate(custom(function = "v_login_password"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 1024,
            format = "password"
        )
    )]
    pub current_password: String,
    /// The new password, at least 12 characters.
    #[serde(default)]
    #[validate(custom(function = "v_password"))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 12,
            max_length = 1024,
            pattern = r"\S",
            format = "password"
        )
    )]
    pub new_password: String,
}

impl fmt::Debug for ChangePasswordInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangePasswordInput { <redacted> }")
    }
}

/// A password change: the current password as typed and a policy-compliant new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedChangePassword {
    /// As typed (only size-bounded), to verify against the stored hash.
    pub current_password: Password,
    /// The new password.
    pub new_password: Password,
}

impl ChangePasswordInput {
    /// Checks both fields and reports all violations at once.
    pub fn validate_all(&self) -> Result<ValidatedChangePassword, FieldErrors> {
        run(self, |e| {
            let new_password = take(e, "new_password", Password::parse(&self.new_password));
            Some(ValidatedChangePassword {
                current_password: Password(self.current_password.clone()),
                new_password: new_password?,
            })
        })
    }
}
