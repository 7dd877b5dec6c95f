//! The request page's markup: the form with its errors, a request in
//! progress with its state, withdraw only while open.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::render::{footer_blocks, Layout, Page};

fn html(lang: Lang, page: &Asking, form: crate::forms::FormState) -> String {
    let layout = Layout {
        lang: lang.tag(),
        path: "/request".into(),
        signed_in: Some("Ana".into()),
        coordinator: false,
        csrf: "token".into(),
        footer: footer_blocks("Help: 116 123"),
        notice: None,
    };
    Page::new("request.html", layout)
        .form(form)
        .values(minijinja::Value::from_serialize(page))
        .html()
        .unwrap()
}

#[test]
fn the_form_shows_errors_beside_tags_regions_and_note() {
    let (page, form) = sample_form(Lang::En);
    let html = html(Lang::En, &page, form);
    for id in ["req-tag-job-search", "excluded_regions", "note"] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "{id}");
        assert!(html.contains(&format!("id=\"{id}-error\"")), "{id}");
    }
    assert!(html.contains("Job search: This experience is no longer offered"));
    assert!(html.contains("id=\"req-tag-bisexual\" name=\"required_tag\" value=\"bisexual\" class=\"profile-tag-box\" checked"));
    assert!(
        !html.contains("vis-bisexual"),
        "no public/private choice here"
    );
    assert!(html.contains("Gracias &lt;3"));
    assert!(html.contains("<legend>Who you are</legend>"));
}

#[test]
fn a_live_request_shows_its_state_and_withdraw_only_while_open() {
    for (state, withdraw) in [("open", true), ("matched", false)] {
        for lang in Lang::ALL {
            let page = Asking {
                live: Some(Live {
                    id: "r-1".into(),
                    state: state.into(),
                    asked: "2026-01-02".into(),
                    tags: vec!["Bisexual".into()],
                    regions: vec!["Madrid".into()],
                    note: Some("<b>hi</b>".into()),
                }),
                ..Asking::default()
            };
            let html = html(lang, &page, Default::default());
            assert!(html.contains(&lang.t(&format!("request-state-{state}"))));
            assert!(html.contains("Madrid") && html.contains("&lt;b&gt;hi"));
            assert_eq!(html.contains("action=\"/request/withdraw\""), withdraw);
            assert_eq!(html.contains("name=\"id\" value=\"r-1\""), withdraw);
            assert!(!html.contains("name=\"required_tag\""));
        }
    }
    let page = Asking {
        not_mentee: true,
        ..Asking::default()
    };
    let html = html(Lang::Es, &page, Default::default());
    assert!(html.contains(&Lang::Es.t("request-not-mentee")));
}

#[test]
fn regions_are_one_a_line() {
    let pairs = vec![
        (
            "excluded_regions".to_string(),
            " Madrid \r\n\r\nSevilla\n".to_string(),
        ),
        ("note".to_string(), "   ".to_string()),
    ];
    let input = RequestDraft::from_form(&pairs).to_input();
    assert_eq!(input.excluded_regions, ["Madrid", "Sevilla"]);
    assert_eq!(input.note, None);
}
