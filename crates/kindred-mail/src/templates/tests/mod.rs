#![allow(clippy::unwrap_used)]

mod circles;
mod messages;
mod parts;

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;

const EVIL: &str = "Eve <script>alert(1)</script> & \"Co\"";
const FOOTER_EN: &str = "Peer support is not\ncrisis help <b>&</b>.\n\nCall now:\n- Samaritans: 116 123\n- findahelpline.com";
const FOOTER_ES: &str = "El apoyo entre pares no es\nayuda en crisis <b>&</b>.\n\nLlama ahora:\n- Línea 024\n- findahelpline.com";

fn footer(lang: Lang) -> &'static str {
    match lang {
        Lang::En => FOOTER_EN,
        Lang::Es => FOOTER_ES,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn respond_by() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 9, 18, 0, 0).unwrap()
}

/// Every email, rendered with sample values (a hostile name where a name
/// goes).
fn all(lang: Lang, footer: &str) -> Vec<(&'static str, RenderedEmail)> {
    let tags = strings(&["Rust", "career <change>"]);
    let reasons = vec![
        Reason {
            name: "base".into(),
            detail: "Both of you meet every hard rule.".into(),
            tags: vec![],
        },
        Reason {
            name: "shared_experience".into(),
            detail: "You both list rust, career-change.".into(),
            tags: tags.clone(),
        },
        Reason {
            name: "availability_overlap".into(),
            detail: "Your weekly availability overlaps by 2 h 05 min.".into(),
            tags: vec![],
        },
        Reason {
            name: "something_new".into(),
            detail: "Mentee asked for <Rust>.".into(),
            tags: vec![],
        },
    ];
    let first_meeting = LocalTime {
        at: NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_opt(18, 0, 0)
            .unwrap(),
        zone: "CET".into(),
    };
    let r = |result: Result<RenderedEmail, RenderError>| result.unwrap();
    let mut all = vec![
        (
            "verification_code",
            r(render(
                &VerificationCode {
                    code: " 493027 ",
                    ttl_secs: 3600,
                },
                lang,
                footer,
            )),
        ),
        (
            "already_registered",
            r(render(
                &AlreadyRegistered {
                    reset_route: "https://kindred.test/password/forgot",
                },
                lang,
                footer,
            )),
        ),
        (
            "password_reset_code",
            r(render(
                &PasswordResetCode {
                    code: "493027",
                    ttl_secs: 1800,
                },
                lang,
                footer,
            )),
        ),
        (
            "invitation",
            r(render(
                &Invitation {
                    code: "493027",
                    ttl_secs: 14 * 86_400,
                    role: "mentor",
                    accept_url: "https://kindred.test/invitation",
                    confirm_route: "POST https://kindred.test/api/v1/auth/password-reset/confirm",
                    consent_route: "POST https://kindred.test/api/v1/me/consents",
                },
                lang,
                footer,
            )),
        ),
        (
            "mentor_notice",
            r(render(
                &MentorNotice {
                    mentor_name: "Ada",
                    mentee_name: EVIL,
                    reasons,
                    shared_tags: &tags,
                    respond_by: respond_by(),
                    link: "https://kindred.test/m/1?a=1&b=2",
                },
                lang,
                footer,
            )),
        ),
        (
            "mentor_reminder",
            r(render(
                &MentorReminder {
                    mentor_name: "Ada",
                    mentee_name: EVIL,
                    respond_by: respond_by(),
                    link: "https://kindred.test/m/1",
                },
                lang,
                footer,
            )),
        ),
        (
            "match_expired_mentor",
            r(render(
                &MatchExpiredMentor {
                    mentor_name: "Ada",
                    mentee_name: EVIL,
                    link: "https://kindred.test/me",
                },
                lang,
                footer,
            )),
        ),
        (
            "match_expired_coordinator",
            r(render(
                &MatchExpiredCoordinator {
                    match_id: "m-1",
                    waited_secs: 7 * 86_400,
                    link: "https://kindred.test/c/m-1",
                },
                lang,
                footer,
            )),
        ),
        (
            "introduction",
            r(render(
                &Introduction {
                    recipient_name: "Ada",
                    other_name: EVIL,
                    other_pronouns: Some("she/her"),
                    other_email: "eve@example.org",
                    shared_tags: &tags,
                    checkin_interval_secs: 14 * 86_400,
                    first_meeting: Some(first_meeting),
                },
                lang,
                footer,
            )),
        ),
        (
            "checkin_reminder",
            r(render(
                &CheckinReminder {
                    recipient_name: "Ada",
                    other_name: EVIL,
                    link: "https://kindred.test/checkin/1",
                },
                lang,
                footer,
            )),
        ),
        (
            "match_stalled",
            r(render(
                &MatchStalledCoordinator {
                    match_id: "m-1",
                    quiet_secs: 42 * 86_400,
                    link: "https://kindred.test/c/m-1",
                },
                lang,
                footer,
            )),
        ),
        (
            "alert_report",
            r(render(
                &CoordinatorAlertReport {
                    report_id: "r-9",
                    link: "https://kindred.test/c/r-9",
                },
                lang,
                footer,
            )),
        ),
        (
            "alert_needs_support",
            r(render(
                &CoordinatorAlertNeedsSupport {
                    match_id: "m-1",
                    rating: 1,
                    link: "https://kindred.test/c/m-1",
                },
                lang,
                footer,
            )),
        ),
        (
            "alert_summary",
            r(render(
                &CoordinatorAlertSummary {
                    kind: SummaryKind::Report,
                    count: 29,
                    window_secs: 600,
                    link: "https://kindred.test/c/reports",
                },
                lang,
                footer,
            )),
        ),
        (
            "alert_summary_support",
            r(render(
                &CoordinatorAlertSummary {
                    kind: SummaryKind::NeedsSupport,
                    count: 1,
                    window_secs: 600,
                    link: "https://kindred.test/c/check-ins",
                },
                lang,
                footer,
            )),
        ),
        (
            "coordinator_digest",
            r(render(
                &CoordinatorDigest {
                    pending_proposals: 3,
                    long_waiting: 2,
                    stalled: 1,
                    dead_jobs: 4,
                    link: "https://kindred.test/c",
                },
                lang,
                footer,
            )),
        ),
    ];
    all.extend(circles::samples(lang, footer));
    all
}

fn get<'a>(all: &'a [(&'static str, RenderedEmail)], name: &str) -> &'a RenderedEmail {
    &all.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn every_email_renders_in_every_language_with_that_languages_footer() {
    let english = all(Lang::En, FOOTER_EN);
    let spanish = all(Lang::Es, FOOTER_ES);
    for (name, _) in TEMPLATES.iter().filter(|(n, _)| n.ends_with(".txt")) {
        let stem = name.trim_end_matches(".txt");
        assert!(
            stem == "macros" || english.iter().any(|(n, _)| *n == stem),
            "{stem} has a sample"
        );
        let html = format!("{stem}.html");
        assert!(
            TEMPLATES.iter().any(|(n, _)| *n == html),
            "{stem} has an HTML part"
        );
    }
    for lang in Lang::ALL {
        for (name, r) in all(lang, footer(lang)) {
            assert!(!r.subject.is_empty() && !r.subject.contains('\n'), "{name}");
            assert!(!r.subject.contains("Eve"), "{name}: no names in subjects");
            // The footer of this language after both parts.
            assert!(
                r.text.ends_with(&format!("\n\n-- \n{}\n", footer(lang))),
                "{name} in {}: {}",
                lang.tag(),
                r.text
            );
            assert!(r.html.contains("<div class=\"support-footer\""), "{name}");
            let (para, item) = match lang {
                Lang::En => (
                    "<p>Peer support is not crisis help &lt;b&gt;&amp;&lt;&#x2f;b&gt;.</p>",
                    "<li>Samaritans: 116 123</li>",
                ),
                Lang::Es => (
                    "<p>El apoyo entre pares no es ayuda en crisis &lt;b&gt;&amp;&lt;&#x2f;b&gt;.</p>",
                    "<li>Línea 024</li>",
                ),
            };
            assert!(r.html.contains(para), "{name}: {}", r.html);
            assert!(r.html.contains(item), "{name}: {}", r.html);
            assert!(r.html.contains(&format!("<html lang=\"{}\">", lang.tag())));
            assert!(r.html.contains("<title>"), "{name}");
            // HTML parts are escaped, text parts are not.
            assert!(!r.html.contains("<script>"), "{name}: {}", r.html);
            assert!(!r.html.contains("<b>") && !r.html.contains("<change>"));
            if r.text.contains("Eve") {
                assert!(r.text.contains(EVIL), "{name}: text is not escaped");
                assert!(
                    r.html.contains(
                        "Eve &lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &quot;Co&quot;"
                    ),
                    "{name}: {}",
                    r.html
                );
            }
            // No template syntax or message id left over.
            for part in [&r.text, &r.html, &r.subject] {
                assert!(!part.contains("{{") && !part.contains("{%"), "{name}");
                assert!(
                    !part.contains("-subject") && !part.contains("-intro"),
                    "{name}"
                );
            }
        }
    }
    for ((name, en), (_, es)) in english.iter().zip(&spanish) {
        assert_ne!(en.subject, es.subject, "{name} is translated");
        assert_ne!(en.text, es.text, "{name} is translated");
    }
}

#[test]
fn english_lines_the_tests_and_people_read_are_exact() {
    let en = all(Lang::En, FOOTER_EN);
    let v = get(&en, "verification_code");
    assert_eq!(v.subject, "Your Kindred verification code");
    assert!(
        v.text.starts_with("Hello,\n\nWelcome to Kindred."),
        "{}",
        v.text
    );
    assert!(v.text.lines().any(|l| l == "Verification code: 493027"));
    assert!(v.html.contains("<strong>493027</strong>"));
    assert!(v.text.contains("expires in 1 hour."));
    let reset = get(&en, "password_reset_code");
    assert!(reset.text.lines().any(|l| l == "Reset code: 493027"));
    assert!(reset.text.contains("expires in 30 minutes."));
    let invite = get(&en, "invitation");
    assert_eq!(invite.subject, "You are invited to Kindred");
    assert!(invite.text.lines().any(|l| l == "Invitation code: 493027"));
    assert!(
        invite.text.contains("expires in 14 days."),
        "{}",
        invite.text
    );
    assert!(invite.text.contains("as a mentor."));
    // The web page first; the API's routes for apps.
    assert!(
        invite
            .text
            .contains("Accept the invitation: https://kindred.test/invitation"),
        "{}",
        invite.text
    );
    assert!(
        invite
            .html
            .contains("invitation\">Accept the invitation</a>"),
        "{}",
        invite.html
    );
    assert!(invite
        .text
        .contains("POST https://kindred.test/api/v1/auth/password-reset/confirm"));
    assert!(invite
        .text
        .contains("POST https://kindred.test/api/v1/me/consents"));
    let registered = get(&en, "already_registered");
    assert!(registered
        .text
        .contains("choose a new one at https://kindred.test/password/forgot"));
    assert!(registered.text.contains("no new account was created"));

    let notice = get(&en, "mentor_notice");
    assert_eq!(
        notice.subject,
        "A new Kindred mentee match is waiting for your answer"
    );
    assert!(notice
        .text
        .starts_with("Hi Ada,\n\nKindred has suggested you as a mentor for Eve <script>"));
    assert!(notice.text.contains(
        "Why we suggested this match\n\n- Both of you meet every hard rule (language, meeting mode, required tags, region, availability).\n- You both list Rust and career <change>; rarer shared experiences count more.\n- Your weekly availability overlaps by 2 h 05 min.\n- Mentee asked for <Rust>.\n\nWhat you share: Rust and career <change>\n\nPlease respond by: Friday 9 January 2026, 18:00 UTC\n\nAccept or decline: https://kindred.test/m/1?a=1&b=2\n\nDeclining is fine"
    ), "{}", notice.text);
    assert!(notice
        .html
        .contains("<li>Mentee asked for &lt;Rust&gt;.</li>"));
    assert!(notice
        .html
        .contains("<a href=\"https:&#x2f;&#x2f;kindred.test&#x2f;m&#x2f;1?a=1&amp;b=2\">Accept or decline</a>"));

    let intro = get(&en, "introduction");
    assert_eq!(intro.subject, "Meet your Kindred match");
    for line in [
        "Meet Eve <script>alert(1)</script> & \"Co\" (she/her): you are now matched on Kindred.",
        "Email Eve <script>alert(1)</script> & \"Co\": eve@example.org",
        "What you share: Rust and career <change>",
        "First steps\n\n- Send Eve <script>alert(1)</script> & \"Co\" a short hello by email and suggest two times for a first call.\n- Agree how often",
        "Suggested first meeting: Monday 5 January, 18:00 (CET)",
        "Check-ins: 14 days",
    ] {
        assert!(intro.text.contains(line), "{line}: {}", intro.text);
    }
    let report = get(&en, "alert_report");
    assert_eq!(report.subject, "Kindred: a new concern was reported");
    assert!(report.text.contains("Report: r-9"));
    let support = get(&en, "alert_needs_support");
    assert_eq!(
        support.subject,
        "Kindred: a check-in in match m-1 asks for support"
    );
    assert!(support.text.contains("Rating: 1") && support.text.contains("Match: m-1"));
    let expired = get(&en, "match_expired_coordinator");
    assert!(expired.subject.contains("m-1") && expired.text.contains("within 7 days."));
    let stalled = get(&en, "match_stalled");
    assert!(stalled.text.contains("for 42 days.") && stalled.subject.contains("m-1"));
    let summary = get(&en, "alert_summary");
    assert_eq!(
        summary.subject,
        "Kindred: 29 more reports since the last alert"
    );
    assert!(summary
        .text
        .contains("every 10 minutes while they keep coming"));
    assert!(summary
        .text
        .contains("Review the reports: https://kindred.test/c/reports"));
    let one = get(&en, "alert_summary_support");
    assert_eq!(
        one.subject,
        "Kindred: 1 more check-in asking for support since the last alert"
    );
    let digest = get(&en, "coordinator_digest");
    for line in [
        "Here is what needs attention in Kindred.",
        "Match proposals waiting for your review: 3",
        "Mentees waiting a long time for a match: 2",
        "Matches that have gone quiet: 1",
        "Background jobs that failed for good (emails not sent): 4",
    ] {
        assert!(digest.text.contains(line), "{line}");
    }
}

#[test]
fn spanish_reads_naturally() {
    let es = all(Lang::Es, FOOTER_ES);
    let v = get(&es, "verification_code");
    assert_eq!(v.subject, "Tu código de verificación de Kindred");
    assert!(v
        .text
        .lines()
        .any(|l| l == "Código de verificación: 493027"));
    assert!(v.text.contains("caduca en 1 hora."));
    assert!(get(&es, "password_reset_code")
        .text
        .lines()
        .any(|l| l == "Código para restablecer: 493027"));
    let notice = get(&es, "mentor_notice");
    assert!(notice.text.starts_with("Hola, Ada:"), "{}", notice.text);
    assert!(notice
        .text
        .contains("Fecha límite para responder: viernes 9 de enero de 2026, 18:00 UTC"));
    assert!(notice
        .text
        .contains("Lo que compartís: Rust y career <change>"));
    assert!(notice
        .text
        .contains("- Vuestra disponibilidad semanal coincide durante 2 h 05 min."));
    let intro = get(&es, "introduction");
    assert!(intro
        .text
        .contains("Primera reunión propuesta: lunes 5 de enero, 18:00 (CET)"));
    assert!(intro.text.contains("Seguimientos: 14 días"));
    assert_eq!(
        get(&es, "alert_summary").subject,
        "Kindred: 29 denuncias más desde la última alerta"
    );
    assert!(get(&es, "alert_summary")
        .text
        .contains("cada 10 minutos mientras sigan llegando"));
    assert_eq!(
        get(&es, "alert_summary_support").subject,
        "Kindred: 1 seguimiento más pide apoyo desde la última alerta"
    );
}
