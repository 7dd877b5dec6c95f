//! Account-level value types and the bodies of the `/auth/*` and `/me/roles` routes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidateEmail, ValidationError};

use crate::errors::{custom_error, FieldErrors};
use crate::text;

/// Longest address SMTP can carry (RFC 5321 path limit), so we never store one we can't mail.
pub const EMAIL_MAX_LEN: usize = 254;
/// Minimum password length in Unicode scalar values (contract: "≥ 12 chars").
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Upper bound in bytes, so a caller can't make us hash megabytes per request.
pub const PASSWORD_MAX_BYTES: usize = 1024;
/// Maximum display-name length in characters.
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
/// Maximum pronouns length in characters.
pub const PRONOUNS_MAX_CHARS: usize = 40;
/// Maximum verification-code length; the real format is the auth layer's business.
pub const VERIFICATION_CODE_MAX_CHARS: usize = 64;

/// A normalised email address: trimmed and lower-cased, so `A@X.org` and ` a@x.org`
/// are the same account (no duplicate registrations, no enumeration by case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = "email"))]
pub struct Email(String);

impl Email {
    /// Validates and normalises an address.
    pub fn parse(raw: &str) -> Result<Email, String> {
        let s = Self::normalize(raw);
        if s.is_empty() {
            return Err("is required".to_owned());
        }
        if s.len() > EMAIL_MAX_LEN {
            return Err(format!("must be at most {EMAIL_MAX_LEN} characters long"));
        }
        if !s.validate_email() {
            return Err("must be a valid email address".to_owned());
        }
        Ok(Email(s))
    }

    /// The normalisation alone (trim + lower-case), without validity checks: used where an
    /// invalid address must simply fail to match (login), not be reported.
    pub fn normalize(raw: &str) -> String {
        raw.trim().to_lowercase()
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Unwraps the normalised address.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Email {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Email::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Checks the password policy: ≥ 12 Unicode scalar values (so non-Latin passphrases are
/// not penalised), ≤ 1024 bytes (bounded hashing cost), and not only whitespace.
/// The password itself is never trimmed or altered.
pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(format!(
            "must be at least {PASSWORD_MIN_CHARS} characters long"
        ));
    }
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(format!("must be at most {PASSWORD_MAX_BYTES} bytes long"));
    }
    if password.chars().all(char::is_whitespace) {
        return Err("must not consist only of whitespace".to_owned());
    }
    Ok(())
}

/// A password that passed [`validate_password`] (or, at login, merely the size bound).
/// `Debug` is redacted so it never lands in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Applies the full registration policy.
    pub fn parse(raw: &str) -> Result<Password, String> {
        validate_password(raw)?;
        Ok(Password(raw.to_owned()))
    }

    /// The secret, for hashing or verification only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A trimmed, single-line name of 1..=80 characters shown to matches and coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String))]
pub struct DisplayName(String);

impl DisplayName {
    /// Trims and validates.
    pub fn parse(raw: &str) -> Result<DisplayName, String> {
        text::single_line(raw, 1, DISPLAY_NAME_MAX_CHARS).map(DisplayName)
    }

    /// The trimmed name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DisplayName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DisplayName::parse(&s)
    }
}

impl From<DisplayName> for String {
    fn from(d: DisplayName) -> String {
        d.0
    }
}

/// Free-form pronouns (e.g. `they/them`), trimmed, 1..=40 characters, single line.
/// Optional everywhere: use [`Pronouns::parse_optional`] so a blank value means "none".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", schema(value_type = String))]
pub struct Pronouns(String);

impl Pronouns {
    /// Trims and validates a non-blank value.
    pub fn parse(raw: &str) -> Result<Pronouns, String> {
        text::single_line(raw, 1, PRONOUNS_MAX_CHARS).map(Pronouns)
    }

    /// Like [`Pronouns::parse`] but a blank string clears the pronouns (`Ok(None)`).
    pub fn parse_optional(raw: &str) -> Result<Option<Pronouns>, String> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Pronouns::parse(raw).map(Some)
        }
    }

    /// The trimmed value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pronouns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Pronouns {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Pronouns::parse(&s)
    }
}

impl From<Pronouns> for String {
    fn from(p: Pronouns) -> String {
        p.0
    }
}

/// A role a user holds. Users may hold mentee and mentor at once; coordinators are
/// created only by the operator.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Looks for a mentor.
    Mentee,
    /// Offers mentorship.
    Mentor,
    /// Reviews matches, manages tags, handles safety reports.
    Coordinator,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 3] = [Role::Mentee, Role::Mentor, Role::Coordinator];

    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mentee => "mentee",
            Role::Mentor => "mentor",
            Role::Coordinator => "coordinator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Returned when a string names no known role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mentee" => Ok(Role::Mentee),
            "mentor" => Ok(Role::Mentor),
            "coordinator" => Ok(Role::Coordinator),
            _ => Err(UnknownRole(s.to_owned())),
        }
    }
}

/// The roles a user may take on by themselves (at registration or `POST /me/roles`);
/// a separate type so "self-promote to coordinator" is unrepresentable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SelfServiceRole {
    /// Looks for a mentor.
    Mentee,
    /// Offers mentorship.
    Mentor,
}

impl SelfServiceRole {
    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        Role::from(self).as_str()
    }

    /// Parses `mentee` / `mentor` with a message fit for a 422.
    pub fn parse(raw: &str) -> Result<SelfServiceRole, String> {
        match raw {
            "mentee" => Ok(SelfServiceRole::Mentee),
            "mentor" => Ok(SelfServiceRole::Mentor),
            "" => Err("is required".to_owned()),
            _ => Err("must be one of: mentee, mentor".to_owned()),
        }
    }
}

impl fmt::Display for SelfServiceRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SelfServiceRole {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SelfServiceRole::parse(s).map_err(|_| UnknownRole(s.to_owned()))
    }
}

impl From<SelfServiceRole> for Role {
    fn from(r: SelfServiceRole) -> Role {
        match r {
            SelfServiceRole::Mentee => Role::Mentee,
            SelfServiceRole::Mentor => Role::Mentor,
        }
    }
}

impl TryFrom<Role> for SelfServiceRole {
    type Error = UnknownRole;
    fn try_from(r: Role) -> Result<Self, Self::Error> {
        match r {
            Role::Mentee => Ok(SelfServiceRole::Mentee),
            Role::Mentor => Ok(SelfServiceRole::Mentor),
            Role::Coordinator => Err(UnknownRole(r.as_str().to_owned())),
        }
    }
}

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
    if v.len() > PASSWORD_MAX_BYTES {
        return Err(custom_error(format!(
            "must be at most {PASSWORD_MAX_BYTES} bytes long"
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
pub struct RegisterInput {
    /// Login address; normalised to lower case.
    #[serde(default)]
    #[validate(custom(function = "v_email"))]
    #[cfg_attr(feature = "openapi", schema(required = true, format = "email"))]
    pub email: String,
    /// At least 12 characters.
    #[serde(default)]
    #[validate(custom(function = "v_password"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 12, format = "password")
    )]
    pub password: String,
    /// Name shown to matches and coordinators, 1..=80 characters.
    #[serde(default)]
    #[validate(custom(function = "v_display_name"))]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 80)
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
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub pronouns: Option<String>,
}

impl fmt::Debug for RegisterInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisterInput")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("pronouns", &self.pronouns)
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
            Some(ValidatedRegister {
                email: email?,
                password: password?,
                display_name: display_name?,
                role: role?,
                pronouns,
            })
        })
    }
}

/// Body of `POST /auth/verify`.
#[derive(Clone, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyInput {
    /// The address the code was sent to.
    #[serde(default)]
    #[validate(custom(function = "v_email"))]
    #[cfg_attr(feature = "openapi", schema(required = true, format = "email"))]
    pub email: String,
    /// The one-time code from the email.
    #[serde(default)]
    #[validate(custom(function = "v_code"))]
    #[cfg_attr(feature = "openapi", schema(required = true))]
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
pub struct LoginInput {
    /// Login address.
    #[serde(default)]
    #[validate(custom(function = "v_required"))]
    #[cfg_attr(feature = "openapi", schema(required = true, format = "email"))]
    pub email: String,
    /// Password.
    #[serde(default)]
    #[validate(custom(function = "v_login_password"))]
    #[cfg_attr(feature = "openapi", schema(required = true, format = "password"))]
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn register(v: serde_json::Value) -> Result<ValidatedRegister, FieldErrors> {
        serde_json::from_value::<RegisterInput>(v)
            .unwrap()
            .validate_all()
    }

    #[test]
    fn email_is_normalised_and_validated() {
        assert_eq!(
            Email::parse("  Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        assert!(Email::parse("not-an-email").is_err());
        assert!(Email::parse("   ").is_err());
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
        let e: Email = serde_json::from_value(json!("X@Y.io")).unwrap();
        assert_eq!(serde_json::to_value(&e).unwrap(), json!("x@y.io"));
        assert!(serde_json::from_value::<Email>(json!("bad")).is_err());
    }

    #[test]
    fn password_policy() {
        assert!(validate_password("correct horse").is_ok());
        assert!(validate_password("short").is_err());
        // 12 scalar values, 24+ bytes: counted as characters, not bytes.
        assert!(validate_password("ñññññññññññ").is_err());
        assert!(validate_password("ññññññññññññ").is_ok());
        assert!(validate_password(&" ".repeat(20)).is_err());
        assert!(validate_password(&"a".repeat(1025)).is_err());
        assert!(validate_password(&"a".repeat(1024)).is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("correct horse").unwrap()),
            "Password(<redacted>)"
        );
    }

    #[test]
    fn display_name_and_pronouns() {
        assert_eq!(DisplayName::parse("  Sam ").unwrap().as_str(), "Sam");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(DisplayName::parse(&"é".repeat(80)).is_ok());
        assert!(DisplayName::parse("a\u{7}b").is_err());
        assert_eq!(Pronouns::parse_optional(" ").unwrap(), None);
        assert_eq!(
            Pronouns::parse_optional("they/them")
                .unwrap()
                .unwrap()
                .as_str(),
            "they/them"
        );
        assert!(Pronouns::parse(&"x".repeat(41)).is_err());
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), json!(r.as_str()));
        }
        assert!("admin".parse::<Role>().is_err());
        assert!("coordinator".parse::<SelfServiceRole>().is_err());
        assert_eq!(Role::from(SelfServiceRole::Mentor), Role::Mentor);
        assert!(SelfServiceRole::try_from(Role::Coordinator).is_err());
    }

    #[test]
    fn register_valid() {
        let v = register(json!({
            "email": "Kim@Example.org", "password": "a long passphrase",
            "display_name": " Kim ", "role": "mentor", "pronouns": "she/her"
        }))
        .unwrap();
        assert_eq!(v.email.as_str(), "kim@example.org");
        assert_eq!(v.display_name.as_str(), "Kim");
        assert_eq!(v.role, SelfServiceRole::Mentor);
        assert_eq!(v.pronouns.unwrap().as_str(), "she/her");
        assert!(!format!("{:?}", v.password).contains("passphrase"));
    }

    #[test]
    fn register_reports_everything() {
        let e = register(json!({
            "email": "nope", "password": "short", "display_name": "",
            "role": "coordinator", "pronouns": "x".repeat(41)
        }))
        .unwrap_err();
        let paths: Vec<_> = e.paths().collect();
        assert_eq!(
            paths,
            ["display_name", "email", "password", "pronouns", "role"]
        );
        assert_eq!(e.get("role").unwrap(), ["must be one of: mentee, mentor"]);
        assert_eq!(e.get("password").unwrap().len(), 1);
    }

    #[test]
    fn register_missing_fields_are_422_style() {
        let e = register(json!({})).unwrap_err();
        for p in ["email", "password", "display_name", "role"] {
            assert!(e.contains(p), "{p} missing from {e}");
        }
        assert!(!e.contains("pronouns"));
    }

    #[test]
    fn verify_login_add_role() {
        let v: VerifyInput =
            serde_json::from_value(json!({"email": "A@b.co", "code": " 123456 "})).unwrap();
        let ok = v.validate_all().unwrap();
        assert_eq!((ok.email.as_str(), ok.code.as_str()), ("a@b.co", "123456"));
        let v: VerifyInput = serde_json::from_value(json!({"email": "x", "code": ""})).unwrap();
        assert_eq!(v.validate_all().unwrap_err().len(), 2);

        let l: LoginInput =
            serde_json::from_value(json!({"email": " Not-An-Email ", "password": "x"})).unwrap();
        let ok = l.validate_all().unwrap();
        assert_eq!(ok.email, "not-an-email");
        let l: LoginInput = serde_json::from_value(json!({"email": "  ", "password": ""})).unwrap();
        assert_eq!(l.validate_all().unwrap_err().len(), 2);

        let r: AddRoleInput = serde_json::from_value(json!({"role": "mentee"})).unwrap();
        assert_eq!(r.validate_all().unwrap().role, SelfServiceRole::Mentee);
        let r: AddRoleInput = serde_json::from_value(json!({"role": "coordinator"})).unwrap();
        assert!(r.validate_all().unwrap_err().contains("role"));
    }
}
