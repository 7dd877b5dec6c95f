//! Kindred's emails as minijinja templates on the engine core the web app
//! shares ([`crate::text`]): `templates/<name>.txt` (a `subject` and a
//! `body` block; not HTML-escaped) and `templates/<name>.html` (extends
//! `base.html`; HTML-escaped), with every word a message of
//! `locales/<lang>/emails.ftl`.
//!
//! Each email is a struct of its values (`emails.rs`, `circle_emails.rs`);
//! [`render`] renders it in a language with that language's support footer,
//! appended to both parts. Values are plain data (seconds, UTC times,
//! names); the templates format them for the language with the filters
//! `duration`, `date_utc`, `date_local`, `weekly`, `and_list` and `reason`.
//! Every string value is put on one line first (names and ids cannot break
//! the layout of the text part); a free text whose line breaks count (a
//! circle's meeting details) reaches the templates as a list of lines.
//!
//! Subjects never carry another person's name or any free text a user
//! wrote: they show up in notifications and on lock screens.

use std::sync::OnceLock;

use chrono::NaiveDateTime;
use fluent_bundle::FluentValue;
use minijinja::value::Value;
use minijinja::{Environment, ErrorKind, State};
use serde::{Deserialize, Serialize};

use crate::text::{self, Catalog, Lang};

mod circle_emails;
mod emails;
mod format;
pub use circle_emails::*;
pub use emails::*;
use format::date;
pub use format::{duration, human_list, reason_sentence, weekly};

/// The default support-resources footer (English) for tools and tests that
/// have no configuration; the service uses `mail.footer` / `mail.footers`.
pub const DEFAULT_FOOTER: &str = "\
Kindred is peer support. It does not replace professional help from a doctor, therapist or counsellor.

If you or someone else is in immediate danger, call your local emergency number: 112 in the EU, 911 in the US and Canada, 999 in the UK.

If you are struggling and want to talk to someone now, these free, confidential lines can help:
- US: call or text 988 (988 Suicide & Crisis Lifeline)
- UK and Ireland: Samaritans, call 116 123
- LGBTQ+ young people (US): The Trevor Project, 1-866-488-7386 or thetrevorproject.org
- Anywhere else: findahelpline.com lists helplines in your country

If something in a conversation worried you, or you have a question, contact your programme coordinator, or use \"Report a concern\" in Kindred to tell them privately.";

/// Every template, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("macros.txt", include_str!("../../templates/macros.txt")),
    (
        "verification_code.txt",
        include_str!("../../templates/verification_code.txt"),
    ),
    (
        "verification_code.html",
        include_str!("../../templates/verification_code.html"),
    ),
    (
        "already_registered.txt",
        include_str!("../../templates/already_registered.txt"),
    ),
    (
        "already_registered.html",
        include_str!("../../templates/already_registered.html"),
    ),
    (
        "password_reset_code.txt",
        include_str!("../../templates/password_reset_code.txt"),
    ),
    (
        "password_reset_code.html",
        include_str!("../../templates/password_reset_code.html"),
    ),
    (
        "invitation.txt",
        include_str!("../../templates/invitation.txt"),
    ),
    (
        "invitation.html",
        include_str!("../../templates/invitation.html"),
    ),
    (
        "mentor_notice.txt",
        include_str!("../../templates/mentor_notice.txt"),
    ),
    (
        "mentor_notice.html",
        include_str!("../../templates/mentor_notice.html"),
    ),
    (
        "mentor_reminder.txt",
        include_str!("../../templates/mentor_reminder.txt"),
    ),
    (
        "mentor_reminder.html",
        include_str!("../../templates/mentor_reminder.html"),
    ),
    (
        "match_expired_mentor.txt",
        include_str!("../../templates/match_expired_mentor.txt"),
    ),
    (
        "match_expired_mentor.html",
        include_str!("../../templates/match_expired_mentor.html"),
    ),
    (
        "match_expired_coordinator.txt",
        include_str!("../../templates/match_expired_coordinator.txt"),
    ),
    (
        "match_expired_coordinator.html",
        include_str!("../../templates/match_expired_coordinator.html"),
    ),
    (
        "introduction.txt",
        include_str!("../../templates/introduction.txt"),
    ),
    (
        "introduction.html",
        include_str!("../../templates/introduction.html"),
    ),
    (
        "checkin_reminder.txt",
        include_str!("../../templates/checkin_reminder.txt"),
    ),
    (
        "checkin_reminder.html",
        include_str!("../../templates/checkin_reminder.html"),
    ),
    (
        "match_stalled.txt",
        include_str!("../../templates/match_stalled.txt"),
    ),
    (
        "match_stalled.html",
        include_str!("../../templates/match_stalled.html"),
    ),
    (
        "alert_report.txt",
        include_str!("../../templates/alert_report.txt"),
    ),
    (
        "alert_report.html",
        include_str!("../../templates/alert_report.html"),
    ),
    (
        "alert_needs_support.txt",
        include_str!("../../templates/alert_needs_support.txt"),
    ),
    (
        "alert_needs_support.html",
        include_str!("../../templates/alert_needs_support.html"),
    ),
    (
        "alert_summary.txt",
        include_str!("../../templates/alert_summary.txt"),
    ),
    (
        "alert_summary.html",
        include_str!("../../templates/alert_summary.html"),
    ),
    (
        "coordinator_digest.txt",
        include_str!("../../templates/coordinator_digest.txt"),
    ),
    (
        "coordinator_digest.html",
        include_str!("../../templates/coordinator_digest.html"),
    ),
    (
        "circle_invitation.txt",
        include_str!("../../templates/circle_invitation.txt"),
    ),
    (
        "circle_invitation.html",
        include_str!("../../templates/circle_invitation.html"),
    ),
    (
        "circle_facilitator_invitation.txt",
        include_str!("../../templates/circle_facilitator_invitation.txt"),
    ),
    (
        "circle_facilitator_invitation.html",
        include_str!("../../templates/circle_facilitator_invitation.html"),
    ),
    (
        "circle_started.txt",
        include_str!("../../templates/circle_started.txt"),
    ),
    (
        "circle_started.html",
        include_str!("../../templates/circle_started.html"),
    ),
    (
        "circle_session_reminder.txt",
        include_str!("../../templates/circle_session_reminder.txt"),
    ),
    (
        "circle_session_reminder.html",
        include_str!("../../templates/circle_session_reminder.html"),
    ),
    (
        "circle_missed_sessions.txt",
        include_str!("../../templates/circle_missed_sessions.txt"),
    ),
    (
        "circle_missed_sessions.html",
        include_str!("../../templates/circle_missed_sessions.html"),
    ),
    (
        "circle_missed_facilitator.txt",
        include_str!("../../templates/circle_missed_facilitator.txt"),
    ),
    (
        "circle_missed_facilitator.html",
        include_str!("../../templates/circle_missed_facilitator.html"),
    ),
    (
        "circle_invitation_expired.txt",
        include_str!("../../templates/circle_invitation_expired.txt"),
    ),
    (
        "circle_invitation_expired.html",
        include_str!("../../templates/circle_invitation_expired.html"),
    ),
    (
        "circle_needs_support.txt",
        include_str!("../../templates/circle_needs_support.txt"),
    ),
    (
        "circle_needs_support.html",
        include_str!("../../templates/circle_needs_support.html"),
    ),
    (
        "circle_below_minimum.txt",
        include_str!("../../templates/circle_below_minimum.txt"),
    ),
    (
        "circle_below_minimum.html",
        include_str!("../../templates/circle_below_minimum.html"),
    ),
    (
        "circle_block_alert.txt",
        include_str!("../../templates/circle_block_alert.txt"),
    ),
    (
        "circle_block_alert.html",
        include_str!("../../templates/circle_block_alert.html"),
    ),
    (
        "circle_facilitator_revoked.txt",
        include_str!("../../templates/circle_facilitator_revoked.txt"),
    ),
    (
        "circle_facilitator_revoked.html",
        include_str!("../../templates/circle_facilitator_revoked.html"),
    ),
    (
        "circle_ended.txt",
        include_str!("../../templates/circle_ended.txt"),
    ),
    (
        "circle_ended.html",
        include_str!("../../templates/circle_ended.html"),
    ),
];

/// The emails' messages, one `.ftl` file per language.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::new(|lang| match lang {
            Lang::En => vec![include_str!("../../locales/en/emails.ftl")],
            Lang::Es => vec![include_str!("../../locales/es/emails.ftl")],
        })
    })
}

/// The message `id` of the emails' catalog (for text that goes elsewhere
/// than a template, such as a calendar invitation).
pub fn message(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> Result<String, String> {
    catalog().text(lang, id, args)
}

/// An email: its values, and the name of its templates.
pub trait Email: Serialize {
    /// `templates/{NAME}.txt` and `templates/{NAME}.html`.
    const NAME: &'static str;
}

/// A rendered email: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A template failed to render: a bug (every template is rendered in every
/// language by the tests).
#[derive(Debug, thiserror::Error)]
#[error("email {name} in {lang}: {message}")]
pub struct RenderError {
    pub name: &'static str,
    pub lang: &'static str,
    pub message: String,
}

/// Renders `email` in `lang`, with `footer` (that language's support
/// resources: plain text, blank lines between paragraphs, `- ` items)
/// after both parts, unless it is blank.
pub fn render<E: Email>(email: &E, lang: Lang, footer: &str) -> Result<RenderedEmail, RenderError> {
    let fail = |e: &dyn std::fmt::Display| RenderError {
        name: E::NAME,
        lang: lang.tag(),
        message: format!("{e:#}"),
    };
    let mut values = serde_json::to_value(email).map_err(|e| fail(&e))?;
    one_line_strings(&mut values);
    let footer = footer.trim();
    let ctx = minijinja::context! {
        lang => lang.tag(),
        footer => text::footer_blocks(footer),
        ..Value::from_serialize(&values)
    };
    let env = env();
    let txt = env
        .get_template(&format!("{}.txt", E::NAME))
        .map_err(|e| fail(&e))?;
    let mut captured = txt.render_captured(&ctx).map_err(|e| fail(&e))?;
    let (subject, body) = captured
        .with_state_mut(|state| {
            Ok::<_, minijinja::Error>((state.render_block("subject")?, state.render_block("body")?))
        })
        .map_err(|e| fail(&e))?;
    let subject = one_line(&subject);
    let body = tidy(&body);
    let html = env
        .get_template(&format!("{}.html", E::NAME))
        .map_err(|e| fail(&e))?
        .render(minijinja::context! { subject => &subject, ..ctx })
        .map_err(|e| fail(&e))?;
    let mut text = body;
    if !footer.is_empty() {
        text.push_str("\n\n-- \n");
        text.push_str(footer);
    }
    text.push('\n');
    Ok(RenderedEmail {
        subject,
        text,
        html,
    })
}

/// The check-in reminder in English, for tools and tests outside the
/// service (benchmarks, worker tests). The service renders each person's
/// email in their own language with [`render`].
pub fn checkin_reminder(
    recipient_name: &str,
    other_name: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let email = CheckinReminder {
        recipient_name,
        other_name,
        link,
    };
    render(&email, Lang::En, footer).unwrap_or_else(|err| {
        tracing::error!(error = %err, "email failed to render");
        RenderedEmail {
            subject: "Kindred".into(),
            text: format!("{link}\n"),
            html: String::new(),
        }
    })
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = text::environment(catalog());
        // Block tags take their line with them, so the text templates can
        // put each tag on a line of its own.
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for (name, source) in TEMPLATES {
            if let Err(err) = env.add_template(name, source) {
                tracing::error!(template = name, error = %err, "email template does not parse");
            }
        }
        env.add_test("safe_url", |url: &str| is_safe_url(url));
        env.add_filter("duration", |state: &State, secs: u64| {
            Ok::<_, minijinja::Error>(duration(lang_of(state)?, secs))
        });
        env.add_filter("date_utc", |state: &State, at: &str| {
            let lang = lang_of(state)?;
            Ok::<_, minijinja::Error>(match chrono::DateTime::parse_from_rfc3339(at) {
                Ok(at) => date(lang, "date-utc", at.naive_utc(), ""),
                Err(_) => at.to_string(),
            })
        });
        env.add_filter("date_local", |state: &State, at: Value| {
            let lang = lang_of(state)?;
            let when = at.get_attr("at")?;
            let zone = at.get_attr("zone")?;
            let when = when.as_str().unwrap_or_default();
            Ok::<_, minijinja::Error>(match when.parse::<NaiveDateTime>() {
                Ok(local) => date(lang, "date-local", local, zone.as_str().unwrap_or("")),
                Err(_) => when.to_string(),
            })
        });
        env.add_filter("weekly", |state: &State, slot: Value| {
            let lang = lang_of(state)?;
            let start = slot.get_attr("start")?;
            let when = start.get_attr("at")?;
            let zone = start.get_attr("zone")?;
            let number = |name: &str| -> Result<u32, minijinja::Error> {
                let value = slot.get_attr(name)?.as_i64().unwrap_or_default();
                Ok(u32::try_from(value).unwrap_or_default())
            };
            let (minutes, weeks) = (number("minutes")?, number("weeks")?);
            let when = when.as_str().unwrap_or_default();
            Ok::<_, minijinja::Error>(match when.parse::<NaiveDateTime>() {
                Ok(local) => weekly(lang, local, minutes, weeks, zone.as_str().unwrap_or("")),
                Err(_) => when.to_string(),
            })
        });
        env.add_filter("and_list", |state: &State, items: Vec<String>| {
            Ok::<_, minijinja::Error>(human_list(lang_of(state)?, &items))
        });
        env.add_filter("reason", |state: &State, reason: Value| {
            let lang = lang_of(state)?;
            let attr = |name: &str| -> Result<String, minijinja::Error> {
                Ok(reason
                    .get_attr(name)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string())
            };
            let tags: Vec<String> = reason
                .get_attr("tags")?
                .try_iter()
                .map(|items| items.map(|v| v.to_string()).collect())
                .unwrap_or_default();
            Ok::<_, minijinja::Error>(reason_sentence(
                lang,
                &attr("name")?,
                &attr("detail")?,
                &tags,
            ))
        });
        env
    })
}

fn lang_of(state: &State) -> Result<Lang, minijinja::Error> {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .ok_or_else(|| minijinja::Error::new(ErrorKind::UndefinedError, "no `lang` in scope"))
}

/// Only `http`, `https` and `mailto` URLs become HTML links.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The words of `s` on one line, single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn one_line_strings(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => *s = one_line(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(one_line_strings),
        serde_json::Value::Object(map) => map.values_mut().for_each(one_line_strings),
        _ => {}
    }
}

/// A text body as written, without trailing spaces, blank-line runs or
/// surrounding blank lines: paragraphs are separated by one blank line.
fn tidy(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut blank = false;
    for line in body.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests;
