//! The emails that lifecycle events cause, queued in the same transaction.

use kindred_config::Settings;
use kindred_db::models::Match;
use kindred_db::DbConnection;
use kindred_mail::{render, Paragraph};

use crate::error::ApiResult;
use crate::mail::{queue, QueuedEmail};

fn user_email(conn: &mut DbConnection, user_id: &str) -> ApiResult<Option<(String, String, Option<String>)>> {
    Ok(kindred_db::users::find(conn, user_id)?
        .and_then(|u| u.email.map(|e| (e, u.display_name, u.pronouns))))
}

fn link(settings: &Settings, path: &str) -> String {
    format!("{}api/v1{path}", settings.server.public_url)
}

/// To the mentor when a match starts waiting for their answer.
pub fn mentor_notice(conn: &mut DbConnection, settings: &Settings, m: &Match, shared_tags: &[String]) -> ApiResult<()> {
    let Some((to, name, _)) = user_email(conn, &m.mentor_id)? else { return Ok(()) };
    let mentee_name = user_email(conn, &m.mentee_id)?.map(|(_, n, _)| n).unwrap_or_default();
    let respond_days = settings.matching.response_timeout.as_secs() / 86_400;
    let mut paragraphs = vec![
        Paragraph::text(format!("Hi {name},")),
        Paragraph::text(format!(
            "Kindred suggests you as a mentor for {mentee_name}. Please accept or decline within {}.",
            if respond_days >= 1 { format!("{respond_days} day(s)") } else { crate::mail::human_duration(settings.matching.response_timeout.as_std()) }
        )),
    ];
    if !shared_tags.is_empty() {
        paragraphs.push(Paragraph::text("You share these experiences:"));
        paragraphs.push(Paragraph::list(shared_tags.iter().cloned()));
    }
    paragraphs.push(Paragraph::link("Review the match", link(settings, &format!("/matches/{}", m.id))));
    let rendered = render("A mentee would like your support", &paragraphs, &settings.mail.footer);
    queue(conn, settings, QueuedEmail {
        user_id: Some(&m.mentor_id),
        kind: "mentor_notice",
        to: &to,
        rendered,
        dedupe_key: Some(format!("mentor_notice:{}", m.id)),
    })
}

/// To both people when a match becomes active: each other's name and contact.
pub fn introductions(conn: &mut DbConnection, settings: &Settings, m: &Match, shared_tags: &[String]) -> ApiResult<()> {
    let mentor = user_email(conn, &m.mentor_id)?;
    let mentee = user_email(conn, &m.mentee_id)?;
    let (Some(mentor), Some(mentee)) = (mentor, mentee) else { return Ok(()) };
    for (me_id, me, other, role) in [
        (&m.mentor_id, &mentor, &mentee, "mentee"),
        (&m.mentee_id, &mentee, &mentor, "mentor"),
    ] {
        let mut paragraphs = vec![
            Paragraph::text(format!("Hi {},", me.1)),
            Paragraph::text(format!("Your match is confirmed. Meet your {role}:")),
            Paragraph::field("Name", other.1.clone()),
        ];
        if let Some(p) = &other.2 {
            paragraphs.push(Paragraph::field("Pronouns", p.clone()));
        }
        paragraphs.push(Paragraph::field("Email", other.0.clone()));
        if !shared_tags.is_empty() {
            paragraphs.push(Paragraph::text("Experiences you share:"));
            paragraphs.push(Paragraph::list(shared_tags.iter().cloned()));
        }
        paragraphs.push(Paragraph::heading("Suggested first steps"));
        paragraphs.push(Paragraph::list([
            "Send a short hello by email and suggest two times for a first call.".to_string(),
            "Agree how often you will meet and how you prefer to be contacted.".to_string(),
            "Talk about what you hope to get from the mentorship, and what is off limits.".to_string(),
        ]));
        let rendered = render("Meet your Kindred match", &paragraphs, &settings.mail.footer);
        queue(conn, settings, QueuedEmail {
            user_id: Some(me_id),
            kind: "introduction",
            to: &me.0,
            rendered,
            dedupe_key: Some(format!("introduction:{}:{}", m.id, me_id)),
        })?;
    }
    Ok(())
}

/// To every coordinator at once (reports, needs-support check-ins).
pub fn alert_coordinators(
    conn: &mut DbConnection,
    settings: &Settings,
    kind: &str,
    subject: &str,
    paragraphs: Vec<Paragraph>,
    dedupe: &str,
) -> ApiResult<()> {
    for coordinator in kindred_db::users::with_role(conn, "coordinator")? {
        let Some(to) = coordinator.email.clone() else { continue };
        let mut body = vec![Paragraph::text(format!("Hi {},", coordinator.display_name))];
        body.extend(paragraphs.iter().cloned());
        let rendered = render(subject, &body, &settings.mail.footer);
        queue(conn, settings, QueuedEmail {
            user_id: Some(&coordinator.id),
            kind,
            to: &to,
            rendered,
            dedupe_key: Some(format!("{dedupe}:{}", coordinator.id)),
        })?;
    }
    Ok(())
}

pub fn link_to(settings: &Settings, path: &str) -> String {
    link(settings, path)
}
