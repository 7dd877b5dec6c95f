use super::*;

#[test]
fn verification_line_is_exact() {
    let r = verification_code("493027", "1 hour", DEFAULT_FOOTER);
    assert!(
        r.text.lines().any(|l| l == "Verification code: 493027"),
        "{}",
        r.text
    );
    assert!(r.html.contains("<strong>493027</strong>"));
    assert!(r.text.contains("1 hour"));
    assert_eq!(r.subject, "Your Kindred verification code");
}

#[test]
fn everything_is_html_escaped() {
    let r = render(
        "Hi <b>\n there",
        &[
            Paragraph::heading("<h1>x</h1>"),
            Paragraph::text("Tom & \"Jerry\" <script>alert(1)</script>\nline two"),
            Paragraph::field("Name<", "O'Brien <x>"),
            Paragraph::list(["<li>", "a & b"]),
            Paragraph::link("click <here>", "https://kindred.test/?a=1&b=\"2\""),
            Paragraph::link("bad", "javascript:alert(1)"),
        ],
        "Footer <with> & tags",
    );
    assert_eq!(r.subject, "Hi <b> there");
    assert!(!r.html.contains("<script>"));
    assert!(!r.html.contains("<b>"));
    assert!(!r.html.contains("<h1>"));
    assert!(!r.html.contains("<li><li>"));
    assert!(r
        .html
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;<br>\nline two"));
    assert!(r.html.contains("Tom &amp; &quot;Jerry&quot;"));
    assert!(r.html.contains("O&#39;Brien &lt;x&gt;"));
    assert!(r
        .html
        .contains("href=\"https://kindred.test/?a=1&amp;b=&quot;2&quot;\""));
    assert!(!r.html.contains("href=\"javascript"));
    assert!(r.html.contains("Footer &lt;with&gt; &amp; tags"));
    // The text part is not escaped.
    assert!(r.text.contains("Tom & \"Jerry\" <script>"));
    assert!(r.text.contains("- a & b"));
    assert!(r
        .text
        .contains("click <here>: https://kindred.test/?a=1&b=\"2\""));
    assert!(r.html.contains("<title>Hi &lt;b&gt; there</title>"));
}

#[test]
fn footer_in_both_parts() {
    for r in [
        verification_code("1", "1 hour", DEFAULT_FOOTER),
        already_registered("POST /api/v1/auth/password-reset", DEFAULT_FOOTER),
        password_reset_code("1", "1 hour", DEFAULT_FOOTER),
    ] {
        assert!(r.text.contains(DEFAULT_FOOTER), "{}", r.text);
        for needle in [
            "112",
            "911",
            "999",
            "988",
            "116 123",
            "Trevor",
            "findahelpline.com",
        ] {
            assert!(r.text.contains(needle), "text lacks {needle}");
            assert!(r.html.contains(needle), "html lacks {needle}");
        }
        assert!(r.html.contains("support-footer"));
        assert!(r
            .html
            .contains("<li>UK and Ireland: Samaritans, call 116 123</li>"));
        assert!(r.html.contains("programme coordinator"));
    }
    let custom = render("s", &[Paragraph::text("body")], "Call Jo on 555-0100.");
    assert!(custom.text.ends_with("-- \nCall Jo on 555-0100.\n"));
    assert!(custom.html.contains("<p>Call Jo on 555-0100.</p>"));
    let none = render("s", &[Paragraph::text("body")], "  ");
    assert_eq!(none.text, "body\n");
    assert!(!none.html.contains("support-footer"));
}

#[test]
fn already_registered_mentions_login_and_reset() {
    let r = already_registered(
        "POST https://kindred.test/api/v1/auth/password-reset",
        DEFAULT_FOOTER,
    );
    assert!(r.text.starts_with("Hello,"));
    assert!(r.text.contains("log in"));
    assert!(r.text.contains(
        "reset it with a password reset (POST https://kindred.test/api/v1/auth/password-reset)"
    ));
    assert!(r.text.contains("no new account was created"));
}

#[test]
fn reset_line_is_exact() {
    let r = password_reset_code("493027", "1 hour", DEFAULT_FOOTER);
    assert!(
        r.text.lines().any(|l| l == "Reset code: 493027"),
        "{}",
        r.text
    );
    assert!(r.text.contains("1 hour"));
}

/// The scheduler's emails.
mod scheduler_tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    const EVIL: &str = "Eve <script>alert(1)</script> & \"Co\"";

    fn all(footer: &str) -> Vec<(&'static str, RenderedEmail)> {
        let tags = strings(&["Rust", "career <change>"]);
        let steps = strings(&["Say hello", "Agree <how> to meet"]);
        let why = strings(&[
            "You both moved countries & changed careers.",
            "Mentee asked for <Rust>.",
        ]);
        let intro = Introduction {
            recipient_name: "Ada",
            other_name: EVIL,
            other_pronouns: Some("she/her"),
            other_email: "eve@example.org",
            shared_tags: &tags,
            first_steps: &steps,
            checkin_interval_human: "every two weeks",
            first_meeting_local: Some("Monday 5 January, 18:00 (Europe/Madrid)"),
        };
        vec![
            (
                "mentor_notice",
                mentor_notice(
                    "Ada",
                    EVIL,
                    &why,
                    &tags,
                    "Friday 9 January",
                    "https://kindred.test/m/1",
                    footer,
                ),
            ),
            (
                "mentor_response_reminder",
                mentor_response_reminder(
                    "Ada",
                    EVIL,
                    "Friday 9 January",
                    "https://kindred.test/m/1",
                    footer,
                ),
            ),
            (
                "match_expired_mentor",
                match_expired_mentor("Ada", EVIL, "https://kindred.test/me", footer),
            ),
            (
                "match_expired_coordinator",
                match_expired_coordinator("m-1", "7 days", "https://kindred.test/c/m-1", footer),
            ),
            ("introduction", introduction(&intro, footer)),
            (
                "checkin_reminder",
                checkin_reminder("Ada", EVIL, "https://kindred.test/checkin/1", footer),
            ),
            (
                "match_stalled_coordinator",
                match_stalled_coordinator("m-1", "6 weeks", "https://kindred.test/c/m-1", footer),
            ),
            (
                "coordinator_alert_report",
                coordinator_alert_report("r-9", EVIL, "https://kindred.test/c/r-9", footer),
            ),
            (
                "coordinator_alert_needs_support",
                coordinator_alert_needs_support("m-1", 1, "https://kindred.test/c/m-1", footer),
            ),
            (
                "coordinator_digest",
                coordinator_digest(3, 2, 1, 4, "https://kindred.test/c", footer),
            ),
            (
                "coordinator_alert_summary",
                coordinator_alert_summary(
                    "reports",
                    29,
                    "10 minutes",
                    "Review the reports",
                    "https://kindred.test/c/reports",
                    footer,
                ),
            ),
        ]
    }

    #[test]
    fn footer_in_both_parts_and_everything_escaped() {
        for (name, r) in all(DEFAULT_FOOTER) {
            assert!(r.text.contains(DEFAULT_FOOTER), "{name}: text footer");
            assert!(r.html.contains("support-footer"), "{name}: html footer");
            assert!(r.html.contains("116 123"), "{name}");
            assert!(!r.html.contains("<script>"), "{name}: {}", r.html);
            assert!(
                !r.html.contains("<change>")
                    && !r.html.contains("<Rust>")
                    && !r.html.contains("<how>"),
                "{name}"
            );
            assert!(!r.subject.contains("Eve"), "{name}: no names in subjects");
            assert!(!r.subject.is_empty());
        }
        let custom = all("Call Jo on 555-0100.");
        assert!(custom
            .iter()
            .all(|(_, r)| r.text.ends_with("-- \nCall Jo on 555-0100.\n")));
    }

    #[test]
    fn mentor_notice_facts() {
        let r = &all(DEFAULT_FOOTER)[0].1;
        assert!(r.text.contains("Hi Ada,"));
        assert!(r.text.contains("mentor for Eve <script>"));
        assert!(r
            .html
            .contains("Eve &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
        assert!(r
            .text
            .contains("- You both moved countries & changed careers."));
        assert!(r.html.contains("<li>Mentee asked for &lt;Rust&gt;.</li>"));
        assert!(r.text.contains("What you share: Rust and career <change>"));
        assert!(r.text.contains("Please respond by: Friday 9 January"));
        assert!(r.html.contains("href=\"https://kindred.test/m/1\""));
        let r = &all(DEFAULT_FOOTER)[1].1;
        assert!(r.text.contains("Friday 9 January") && r.text.contains("https://kindred.test/m/1"));
    }

    #[test]
    fn introduction_facts() {
        let r = &all(DEFAULT_FOOTER)[4].1;
        assert!(r
            .text
            .contains("Meet Eve <script>alert(1)</script> & \"Co\" (she/her)"));
        assert!(r.text.contains("eve@example.org"));
        assert!(r.text.contains("What you share: Rust and career <change>"));
        assert!(r.text.contains("- Say hello\n- Agree <how> to meet"));
        assert!(r
            .text
            .contains("Suggested first meeting: Monday 5 January, 18:00 (Europe/Madrid)"));
        assert!(r.text.contains("Check-ins: every two weeks"));
        let tags: Vec<String> = Vec::new();
        let no_slot = introduction(
            &Introduction {
                recipient_name: "Ada",
                other_name: "Sam",
                other_pronouns: None,
                other_email: "sam@example.org",
                shared_tags: &tags,
                first_steps: &tags,
                checkin_interval_human: "every week",
                first_meeting_local: None,
            },
            DEFAULT_FOOTER,
        );
        assert!(no_slot.text.contains("Meet Sam: you are now matched"));
        assert!(no_slot
            .text
            .contains("agree on your first meeting by email"));
        assert!(!no_slot.text.contains("What you share"));
    }

    #[test]
    fn coordinator_facts() {
        let all = all(DEFAULT_FOOTER);
        let expired = &all[3].1;
        assert!(expired.subject.contains("m-1") && expired.text.contains("7 days"));
        let stalled = &all[6].1;
        assert!(stalled.text.contains("6 weeks") && stalled.subject.contains("m-1"));
        let report = &all[7].1;
        assert_eq!(report.subject, "Kindred: a new concern was reported");
        assert!(report.text.contains("Report: r-9"));
        assert!(report.html.contains("&lt;script&gt;"));
        let long = "x".repeat(1000);
        let cut = coordinator_alert_report("r", &long, "https://k.test", DEFAULT_FOOTER);
        assert!(cut.text.contains(&format!("{}…", "x".repeat(300))));
        assert!(!cut.text.contains(&"x".repeat(301)));
        let support = &all[8].1;
        assert!(support.text.contains("Rating: 1") && support.text.contains("Match: m-1"));
        let digest = &all[9].1;
        for line in [
            "Match proposals awaiting a mentor's answer: 3",
            "Mentees waiting a long time for a match: 2",
            "Matches that have gone quiet: 1",
            "Background jobs that failed for good (emails not sent): 4",
        ] {
            assert!(digest.text.contains(line), "{line}");
        }
        let quiet = coordinator_digest(0, 0, 0, 0, "https://k.test", DEFAULT_FOOTER);
        assert!(quiet.text.contains("Nothing needs your attention"));
        assert!(!quiet.text.contains("Background jobs"));
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(human_list(&[]), "");
        assert_eq!(human_list(&strings(&["a"])), "a");
        assert_eq!(human_list(&strings(&["a", "b"])), "a and b");
        assert_eq!(human_list(&strings(&["a", " ", "b", "c"])), "a, b and c");
    }
}
