//! Sample values of the circle pages for the render tests: every section
//! shown at once (invited and joined, facilitator, sessions), with text
//! that must be escaped.

use chrono::{TimeZone, Utc};
use kindred_service::circles::sessions::SessionView;
use kindred_service::circles::{CircleView, MemberView, SlotView};

use super::circle::{self, Read};
use crate::i18n::Lang;

fn member(id: &str, name: &str, state: &str) -> MemberView {
    MemberView {
        user_id: id.into(),
        display_name: name.into(),
        pronouns: Some("they/them".into()),
        state: state.into(),
        request_id: Some(format!("req-{id}")),
    }
}

pub fn sample_circle() -> CircleView {
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    CircleView {
        id: "c1".into(),
        state: "approved".into(),
        facilitator_id: "me".into(),
        facilitator_name: "Fran <b>".into(),
        member_ids: vec!["me".into(), "u2".into()],
        members: vec![
            member("me", "Ana <i>", "invited"),
            member("u2", "Bea", "joined"),
            member("u3", "Cruz", "left"),
        ],
        language: "en".into(),
        meeting_mode: "in_person".into(),
        region: Some("Madrid".into()),
        slot: SlotView {
            day: "mon".into(),
            start: "17:00".into(),
            end: "18:30".into(),
        },
        topics: vec!["bisexual".into(), "unknown-slug".into()],
        score: 52,
        explanation: serde_json::from_value(serde_json::json!({
            "total": 52,
            "components": [
                {"name": "shared_experience", "points": 40, "detail": "Shared: Bisexual <3"},
                {"name": "private_overlap", "points": 12, "detail": "A private experience in common"}
            ],
            "shared_tags": ["bisexual"]
        }))
        .unwrap(),
        meeting_details: Some("Room 2\nCommunity centre".into()),
        my_state: Some("invited".into()),
        run_id: Some("run1".into()),
        reason: Some("Not enough <overlap>".into()),
        flagged_at: Some(at),
        started_at: Some(at),
        created_at: at,
        updated_at: at,
    }
}

fn circle_values() -> minijinja::Value {
    let now = Utc::now();
    let read = Read {
        circle: sample_circle(),
        sessions: vec![
            SessionView {
                n: 1,
                starts_at: now - chrono::TimeDelta::days(7),
                ends_at: now - chrono::TimeDelta::days(7),
                attendance_recorded: true,
                present: Some(vec!["u2".into()]),
                me_present: None,
            },
            SessionView {
                n: 2,
                starts_at: now + chrono::TimeDelta::days(1),
                ends_at: now + chrono::TimeDelta::days(1),
                attendance_recorded: false,
                present: None,
                me_present: None,
            },
        ],
        zone: Some("Europe/Madrid".parse().unwrap()),
        taxonomy: std::sync::Arc::new(crate::pages::profile::sample_taxonomy()),
        min_size: 4,
    };
    let values = circle::values(Lang::En, "me", &read);
    // Show the check-in form too (a joined member's).
    minijinja::context! { can_check_in => true, ..values }
}

fn member_page() -> minijinja::Value {
    let c = sample_circle();
    let item = minijinja::context! {
        id => c.id, state => "active", state_text => "circles-state-active",
        my_state_text => "circles-member-joined", facilitator => "Fran <b>",
        slot => super::slot::local(Lang::En, &c.slot, None, Utc::now()), joined => 5,
    };
    let taxonomy = crate::pages::profile::sample_taxonomy();
    minijinja::context! {
        leading => vec![item.clone()],
        circles => vec![item],
        facilitator => true,
        mentee => true,
        has_profile => true,
        request => (),
        groups => super::member::topic_groups(Lang::En, &taxonomy, &["bisexual".to_string()]),
    }
}

/// Sample values for the render test of this area's pages.
pub fn sample(template: &str) -> Option<minijinja::Value> {
    Some(match template {
        "circles.html" => member_page(),
        "circle.html" | "circle_leave.html" => circle_values(),
        "circle_safety.html" => minijinja::context! {
            circle_id => "c1", user_id => "u2", name => "Bea <i>", action => "report",
        },
        "console_circles.html" => minijinja::context! {
            groups => vec![minijinja::context! {
                state => "approved", state_text => "circles-state-approved",
                rows => vec![minijinja::context! {
                    id => "c1", facilitator => "Fran <b>", members => 5,
                    slot => "mon 17:00–18:30 UTC", flagged => true, created => "2026-12-01",
                }],
            }],
            only_flagged => false,
            flagged => 1,
            waiting => vec![minijinja::context! {
                id => "r1", user_id => "u1", asked => "2026-12-01", days => 3,
                topics => vec!["Bisexual"],
            }],
        },
        "console_circle.html" => {
            let c = sample_circle();
            let taxonomy = crate::pages::profile::sample_taxonomy();
            let values = super::console::review_values(Lang::En, &c, &taxonomy);
            minijinja::context! { proposed => true, ..values }
        }
        "console_circle_new.html" => minijinja::context! {
            facilitators => vec![minijinja::context! { id => "f1", name => "Fran <b>", circles => 1, max => 2, selected => true }],
            requests => vec![minijinja::context! { id => "r1", input => "request-0", asked => "2026-12-01", topics => vec!["Bisexual"], checked => true }],
            days => vec![minijinja::context! { value => "mon", label => "Monday", selected => true }],
        },
        "console_circle_runs.html" => super::runs::sample_form(),
        "console_circle_run.html" => super::runs::sample(),
        "console_facilitators.html" => minijinja::context! {
            rows => vec![minijinja::context! {
                user_id => "f1", name => "Fran <b>", trained_on => "2026-10-01",
                training => "Peer support, 20 hours", circles => 1, max_circles => "2",
                granted => "2026-11-01",
            }],
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::FormState;
    use crate::render::{footer_blocks, Layout, Page};

    fn html(template: &'static str, lang: Lang, form: FormState) -> String {
        let layout = Layout {
            lang: lang.tag(),
            path: "/circles".into(),
            signed_in: Some("Ana".into()),
            coordinator: true,
            csrf: "token".into(),
            footer: footer_blocks("Samaritans: 116 123"),
            notice: None,
        };
        Page::new(template, layout)
            .form(form)
            .values(sample(template).unwrap())
            .html()
            .unwrap()
    }

    #[test]
    fn the_circle_page_shows_agreement_people_and_the_slot_in_the_viewers_zone() {
        let page = html("circle.html", Lang::En, FormState::default());
        assert!(page.contains("id=\"agree\" name=\"agree_to_guidelines\""));
        assert!(page.contains("What is shared in the circle stays in the circle."));
        assert!(page.contains("Bea</strong> (they&#x2f;them)"));
        assert!(page.contains("Fran &lt;b&gt;"));
        // 17:00 UTC is 18:00 in Madrid in December.
        assert!(
            page.contains("Monday 18:00–19:30 (Europe&#x2f;Madrid)"),
            "{page}"
        );
        assert!(page.contains("Room 2\nCommunity centre"));
        assert!(page.contains("Only coordinators read this."));
        // The public explanation in words, with the topics' labels.
        assert!(page.contains("Members share: Bisexual."), "{page}");
        assert!(!page.contains("A private experience in common"));
        // The facilitator's attendance form lists joined members only.
        assert!(page.contains("/circles/c1/sessions/1/attendance"));
        assert!(!page.contains("/circles/c1/sessions/2/attendance"));
        assert!(page.contains("Bea was there"));
        assert!(!page.contains("Cruz was there"));
        // Starting needs min_size joined: said why.
        assert!(page.contains("1 joined so far; the circle can start once 4 have joined."));
        assert!(page.contains("/circles/c1/people/u2/report"));
        assert!(
            !page.contains("/circles/c1/people/me/report"),
            "not oneself"
        );
    }

    #[test]
    fn the_review_labels_the_private_component_for_coordinators() {
        let page = html("console_circle.html", Lang::Es, FormState::default());
        assert!(page.contains("private_overlap"));
        assert!(page.contains("req-u2"));
        assert!(page.contains("action=\"/console/circles/c1/approve\""));
    }

    #[test]
    fn the_run_report_has_each_chart_with_its_table() {
        let page = html("console_circle_run.html", Lang::En, FormState::default());
        assert_eq!(page.matches("<svg class=\"chart\"").count(), 4);
        assert_eq!(page.matches("<figure class=\"console-figure\">").count(), 4);
        assert!(page.contains("No common weekly time"));
        assert!(page.contains("gap 9.1 %"));
        assert!(page.contains("href=\"/console/circles/c1\""));
    }
}
