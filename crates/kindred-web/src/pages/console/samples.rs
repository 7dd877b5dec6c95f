//! Sample values for the render test of the console's pages.

use super::queue::{QueueRow, SuggestionRow};
use super::{data, health, review, runs, safety, ExplanationRow, ProfileRows};

/// Sample values for the render test of this area's pages.
pub fn sample(template: &str) -> Option<minijinja::Value> {
    let profile = ProfileRows {
        bio: "Hola <b>".into(),
        goals: "Work".into(),
        tags: vec!["Bisexual".into()],
        private_tags: vec!["Domestic abuse survivor".into()],
        languages: "es, en".into(),
        timezone: "Europe/Madrid".into(),
        availability: vec!["Monday 18:00–20:30".into()],
        modes: vec!["Online".into()],
        region: "Madrid".into(),
        earlier_reports: 2,
    };
    let rows = || {
        vec![
            ExplanationRow {
                name: "shared_experience".into(),
                points: 40,
                detail: "Bisexual".into(),
                private: false,
            },
            ExplanationRow {
                name: "private_overlap".into(),
                points: 12,
                detail: "1 shared private experience".into(),
                private: true,
            },
        ]
    };
    match template {
        "console_queue.html" => Some(minijinja::context! {
            rows => vec![QueueRow {
                id: "r1".into(),
                mentee_name: "Ana <i>".into(),
                asked: "2026-12-01".into(),
                waiting_days: 6,
                required: vec!["Bisexual".into()],
            }],
            filtered => true,
            categories => vec![minijinja::context! { value => "identity", label => "Who you are", selected => true }],
            next_cursor => "r1",
        }),
        "console_request.html" => Some(minijinja::context! {
            id => "r1", open => true, state => "open", mentee_name => "Ana", mentee_pronouns => "she/her", mentee_id => "u2",
            asked => "2026-12-01", waiting_days => 1, required => vec!["Bisexual"],
            excluded_regions => vec!["Sevilla"], note => "Evenings",
            profile => profile,
            suggestions => vec![SuggestionRow {
                mentor_id: "m1".into(), name: "Bea".into(), pronouns: "she/her".into(),
                languages: "es".into(), timezone: "Europe/Madrid".into(), score: 52, rows: rows(),
            }],
        }),
        "console_matches.html" => Some(minijinja::context! {
            state => "proposed",
            states => review::states(),
            rows => vec![minijinja::context! { id => "m1", mentor => "Bea", mentee => "Ana", score => 52, proposed => "2026-12-01" }],
            next_cursor => "",
        }),
        "console_match.html" => Some(minijinja::context! {
            id => "m1", state => "proposed", state_text => "Proposed", proposed => true, active => true,
            score => 52, total => 52, rows => rows(),
            mentor_name => "Bea", mentor_pronouns => "", mentee_name => "Ana", mentee_pronouns => "she/her",
            mentor_id => "u1", mentee_id => "u2",
            mentor => profile.clone(), mentee => profile, request_id => "r1", note => "", ended_reason => "",
        }),
        "console_runs.html" => Some(minijinja::Value::from(())),
        "console_health.html" => Some(health::sample()),
        "console_safety.html" => Some(safety::sample()),
        "console_data.html" => Some(minijinja::context! { max_mib => 5 }),
        "console_person.html" => Some(minijinja::context! {
            name => "Ana <i>", pronouns => "she/her", email => "ana@example.org", roles => vec!["Mentee"],
            erased => false, mentee => profile.clone(), mentor => (), matches => vec![minijinja::context! { id => "m1", text => "Mentee of Bea (Active)" }],
        }),
        "console_import.html" => Some(data::sample()),
        "console_admin.html" => Some(minijinja::context! {
            tags => vec![minijinja::context! { slug => "bisexual", label => "Bisexual <b>", category => "Who you are", sensitive => true, retired => false }],
            categories => vec![minijinja::context! { value => "identity", selected => true }],
            sensitive => true,
            jobs => vec![minijinja::context! { id => "j1", kind => "alert_summary", detail => "2026-12-07 10:00", error => "boom" }],
            emails => vec![minijinja::context! { id => "e1", kind => "introduction", detail => "ana@example.org", error => "550" }],
        }),
        "console_tag.html" => Some(minijinja::context! {
            slug => "bisexual",
            categories => vec![minijinja::context! { value => "identity", selected => true }],
            sensitive => true, retired => false,
        }),
        "console_run.html" => Some(runs::sample()),
        "console_run_approve.html" => Some(minijinja::context! { id => "run1", pending => 3 }),
        _ => None,
    }
}
