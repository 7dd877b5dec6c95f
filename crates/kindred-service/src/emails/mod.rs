//! The emails that lifecycle events and scheduled jobs cause, queued in the
//! caller's transaction. Bodies come from `kindred_mail::templates`, each
//! rendered in its recipient's preferred language (`users.preferred_language`;
//! coordinator alerts in each coordinator's) with the support footer of that
//! language (`mail.footers`, else `mail.footer`). Reminders carry one-click
//! unsubscribe headers and respect the person's notification preferences;
//! introductions and safety alerts cannot be unsubscribed from.

use kindred_config::Settings;
use kindred_core::Lang;
use kindred_db::models::{Match, User};
use kindred_db::DbConnection;
use kindred_mail::templates::{self, Email};
use kindred_mail::OutgoingEmail;

use crate::error::{ServiceError, ServiceResult};

mod accounts;
mod alerts;
pub(crate) mod circles;
mod introductions;

pub use accounts::{already_registered, invitation, password_reset_code, verification_code};
pub use alerts::{alert_summary, needs_support_alert, report_alert, AlertKind};
pub use introductions::introductions;

/// Notification categories a person can switch off.
pub const CHECKIN_REMINDERS: &str = "checkin_reminders";
pub const MENTOR_REMINDERS: &str = "mentor_reminders";
pub const DIGEST: &str = "digest";

/// The language of a person's emails.
pub fn lang_of(user: &User) -> Lang {
    Lang::from_stored(&user.preferred_language)
}

fn link(settings: &Settings, path: &str) -> String {
    format!("{}api/v1{path}", settings.server.public_url)
}

fn live_user(conn: &mut DbConnection, id: &str) -> ServiceResult<Option<User>> {
    Ok(kindred_db::users::find(conn, id)?.filter(|u| u.email.is_some()))
}

/// The key that signs unsubscribe links, created on first use.
pub fn unsubscribe_key(conn: &mut DbConnection) -> ServiceResult<Vec<u8>> {
    let hex_key = kindred_db::secrets::get_or_create(conn, "unsubscribe_hmac_key", || {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    })?;
    hex::decode(hex_key).map_err(|e| ServiceError::Internal(format!("unsubscribe key: {e}")))
}

struct Queued<'a> {
    user: &'a User,
    /// The language to render in: the person's (`lang_of`), except for a
    /// registration's code, which goes in the registration's language.
    lang: Lang,
    kind: &'a str,
    /// One email per event; `None` where every call is a new event.
    dedupe_key: Option<String>,
    /// Reminders: a category the person may switch off (adds List-Unsubscribe).
    unsubscribe: Option<&'a str>,
    attachment: Option<(String, String, Vec<u8>)>,
}

fn send(
    conn: &mut DbConnection,
    settings: &Settings,
    q: Queued<'_>,
    body: &impl Email,
) -> ServiceResult<()> {
    let Some(to) = q.user.email.as_deref() else {
        return Ok(());
    };
    let rendered = templates::render(body, q.lang, settings.mail.footer_for(q.lang.tag()))
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut email = OutgoingEmail::new(to, settings.mail.from.clone(), rendered);
    if let Some(category) = q.unsubscribe {
        let token = kindred_mail::unsubscribe::sign(&unsubscribe_key(conn)?, &q.user.id, category);
        let url = link(settings, &format!("/unsubscribe?token={token}"));
        for h in kindred_mail::unsubscribe::list_unsubscribe_headers(&url) {
            email = email.with_header(h.name, h.value);
        }
    }
    if let Some((name, content_type, bytes)) = q.attachment {
        email = email.with_attachment(name, content_type, bytes);
    }
    let json = serde_json::to_string(&email)
        .map_err(|e| ServiceError::Internal(format!("serialising email: {e}")))?;
    kindred_db::outbox::enqueue(
        conn,
        &kindred_db::outbox::NewEmail {
            user_id: Some(&q.user.id),
            kind: q.kind,
            dedupe_key: q.dedupe_key.as_deref(),
            recipient: to,
            message: &json,
        },
    )?;
    Ok(())
}

/// A match's explanation as its participants may see it: emails go to the
/// mentor and mentee, so never the private overlap.
fn explanation(m: &Match) -> kindred_matching::Explanation {
    crate::matches::views::public_explanation(crate::matches::views::stored_explanation(m))
}

/// The taxonomy's labels of `slugs` ("Coming out at work", not
/// `coming-out-at-work`), in order; a slug with no tag row stays as it is.
fn tag_labels(conn: &mut DbConnection, slugs: &[String]) -> ServiceResult<Vec<String>> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let labels: std::collections::HashMap<String, String> = kindred_db::tags::list(conn, true)?
        .into_iter()
        .map(|t| (t.slug, t.label))
        .collect();
    Ok(slugs
        .iter()
        .map(|s| labels.get(s).cloned().unwrap_or_else(|| s.clone()))
        .collect())
}

/// The parts of a public explanation (see [`explanation`]) for an email:
/// non-zero components only, the shared-experience one with tag labels.
fn reasons(e: &kindred_matching::Explanation, labels: &[String]) -> Vec<templates::Reason> {
    e.components
        .iter()
        .filter(|c| c.points != 0)
        .map(|c| templates::Reason {
            name: c.name.to_string(),
            detail: c.detail.to_string(),
            tags: if c.name == "shared_experience" {
                labels.to_vec()
            } else {
                Vec::new()
            },
        })
        .collect()
}

fn respond_by(settings: &Settings, m: &Match) -> chrono::DateTime<chrono::Utc> {
    let since = m.awaiting_since.unwrap_or(m.updated_at);
    (since + settings.matching.response_timeout.as_chrono()).and_utc()
}

/// To the mentor when a match starts waiting for their answer.
pub fn mentor_notice(conn: &mut DbConnection, settings: &Settings, m: &Match) -> ServiceResult<()> {
    let (Some(mentor), Some(mentee)) = (
        live_user(conn, &m.mentor_id)?,
        live_user(conn, &m.mentee_id)?,
    ) else {
        return Ok(());
    };
    let e = explanation(m);
    let labels = tag_labels(conn, &e.shared_tags)?;
    let url = link(settings, &format!("/matches/{}", m.id));
    let body = templates::MentorNotice {
        mentor_name: &mentor.display_name,
        mentee_name: &mentee.display_name,
        reasons: reasons(&e, &labels),
        shared_tags: &labels,
        respond_by: respond_by(settings, m),
        link: &url,
    };
    send(
        conn,
        settings,
        Queued {
            user: &mentor,
            lang: lang_of(&mentor),
            kind: "mentor_notice",
            dedupe_key: Some(format!("mentor_notice:{}", m.id)),
            unsubscribe: None,
            attachment: None,
        },
        &body,
    )
}

/// Half-way through the response time, if the mentor has not answered.
pub fn mentor_reminder(
    conn: &mut DbConnection,
    settings: &Settings,
    match_id: &str,
) -> ServiceResult<()> {
    let Some(m) = kindred_db::matches::get_match(conn, match_id)? else {
        return Ok(());
    };
    if m.state != kindred_core::MatchState::AwaitingMentor {
        return Ok(());
    }
    let (Some(mentor), Some(mentee)) = (
        live_user(conn, &m.mentor_id)?,
        live_user(conn, &m.mentee_id)?,
    ) else {
        return Ok(());
    };
    if !kindred_db::notifications::get_prefs(conn, &mentor.id)?.mentor_reminders {
        return Ok(());
    }
    let url = link(settings, &format!("/matches/{}", m.id));
    let body = templates::MentorReminder {
        mentor_name: &mentor.display_name,
        mentee_name: &mentee.display_name,
        respond_by: respond_by(settings, &m),
        link: &url,
    };
    send(
        conn,
        settings,
        Queued {
            user: &mentor,
            lang: lang_of(&mentor),
            kind: "mentor_reminder",
            dedupe_key: Some(format!("mentor_reminder:{}", m.id)),
            unsubscribe: Some(MENTOR_REMINDERS),
            attachment: None,
        },
        &body,
    )
}

/// When a match expired: the mentor and the coordinators are told.
pub fn match_expired(conn: &mut DbConnection, settings: &Settings, m: &Match) -> ServiceResult<()> {
    if let (Some(mentor), Some(mentee)) = (
        live_user(conn, &m.mentor_id)?,
        live_user(conn, &m.mentee_id)?,
    ) {
        let url = link(settings, "/matches");
        let body = templates::MatchExpiredMentor {
            mentor_name: &mentor.display_name,
            mentee_name: &mentee.display_name,
            link: &url,
        };
        send(
            conn,
            settings,
            Queued {
                user: &mentor,
                lang: lang_of(&mentor),
                kind: "match_expired",
                dedupe_key: Some(format!("match_expired:{}", m.id)),
                unsubscribe: None,
                attachment: None,
            },
            &body,
        )?;
    }
    let url = link(settings, &format!("/matches/{}", m.id));
    to_coordinators(
        conn,
        settings,
        "alert_expired",
        &format!("expired:{}", m.id),
        None,
        &templates::MatchExpiredCoordinator {
            match_id: &m.id,
            waited_secs: settings.matching.response_timeout.as_secs(),
            link: &url,
        },
    )
}

/// A check-in reminder for one person of an active match.
pub fn checkin_reminder(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
    user_id: &str,
    period: u32,
) -> ServiceResult<()> {
    let other_id = if user_id == m.mentor_id {
        &m.mentee_id
    } else {
        &m.mentor_id
    };
    let (Some(me), Some(other)) = (live_user(conn, user_id)?, live_user(conn, other_id)?) else {
        return Ok(());
    };
    if !kindred_db::notifications::get_prefs(conn, &me.id)?.checkin_reminders {
        return Ok(());
    }
    let url = link(settings, &format!("/matches/{}/check-ins", m.id));
    let body = templates::CheckinReminder {
        recipient_name: &me.display_name,
        other_name: &other.display_name,
        link: &url,
    };
    send(
        conn,
        settings,
        Queued {
            user: &me,
            lang: lang_of(&me),
            kind: "checkin_reminder",
            dedupe_key: Some(format!("checkin_reminder:{}:{}:{period}", m.id, me.id)),
            unsubscribe: Some(CHECKIN_REMINDERS),
            attachment: None,
        },
        &body,
    )
}

/// Coordinators are told once that a match has gone quiet.
pub fn match_stalled(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
    missed: u32,
) -> ServiceResult<()> {
    let url = link(settings, &format!("/matches/{}", m.id));
    to_coordinators(
        conn,
        settings,
        "alert_stalled",
        &format!("stalled:{}", m.id),
        None,
        &templates::MatchStalledCoordinator {
            match_id: &m.id,
            quiet_secs: settings.schedule.checkin_interval.as_secs() * u64::from(missed),
            link: &url,
        },
    )
}

/// The periodic digest for coordinators who want it.
pub fn coordinator_digest(
    conn: &mut DbConnection,
    settings: &Settings,
    period: u64,
) -> ServiceResult<()> {
    let matches = kindred_db::matches::all_matches(conn)?;
    let pending = matches
        .iter()
        .filter(|m| m.state == kindred_core::MatchState::Proposed)
        .count();
    let wait_cutoff = kindred_db::now() - settings.matching.wait_alert.as_chrono();
    let long_waiting = kindred_db::requests::unmatched_open_requests(conn)?
        .iter()
        .filter(|r| r.created_at <= wait_cutoff)
        .count();
    let quiet_since = kindred_db::now()
        - settings.schedule.checkin_interval.as_chrono()
            * i32::try_from(settings.schedule.stalled_after_missed).unwrap_or(2);
    let mut stalled = 0;
    for m in matches.iter().filter(|m| {
        m.state == kindred_core::MatchState::Active
            && m.activated_at.is_some_and(|a| a <= quiet_since)
    }) {
        let recent = kindred_db::safety::check_ins_for_match(conn, &m.id)?
            .iter()
            .any(|c| c.created_at >= quiet_since);
        if !recent {
            stalled += 1;
        }
    }
    let dead = usize::try_from(
        kindred_db::jobs::counts_by_state(conn)?
            .get(kindred_db::jobs::DEAD)
            .copied()
            .unwrap_or(0)
            + kindred_db::outbox::count_in_state(conn, kindred_db::outbox::DEAD)?,
    )
    .unwrap_or(0);
    // The console's proposals (kindred-web `/console/matches`).
    let url = format!("{}console/matches", settings.server.public_url);
    to_coordinators(
        conn,
        settings,
        "coordinator_digest",
        &format!("digest:{period}"),
        Some(DIGEST),
        &templates::CoordinatorDigest {
            pending_proposals: pending,
            long_waiting,
            stalled,
            dead_jobs: dead,
            link: &url,
        },
    )
}

/// One email per coordinator, each in their own language (respecting an
/// unsubscribable `category`).
fn to_coordinators(
    conn: &mut DbConnection,
    settings: &Settings,
    kind: &str,
    dedupe: &str,
    category: Option<&str>,
    body: &impl Email,
) -> ServiceResult<()> {
    for coordinator in kindred_db::users::with_role(conn, kindred_core::Role::Coordinator)? {
        if category == Some(DIGEST)
            && !kindred_db::notifications::get_prefs(conn, &coordinator.id)?.digest
        {
            continue;
        }
        send(
            conn,
            settings,
            Queued {
                user: &coordinator,
                lang: lang_of(&coordinator),
                kind,
                dedupe_key: Some(format!("{dedupe}:{}", coordinator.id)),
                unsubscribe: category,
                attachment: None,
            },
            body,
        )?;
    }
    Ok(())
}
