//! A small template layer: pure functions producing a subject, a plain-text part and an HTML
//! part. Everything user-supplied is HTML-escaped, and the support footer is appended to both
//! parts.

use serde::{Deserialize, Serialize};

mod accounts;
mod alerts;
pub use accounts::{already_registered, password_reset_code, verification_code};
pub use alerts::coordinator_alert_summary;

/// The default support-resources footer appended to every email (config `mail.footer`).
pub const DEFAULT_FOOTER: &str = "\
Kindred is peer support. It does not replace professional help from a doctor, therapist or counsellor.

If you or someone else is in immediate danger, call your local emergency number: 112 in the EU, 911 in the US and Canada, 999 in the UK.

If you are struggling and want to talk to someone now, these free, confidential lines can help:
- US: call or text 988 (988 Suicide & Crisis Lifeline)
- UK and Ireland: Samaritans, call 116 123
- LGBTQ+ young people (US): The Trevor Project, 1-866-488-7386 or thetrevorproject.org
- Anywhere else: findahelpline.com lists helplines in your country

If something in a conversation worried you, or you have a question, contact your programme coordinator, or use \"Report a concern\" in Kindred to tell them privately.";

/// A rendered email: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One block of an email body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paragraph {
    /// A short heading.
    Heading(String),
    /// A paragraph of text; single line breaks are kept.
    Text(String),
    /// A `label: value` line, with the value emphasised in HTML (text: `label: value`).
    Field { label: String, value: String },
    /// A bulleted list (text: `- item` lines).
    List(Vec<String>),
    /// A link (text: `label: url`). Only `http`, `https` and `mailto` URLs become HTML links.
    Link { label: String, url: String },
}

impl Paragraph {
    pub fn heading(s: impl Into<String>) -> Self {
        Paragraph::Heading(s.into())
    }

    pub fn text(s: impl Into<String>) -> Self {
        Paragraph::Text(s.into())
    }

    pub fn field(label: impl Into<String>, value: impl Into<String>) -> Self {
        Paragraph::Field {
            label: label.into(),
            value: value.into(),
        }
    }

    pub fn list<I, S>(items: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Paragraph::List(items.into_iter().map(Into::into).collect())
    }

    pub fn link(label: impl Into<String>, url: impl Into<String>) -> Self {
        Paragraph::Link {
            label: label.into(),
            url: url.into(),
        }
    }
}

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn escape_lines(s: &str) -> String {
    s.lines()
        .map(escape_html)
        .collect::<Vec<_>>()
        .join("<br>\n")
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders paragraphs into both parts and appends `footer` to both (skipped if blank).
///
/// The subject is collapsed to one line. The footer is plain text: blank lines separate
/// paragraphs, and a paragraph whose lines all start with `- ` becomes a list in HTML.
pub fn render(subject: &str, paragraphs: &[Paragraph], footer: &str) -> RenderedEmail {
    let subject = one_line(subject);
    let mut text_blocks: Vec<String> = Vec::new();
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape_html(&subject));
    html.push_str("</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.5; color: #222;\">\n");

    for p in paragraphs {
        match p {
            Paragraph::Heading(h) => {
                text_blocks.push(h.clone());
                html.push_str(&format!("<h2>{}</h2>\n", escape_html(h)));
            }
            Paragraph::Text(t) => {
                text_blocks.push(t.clone());
                html.push_str(&format!("<p>{}</p>\n", escape_lines(t)));
            }
            Paragraph::Field { label, value } => {
                text_blocks.push(format!("{label}: {value}"));
                html.push_str(&format!(
                    "<p>{}: <strong>{}</strong></p>\n",
                    escape_html(label),
                    escape_html(value)
                ));
            }
            Paragraph::List(items) => {
                text_blocks.push(
                    items
                        .iter()
                        .map(|i| format!("- {i}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                html.push_str("<ul>\n");
                for i in items {
                    html.push_str(&format!("<li>{}</li>\n", escape_html(i)));
                }
                html.push_str("</ul>\n");
            }
            Paragraph::Link { label, url } => {
                text_blocks.push(format!("{label}: {url}"));
                if is_safe_url(url) {
                    html.push_str(&format!(
                        "<p><a href=\"{}\">{}</a></p>\n",
                        escape_html(url.trim()),
                        escape_html(label)
                    ));
                } else {
                    html.push_str(&format!(
                        "<p>{}: {}</p>\n",
                        escape_html(label),
                        escape_html(url)
                    ));
                }
            }
        }
    }

    let mut text = text_blocks.join("\n\n");
    let footer = footer.trim();
    if !footer.is_empty() {
        text.push_str("\n\n-- \n");
        text.push_str(footer);
        html.push_str(
            "<hr>\n<div class=\"support-footer\" style=\"color: #555; font-size: 13px;\">\n",
        );
        html.push_str(&footer_html(footer));
        html.push_str("</div>\n");
    }
    text.push('\n');
    html.push_str("</body>\n</html>\n");

    RenderedEmail {
        subject,
        text,
        html,
    }
}

fn footer_html(footer: &str) -> String {
    let mut out = String::new();
    let normalized = footer.replace("\r\n", "\n");
    for block in normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        let lines: Vec<&str> = block.lines().collect();
        let (intro, items): (Vec<&str>, Vec<&str>) = lines
            .iter()
            .partition(|l| !l.trim_start().starts_with("- "));
        // A block of "intro line(s)" followed by "- item" lines becomes <p> + <ul>.
        let items_follow_intro = lines
            .iter()
            .skip(intro.len())
            .all(|l| l.trim_start().starts_with("- "));
        if !items.is_empty() && items_follow_intro {
            if !intro.is_empty() {
                out.push_str(&format!("<p>{}</p>\n", escape_lines(&intro.join("\n"))));
            }
            out.push_str("<ul>\n");
            for item in items {
                let item = item.trim_start().trim_start_matches("- ");
                out.push_str(&format!("<li>{}</li>\n", escape_html(item)));
            }
            out.push_str("</ul>\n");
        } else {
            out.push_str(&format!("<p>{}</p>\n", escape_lines(block)));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Matching and check-in scheduler emails.
//
// Subjects never carry another person's name or any free text a user wrote:
// they show up in notifications and lock screens.

/// "a", "a and b", "a, b and c" (blank items left out, each on one line).
pub fn human_list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|s| one_line(s))
        .filter(|s| !s.is_empty())
        .collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// At most `max` characters of one-line text, with an ellipsis when cut.
fn excerpt(s: &str, max: usize) -> String {
    let s = one_line(s);
    if s.chars().count() <= max {
        s
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Tells a mentor about a proposed mentee, why they were matched, and by when to answer.
/// `explanation_sentences` are the public parts of the explanation only (never a
/// private overlap); `shared_tags` are the taxonomy *labels* ("Coming out at
/// work") of the tags both show publicly, not slugs.
pub fn mentor_notice(
    mentor_name: &str,
    mentee_name: &str,
    explanation_sentences: &[String],
    shared_tags: &[String],
    respond_by: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let mentee = one_line(mentee_name);
    let mut paragraphs = vec![
        Paragraph::text(format!("Hi {},", one_line(mentor_name))),
        Paragraph::text(format!(
            "Kindred has suggested you as a mentor for {mentee}. Please have a look and accept or decline."
        )),
    ];
    if !explanation_sentences.is_empty() {
        paragraphs.push(Paragraph::heading("Why we suggested this match"));
        paragraphs.push(Paragraph::list(
            explanation_sentences.iter().map(|s| one_line(s)),
        ));
    }
    if !shared_tags.is_empty() {
        paragraphs.push(Paragraph::field("What you share", human_list(shared_tags)));
    }
    paragraphs.push(Paragraph::field("Please respond by", one_line(respond_by)));
    paragraphs.push(Paragraph::link("Accept or decline", link));
    paragraphs.push(Paragraph::text(
        "Declining is fine and nobody is told why: your mentee will be offered another mentor. If you do not answer in time, the suggestion expires.",
    ));
    render(
        "A new Kindred mentee match is waiting for your answer",
        &paragraphs,
        footer,
    )
}

/// A reminder to a mentor who has not answered a proposal yet.
pub fn mentor_response_reminder(
    mentor_name: &str,
    mentee_name: &str,
    respond_by: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    render(
        "Reminder: a Kindred match is waiting for your answer",
        &[
            Paragraph::text(format!("Hi {},", one_line(mentor_name))),
            Paragraph::text(format!(
                "You have not yet answered the suggestion to mentor {}.",
                one_line(mentee_name)
            )),
            Paragraph::field("Please respond by", one_line(respond_by)),
            Paragraph::link("Accept or decline", link),
            Paragraph::text(
                "If now is not a good time, declining is fine. If you can no longer mentor at all, you can pause your availability in your profile.",
            ),
        ],
        footer,
    )
}

/// Tells a mentor that a proposal expired without an answer.
pub fn match_expired_mentor(
    mentor_name: &str,
    mentee_name: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    render(
        "A Kindred match suggestion has expired",
        &[
            Paragraph::text(format!("Hi {},", one_line(mentor_name))),
            Paragraph::text(format!(
                "The suggestion to mentor {} expired because we did not hear back in time, so they will be offered another mentor. You do not need to do anything.",
                one_line(mentee_name)
            )),
            Paragraph::text(
                "If you are busy for a while, pause your availability so that we do not suggest new matches until you are ready.",
            ),
            Paragraph::link("Your availability", link),
        ],
        footer,
    )
}

/// Tells coordinators that a proposal expired unanswered.
pub fn match_expired_coordinator(
    match_id: &str,
    waited_human: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let match_id = one_line(match_id);
    render(
        &format!("Kindred: match {match_id} expired without an answer"),
        &[
            Paragraph::text(format!(
                "The mentor did not answer match proposal {match_id} within {}. The mentee goes back into matching.",
                one_line(waited_human)
            )),
            Paragraph::field("Match", match_id.clone()),
            Paragraph::link("Open the match", link),
        ],
        footer,
    )
}

/// What an introduction email says about the other person and the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Introduction<'a> {
    pub recipient_name: &'a str,
    pub other_name: &'a str,
    pub other_pronouns: Option<&'a str>,
    pub other_email: &'a str,
    /// Taxonomy labels ("Coming out at work", not slugs) of the tags both
    /// show publicly.
    pub shared_tags: &'a [String],
    pub first_steps: &'a [String],
    /// e.g. "every two weeks".
    pub checkin_interval_human: &'a str,
    /// e.g. "Monday 5 January, 18:00 (Europe/Madrid)" when a common slot was found.
    pub first_meeting_local: Option<&'a str>,
}

/// Introduces a mentor and a mentee to each other once the match is accepted.
pub fn introduction(intro: &Introduction<'_>, footer: &str) -> RenderedEmail {
    let other = one_line(intro.other_name);
    let with_pronouns = match intro.other_pronouns.map(one_line) {
        Some(p) if !p.is_empty() => format!("{other} ({p})"),
        _ => other.clone(),
    };
    let mut paragraphs = vec![
        Paragraph::text(format!("Hi {},", one_line(intro.recipient_name))),
        Paragraph::text(format!(
            "Meet {with_pronouns}: you are now matched on Kindred."
        )),
        Paragraph::field(format!("Email {other}"), one_line(intro.other_email)),
    ];
    if !intro.shared_tags.is_empty() {
        paragraphs.push(Paragraph::field(
            "What you share",
            human_list(intro.shared_tags),
        ));
    }
    if !intro.first_steps.is_empty() {
        paragraphs.push(Paragraph::heading("First steps"));
        paragraphs.push(Paragraph::list(
            intro.first_steps.iter().map(|s| one_line(s)),
        ));
    }
    match intro.first_meeting_local.map(one_line) {
        Some(when) if !when.is_empty() => {
            paragraphs.push(Paragraph::field("Suggested first meeting", when));
            paragraphs.push(Paragraph::text(
                "It is a time you are both available. The attached calendar invitation adds it with your regular check-ins; move it if it does not suit you.",
            ));
        }
        _ => paragraphs.push(Paragraph::text(
            "We could not find a time you are both available, so please agree on your first meeting by email.",
        )),
    }
    paragraphs.push(Paragraph::field(
        "Check-ins",
        one_line(intro.checkin_interval_human),
    ));
    paragraphs.push(Paragraph::text(
        "After each meeting we will ask you how it went. Only your programme coordinator sees the answers.",
    ));
    render("Meet your Kindred match", &paragraphs, footer)
}

/// Asks one person for their regular check-in.
pub fn checkin_reminder(
    recipient_name: &str,
    other_name: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    render(
        "Time for your Kindred check-in",
        &[
            Paragraph::text(format!("Hi {},", one_line(recipient_name))),
            Paragraph::text(format!(
                "How are things going with {}? Answering takes a minute and helps your programme coordinator support you both.",
                one_line(other_name)
            )),
            Paragraph::link("Check in", link),
        ],
        footer,
    )
}

/// Tells coordinators that a match has gone quiet.
pub fn match_stalled_coordinator(
    match_id: &str,
    quiet_for_human: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let match_id = one_line(match_id);
    render(
        &format!("Kindred: match {match_id} has gone quiet"),
        &[
            Paragraph::text(format!(
                "Nobody in match {match_id} has checked in for {}. It may be worth reaching out to both people.",
                one_line(quiet_for_human)
            )),
            Paragraph::field("Match", match_id.clone()),
            Paragraph::link("Open the match", link),
        ],
        footer,
    )
}

/// Alerts coordinators to a new report. The subject names neither the
/// reporter nor the reported person; the excerpt is cut to 300 characters.
pub fn coordinator_alert_report(
    report_id: &str,
    reason_excerpt: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let report_id = one_line(report_id);
    render(
        "Kindred: a new concern was reported",
        &[
            Paragraph::text(
                "Someone used \"Report a concern\". Please review it as soon as you can; if it describes immediate danger, follow your programme's safeguarding procedure.",
            ),
            Paragraph::field("Report", report_id),
            Paragraph::field("Reason (excerpt)", excerpt(reason_excerpt, 300)),
            Paragraph::link("Review the report", link),
        ],
        footer,
    )
}

/// Alerts coordinators that a check-in answer asked for support.
pub fn coordinator_alert_needs_support(
    match_id: &str,
    rating: i32,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let match_id = one_line(match_id);
    render(
        &format!("Kindred: a check-in in match {match_id} asks for support"),
        &[
            Paragraph::text(
                "A participant's check-in answer suggests they would like support from a coordinator.",
            ),
            Paragraph::field("Match", match_id.clone()),
            Paragraph::field("Rating", rating.to_string()),
            Paragraph::link("Open the match", link),
        ],
        footer,
    )
}

/// The coordinators' periodic summary of what needs attention.
pub fn coordinator_digest(
    pending_proposals: usize,
    long_waiting: usize,
    stalled: usize,
    dead_jobs: usize,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let attention = pending_proposals + long_waiting + stalled + dead_jobs;
    let summary = if attention == 0 {
        "Nothing needs your attention today.".to_string()
    } else {
        "Here is what needs attention in Kindred.".to_string()
    };
    let mut paragraphs = vec![
        Paragraph::text(summary),
        Paragraph::field(
            "Match proposals awaiting a mentor's answer",
            pending_proposals.to_string(),
        ),
        Paragraph::field(
            "Mentees waiting a long time for a match",
            long_waiting.to_string(),
        ),
        Paragraph::field("Matches that have gone quiet", stalled.to_string()),
    ];
    if dead_jobs > 0 {
        paragraphs.push(Paragraph::field(
            "Background jobs that failed for good (emails not sent)",
            dead_jobs.to_string(),
        ));
    }
    paragraphs.push(Paragraph::link("Open the coordinator dashboard", link));
    render("Kindred coordinator digest", &paragraphs, footer)
}

#[cfg(test)]
mod tests;
