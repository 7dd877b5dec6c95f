use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// Unfolds and splits into logical lines, checking CRLF and the 75-octet limit.
fn content_lines(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    for physical in ics.split("\r\n") {
        assert!(physical.len() <= 75, "too long: {physical:?}");
        assert!(!physical.contains('\n') && !physical.contains('\r'));
    }
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn spec<'a>(description: &'a str, interval_days: u32, tzid: &'a str) -> EventSpec<'a> {
    EventSpec {
        uid: "checkin-m1@kindred.test",
        summary: "Kindred check-in: Ada & Sam",
        description,
        start_local: local("2026-03-02 18:00"),
        duration_minutes: 45,
        tzid,
        interval_days,
        organizer_email: Some("noreply@kindred.test"),
        attendees: vec![("Ada", "ada@example.org"), ("Sam", "sam@example.org")],
        with_label: "With",
    }
}

#[test]
fn calendar_has_required_properties() {
    let ics = checkin_event_at(
        &spec("Talk about goals", 14, "Europe/Madrid"),
        utc("2026-02-20T10:00:00Z"),
    );
    let lines = content_lines(&ics);
    for needle in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kindred//Kindred mentorship//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "UID:checkin-m1@kindred.test",
        "DTSTAMP:20260220T100000Z",
        "DTSTART;TZID=Europe/Madrid:20260302T180000",
        "DURATION:PT45M",
        "RRULE:FREQ=WEEKLY;INTERVAL=2",
        "SUMMARY:Kindred check-in: Ada & Sam",
        "ORGANIZER;CN=Kindred:mailto:noreply@kindred.test",
        "END:VEVENT",
        "END:VCALENDAR",
        "TZID:Europe/Madrid",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
    ] {
        assert!(
            lines.iter().any(|l| l == needle),
            "missing {needle}:\n{ics}"
        );
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(!ics.contains("ATTENDEE"), "PUBLISH carries no attendees");
    let desc = lines
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(
        desc.contains("Talk about goals\\n\\nWith: Ada <ada@example.org>\\, Sam <sam@example.org>")
    );
    // VTIMEZONE precedes the event; DST starts at 02:00 local in the old offset.
    let tz_pos = ics.find("BEGIN:VTIMEZONE").unwrap();
    assert!(tz_pos < ics.find("BEGIN:VEVENT").unwrap());
    assert!(
        lines.iter().any(|l| l == "DTSTART:20250330T020000"),
        "{ics}"
    );
    assert!(
        lines.iter().any(|l| l == "DTSTART:20251026T030000"),
        "{ics}"
    );
}

#[test]
fn daily_vs_weekly_and_durations() {
    let stamp = utc("2026-02-20T10:00:00Z");
    let daily = checkin_event_at(&spec("", 10, "Europe/Madrid"), stamp);
    assert!(daily.contains("RRULE:FREQ=DAILY;INTERVAL=10\r\n"));
    let weekly = checkin_event_at(&spec("", 7, "Europe/Madrid"), stamp);
    assert!(weekly.contains("RRULE:FREQ=WEEKLY;INTERVAL=1\r\n"));
    let once = checkin_event_at(&spec("", 0, "Europe/Madrid"), stamp);
    assert!(!once.contains("RRULE:FREQ=DAILY") && !once.contains("RRULE:FREQ=WEEKLY"));
    assert_eq!(ics_duration(45), "PT45M");
    assert_eq!(ics_duration(60), "PT1H");
    assert_eq!(ics_duration(90), "PT1H30M");
    assert_eq!(ics_duration(0), "PT0M");
    assert_eq!(ics_duration(1500), "P1DT1H");
    assert_eq!(ics_duration(1440), "P1D");
}

#[test]
fn text_is_escaped_and_folded() {
    assert_eq!(
        escape_text("a,b;c\\d\r\ne\nf\u{7}"),
        "a\\,b\\;c\\\\d\\ne\\nf"
    );
    let long = "Ünïcödé, text; with\\ specials\n".repeat(12);
    let ics = checkin_event_at(
        &spec(&long, 14, "America/New_York"),
        utc("2026-02-20T10:00:00Z"),
    );
    let lines = content_lines(&ics);
    let desc = lines
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(desc.starts_with("DESCRIPTION:Ünïcödé\\, text\\; with\\\\ specials\\nÜnïcödé"));
    assert!(ics.contains("\r\n "), "long lines are folded");
    // Folding never splits a UTF-8 character and keeps every octet.
    let folded = fold_line(&"é".repeat(100));
    assert_eq!(folded.replace("\r\n ", "").trim_end(), "é".repeat(100));
    assert!(folded.split("\r\n").all(|l| l.len() <= 75));
    assert!(lines
        .iter()
        .any(|l| l == "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"));
    assert!(lines
        .iter()
        .any(|l| l == "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"));
    assert!(lines.iter().any(|l| l == "TZOFFSETTO:-0400"));
}

#[test]
fn zones_without_dst_and_unknown_names() {
    let stamp = utc("2026-02-20T10:00:00Z");
    let tokyo = checkin_event_at(&spec("", 7, "Asia/Tokyo"), stamp);
    let lines = content_lines(&tokyo);
    assert!(lines.iter().any(|l| l == "TZOFFSETFROM:+0900"));
    assert!(lines.iter().any(|l| l == "TZOFFSETTO:+0900"));
    assert!(!tokyo.contains("BEGIN:DAYLIGHT"));
    let unknown = checkin_event_at(&spec("", 7, "Mars/Olympus"), stamp);
    assert!(unknown.contains("DTSTART;TZID=UTC:20260302T180000"));
    assert!(unknown.contains("TZOFFSETTO:+0000"));
}

fn madrid() -> Tz {
    chrono_tz::Europe::Madrid
}

fn new_york() -> Tz {
    chrono_tz::America::New_York
}

#[test]
fn madrid_and_new_york_overlap_on_monday_evening() {
    let a = [Window::new(Weekday::Mon, (18, 0), (20, 30))];
    let b = [Window::new(Weekday::Mon, (12, 0), (15, 0))];
    // Thu 2026-01-01 → Mon 2026-01-05 18:00 Madrid (17:00 UTC, 12:00 New York).
    let slot = first_common_slot(
        (&a, madrid()),
        (&b, new_york()),
        utc("2026-01-01T00:00:00Z"),
        60,
    )
    .unwrap();
    assert_eq!(slot, utc("2026-01-05T17:00:00Z"));
    assert_eq!(
        slot.with_timezone(&madrid()).naive_local(),
        local("2026-01-05 18:00")
    );
    // Starting mid-window: the next quarter hour.
    let slot = first_common_slot(
        (&a, madrid()),
        (&b, new_york()),
        utc("2026-01-05T17:20:00Z"),
        60,
    );
    assert_eq!(slot, Some(utc("2026-01-05T17:30:00Z")));
    // Too late that Monday for 60 minutes (window ends 20:30 Madrid): next week.
    let slot = first_common_slot(
        (&a, madrid()),
        (&b, new_york()),
        utc("2026-01-05T18:45:00Z"),
        60,
    );
    assert_eq!(slot, Some(utc("2026-01-12T17:00:00Z")));
    // Exactly on the grid counts.
    let slot = first_common_slot(
        (&a, madrid()),
        (&b, new_york()),
        utc("2026-01-05T17:00:00Z"),
        150,
    );
    assert_eq!(slot, Some(utc("2026-01-05T17:00:00Z")));
}

#[test]
fn no_overlap_is_none() {
    let a = [Window::new(Weekday::Mon, (9, 0), (10, 0))];
    let b = [Window::new(Weekday::Mon, (12, 0), (15, 0))];
    assert_eq!(
        first_common_slot(
            (&a, madrid()),
            (&b, new_york()),
            utc("2026-01-01T00:00:00Z"),
            30
        ),
        None
    );
    let c = [Window::new(Weekday::Tue, (18, 0), (20, 0))];
    let d = [Window::new(Weekday::Mon, (12, 0), (14, 0))];
    assert_eq!(
        first_common_slot(
            (&c, madrid()),
            (&d, new_york()),
            utc("2026-01-01T00:00:00Z"),
            30
        ),
        None
    );
    assert_eq!(
        first_common_slot(
            (&[], madrid()),
            (&d, new_york()),
            utc("2026-01-01T00:00:00Z"),
            30
        ),
        None
    );
}

#[test]
fn dst_change_weeks_shift_the_overlap() {
    // Madrid 18:00–19:00 and New York 12:00–13:00 coincide when the zones
    // are 6 h apart. The US moves to summer time on 8 March 2026, Spain on
    // 29 March: for the three Mondays in between they are 5 h apart.
    let a = [Window::new(Weekday::Mon, (18, 0), (19, 0))];
    let b = [Window::new(Weekday::Mon, (12, 0), (13, 0))];
    let find = |from: &str| first_common_slot((&a, madrid()), (&b, new_york()), utc(from), 60);
    assert_eq!(
        find("2026-03-02T00:00:00Z"),
        Some(utc("2026-03-02T17:00:00Z"))
    );
    assert_eq!(
        find("2026-03-03T00:00:00Z"),
        None,
        "Mondays 9, 16 and 23 March"
    );
    // After Spain's change both are on summer time: 16:00 UTC.
    assert_eq!(
        find("2026-03-20T00:00:00Z"),
        Some(utc("2026-03-30T16:00:00Z"))
    );
    // A wider NY window on 9 March: Madrid 18:00 = 13:00 EDT.
    let wide = [Window::new(Weekday::Mon, (12, 0), (14, 0))];
    assert_eq!(
        first_common_slot(
            (&a, madrid()),
            (&wide, new_york()),
            utc("2026-03-03T00:00:00Z"),
            60
        ),
        Some(utc("2026-03-09T17:00:00Z"))
    );
}

#[test]
fn meeting_ending_at_midnight_fits() {
    let a = [Window::new(Weekday::Fri, (23, 0), (24, 0))];
    let slot = first_common_slot(
        (&a, Tz::UTC),
        (&a, Tz::UTC),
        utc("2026-01-01T00:00:00Z"),
        60,
    );
    assert_eq!(slot, Some(utc("2026-01-02T23:00:00Z")));
}

fn circle<'a>(meeting_details: &'a str, tzid: &'a str) -> CircleEvent<'a> {
    CircleEvent {
        circle_id: "c1",
        summary: "Kindred circle",
        description:
            "A session of your Kindred peer-support circle: https://kindred.test/circles/c1",
        meeting_details,
        start_local: local("2026-03-02 18:00"),
        duration_minutes: 90,
        tzid,
        interval_days: 7,
    }
}

#[test]
fn a_circle_is_a_weekly_event_in_the_readers_zone_that_names_nobody() {
    let ics = circle_event_at(
        &circle(
            "Video call: https://meet.test/abc\nBring tea, biscuits; and you",
            "Europe/Madrid",
        ),
        utc("2026-02-20T10:00:00Z"),
    );
    let lines = content_lines(&ics);
    for needle in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Madrid",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:circle-c1@kindred",
        "DTSTAMP:20260220T100000Z",
        "DTSTART;TZID=Europe/Madrid:20260302T180000",
        "DURATION:PT1H30M",
        "RRULE:FREQ=WEEKLY;INTERVAL=1",
        "SUMMARY:Kindred circle",
        "DESCRIPTION:A session of your Kindred peer-support circle: https://kindred.test/circles/c1\\n\\nVideo call: https://meet.test/abc\\nBring tea\\, biscuits\\; and you",
        "END:VEVENT",
        "END:VCALENDAR",
    ] {
        assert!(lines.iter().any(|l| l == needle), "missing {needle}:\n{ics}");
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    // Nobody's address: no attendees, no organizer, no "With:" list; the
    // only @ is the UID's.
    assert!(!ics.contains("ATTENDEE") && !ics.contains("ORGANIZER"));
    assert!(!ics.contains("mailto:") && !ics.contains("With"));
    assert_eq!(ics.matches('@').count(), 1, "{ics}");
    assert_eq!(circle_uid("c1"), "circle-c1@kindred");
    // Begin/end blocks are balanced.
    for block in ["VCALENDAR", "VTIMEZONE", "VEVENT"] {
        let begins = lines
            .iter()
            .filter(|l| **l == format!("BEGIN:{block}"))
            .count();
        let ends = lines
            .iter()
            .filter(|l| **l == format!("END:{block}"))
            .count();
        assert_eq!((begins, ends), (1, 1), "{block}");
    }
}

#[test]
fn a_circle_without_details_and_in_another_zone() {
    let ics = circle_event_at(
        &circle("  \n", "America/New_York"),
        utc("2026-02-20T10:00:00Z"),
    );
    let lines = content_lines(&ics);
    assert!(lines
        .iter()
        .any(|l| l == "DTSTART;TZID=America/New_York:20260302T180000"));
    assert!(lines.iter().any(|l| l == "TZID:America/New_York"));
    let desc = lines
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(desc.ends_with("circles/c1"), "no empty details: {desc}");
    let fortnightly = circle_event_at(
        &CircleEvent {
            interval_days: 14,
            ..circle("", "Europe/Madrid")
        },
        utc("2026-02-20T10:00:00Z"),
    );
    assert!(fortnightly.contains("RRULE:FREQ=WEEKLY;INTERVAL=2\r\n"));
}
