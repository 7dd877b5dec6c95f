//! The circle emails: a sample of each for the every-email tests, their
//! English and Spanish wording, and their privacy rules.

use chrono::NaiveDate;
use kindred_core::MeetingMode;

use super::super::*;
use super::{footer, get, strings, EVIL, FOOTER_EN};

fn at(day: u32, hour: u32) -> LocalTime {
    LocalTime {
        at: NaiveDate::from_ymd_opt(2026, 1, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap(),
        zone: "CET".into(),
    }
}

/// Monday 18:00–19:30 CET, weekly.
fn slot() -> WeeklySlot {
    WeeklySlot {
        start: at(5, 18),
        minutes: 90,
        weeks: 1,
    }
}

const DETAILS: &str =
    "\n  Video call: https://meet.test/abc?x=1&y=2  \n\n\n<b>Bring</b> tea & \"biscuits\"\n-- \n\n";

fn topics() -> Vec<String> {
    strings(&["Coming out at work", "Parenting <alone>"])
}

fn invitation<'a>(
    mode: MeetingMode,
    region: Option<&'a str>,
    topics: &'a [String],
) -> CircleInvitation<'a> {
    CircleInvitation {
        recipient_name: "Ada",
        facilitator_name: EVIL,
        topics,
        language: "Español",
        meeting_mode: mode,
        region,
        slot: slot(),
        respond_by: at(9, 18),
        circle_url: "https://kindred.test/circles/c1",
        join_route: "POST https://kindred.test/api/v1/circles/c1/join",
    }
}

/// The same values for both audiences (a careless caller): the template
/// keeps the rating and the note's existence from the facilitator.
fn support(for_coordinator: bool, topics: &[String]) -> CircleNeedsSupport<'_> {
    CircleNeedsSupport {
        for_coordinator,
        member_name: EVIL,
        topics,
        rating: Some(2),
        has_note: true,
        url: "https://kindred.test/console/circles/c1",
    }
}

fn block(
    for_coordinator: bool,
    blocker: &'static str,
    blocked: &'static str,
) -> CircleBlockAlert<'static> {
    CircleBlockAlert {
        for_coordinator,
        blocker_name: blocker,
        blocked_name: blocked,
        url: "https://kindred.test/console/circles/c1",
    }
}

/// Every circle email (and each audience of those with two), rendered with
/// sample values.
pub(super) fn samples(lang: Lang, footer: &str) -> Vec<(&'static str, RenderedEmail)> {
    let topics = topics();
    let r = |result: Result<RenderedEmail, RenderError>| result.unwrap();
    vec![
        (
            "circle_invitation",
            r(render(
                &invitation(MeetingMode::InPerson, Some("Madrid <centro>"), &topics),
                lang,
                footer,
            )),
        ),
        (
            "circle_facilitator_invitation",
            r(render(
                &CircleFacilitatorInvitation {
                    recipient_name: EVIL,
                    invited: 6,
                    min_size: 4,
                    topics: &topics,
                    slot: slot(),
                    circle_url: "https://kindred.test/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_started",
            r(render(
                &CircleStarted {
                    recipient_name: "Ada",
                    facilitator_name: EVIL,
                    topics: &topics,
                    meeting_details: DETAILS,
                    slot: slot(),
                    first_session: at(5, 18),
                    circle_url: "https://kindred.test/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_session_reminder",
            r(render(
                &CircleSessionReminder {
                    recipient_name: EVIL,
                    session_number: 3,
                    starts: at(19, 18),
                    meeting_details: DETAILS,
                    circle_url: "https://kindred.test/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_missed_sessions",
            r(render(
                &CircleMissedSessions {
                    recipient_name: "Ada",
                    missed: 2,
                    facilitator_name: EVIL,
                    circle_url: "https://kindred.test/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_missed_facilitator",
            r(render(
                &CircleMissedFacilitator {
                    recipient_name: "Ada",
                    member_name: EVIL,
                    missed: 2,
                    circle_url: "https://kindred.test/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_invitation_expired",
            r(render(
                &CircleInvitationExpired {
                    recipient_name: EVIL,
                    request_url: "https://kindred.test/circle-requests/new",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_needs_support",
            r(render(&support(true, &topics), lang, footer)),
        ),
        (
            "circle_needs_support_facilitator",
            r(render(&support(false, &topics), lang, footer)),
        ),
        (
            "circle_below_minimum",
            r(render(
                &CircleBelowMinimum {
                    for_coordinator: false,
                    members: 3,
                    min_size: 4,
                    topics: &topics,
                    url: "https://kindred.test/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_below_minimum_coordinator",
            r(render(
                &CircleBelowMinimum {
                    for_coordinator: true,
                    members: 1,
                    min_size: 4,
                    topics: &[],
                    url: "https://kindred.test/console/circles/c1",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_block_alert",
            r(render(&block(false, EVIL, "Ada"), lang, footer)),
        ),
        (
            "circle_block_alert_coordinator",
            r(render(&block(true, EVIL, "Ada"), lang, footer)),
        ),
        (
            "circle_facilitator_revoked",
            r(render(
                &CircleFacilitatorRevoked {
                    facilitator_name: EVIL,
                    circles: 2,
                    url: "https://kindred.test/console/facilitators/u7",
                },
                lang,
                footer,
            )),
        ),
        (
            "circle_ended",
            r(render(
                &CircleEnded {
                    recipient_name: EVIL,
                    request_url: "https://kindred.test/circle-requests/new",
                },
                lang,
                footer,
            )),
        ),
    ]
}

#[test]
fn english_circle_emails_read_as_written() {
    let en = samples(Lang::En, FOOTER_EN);
    let invite = get(&en, "circle_invitation");
    assert_eq!(
        invite.subject,
        "You are invited to a Kindred peer-support circle"
    );
    for line in [
        "Hi Ada,\n\nEve <script>alert(1)</script> & \"Co\" is facilitating a new peer-support circle",
        "Facilitator: Eve <script>alert(1)</script> & \"Co\"\nTopics: Coming out at work and Parenting <alone>\nLanguage: Español\nHow the circle meets: In person, in Madrid <centro>\nWhen: every Monday, 18:00–19:30 (CET)\n\nThe group agreement\n\nBy joining, you agree to:\n\n- Keep what others share confidential",
        "- Use the names and pronouns people ask for",
        "- Share from your own experience. Nobody in the circle gives advice that replaces help from a doctor, therapist, lawyer or other professional.",
        "- If something worries you, tell the facilitator, or use \"Report\" in the app",
        "Please respond by: Friday 9 January, 18:00 (CET)",
        "Read the agreement and join: https://kindred.test/circles/c1",
        "Apps can join with POST https://kindred.test/api/v1/circles/c1/join, accepting",
    ] {
        assert!(invite.text.contains(line), "{line}: {}", invite.text);
    }
    assert!(invite
        .html
        .contains("<li>Keep what others share confidential"));
    assert!(invite
        .html
        .contains("<a href=\"https:&#x2f;&#x2f;kindred.test&#x2f;circles&#x2f;c1\">Read the agreement and join</a>"));
    assert!(invite.html.contains("In person, in Madrid &lt;centro&gt;"));

    let fac = get(&en, "circle_facilitator_invitation");
    assert!(fac.text.contains("We invited 6 members."), "{}", fac.text);
    assert!(fac
        .text
        .contains("You can start the circle once at least 4 members have joined"));
    assert!(fac.text.contains("When: every Monday, 18:00–19:30 (CET)"));

    let started = get(&en, "circle_started");
    assert_eq!(started.subject, "Your Kindred circle has started");
    assert!(started.text.contains(
        "When: every Monday, 18:00–19:30 (CET)\nFirst session: Monday 5 January, 18:00 (CET)\n\nMeeting details from your facilitator:\n\nVideo call: https://meet.test/abc?x=1&y=2\n\n<b>Bring</b> tea & \"biscuits\"\n--\n\nThe attached calendar invitation"
    ), "{}", started.text);
    assert!(started.html.contains(
        "<p class=\"meeting-details\">Video call: https:&#x2f;&#x2f;meet.test&#x2f;abc?x=1&amp;y=2<br><br>&lt;b&gt;Bring&lt;&#x2f;b&gt; tea &amp; &quot;biscuits&quot;<br>--</p>"
    ), "{}", started.html);
    // The details' own "-- " line cannot pass for the footer's separator.
    assert_eq!(started.text.matches("\n-- \n").count(), 1);

    let reminder = get(&en, "circle_session_reminder");
    assert!(reminder
        .text
        .contains("Session 3 of your peer-support circle is coming up.\n\nStarts: Monday 19 January, 18:00 (CET)"));
    assert!(reminder
        .text
        .contains("Video call: https://meet.test/abc?x=1&y=2"));

    let missed = get(&en, "circle_missed_sessions");
    assert_eq!(missed.subject, "We missed you at your Kindred circle");
    for line in [
        "We noticed you were not at the last 2 sessions of your circle. That is completely fine",
        "You are welcome back at any session",
        "you can tell Eve <script>alert(1)</script> & \"Co\", your facilitator",
        "you can leave it at any time from its page",
        "Open the circle: https://kindred.test/circles/c1\n\nIf you are going through a hard time, the support resources at the end of this email are there for you.\n\n-- \n",
    ] {
        assert!(missed.text.contains(line), "{line}: {}", missed.text);
    }
    let told = get(&en, "circle_missed_facilitator");
    assert!(told.text.contains(
        "Eve <script>alert(1)</script> & \"Co\" missed the last 2 sessions of your circle."
    ));
    assert!(told.text.contains("A short, kind personal message"));
    assert_eq!(
        told.subject,
        "A member of your Kindred circle missed 2 sessions in a row"
    );

    let expired = get(&en, "circle_invitation_expired");
    assert!(expired
        .text
        .contains("the place was offered to someone else"));
    assert!(expired
        .text
        .contains("Ask to join a circle: https://kindred.test/circle-requests/new"));

    let below = get(&en, "circle_below_minimum");
    assert!(below
        .text
        .contains("Your circle now has 3 members, fewer than the minimum of 4."));
    assert!(get(&en, "circle_below_minimum_coordinator")
        .text
        .contains("A circle now has 1 member, fewer than the minimum of 4."));

    let revoked = get(&en, "circle_facilitator_revoked");
    assert!(revoked
        .text
        .contains("while they lead 2 approved or active circles."));
    assert!(revoked
        .text
        .contains("See their circles in the coordinator console: https://kindred.test/console/facilitators/u7"));

    let ended = get(&en, "circle_ended");
    assert_eq!(ended.subject, "Your Kindred circle has ended");
    assert!(ended.text.contains("Thank you for being part of it"));
    assert!(ended.text.contains("ask to join another circle"));
}

#[test]
fn spanish_circle_emails_say_tu_and_never_vosotros() {
    let es = samples(Lang::Es, footer(Lang::Es));
    let invite = get(&es, "circle_invitation");
    assert!(invite.text.starts_with("Hola, Ada:"));
    for line in [
        "Temas: Coming out at work y Parenting <alone>",
        "Modalidad: En persona, en Madrid <centro>",
        "Horario: cada lunes, de 18:00 a 19:30 (CET)",
        "Al unirte, te comprometes a:",
        "usa «Denunciar» en la aplicación",
        "Fecha límite para responder: viernes 9 de enero, 18:00 (CET)",
    ] {
        assert!(invite.text.contains(line), "{line}: {}", invite.text);
    }
    assert!(get(&es, "circle_facilitator_invitation")
        .text
        .contains("cuando se hayan unido al menos 4 personas"));
    assert!(get(&es, "circle_started")
        .text
        .contains("Primera sesión: lunes 5 de enero, 18:00 (CET)"));
    assert!(get(&es, "circle_below_minimum_coordinator")
        .text
        .contains("Un círculo se ha quedado con 1 persona, por debajo del mínimo de 4."));
    for (name, r) in &es {
        let words = format!("{} {} {}", r.subject, r.text, r.html).to_lowercase();
        for vosotros in [
            "vosotros",
            "vosotras",
            "vuestr",
            " os ",
            "compartís",
            "tenéis",
            "podéis",
            "estáis",
            "sois",
            "acordad",
            "queréis",
        ] {
            assert!(!words.contains(vosotros), "{name}: {vosotros:?}");
        }
    }
}

#[test]
fn meeting_modes_and_empty_parts() {
    let none: Vec<String> = Vec::new();
    for (mode, region, en) in [
        (
            MeetingMode::Online,
            None,
            "How the circle meets: Online (video or chat)",
        ),
        (
            MeetingMode::Phone,
            Some("Madrid"),
            "How the circle meets: By phone",
        ),
        (
            MeetingMode::InPerson,
            None,
            "How the circle meets: In person\n",
        ),
    ] {
        let r = render(&invitation(mode, region, &none), Lang::En, "").unwrap();
        assert!(r.text.contains(en), "{}", r.text);
        assert!(!r.text.contains("Topics"), "no empty topics line");
        assert!(!r.text.contains("Madrid"), "a region only in person");
    }
    let started = render(
        &CircleStarted {
            recipient_name: "Ada",
            facilitator_name: "Sam",
            topics: &none,
            meeting_details: " \n ",
            slot: WeeklySlot {
                start: at(10, 23),
                minutes: 90,
                weeks: 2,
            },
            first_session: at(10, 23),
            circle_url: "https://k.test/c/1",
        },
        Lang::Es,
        "",
    )
    .unwrap();
    assert!(
        !started.text.contains("Datos de la reunión"),
        "{}",
        started.text
    );
    assert!(!started.html.contains("meeting-details"));
    assert!(started
        .text
        .contains("Horario: cada 2 semanas, el sábado, de 23:00 a 00:30 (CET)"));
    // Without a footer the missed-sessions note does not point to it.
    let missed = render(
        &CircleMissedSessions {
            recipient_name: "Ada",
            missed: 1,
            facilitator_name: "Sam",
            circle_url: "https://k.test/c/1",
        },
        Lang::En,
        "",
    )
    .unwrap();
    assert!(!missed.text.contains("support resources"));
    assert!(missed
        .text
        .contains("We noticed you were not at the last session of your circle."));
    let told = render(
        &CircleMissedFacilitator {
            recipient_name: "Ada",
            member_name: "Sam",
            missed: 3,
            circle_url: "https://k.test/c/1",
        },
        Lang::Es,
        "",
    )
    .unwrap();
    assert_eq!(
        told.subject,
        "Una persona de tu círculo de Kindred ha faltado a 3 sesiones seguidas"
    );
    assert!(told
        .text
        .contains("Sam ha faltado a las 3 últimas sesiones de tu círculo."));
}

#[test]
fn the_facilitator_never_reads_the_rating_or_of_a_note() {
    let topics = topics();
    for lang in Lang::ALL {
        let coordinator = render(&support(true, &topics), lang, footer(lang)).unwrap();
        let facilitator = render(&support(false, &topics), lang, footer(lang)).unwrap();
        let rating = catalog().t(lang, "support-rating");
        let note = catalog().t(lang, "circle-support-note");
        assert!(coordinator.text.contains(&format!("{rating}: 2")));
        assert!(coordinator.text.contains(&note));
        assert!(coordinator
            .text
            .contains("https://kindred.test/console/circles/c1"));
        for part in [&facilitator.subject, &facilitator.text, &facilitator.html] {
            assert!(!part.contains(&rating) && !part.contains(": 2"), "{part}");
            assert!(!part.contains(&note), "{part}");
            assert!(!part.to_lowercase().contains("note") && !part.contains("nota"));
        }
        assert!(facilitator.text.contains(EVIL));
        assert_ne!(coordinator.subject, facilitator.subject);
        // The coordinators' version without a rating or a note.
        let bare = render(
            &CircleNeedsSupport {
                rating: None,
                has_note: false,
                ..support(true, &topics)
            },
            lang,
            "",
        )
        .unwrap();
        assert!(!bare.text.contains(&rating) && !bare.text.contains(&note));
    }
}

#[test]
fn the_facilitator_is_not_told_who_blocked_whom() {
    for lang in Lang::ALL {
        let one = render(&block(false, "Zoe", "Ada"), lang, "").unwrap();
        let other = render(&block(false, "Ada", "Zoe"), lang, "").unwrap();
        assert_eq!(one, other, "the same email whoever blocked");
        let both = match lang {
            Lang::En => "Ada and Zoe are both in your circle",
            Lang::Es => "Ada y Zoe están en tu círculo",
        };
        assert!(one.text.contains(both), "{}", one.text);
        let told = render(&block(true, "Zoe", "Ada"), lang, "").unwrap();
        let direction = match lang {
            Lang::En => "Zoe blocked Ada;",
            Lang::Es => "Zoe ha bloqueado a Ada;",
        };
        assert!(told.text.contains(direction), "{}", told.text);
    }
}

#[test]
fn no_circle_email_carries_an_address_or_a_private_overlap() {
    for lang in Lang::ALL {
        for (name, r) in samples(lang, footer(lang)) {
            for part in [&r.subject, &r.text, &r.html] {
                assert!(!part.contains('@') && !part.contains("mailto"), "{name}");
                let lower = part.to_lowercase();
                for word in ["overlap", "private tag", "coincidencia", "etiqueta"] {
                    assert!(!lower.contains(word), "{name}: {word}");
                }
            }
            // Topics are sensitive on a lock screen: never in a subject.
            assert!(!r.subject.contains("Coming out"), "{name}");
        }
    }
}
