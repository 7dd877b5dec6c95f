//! A message received by the sink, parsed with `mail-parser`.

use std::fmt;

use mail_parser::{MessageParser, MimeHeaders, PartType};

/// A message received by the [`SmtpSink`](super::SmtpSink), parsed with `mail-parser`.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceivedEmail {
    /// Envelope sender (`MAIL FROM`), without angle brackets.
    pub mail_from: String,
    /// Envelope recipients (`RCPT TO`), without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The message exactly as received after dot-unstuffing (lossy UTF-8).
    pub raw: String,
    /// Decoded `Subject` (empty if none).
    pub subject: String,
    /// The decoded `text/plain` body part, if any (line endings normalised to `\n`).
    pub text_body: Option<String>,
    /// The decoded `text/html` body part, if any (line endings normalised to `\n`).
    pub html_body: Option<String>,
    /// Top-level headers as `(name, raw value)` with folding removed, in order.
    pub headers: Vec<(String, String)>,
    /// Attachments as `(filename, content type "type/subtype", decoded bytes)`.
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

impl ReceivedEmail {
    /// The first top-level header with this name (case-insensitive), raw value, unfolded
    /// (RFC 2047 encoded words are not decoded; use `subject` for the subject).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All values of a header (case-insensitive).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether `addr` is one of the envelope recipients (case-insensitive).
    pub fn is_for(&self, addr: &str) -> bool {
        self.rcpt_to.iter().any(|r| r.eq_ignore_ascii_case(addr))
    }

    /// Parses a raw RFC 5322 message (as the sink does for each message).
    pub fn parse(mail_from: String, rcpt_to: Vec<String>, raw: &[u8]) -> Self {
        let headers = parse_headers(raw);
        let mut email = ReceivedEmail {
            mail_from,
            rcpt_to,
            raw: String::from_utf8_lossy(raw).into_owned(),
            subject: String::new(),
            text_body: None,
            html_body: None,
            headers,
            attachments: Vec::new(),
        };
        let Some(msg) = MessageParser::default().parse(raw) else {
            return email;
        };
        email.subject = msg.subject().unwrap_or_default().to_owned();
        email.text_body = msg.text_bodies().find_map(|p| match &p.body {
            PartType::Text(t) => Some(t.replace("\r\n", "\n")),
            _ => None,
        });
        email.html_body = msg.html_bodies().find_map(|p| match &p.body {
            PartType::Html(t) => Some(t.replace("\r\n", "\n")),
            _ => None,
        });
        email.attachments = msg
            .attachments()
            .map(|p| {
                let content_type = p
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(sub) => format!("{}/{}", ct.ctype(), sub),
                        None => ct.ctype().to_owned(),
                    })
                    .unwrap_or_else(|| "application/octet-stream".to_owned())
                    .to_ascii_lowercase();
                (
                    p.attachment_name().unwrap_or_default().to_owned(),
                    content_type,
                    p.contents().to_vec(),
                )
            })
            .collect();
        email
    }
}

impl fmt::Debug for ReceivedEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedEmail")
            .field("mail_from", &self.mail_from)
            .field("rcpt_to", &self.rcpt_to)
            .field("subject", &self.subject)
            .field("text_body", &self.text_body)
            .field("html_body", &self.html_body.as_ref().map(|h| h.len()))
            .field(
                "attachments",
                &self
                    .attachments
                    .iter()
                    .map(|(n, t, b)| format!("{n} ({t}, {} bytes)", b.len()))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn parse_headers(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    headers
}
