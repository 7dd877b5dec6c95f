//! Unit tests of account values and request bodies.

use serde_json::json;

use super::*;
use crate::errors::FieldErrors;

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

#[test]
fn display_names_reject_bidi_and_invisible_characters() {
    for bad in [
        "Ana\u{202E}gnp.exe",  // RIGHT-TO-LEFT OVERRIDE
        "Ana\u{202A}x",        // LEFT-TO-RIGHT EMBEDDING
        "\u{2067}Ana\u{2069}", // RIGHT-TO-LEFT ISOLATE … POP
        "Ana\u{200F}",         // RIGHT-TO-LEFT MARK
        "A\u{200B}na",         // ZERO WIDTH SPACE
        "A\u{2060}na",         // WORD JOINER
        "Ana\u{FEFF}",         // ZERO WIDTH NO-BREAK SPACE
        "A\u{200D}na",         // ZWJ outside an emoji sequence
        "A\u{200C}na",         // ZWNJ between ASCII letters
        "A\u{00AD}na",         // SOFT HYPHEN
    ] {
        let err = DisplayName::parse(bad).expect_err(bad);
        assert!(err.contains("invisible or text-direction"), "{err}");
        let errors = register(json!({
            "email": "a@example.org", "password": "a long passphrase",
            "display_name": bad, "role": "mentee"
        }))
        .unwrap_err();
        assert!(errors.contains("display_name"), "{bad:?}");
    }
    // Legitimate uses stay valid: emoji ZWJ sequences, Persian ZWNJ, RTL scripts.
    for good in [
        "Sam \u{1F3F3}\u{FE0F}\u{200D}\u{1F308}", // rainbow flag
        "Alex \u{1F3F3}\u{FE0F}\u{200D}\u{26A7}\u{FE0F}", // transgender flag
        "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}", // می‌خواهم
        "\u{05D3}\u{05E0}\u{05D4}",               // דנה
        "José Núñez",
    ] {
        assert!(DisplayName::parse(good).is_ok(), "{good:?}");
    }
}
