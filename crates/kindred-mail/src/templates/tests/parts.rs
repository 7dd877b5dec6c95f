//! Optional parts left out, unsafe links, one-line values, the English
//! helper for tools.

use super::super::*;
use super::{respond_by, FOOTER_EN};

#[test]
fn optional_parts_and_unsafe_links() {
    let none: Vec<String> = Vec::new();
    for lang in Lang::ALL {
        let intro = render(
            &Introduction {
                recipient_name: "Ada",
                other_name: "Sam",
                other_pronouns: None,
                other_email: "sam@example.org",
                shared_tags: &none,
                checkin_interval_secs: 7 * 86_400,
                first_meeting: None,
            },
            lang,
            "",
        )
        .unwrap();
        assert!(!intro.text.contains("-- \n"), "a blank footer is left out");
        assert!(!intro.html.contains("support-footer"));
        assert!(intro.text.ends_with(".\n") && !intro.text.contains("\n\n\n"));
        assert!(!intro.text.contains("()"), "no empty pronouns");
        let shared = catalog().t(lang, "shared");
        assert!(!intro.text.contains(&shared), "no shared tags line");
        let no_slot = catalog().t(lang, "intro-no-slot");
        assert!(intro.text.contains(&no_slot));
        let notice = render(
            &MentorNotice {
                mentor_name: "Ada",
                mentee_name: "Sam",
                reasons: vec![],
                shared_tags: &none,
                respond_by: respond_by(),
                link: "javascript:alert(1)",
            },
            lang,
            FOOTER_EN,
        )
        .unwrap();
        assert!(!notice.html.contains("href"), "{}", notice.html);
        assert!(!notice.text.contains(&catalog().t(lang, "notice-why")));
        let quiet = render(
            &CoordinatorDigest {
                pending_proposals: 0,
                long_waiting: 0,
                stalled: 0,
                dead_jobs: 0,
                link: "https://k.test",
            },
            lang,
            FOOTER_EN,
        )
        .unwrap();
        assert!(quiet.text.contains(&catalog().t(lang, "digest-nothing")));
        assert!(!quiet.text.contains(&catalog().t(lang, "digest-dead")));
    }
    // Values are put on one line.
    let r = render(
        &CheckinReminder {
            recipient_name: "Ada\n\nLovelace",
            other_name: "Sam",
            link: "https://k.test",
        },
        Lang::En,
        FOOTER_EN,
    )
    .unwrap();
    assert!(r.text.starts_with("Hi Ada Lovelace,\n\n"));
}

#[test]
fn the_old_check_in_reminder_helper_is_english() {
    let r = checkin_reminder("A", "B", "http://x/", "footer");
    assert_eq!(r.subject, "Time for your Kindred check-in");
    assert!(r.text.contains("Check in: http://x/") && r.text.ends_with("-- \nfooter\n"));
}
