//! Unit tests of profile validation.

use chrono::Weekday;
use serde_json::{json, Value};

use super::*;
use crate::errors::FieldErrors;
use crate::tags::TagInfo;

fn taxonomy(slug: &str) -> Option<TagInfo> {
    match slug {
        "bisexual" | "domestic-abuse-survivor" => Some(TagInfo {
            sensitive: true,
            retired: false,
        }),
        "coming-out-at-work" | "job-search" | "housing" => Some(TagInfo::default()),
        "old-tag" => Some(TagInfo {
            sensitive: false,
            retired: true,
        }),
        _ => None,
    }
}

fn mentee_body() -> Value {
    json!({
        "bio": "  Hi there  ",
        "tags": ["bisexual", "coming-out-at-work"],
        "private_tags": ["domestic-abuse-survivor"],
        "languages": ["en", "es"],
        "timezone": "Europe/Madrid",
        "availability": [{"day": "mon", "start": "18:00", "end": "20:30"}],
        "meeting_modes": ["online", "in_person"],
        "region": "Madrid",
        "goals": "Find my feet at work",
        "consents": {"sensitive_tags": true}
    })
}

fn mentor_body() -> Value {
    let mut b = mentee_body();
    let o = b.as_object_mut().unwrap();
    o.remove("goals");
    o.insert("capacity".into(), json!(3));
    b
}

fn run(kind: ProfileKind, body: Value) -> Result<ValidProfile, FieldErrors> {
    run_with(kind, body, &[])
}

fn run_with(
    kind: ProfileKind,
    body: Value,
    existing: &[String],
) -> Result<ValidProfile, FieldErrors> {
    let input: ProfileInput = serde_json::from_value(body).unwrap();
    validate_profile(&input, kind, &taxonomy, existing)
}

/// Applies `patch` to the mentee body and returns the errors, asserting it failed.
fn errs(kind: ProfileKind, patch: Value) -> FieldErrors {
    let mut body = match kind {
        ProfileKind::Mentee => mentee_body(),
        ProfileKind::Mentor => mentor_body(),
        ProfileKind::Facilitator => facilitator_body(),
    };
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    run(kind, body).unwrap_err()
}

fn assert_only(e: &FieldErrors, path: &str) {
    assert_eq!(e.paths().collect::<Vec<_>>(), [path], "{e}");
}

#[test]
fn valid_mentee_round_trips_exactly() {
    let p = run(ProfileKind::Mentee, mentee_body()).unwrap();
    assert_eq!(p.kind(), ProfileKind::Mentee);
    assert_eq!(p.timezone, chrono_tz::Europe::Madrid);
    let out = serde_json::to_value(&p).unwrap();
    let mut want = mentee_body();
    want["bio"] = json!("Hi there");
    assert_eq!(out, want);
    let back: ValidProfile = serde_json::from_value(out).unwrap();
    assert_eq!(back, p);
}

#[test]
fn valid_mentor_defaults_accepting() {
    let p = run(ProfileKind::Mentor, mentor_body()).unwrap();
    assert_eq!((p.capacity, p.accepting), (Some(3), Some(true)));
    assert_eq!(p.kind(), ProfileKind::Mentor);
    let out = serde_json::to_value(&p).unwrap();
    assert_eq!(out["accepting"], json!(true));
    assert!(out.get("goals").is_none());
    let mut b = mentor_body();
    b["accepting"] = json!(false);
    assert_eq!(run(ProfileKind::Mentor, b).unwrap().accepting, Some(false));
}

#[test]
fn unknown_fields_are_rejected() {
    let mut b = mentee_body();
    b["privte_tags"] = json!([]);
    assert!(serde_json::from_value::<ProfileInput>(b).is_err());
    let mut b = mentee_body();
    b["availability"][0]["note"] = json!("x");
    assert!(serde_json::from_value::<ProfileInput>(b).is_err());
}

#[test]
fn bio_too_long() {
    let e = errs(ProfileKind::Mentee, json!({"bio": "x".repeat(2001)}));
    assert_only(&e, "bio");
    assert!(run(ProfileKind::Mentee, {
        let mut b = mentee_body();
        b["bio"] = json!("é".repeat(2000));
        b
    })
    .is_ok());
}

#[test]
fn goals_too_long_and_mentor_goals_rejected() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"goals": "x".repeat(2001)})),
        "goals",
    );
    let e = errs(ProfileKind::Mentor, json!({"goals": "x"}));
    assert_only(&e, "goals");
    assert_eq!(e.get("goals").unwrap(), ["only for mentee profiles"]);
}

#[test]
fn capacity_rules() {
    assert_only(
        &errs(ProfileKind::Mentor, json!({"capacity": null})),
        "capacity",
    );
    assert_only(
        &errs(ProfileKind::Mentor, json!({"capacity": 0})),
        "capacity",
    );
    assert_only(
        &errs(ProfileKind::Mentor, json!({"capacity": 21})),
        "capacity",
    );
    assert_only(
        &errs(ProfileKind::Mentor, json!({"capacity": -3})),
        "capacity",
    );
    assert_only(
        &errs(ProfileKind::Mentee, json!({"capacity": 2})),
        "capacity",
    );
}

#[test]
fn accepting_rejected_for_mentee() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"accepting": true})),
        "accepting",
    );
}

#[test]
fn unknown_tag() {
    let e = errs(ProfileKind::Mentee, json!({"tags": ["bisexual", "nope"]}));
    assert_only(&e, "tags[1]");
    assert_eq!(e.get("tags[1]").unwrap(), ["unknown tag"]);
}

#[test]
fn retired_tag_only_if_existing() {
    let e = errs(ProfileKind::Mentee, json!({"tags": ["old-tag"]}));
    assert_only(&e, "tags[0]");
    let mut b = mentee_body();
    b["tags"] = json!(["old-tag"]);
    assert!(run_with(ProfileKind::Mentee, b, &["old-tag".to_owned()]).is_ok());
}

#[test]
fn duplicate_tag() {
    let e = errs(
        ProfileKind::Mentee,
        json!({"tags": ["job-search", "job-search"]}),
    );
    assert_only(&e, "tags[1]");
    assert_eq!(e.get("tags[1]").unwrap(), ["duplicate tag"]);
}

#[test]
fn tag_both_public_and_private() {
    let e = errs(
        ProfileKind::Mentee,
        json!({"private_tags": ["domestic-abuse-survivor", "job-search"], "tags": ["job-search"]}),
    );
    assert_only(&e, "private_tags[1]");
}

#[test]
fn too_many_tags() {
    let many: Vec<String> = (0..31).map(|i| format!("t{i}")).collect();
    let input = ProfileInput {
        tags: many,
        languages: vec!["en".into()],
        timezone: "UTC".into(),
        meeting_modes: vec!["online".into()],
        ..Default::default()
    };
    let e = validate_profile(
        &input,
        ProfileKind::Mentee,
        &|_| Some(TagInfo::default()),
        &[],
    )
    .unwrap_err();
    assert_only(&e, "tags");
}

#[test]
fn sensitive_tags_need_consent() {
    let e = errs(ProfileKind::Mentee, json!({"consents": null}));
    assert_only(&e, "consents.sensitive_tags");
    let msg = &e.get("consents.sensitive_tags").unwrap()[0];
    assert!(
        msg.contains("bisexual") && msg.contains("domestic-abuse-survivor"),
        "{msg}"
    );
    let e = errs(
        ProfileKind::Mentee,
        json!({"consents": {"sensitive_tags": false}}),
    );
    assert_only(&e, "consents.sensitive_tags");
    // Non-sensitive tags need no consent.
    let mut b = mentee_body();
    b["tags"] = json!(["job-search"]);
    b["private_tags"] = json!([]);
    b.as_object_mut().unwrap().remove("consents");
    assert!(run(ProfileKind::Mentee, b).is_ok());
}

#[test]
fn languages_rules() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"languages": []})),
        "languages",
    );
    assert_only(
        &errs(ProfileKind::Mentee, json!({"languages": null})),
        "languages",
    );
    let eleven: Vec<String> = (0..11).map(|i| format!("en-{:03}", i)).collect();
    assert_only(
        &errs(ProfileKind::Mentee, json!({"languages": eleven})),
        "languages",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"languages": ["en", "english!"]}),
        ),
        "languages[1]",
    );
    let e = errs(
        ProfileKind::Mentee,
        json!({"languages": ["en-gb", "EN-GB"]}),
    );
    assert_only(&e, "languages[1]");
    assert_eq!(e.get("languages[1]").unwrap(), ["duplicate language"]);
    let mut b = mentee_body();
    b["languages"] = json!(["en-gb", "zh-hant"]);
    assert_eq!(
        run(ProfileKind::Mentee, b).unwrap().languages,
        ["en-GB", "zh-Hant"]
    );
}

#[test]
fn timezone_rules() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"timezone": "Mars/Olympus"})),
        "timezone",
    );
    assert_only(
        &errs(ProfileKind::Mentee, json!({"timezone": null})),
        "timezone",
    );
    let mut b = mentee_body();
    b["timezone"] = json!("America/Argentina/Buenos_Aires");
    let p = run(ProfileKind::Mentee, b).unwrap();
    assert_eq!(
        serde_json::to_value(&p).unwrap()["timezone"],
        "America/Argentina/Buenos_Aires"
    );
}

#[test]
fn availability_rules() {
    let w = |d: &str, s: &str, e: &str| json!({"day": d, "start": s, "end": e});
    let too_many: Vec<Value> = (0..29)
        .map(|i| {
            let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][i % 7];
            let h = i / 7;
            w(day, &format!("{:02}:00", h), &format!("{:02}:30", h))
        })
        .collect();
    assert_only(
        &errs(ProfileKind::Mentee, json!({"availability": too_many})),
        "availability",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"availability": [w("monday", "09:00", "10:00")]}),
        ),
        "availability[0].day",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"availability": [w("mon", "9:00", "10:00")]}),
        ),
        "availability[0].start",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"availability": [w("mon", "09:00", "10:10")]}),
        ),
        "availability[0].end",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"availability": [w("mon", "24:00", "24:00")]}),
        ),
        "availability[0].start",
    );
    let e = errs(
        ProfileKind::Mentee,
        json!({"availability": [w("mon", "10:00", "09:00")]}),
    );
    assert_only(&e, "availability[0].end");
    assert_eq!(
        e.get("availability[0].end").unwrap(),
        ["must be after start"]
    );
    let e = errs(
        ProfileKind::Mentee,
        json!({"availability": [
            w("mon", "09:00", "11:00"), w("tue", "09:30", "10:00"),
            w("mon", "12:00", "13:00"), w("mon", "10:45", "12:00")
        ]}),
    );
    assert_only(&e, "availability[3]");
    assert_eq!(
        e.get("availability[3]").unwrap(),
        ["overlaps availability[0]"]
    );
    // Touching windows and 24:00 ends are fine; output keeps the HH:MM form.
    let mut b = mentee_body();
    b["availability"] = json!([w("sun", "22:00", "24:00"), w("sun", "20:00", "22:00")]);
    let p = run(ProfileKind::Mentee, b.clone()).unwrap();
    assert_eq!(
        p.availability[0],
        AvailabilityWindow {
            day: Weekday::Sun,
            start_min: 1320,
            end_min: 1440
        }
    );
    assert_eq!(
        serde_json::to_value(&p).unwrap()["availability"],
        b["availability"]
    );
}

#[test]
fn meeting_mode_rules() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"meeting_modes": []})),
        "meeting_modes",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"meeting_modes": ["online", "carrier_pigeon"]}),
        ),
        "meeting_modes[1]",
    );
    assert_only(
        &errs(
            ProfileKind::Mentee,
            json!({"meeting_modes": ["phone", "phone"]}),
        ),
        "meeting_modes[1]",
    );
    let e = errs(ProfileKind::Mentee, json!({"region": null}));
    assert_only(&e, "region");
    assert_eq!(
        e.get("region").unwrap(),
        ["is required when meeting_modes includes in_person"]
    );
    assert_only(
        &errs(ProfileKind::Mentee, json!({"region": "   "})),
        "region",
    );
    let mut b = mentee_body();
    b["meeting_modes"] = json!(["phone"]);
    b.as_object_mut().unwrap().remove("region");
    assert!(run(ProfileKind::Mentee, b).is_ok());
}

#[test]
fn region_rules() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"region": "x".repeat(101)})),
        "region",
    );
    assert_only(
        &errs(ProfileKind::Mentee, json!({"region": "a\u{0}b"})),
        "region",
    );
    let mut b = mentee_body();
    b["region"] = json!("  Madrid  ");
    assert_eq!(
        run(ProfileKind::Mentee, b).unwrap().region.as_deref(),
        Some("Madrid")
    );
}

#[test]
fn pronouns_rule() {
    assert_only(
        &errs(ProfileKind::Mentee, json!({"pronouns": "x".repeat(41)})),
        "pronouns",
    );
}

#[test]
fn five_violations_reported_together() {
    let e = errs(
        ProfileKind::Mentor,
        json!({
            "bio": "x".repeat(2001),
            "capacity": 99,
            "tags": ["nope"],
            "languages": [],
            "timezone": "Nowhere/Special",
        }),
    );
    assert_eq!(
        e.paths().collect::<Vec<_>>(),
        ["bio", "capacity", "languages", "tags[0]", "timezone"],
        "{e}"
    );
    assert_eq!(
        serde_json::to_value(&e).unwrap().as_object().unwrap().len(),
        5
    );
}

fn facilitator_body() -> Value {
    let mut body = mentor_body();
    let o = body.as_object_mut().unwrap();
    o.remove("capacity");
    o.remove("accepting");
    o.insert("max_circles".into(), json!(2));
    body
}

#[test]
fn facilitator_profiles_need_max_circles_and_take_no_mentor_fields() {
    let valid = run(ProfileKind::Facilitator, facilitator_body()).unwrap();
    assert_eq!(valid.max_circles, Some(2));
    assert_eq!(valid.kind(), ProfileKind::Facilitator);
    assert_only(
        &errs(ProfileKind::Facilitator, json!({"max_circles": 6})),
        "max_circles",
    );
    assert_only(
        &errs(ProfileKind::Facilitator, json!({"max_circles": null})),
        "max_circles",
    );
    assert_only(
        &errs(ProfileKind::Facilitator, json!({"capacity": 3})),
        "capacity",
    );
    assert_only(
        &errs(ProfileKind::Mentor, json!({"max_circles": 1})),
        "max_circles",
    );
    assert_only(
        &errs(ProfileKind::Mentee, json!({"max_circles": 1})),
        "max_circles",
    );
}
