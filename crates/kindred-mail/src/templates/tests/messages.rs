//! The messages: formatting helpers in both languages, and every id the
//! templates and the code use exists in both languages.

use super::super::*;
use super::strings;

#[test]
fn durations_dates_and_lists() {
    assert_eq!(duration(Lang::En, 3600), "1 hour");
    assert_eq!(duration(Lang::En, 5400), "90 minutes");
    assert_eq!(duration(Lang::En, 14 * 86_400), "14 days");
    assert_eq!(duration(Lang::En, 1), "1 second");
    assert_eq!(duration(Lang::Es, 86_400), "1 día");
    assert_eq!(duration(Lang::Es, 7200), "2 horas");
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
        .unwrap()
        .and_hms_opt(18, 0, 0)
        .unwrap();
    assert_eq!(
        weekly(Lang::En, monday, 90, 1, "CET"),
        "every Monday, 18:00–19:30 (CET)"
    );
    assert_eq!(
        weekly(Lang::En, monday, 90, 2, "CET"),
        "every 2 weeks on Monday, 18:00–19:30 (CET)"
    );
    assert_eq!(
        weekly(Lang::Es, monday, 60, 0, "CET"),
        "cada lunes, de 18:00 a 19:00 (CET)"
    );
    assert_eq!(human_list(Lang::En, &[]), "");
    assert_eq!(human_list(Lang::En, &strings(&["a"])), "a");
    assert_eq!(
        human_list(Lang::En, &strings(&["a", " ", "b", "c"])),
        "a, b and c"
    );
    assert_eq!(human_list(Lang::Es, &strings(&["a", "b"])), "a y b");
    assert_eq!(
        human_list(Lang::Es, &strings(&["Trans", "Inmigración"])),
        "Trans e Inmigración"
    );
    assert_eq!(human_list(Lang::Es, &strings(&["a", "hijos"])), "a e hijos");
    assert_eq!(human_list(Lang::Es, &strings(&["a", "hielo"])), "a y hielo");
    let labels = strings(&["Bisexual"]);
    assert_eq!(
        reason_sentence(Lang::Es, "shared_experience", "", &labels),
        "Compartís Bisexual; las experiencias compartidas menos frecuentes cuentan más."
    );
    assert_eq!(
        reason_sentence(Lang::Es, "timezone", "You are in the same UTC offset.", &[]),
        "Tenéis la misma diferencia horaria con UTC."
    );
    assert_eq!(
        reason_sentence(
            Lang::Es,
            "timezone",
            "Your time zones are 1 h 00 min apart.",
            &[]
        ),
        "Vuestras zonas horarias se diferencian en 1 h 00 min."
    );
    assert_eq!(
        reason_sentence(
            Lang::Es,
            "waiting",
            "The request has been waiting 12 days.",
            &[]
        ),
        "La solicitud lleva 12 días esperando."
    );
    assert_eq!(
        reason_sentence(
            Lang::En,
            "load",
            "This would be the mentor's mentee number 3; each extra mentee costs more.",
            &[]
        ),
        "This would be the mentor's mentee number 3; each extra mentee costs more."
    );
    // A detail whose numbers cannot be read is shown as written.
    assert_eq!(
        reason_sentence(Lang::Es, "waiting", "Waiting a while.", &[]),
        "Waiting a while."
    );
    assert!(reason_sentence(Lang::Es, "load", "número 4", &[]).contains("número 4 a la que"));
}

/// The literal ids of `t("…")` calls in a template (`t(k ~ …)` builds its
/// id: those are listed in the test).
fn ids_in(source: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("t(\"") {
        let after = &rest[at + 3..];
        if let Some(end) = after.find('"') {
            ids.push(after[..end].to_string());
        }
        rest = after;
    }
    ids
}

#[test]
fn every_message_id_in_use_exists_and_both_languages_define_the_same() {
    let mut used: Vec<String> = TEMPLATES.iter().flat_map(|(_, s)| ids_in(s)).collect();
    assert!(used.len() > 60, "the scan finds the templates' ids");
    for k in ["summary-report", "summary-support"] {
        for part in ["subject", "intro", "link"] {
            used.push(format!("{k}-{part}"));
        }
    }
    for id in [
        "duration-seconds",
        "duration-minutes",
        "duration-hours",
        "duration-days",
        "date-utc",
        "date-local",
        "list-and",
        "list-and-before-i",
        "why-base",
        "why-shared",
        "why-no-shared",
        "why-overlap",
        "why-same-offset",
        "why-timezones",
        "why-waiting",
        "why-load",
        "ics-summary",
        "ics-description",
        "ics-with",
        "ics-circle-summary",
        "ics-circle-description",
        "weekly-slot",
    ] {
        used.push(id.into());
    }
    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        used.push(format!("weekday-{day}"));
    }
    for month in 1..=12 {
        used.push(format!("month-{month}"));
    }
    let mut en = catalog().message_ids(Lang::En);
    let mut es = catalog().message_ids(Lang::Es);
    for id in &used {
        assert!(en.contains(id), "{id:?} is missing in en");
        assert!(es.contains(id), "{id:?} is missing in es");
    }
    en.sort();
    es.sort();
    let mut unique = en.clone();
    unique.dedup();
    assert_eq!(unique, en, "no id is defined twice");
    assert_eq!(en, es, "en and es define the same message ids");
    // Every message formats without errors with the arguments emails pass.
    let args: Vec<(&str, FluentValue<'_>)> = [
        "name",
        "partner",
        "pronouns",
        "id",
        "route",
        "tags",
        "init",
        "last",
        "weekday",
        "day",
        "month",
        "year",
        "time",
        "zone",
        "hours",
        "minutes",
        "days",
        "number",
        "role",
        "confirm",
        "consent",
        "facilitator",
        "region",
        "start",
        "end",
        "people",
        "blocker",
        "blocked",
        "url",
        "weeks",
    ]
    .into_iter()
    .map(|a| (a, FluentValue::from("x")))
    .chain([
        ("count", FluentValue::from(2)),
        ("min", FluentValue::from(4)),
        ("duration", FluentValue::from("2 days")),
    ])
    .collect();
    for lang in Lang::ALL {
        for id in &en {
            catalog().text(lang, id, &args).unwrap();
        }
    }
}
