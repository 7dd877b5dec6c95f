//! Account-level value types and the bodies of the `/auth/*` and `/me/roles` routes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use validator::ValidateEmail;

use crate::text;

mod inputs;

pub use inputs::{
    AddRoleInput, ChangePasswordInput, LoginInput, PasswordResetConfirmInput, PasswordResetInput,
    RegisterInput, ValidatedAddRole, ValidatedChangePassword, ValidatedLogin,
    ValidatedPasswordReset, ValidatedRegister, ValidatedVerify, VerifyInput,
};

/// Longest address SMTP can carry (RFC 5321 path limit), so we never store one we can't mail.
pub const EMAIL_MAX_LEN: usize = 254;
/// Minimum password length in Unicode scalar values (contract: "≥ 12 chars").
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Upper bound in bytes, so a caller can't make us hash megabytes per request.
pub const PASSWORD_MAX_CHARS: usize = 1024;
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
/// not penalised), ≤ 1024 of them (bounded hashing cost: at most 4 KiB), and not only
/// whitespace.
/// The password itself is never trimmed or altered.
pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(format!(
            "must be at least {PASSWORD_MIN_CHARS} characters long"
        ));
    }
    if password.chars().count() > PASSWORD_MAX_CHARS {
        return Err(format!(
            "must be at most {PASSWORD_MAX_CHARS} characters long"
        ));
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
    /// Trims and validates: single line, 1..=80 characters, and no
    /// invisible or text-direction characters (see [`is_spoofing_char`]).
    pub fn parse(raw: &str) -> Result<DisplayName, String> {
        let name = text::single_line(raw, 1, DISPLAY_NAME_MAX_CHARS)?;
        let chars: Vec<char> = name.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            if is_spoofing_char(c, prev, next) {
                return Err(format!(
                    "must not contain invisible or text-direction control characters (found U+{:04X})",
                    u32::from(c)
                ));
            }
        }
        Ok(DisplayName(name))
    }

    /// The trimmed name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters a name could use to look like something else where it is
/// shown (emails, coordinator lists): bidi overrides, embeddings, isolates
/// and marks (which reorder the text around them), and zero-width or
/// otherwise invisible characters (which make two names look the same).
///
/// Two have legitimate uses and are allowed only there: ZERO WIDTH JOINER
/// between emoji (🏳️‍🌈, 🏳️‍⚧️ are ZWJ sequences) and ZERO WIDTH NON-JOINER
/// between letters (Persian and Indic orthography).
fn is_spoofing_char(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let emoji = |c: Option<char>| {
        c.is_some_and(|c| matches!(u32::from(c), 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F))
    };
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !c.is_ascii());
    match u32::from(c) {
        // ZERO WIDTH JOINER inside an emoji sequence.
        0x200D => !(emoji(prev) && emoji(next)),
        // ZERO WIDTH NON-JOINER between letters of a script that needs it.
        0x200C => !(letter(prev) && letter(next)),
        // Bidi embeddings and overrides, isolates, and the marks.
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C => true,
        // Zero-width space, word joiner, invisible operators, BOM / ZWNBSP,
        // soft hyphen, Mongolian vowel separator, combining grapheme joiner,
        // Hangul fillers.
        0x200B
        | 0x2060..=0x2064
        | 0xFEFF
        | 0x00AD
        | 0x180E
        | 0x034F
        | 0x115F
        | 0x1160
        | 0x3164
        | 0xFFA0 => true,
        _ => false,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow), diesel(sql_type = diesel::sql_types::Text))]
pub enum Role {
    /// Looks for a mentor.
    Mentee,
    /// Offers mentorship.
    Mentor,
    /// Reviews matches, manages tags, handles safety reports.
    Coordinator,
    /// Trained to lead peer-support circles; granted and revoked by coordinators.
    Facilitator,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 4] = [
        Role::Mentee,
        Role::Mentor,
        Role::Coordinator,
        Role::Facilitator,
    ];

    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mentee => "mentee",
            Role::Mentor => "mentor",
            Role::Coordinator => "coordinator",
            Role::Facilitator => "facilitator",
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
            "facilitator" => Ok(Role::Facilitator),
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
            Role::Coordinator | Role::Facilitator => Err(UnknownRole(r.as_str().to_owned())),
        }
    }
}

#[cfg(test)]
mod tests;
