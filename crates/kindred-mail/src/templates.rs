//! A small template layer: pure functions producing a subject, a plain-text part and an HTML
//! part. Everything user-supplied is HTML-escaped, and the support footer is appended to both
//! parts.

use serde::{Deserialize, Serialize};

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

/// The one-time code sent on registration. The text part holds the exact line
/// `Verification code: <code>`.
pub fn verification_code(
    display_name: &str,
    code: &str,
    ttl_human: &str,
    footer: &str,
) -> RenderedEmail {
    render(
        "Your Kindred verification code",
        &[
            Paragraph::text(format!("Hi {},", one_line(display_name))),
            Paragraph::text("Welcome to Kindred. To finish creating your account, enter this code:"),
            Paragraph::field("Verification code", code.trim()),
            Paragraph::text(format!(
                "The code can be used once and expires in {ttl_human}. If you did not try to create a Kindred account, you can ignore this email: no account is created without the code."
            )),
        ],
        footer,
    )
}

/// Sent instead of a code when someone registers with an address that already has an account.
pub fn already_registered(display_name: &str, footer: &str) -> RenderedEmail {
    render(
        "Someone tried to register with your email address",
        &[
            Paragraph::text(format!("Hi {},", one_line(display_name))),
            Paragraph::text(
                "Someone tried to create a new Kindred account with this email address. You already have an account, so no new account was created.",
            ),
            Paragraph::text(
                "If it was you, log in with your existing account instead. If you have forgotten your password, reset it or ask your programme coordinator for help.",
            ),
            Paragraph::text(
                "If it was not you, you can ignore this email: nothing about your account has changed.",
            ),
        ],
        footer,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_line_is_exact() {
        let r = verification_code("Ada", "493027", "1 hour", DEFAULT_FOOTER);
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
            verification_code("Ada", "1", "1 hour", DEFAULT_FOOTER),
            already_registered("Ada", DEFAULT_FOOTER),
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
        let r = already_registered("Sam <admin>", DEFAULT_FOOTER);
        assert!(r.text.contains("Hi Sam <admin>,"));
        assert!(r.html.contains("Hi Sam &lt;admin&gt;,"));
        assert!(r.text.contains("log in"));
        assert!(r.text.contains("reset"));
        assert!(r.text.contains("no new account was created"));
    }
}
