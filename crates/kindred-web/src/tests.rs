//! Every template renders in every language; every message id the
//! templates and handlers use exists in both languages.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use crate::forms::{field, FormState};
use crate::i18n::Lang;
use crate::render::{footer_blocks, pages, templates, Layout, Page};

const FOOTER: &str = "Peer support does not replace professional help.\n\n- Samaritans: 116 123\n- findahelpline.com";

fn layout(lang: Lang, signed_in: bool) -> Layout {
    Layout {
        lang: lang.tag(),
        path: "/login".into(),
        signed_in: signed_in.then(|| "Ana <b>".to_string()),
        coordinator: signed_in,
        csrf: "token".into(),
        footer: footer_blocks(FOOTER),
        notice: Some("notice-session-ended"),
    }
}

fn values(template: &str) -> minijinja::Value {
    use crate::pages::{
        checkins, circles, console, invitation, matches, profile, requests, safety, settings,
    };
    let samples = [
        console::sample,
        profile::sample,
        requests::sample,
        matches::sample,
        checkins::sample,
        safety::sample,
        settings::sample,
        invitation::sample,
        circles::sample,
    ];
    if let Some(values) = samples.iter().find_map(|sample| sample(template)) {
        return values;
    }
    match template {
        "home.html" => minijinja::context! {
            name => "Ana <script>", pronouns => "she/her",
            roles => vec!["mentee", "mentor", "coordinator"],
        },
        "password.html" => minijinja::context! { must_change => true },
        "error.html" => minijinja::context! {
            title => "error-rate-limited-title", body => "error-rate-limited-body", seconds => 30,
        },
        _ => minijinja::Value::from(()),
    }
}

/// The inputs the generic render test puts an error on (the areas' own
/// inputs have their own tests).
const ERROR_FIELDS: [&str; 13] = [
    "email",
    "password",
    "display_name",
    "pronouns",
    "role",
    "code",
    "new_password",
    "current_password",
    // The matches area's inputs.
    "reason",
    "rating",
    "note",
    "language",
    "file",
];

/// A form with an error on every input of [`ERROR_FIELDS`].
fn form_with_errors(lang: Lang) -> FormState {
    let mut form = FormState::with_values(&[("email", "ana@example.org"), ("role", "mentor")]);
    let mut errors = BTreeMap::new();
    for path in ERROR_FIELDS {
        errors.insert(path.to_string(), vec!["is required".to_string()]);
    }
    let fields = [
        field("email", "email", "field-email"),
        field("password", "password", "field-password"),
        field("display_name", "display_name", "field-display-name"),
        field("pronouns", "pronouns", "field-pronouns"),
        field("role", "role-mentee", "field-role"),
        field("code", "code", "field-code"),
        field("new_password", "new_password", "field-new-password"),
        field(
            "current_password",
            "current_password",
            "field-current-password",
        ),
        field("reason", "decline-reason", "matches-field-decline-reason"),
        field("reason", "end-reason", "matches-field-end-reason"),
        field("reason", "report-reason", "matches-field-report-reason"),
        field("reason", "reject-reason", "console-field-reject-reason"),
        field("reason", "end-reason", "console-field-end-reason"),
        field("language", "language", "console-filter-language"),
        field("file", "file", "console-import-file"),
        field("rating", "rating-1", "matches-field-rating"),
        field("note", "checkin-note", "matches-field-checkin-note"),
    ];
    form.add_field_errors(lang, &fields, &errors);
    form
}

#[test]
fn every_page_renders_in_every_language() {
    for lang in Lang::ALL {
        for template in pages() {
            for (signed_in, form) in [
                (false, FormState::default()),
                (true, form_with_errors(lang)),
            ] {
                let with_errors = form.has_errors();
                let page = Page::new(template, layout(lang, signed_in))
                    .form(form)
                    .values(values(template));
                let html = page
                    .html()
                    .unwrap_or_else(|e| panic!("{template} in {}: {e:#}", lang.tag()));
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.tag())));
                assert!(html.contains("<main id=\"main\""), "{template}");
                assert!(html.contains("href=\"#main\""), "{template}: skip link");
                assert!(html.contains(&lang.t("footer-not-crisis")), "{template}");
                assert!(
                    html.contains("116 123"),
                    "{template}: the configured resources"
                );
                assert!(
                    !html.contains("<script"),
                    "{template}: no script, escaped input"
                );
                assert!(!html.contains("style="), "{template}: no inline style");
                if signed_in {
                    assert!(html.contains("Ana &lt;b&gt;") || !html.contains("Ana <b>"));
                    assert!(html.contains("action=\"/logout\""), "{template}");
                }
                // A page with one of the inputs that carry an error shows it.
                let has_invalid_input = ERROR_FIELDS
                    .iter()
                    .any(|name| html.contains(&format!("name=\"{name}\"")));
                if with_errors && has_invalid_input {
                    assert!(html.contains("role=\"alert\""), "{template}: error summary");
                    assert!(html.contains("aria-invalid=\"true\""), "{template}");
                    assert!(
                        html.contains(&lang.t("title-error-prefix")),
                        "{template}: title"
                    );
                }
            }
        }
    }
}

#[test]
fn inputs_keep_values_but_never_passwords() {
    let mut form = form_with_errors(Lang::En);
    form.values.insert("password", "hunter2-secret".into());
    form.values.insert("display_name", "Ana".into());
    let html = Page::new("signup.html", layout(Lang::En, false))
        .form(form)
        .html()
        .unwrap();
    assert!(html.contains("value=\"ana@example.org\""));
    assert!(html.contains("value=\"Ana\""));
    assert!(!html.contains("hunter2-secret"));
    assert!(html.contains("id=\"role-mentor\" name=\"role\" value=\"mentor\" checked"));
    // The summary links to the inputs, and each message sits beside its input.
    assert!(html.contains("href=\"#email\""));
    assert!(html.contains("href=\"#role-mentee\""));
    assert!(html.contains("aria-describedby=\"password-hint password-error\""));
    assert!(html.contains("id=\"password-error\""));
}

/// The literal ids of `t("…")` calls in a template.
fn ids_in(source: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("t(\"") {
        let after = &rest[at + 3..];
        // `t("role-" ~ role)` builds its id: the handlers' list names those.
        if let Some(end) = after
            .find('"')
            .filter(|&end| !after[end + 1..].trim_start().starts_with('~'))
        {
            ids.push(after[..end].to_string());
        }
        rest = &rest[at + 3..];
    }
    ids
}

#[test]
fn every_message_id_in_use_exists_in_both_languages() {
    let mut used: Vec<String> = templates().flat_map(|(_, s)| ids_in(s)).collect();
    assert!(used.len() > 40, "the scan finds the templates' ids");
    used.extend(crate::pages::CODE_MESSAGE_IDS.iter().map(|s| s.to_string()));
    for area in crate::pages::AREAS {
        used.extend(area.message_ids.iter().map(|s| s.to_string()));
    }
    for failure in [
        crate::error::Failure::Csrf,
        crate::error::Failure::BadForm,
        crate::error::Failure::NotFound,
        crate::error::Failure::RateLimited {
            retry_after_secs: 1,
        },
        crate::error::Failure::Unavailable,
        crate::error::Failure::Internal,
    ] {
        let (title, body) = failure.messages();
        used.push(title.into());
        used.push(body.into());
    }
    for message in [
        "err-required",
        "err-too-long",
        "err-too-short",
        "err-email",
        "err-whitespace",
        "err-control",
        "err-invisible",
        "err-choice",
        "err-current-password",
        "err-invalid",
    ] {
        used.push(message.into());
    }
    for lang in Lang::ALL {
        let defined = lang.message_ids();
        for id in &used {
            assert!(defined.contains(id), "{id:?} is missing in {}", lang.tag());
        }
    }
}
