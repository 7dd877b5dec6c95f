//! The profile page's markup: every control labelled, errors beside their
//! inputs, the consent shown when the server asks for it.
#![allow(clippy::unwrap_used)]

use kindred_core::ProfileKind;

use super::sample_editor;
use crate::i18n::Lang;
use crate::render::{footer_blocks, Layout, Page};

fn layout(lang: Lang) -> Layout {
    Layout {
        lang: lang.tag(),
        path: "/profile".into(),
        signed_in: Some("Ana".into()),
        coordinator: false,
        csrf: "token".into(),
        footer: footer_blocks("Help: 116 123"),
        notice: None,
    }
}

fn render(lang: Lang, kind: ProfileKind) -> String {
    let (editor, form) = sample_editor(lang, kind);
    Page::new("profile.html", layout(lang))
        .form(form)
        .values(minijinja::Value::from_serialize(&editor))
        .html()
        .unwrap()
}

#[test]
fn the_mentee_form_has_every_control_labelled() {
    let html = render(Lang::En, ProfileKind::Mentee);
    for id in [
        "bio",
        "goals",
        "tag-bisexual",
        "tag-bisexual-public",
        "tag-bisexual-private",
        "consent_sensitive",
        "lang-en",
        "lang-ssp",
        "languages_other",
        "timezone",
        "avail-mon-0-start",
        "avail-mon-0-end",
        "avail-mon-1-start",
        "avail-sun-0-end",
        "mode-online",
        "mode-in_person",
        "mode-phone",
        "region",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        assert!(
            html.contains(&format!("<label for=\"{id}\"")),
            "label of {id}"
        );
    }
    assert!(!html.contains("id=\"capacity\""));
    assert!(html.contains("<input type=\"hidden\" name=\"role\" value=\"mentee\">"));
    // A row per stored window plus an empty one.
    assert!(html.contains("value=\"18:00\""));
    assert!(!html.contains("id=\"avail-mon-2-start\""));
    // The searchable list of zones.
    assert!(html.contains("list=\"timezone-list\""));
    assert!(html.contains("<option value=\"Europe/Madrid\">"));
    // Grouped by category, with what private means.
    assert!(html.contains("<legend>Who you are</legend>"));
    assert!(html.contains("<legend>What you would like support with</legend>"));
    assert!(html.contains("<legend>No longer offered (untick to remove)</legend>"));
    assert!(html.contains("used only to find you a good match. Only you and the"));
    assert!(html.contains("Your mentor or mentee never sees it"));
    assert!(html.contains("A &lt;local&gt; tag"));
    assert!(html.contains("Hola &lt;b&gt;"));
    // The private choice kept; sensitive tags start private.
    assert!(html
        .contains("id=\"tag-bisexual-private\" name=\"vis-bisexual\" value=\"private\" checked"));
    assert!(html.contains(
        "id=\"tag-coming-out-at-work-private\" name=\"vis-coming-out-at-work\" value=\"private\" checked"
    ));
    assert!(html
        .contains("id=\"tag-job-search-public\" name=\"vis-job-search\" value=\"public\" checked"));
    // Languages: own names with their language.
    assert!(html.contains("<label for=\"lang-es\" lang=\"es\">Español</label>"));
    assert!(html.contains("<label for=\"lang-ar\" lang=\"ar\" dir=\"rtl\">"));
}

#[test]
fn errors_sit_beside_their_inputs_and_in_the_summary() {
    let html = render(Lang::En, ProfileKind::Mentee);
    for (id, text) in [
        ("consent_sensitive", "tick this box"),
        ("timezone", "Choose a time zone from the list"),
        ("avail-mon-0-end", "End after the start time."),
        ("tag-retired-one", "not in the list"),
        ("languages_other", "Enter language codes"),
        ("region", "Enter a region to meet in person"),
    ] {
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "summary link to {id}"
        );
        let at = html
            .find(&format!("id=\"{id}-error\""))
            .unwrap_or_else(|| panic!("message beside {id}"));
        assert!(
            html[at..at + 300].contains(text),
            "{id}: {}",
            &html[at..at + 300]
        );
        assert!(
            html.contains(&format!("aria-describedby=\"{id}-error\""))
                || html.contains(&format!(" {id}-error\"")),
            "{id}"
        );
    }
    assert!(html.contains("Monday, time 1: End after the start time."));
    assert!(html.contains("Consent for sensitive experiences: To keep"));
    // The consent is shown even where CSS :has() would hide it.
    assert!(html.contains("profile-consent profile-consent-shown field-invalid"));
    // The summary follows the form: the consent before the time zone.
    let consent = html.find("href=\"#consent_sensitive\"").unwrap();
    let zone = html.find("href=\"#timezone\"").unwrap();
    assert!(consent < zone);
}

#[test]
fn the_mentor_form_has_capacity_and_accepting_in_both_languages() {
    for lang in Lang::ALL {
        let html = render(lang, ProfileKind::Mentor);
        assert!(html.contains("id=\"capacity\""));
        assert!(html.contains("inputmode=\"numeric\""));
        assert!(html.contains("value=\"3\""));
        assert!(html.contains("id=\"accepting\" name=\"accepting\" value=\"yes\" checked"));
        assert!(!html.contains("id=\"goals\""));
        assert!(html.contains("<input type=\"hidden\" name=\"role\" value=\"mentor\">"));
        assert!(html.contains("aria-current=\"page\""), "the role switch");
        assert!(html.contains(&lang.t("profile-title-mentor")));
    }
    let es = render(Lang::Es, ProfileKind::Mentor);
    assert!(es.contains("Lunes, horario 1"));
    assert!(es.contains("Persona mentora") || es.contains("persona mentora"));
}

#[test]
fn a_person_without_a_profile_role_is_told_why() {
    for lang in Lang::ALL {
        let html = Page::new("profile_none.html", layout(lang)).html().unwrap();
        assert!(html.contains(&lang.t("profile-none-body")));
        assert!(html.contains("<h1>"));
        assert!(!html.contains("<script"));
    }
}

#[test]
fn the_zone_script_is_ours_only_and_only_for_an_empty_zone() {
    assert_eq!(
        super::CSP_WITH_SCRIPT,
        format!("{}; script-src 'self'", crate::CSP)
    );
    let (mut editor, form) = sample_editor(Lang::En, ProfileKind::Mentee);
    assert!(!editor.zone_script, "the sample has a time zone");
    editor.zone_script = true;
    let html = Page::new("profile.html", layout(Lang::En))
        .form(form)
        .values(minijinja::Value::from_serialize(&editor))
        .html()
        .unwrap();
    let tag = "<script src=\"/static/profile.js\" defer></script>";
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains(tag));
    // The script only fills an empty field from the list; nothing inline.
    assert!(super::SCRIPT.contains("input.value !== \"\""));
}
