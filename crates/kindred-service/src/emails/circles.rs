//! The emails of peer-support circles, each in its recipient's language,
//! with times in their own time zone. Members are never shown each other's
//! email addresses; a check-in's note never leaves the app; the facilitator
//! is not told who blocked whom.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use kindred_core::MeetingMode;
use kindred_db::circles::{Circle, CircleCheckIn};

use super::*;

/// A page of the web app (`<public_url>circles/<id>`).
fn page(settings: &Settings, path: &str) -> String {
    format!(
        "{}{}",
        settings.server.public_url,
        path.trim_start_matches('/')
    )
}

fn circle_page(settings: &Settings, c: &Circle) -> String {
    page(settings, &format!("circles/{}", c.id))
}

fn console_page(settings: &Settings, c: &Circle) -> String {
    page(settings, &format!("console/circles/{}", c.id))
}

fn local(at: NaiveDateTime, tz: Tz) -> templates::LocalTime {
    let t = tz.from_utc_datetime(&at);
    templates::LocalTime {
        at: t.naive_local(),
        zone: t.format("%Z").to_string(),
    }
}

/// The next start of the circle's weekly UTC slot after `from`.
fn next_slot(c: &Circle, from: NaiveDateTime) -> NaiveDateTime {
    crate::circles::sessions::next_weekly_slot(c, from).unwrap_or(from)
}

fn minutes(c: &Circle) -> u32 {
    u32::try_from(c.slot_end - c.slot_start).unwrap_or(90)
}

fn weeks(settings: &Settings) -> u32 {
    u32::try_from(settings.circles.cadence.as_secs() / (7 * 86_400))
        .unwrap_or(1)
        .max(1)
}

fn slot(settings: &Settings, c: &Circle, tz: Tz) -> templates::WeeklySlot {
    templates::WeeklySlot {
        start: local(next_slot(c, kindred_db::now()), tz),
        minutes: minutes(c),
        weeks: weeks(settings),
    }
}

fn topics(conn: &mut DbConnection, c: &Circle) -> ServiceResult<Vec<String>> {
    let slugs: Vec<String> = serde_json::from_str(&c.topics).unwrap_or_default();
    tag_labels(conn, &slugs)
}

fn name_of(conn: &mut DbConnection, user_id: &str) -> ServiceResult<String> {
    Ok(kindred_db::users::find(conn, user_id)?
        .map_or_else(|| "Deleted user".to_string(), |u| u.display_name))
}

fn queued<'a>(user: &'a User, kind: &'a str, dedupe_key: String) -> Queued<'a> {
    Queued {
        user,
        lang: lang_of(user),
        kind,
        dedupe_key: Some(dedupe_key),
        unsubscribe: None,
        attachment: None,
    }
}

/// To a member invited to an approved circle (or offered a freed place).
pub(crate) fn invitation(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    user_id: &str,
) -> ServiceResult<()> {
    let Some(user) = live_user(conn, user_id)? else {
        return Ok(());
    };
    let tz = crate::circles::person_zone(conn, c, user_id)?;
    let facilitator_name = name_of(conn, &c.facilitator_id)?;
    let topics = topics(conn, c)?;
    let url = circle_page(settings, c);
    let join_route = format!("POST /api/v1/circles/{}/join", c.id);
    let respond_by = local(
        kindred_db::now() + settings.circles.invite_timeout.as_chrono(),
        tz,
    );
    let body = templates::CircleInvitation {
        recipient_name: &user.display_name,
        facilitator_name: &facilitator_name,
        topics: &topics,
        language: &kindred_core::languages::autonym(&c.language),
        meeting_mode: MeetingMode::parse(&c.meeting_mode).unwrap_or(MeetingMode::Online),
        region: c.region.as_deref(),
        slot: slot(settings, c, tz),
        respond_by,
        circle_url: &url,
        join_route: &join_route,
    };
    send(
        conn,
        settings,
        queued(
            &user,
            "circle_invitation",
            format!("circle_invitation:{}:{user_id}", c.id),
        ),
        &body,
    )
}

/// To the facilitator when a coordinator approves their circle.
pub(crate) fn facilitator_invitation(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    invited: usize,
) -> ServiceResult<()> {
    let Some(user) = live_user(conn, &c.facilitator_id)? else {
        return Ok(());
    };
    let tz = crate::circles::person_zone(conn, c, &user.id)?;
    let topics = topics(conn, c)?;
    let url = circle_page(settings, c);
    let body = templates::CircleFacilitatorInvitation {
        recipient_name: &user.display_name,
        invited,
        min_size: usize::try_from(settings.circles.min_size).unwrap_or(4),
        topics: &topics,
        slot: slot(settings, c, tz),
        circle_url: &url,
    };
    send(
        conn,
        settings,
        queued(
            &user,
            "circle_facilitator_invitation",
            format!("circle_facilitator_invitation:{}", c.id),
        ),
        &body,
    )
}

/// To one person once the circle is active (or when they join an active
/// circle): the meeting details and a recurring calendar event in their zone.
pub(crate) fn started_to(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    user_id: &str,
) -> ServiceResult<()> {
    let Some(user) = live_user(conn, user_id)? else {
        return Ok(());
    };
    let tz = crate::circles::person_zone(conn, c, user_id)?;
    let facilitator_name = name_of(conn, &c.facilitator_id)?;
    let topics = topics(conn, c)?;
    let url = circle_page(settings, c);
    let details = c.meeting_details.clone().unwrap_or_default();
    let first_utc = crate::circles::sessions::session_start(settings, c, 1)
        .unwrap_or_else(|| next_slot(c, kindred_db::now()));
    let first = local(first_utc, tz);
    let lang = lang_of(&user);
    let words = |id: &str, args: &[(&str, kindred_mail::text::FluentValue<'_>)]| {
        templates::message(lang, id, args).map_err(ServiceError::Internal)
    };
    let summary = words("ics-circle-summary", &[])?;
    let description = words("ics-circle-description", &[("url", url.as_str().into())])?;
    let ics = kindred_mail::ics::circle_event(&kindred_mail::ics::CircleEvent {
        circle_id: &c.id,
        summary: &summary,
        description: &description,
        meeting_details: &details,
        start_local: first.at,
        duration_minutes: minutes(c),
        tzid: tz.name(),
        interval_days: weeks(settings) * 7,
    });
    let body = templates::CircleStarted {
        recipient_name: &user.display_name,
        facilitator_name: &facilitator_name,
        topics: &topics,
        meeting_details: &details,
        slot: templates::WeeklySlot {
            start: first.clone(),
            minutes: minutes(c),
            weeks: weeks(settings),
        },
        first_session: first,
        circle_url: &url,
    };
    let mut q = queued(
        &user,
        "circle_started",
        format!("circle_started:{}:{user_id}", c.id),
    );
    q.attachment = Some((
        "kindred-circle.ics".into(),
        "text/calendar; charset=utf-8; method=PUBLISH".into(),
        ics.into_bytes(),
    ));
    send(conn, settings, q, &body)
}

/// Before session `n`, to one person.
pub(crate) fn session_reminder(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    n: i64,
    user_id: &str,
) -> ServiceResult<()> {
    let Some(user) = live_user(conn, user_id)? else {
        return Ok(());
    };
    let Some(starts) = crate::circles::sessions::session_start(settings, c, n) else {
        return Ok(());
    };
    let tz = crate::circles::person_zone(conn, c, user_id)?;
    let url = circle_page(settings, c);
    let details = c.meeting_details.clone().unwrap_or_default();
    let body = templates::CircleSessionReminder {
        recipient_name: &user.display_name,
        session_number: u32::try_from(n).unwrap_or(0),
        starts: local(starts, tz),
        meeting_details: &details,
        circle_url: &url,
    };
    send(
        conn,
        settings,
        queued(
            &user,
            "circle_session_reminder",
            format!("circle_session_reminder:{}:{n}:{user_id}", c.id),
        ),
        &body,
    )
}

/// A member missed `circles.missed_sessions_note` sessions in a row: a
/// gentle note to them, and their facilitator is told. `first_missed`
/// names this run of absences (one note per run).
pub(crate) fn missed_sessions(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    user_id: &str,
    first_missed: i32,
) -> ServiceResult<()> {
    let missed = settings.circles.missed_sessions_note;
    let url = circle_page(settings, c);
    let facilitator_name = name_of(conn, &c.facilitator_id)?;
    if let Some(user) = live_user(conn, user_id)? {
        let body = templates::CircleMissedSessions {
            recipient_name: &user.display_name,
            missed,
            facilitator_name: &facilitator_name,
            circle_url: &url,
        };
        send(
            conn,
            settings,
            queued(
                &user,
                "circle_missed_sessions",
                format!("circle_missed_sessions:{}:{user_id}:{first_missed}", c.id),
            ),
            &body,
        )?;
    }
    let member_name = name_of(conn, user_id)?;
    if let Some(fac) = live_user(conn, &c.facilitator_id)? {
        let body = templates::CircleMissedFacilitator {
            recipient_name: &fac.display_name,
            member_name: &member_name,
            missed,
            circle_url: &url,
        };
        send(
            conn,
            settings,
            queued(
                &fac,
                "circle_missed_facilitator",
                format!(
                    "circle_missed_facilitator:{}:{user_id}:{first_missed}",
                    c.id
                ),
            ),
            &body,
        )?;
    }
    Ok(())
}

/// To a member whose invitation lapsed.
pub(crate) fn invitation_expired(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    user_id: &str,
) -> ServiceResult<()> {
    let Some(user) = live_user(conn, user_id)? else {
        return Ok(());
    };
    let url = page(settings, "circles");
    let body = templates::CircleInvitationExpired {
        recipient_name: &user.display_name,
        request_url: &url,
    };
    send(
        conn,
        settings,
        queued(
            &user,
            "circle_invitation_expired",
            format!("circle_invitation_expired:{}:{user_id}", c.id),
        ),
        &body,
    )
}

/// A member's check-in asked for support: the facilitator (no rating, no
/// note) and every coordinator (the rating; the note stays in the app).
pub(crate) fn needs_support(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    ci: &CircleCheckIn,
) -> ServiceResult<()> {
    let member_name = name_of(conn, &ci.author_id)?;
    let topics = topics(conn, c)?;
    if let Some(fac) = live_user(conn, &c.facilitator_id)? {
        let url = circle_page(settings, c);
        let body = templates::CircleNeedsSupport {
            for_coordinator: false,
            member_name: &member_name,
            topics: &topics,
            rating: None,
            has_note: false,
            url: &url,
        };
        send(
            conn,
            settings,
            queued(
                &fac,
                "circle_needs_support",
                format!("circle_needs_support:{}:facilitator", ci.id),
            ),
            &body,
        )?;
    }
    let url = console_page(settings, c);
    let body = templates::CircleNeedsSupport {
        for_coordinator: true,
        member_name: &member_name,
        topics: &topics,
        rating: Some(ci.rating),
        has_note: ci.note.is_some(),
        url: &url,
    };
    to_coordinators(
        conn,
        settings,
        "circle_needs_support",
        &format!("circle_needs_support:{}", ci.id),
        None,
        &body,
    )
}

/// A running circle fell below `circles.min_size`: its facilitator and the
/// coordinators are told (never why, nor who).
pub(crate) fn below_minimum(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    members: usize,
) -> ServiceResult<()> {
    let topics = topics(conn, c)?;
    let min_size = usize::try_from(settings.circles.min_size).unwrap_or(4);
    let event = format!(
        "circle_below_minimum:{}:{members}:{}",
        c.id,
        kindred_db::new_id()
    );
    if let Some(fac) = live_user(conn, &c.facilitator_id)? {
        let url = circle_page(settings, c);
        let body = templates::CircleBelowMinimum {
            for_coordinator: false,
            members,
            min_size,
            topics: &topics,
            url: &url,
        };
        send(
            conn,
            settings,
            queued(&fac, "circle_below_minimum", format!("{event}:facilitator")),
            &body,
        )?;
    }
    let url = console_page(settings, c);
    let body = templates::CircleBelowMinimum {
        for_coordinator: true,
        members,
        min_size,
        topics: &topics,
        url: &url,
    };
    to_coordinators(conn, settings, "circle_below_minimum", &event, None, &body)
}

/// One person of a running circle blocked another of it.
pub(crate) fn block_alert(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    blocker: &str,
    blocked: &str,
) -> ServiceResult<()> {
    let blocker_name = name_of(conn, blocker)?;
    let blocked_name = name_of(conn, blocked)?;
    let event = format!("circle_block:{}:{blocker}:{blocked}", c.id);
    if c.facilitator_id != blocker && c.facilitator_id != blocked {
        if let Some(fac) = live_user(conn, &c.facilitator_id)? {
            let url = circle_page(settings, c);
            let body = templates::CircleBlockAlert {
                for_coordinator: false,
                blocker_name: &blocker_name,
                blocked_name: &blocked_name,
                url: &url,
            };
            send(
                conn,
                settings,
                queued(&fac, "circle_block_alert", format!("{event}:facilitator")),
                &body,
            )?;
        }
    }
    let url = console_page(settings, c);
    let body = templates::CircleBlockAlert {
        for_coordinator: true,
        blocker_name: &blocker_name,
        blocked_name: &blocked_name,
        url: &url,
    };
    to_coordinators(conn, settings, "circle_block_alert", &event, None, &body)
}

/// A facilitator lost the role while leading approved or active circles.
pub(crate) fn facilitator_revoked(
    conn: &mut DbConnection,
    settings: &Settings,
    facilitator_id: &str,
    circles: usize,
) -> ServiceResult<()> {
    let facilitator_name = name_of(conn, facilitator_id)?;
    let url = page(settings, "console/circles?flagged=1");
    let body = templates::CircleFacilitatorRevoked {
        facilitator_name: &facilitator_name,
        circles,
        url: &url,
    };
    let event = format!(
        "circle_facilitator_revoked:{facilitator_id}:{}",
        kindred_db::new_id()
    );
    to_coordinators(
        conn,
        settings,
        "circle_facilitator_revoked",
        &event,
        None,
        &body,
    )
}

/// The circle ended.
pub(crate) fn ended(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    user_id: &str,
) -> ServiceResult<()> {
    let Some(user) = live_user(conn, user_id)? else {
        return Ok(());
    };
    let url = page(settings, "circles");
    let body = templates::CircleEnded {
        recipient_name: &user.display_name,
        request_url: &url,
    };
    send(
        conn,
        settings,
        queued(
            &user,
            "circle_ended",
            format!("circle_ended:{}:{user_id}", c.id),
        ),
        &body,
    )
}
