//! The introduction of a mentor and a mentee once their match is active,
//! each in their own language, with a check-in calendar invitation at the
//! first time both are free.

use super::*;

/// A calendar invitation for a recurring check-in at the first time both
/// people are free, each in their own time zone (the file, and that time in
/// `me`'s zone), worded in `me`'s language.
fn checkin_calendar(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
    me: &User,
    other: &User,
) -> ServiceResult<Option<(String, Vec<u8>, templates::LocalTime)>> {
    let windows = |conn: &mut DbConnection,
                   id: &str,
                   kind: &str|
     -> ServiceResult<Option<(Vec<kindred_mail::ics::Window>, chrono_tz::Tz)>> {
        let Some(p) = kindred_db::profiles::get(conn, id, kind)? else {
            return Ok(None);
        };
        let tz: chrono_tz::Tz = p.profile.timezone.parse().unwrap_or(chrono_tz::Tz::UTC);
        let list: Vec<kindred_core::AvailabilityWindow> =
            serde_json::from_str(&p.profile.availability).unwrap_or_default();
        Ok(Some((
            list.iter()
                .map(|w| kindred_mail::ics::Window {
                    day: w.day,
                    start_min: u32::from(w.start_min),
                    end_min: u32::from(w.end_min),
                })
                .collect(),
            tz,
        )))
    };
    let my_kind = if me.id == m.mentor_id {
        "mentor"
    } else {
        "mentee"
    };
    let other_kind = if my_kind == "mentor" {
        "mentee"
    } else {
        "mentor"
    };
    let (Some(mine), Some(theirs)) = (
        windows(conn, &me.id, my_kind)?,
        windows(conn, &other.id, other_kind)?,
    ) else {
        return Ok(None);
    };
    let from = (kindred_db::now() + chrono::TimeDelta::days(1)).and_utc();
    let Some(start) =
        kindred_mail::ics::first_common_slot((&mine.0, mine.1), (&theirs.0, theirs.1), from, 30)
    else {
        return Ok(None);
    };
    let local = start.with_timezone(&mine.1);
    let interval_days = u32::try_from(settings.schedule.checkin_interval.as_secs() / 86_400)
        .unwrap_or(14)
        .max(1);
    let uid = format!("checkin-{}@kindred", m.id);
    let lang = lang_of(me);
    let words = |id: &str, args: &[(&str, kindred_mail::text::FluentValue<'_>)]| {
        templates::message(lang, id, args).map_err(ServiceError::Internal)
    };
    let summary = words("ics-summary", &[])?;
    let description = words(
        "ics-description",
        &[("partner", other.display_name.as_str().into())],
    )?;
    let with_label = words("ics-with", &[])?;
    let ics = kindred_mail::ics::checkin_event(&kindred_mail::ics::EventSpec {
        uid: &uid,
        summary: &summary,
        description: &description,
        with_label: &with_label,
        start_local: local.naive_local(),
        duration_minutes: 30,
        tzid: mine.1.name(),
        interval_days,
        organizer_email: None,
        attendees: vec![
            (&me.display_name, me.email.as_deref().unwrap_or_default()),
            (
                &other.display_name,
                other.email.as_deref().unwrap_or_default(),
            ),
        ],
    });
    Ok(Some((
        "kindred-check-in.ics".into(),
        ics.into_bytes(),
        templates::LocalTime {
            at: local.naive_local(),
            zone: local.format("%Z").to_string(),
        },
    )))
}

/// To both people when a match becomes active: each other's name, pronouns
/// and contact, shared public tags, first steps, and a check-in calendar.
pub fn introductions(conn: &mut DbConnection, settings: &Settings, m: &Match) -> ServiceResult<()> {
    let (Some(mentor), Some(mentee)) = (
        live_user(conn, &m.mentor_id)?,
        live_user(conn, &m.mentee_id)?,
    ) else {
        return Ok(());
    };
    let shared = tag_labels(conn, &explanation(m).shared_tags)?;
    for (me, other) in [(&mentor, &mentee), (&mentee, &mentor)] {
        let calendar = checkin_calendar(conn, settings, m, me, other)?;
        let body = templates::Introduction {
            recipient_name: &me.display_name,
            other_name: &other.display_name,
            other_pronouns: other.pronouns.as_deref(),
            other_email: other.email.as_deref().unwrap_or_default(),
            shared_tags: &shared,
            checkin_interval_secs: settings.schedule.checkin_interval.as_secs(),
            first_meeting: calendar.as_ref().map(|c| c.2.clone()),
        };
        send(
            conn,
            settings,
            Queued {
                user: me,
                lang: lang_of(me),
                kind: "introduction",
                dedupe_key: Some(format!("introduction:{}:{}", m.id, me.id)),
                unsubscribe: None,
                attachment: calendar.map(|(name, bytes, _)| {
                    (
                        name,
                        "text/calendar; charset=utf-8; method=PUBLISH".to_string(),
                        bytes,
                    )
                }),
            },
            &body,
        )?;
    }
    Ok(())
}
