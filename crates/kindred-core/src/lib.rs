//! kindred-core: Kindred's domain types and validation rules.
//!
//! Pure logic, no I/O: every other crate (API, database, matching, jobs) shares these
//! definitions so that a rule such as "capacity 1..=20" or the match-state table exists in
//! exactly one place. Validation collects *every* violation into [`FieldErrors`], which the
//! API renders as the `errors` member of a `422` problem document.

pub mod accounts;
pub mod circles;
pub mod errors;
pub mod import;
pub mod lang;
pub mod language;
pub mod languages;
pub mod matches;
pub mod profile;
pub mod serde_util;
#[cfg(feature = "diesel")]
mod sql;
pub mod tags;
pub mod taxonomy;
mod text;
pub mod time;

pub use accounts::{
    validate_password, AddRoleInput, ChangePasswordInput, DisplayName, Email, LoginInput, Password,
    PasswordResetConfirmInput, PasswordResetInput, Pronouns, RegisterInput, Role, SelfServiceRole,
    UnknownRole, ValidatedAddRole, ValidatedChangePassword, ValidatedLogin, ValidatedPasswordReset,
    ValidatedRegister, ValidatedVerify, VerifyInput,
};
pub use circles::{
    CircleAction, CircleRequestState, CircleState, InvalidCircleTransition, MemberState,
};
pub use errors::FieldErrors;
pub use lang::{Lang, LanguageInput};
pub use language::normalize_language_tag;
pub use matches::{InvalidTransition, MatchAction, MatchState, RequestState, UnknownVariant};
pub use profile::{
    validate_profile, AvailabilityWindow, AvailabilityWindowInput, ConsentInput, Consents,
    MeetingMode, ProfileInput, ProfileKind, ValidProfile,
};
pub use tags::{
    NewTagInput, TagCategory, TagInfo, TagPatchInput, TagSlug, ValidNewTag, ValidTagPatch,
};
pub use taxonomy::{default_taxonomy, TagSeed};
pub use time::{format_hhmm, next_weekly, parse_hhmm, parse_weekday, weekday_str};

#[cfg(all(test, feature = "openapi"))]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    /// The API builds its OpenAPI document from these derives; make sure they render and
    /// carry the contract's field names.
    #[test]
    fn schemas_render() {
        let profile = serde_json::to_value(ProfileInput::schema()).unwrap();
        let props = profile["properties"].as_object().unwrap();
        for f in [
            "bio",
            "tags",
            "private_tags",
            "languages",
            "timezone",
            "availability",
            "meeting_modes",
            "region",
            "goals",
            "capacity",
            "accepting",
            "consents",
            "pronouns",
        ] {
            assert!(props.contains_key(f), "{f}");
        }
        let register = serde_json::to_value(RegisterInput::schema()).unwrap();
        assert!(register["required"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("password")));
        for s in [
            serde_json::to_value(ValidProfile::schema()),
            serde_json::to_value(NewTagInput::schema()),
            serde_json::to_value(TagPatchInput::schema()),
            serde_json::to_value(FieldErrors::schema()),
            serde_json::to_value(MatchState::schema()),
            serde_json::to_value(LoginInput::schema()),
            serde_json::to_value(VerifyInput::schema()),
            serde_json::to_value(AddRoleInput::schema()),
        ] {
            assert!(s.unwrap().is_object());
        }
    }
}
