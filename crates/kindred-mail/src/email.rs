//! The serialisable outgoing email and its conversion into a MIME message.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use serde::{Deserialize, Serialize};

use crate::templates::RenderedEmail;
use crate::SendError;

/// One extra header (e.g. `List-Unsubscribe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// A file attached to an email (e.g. an `.ics` invitation with content type `text/calendar`).
///
/// In JSON the bytes are stored as standard base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    /// A MIME type such as `text/calendar; charset=utf-8; method=REQUEST` or `application/pdf`.
    pub content_type: String,
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
}

/// An email ready to be sent; serialisable so that it can be stored as JSON in an outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    /// `"user@example.org"` or `"Display Name <user@example.org>"`.
    pub to: String,
    /// `"noreply@example.org"` or `"Kindred <noreply@example.org>"`.
    pub from: String,
    pub subject: String,
    pub text_body: String,
    /// When present the message is `multipart/alternative` (text + HTML).
    #[serde(default)]
    pub html_body: Option<String>,
    /// Extra headers such as `List-Unsubscribe` / `List-Unsubscribe-Post`.
    #[serde(default)]
    pub headers: Vec<Header>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Stable identifier (e.g. the outbox row id / idempotency key). Used as the `Message-ID`
    /// (`<id@sender-domain>` unless it already looks like `<...>`), so a re-send after a crash
    /// carries the same Message-ID. When `None` a random `<uuid@sender-domain>` is used.
    #[serde(default)]
    pub message_id: Option<String>,
}

impl OutgoingEmail {
    /// An email from a rendered template (text + HTML).
    pub fn new(to: impl Into<String>, from: impl Into<String>, rendered: RenderedEmail) -> Self {
        Self {
            to: to.into(),
            from: from.into(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: Some(rendered.html),
            headers: Vec::new(),
            attachments: Vec::new(),
            message_id: None,
        }
    }

    /// Adds an extra header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(Header {
            name: name.into(),
            value: value.into(),
        });
        self
    }

    /// Adds an attachment.
    pub fn with_attachment(
        mut self,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        self.attachments.push(Attachment {
            filename: filename.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        });
        self
    }

    /// Sets the stable Message-ID / idempotency key.
    pub fn with_message_id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    /// The bare address of the recipient (without display name), if it parses.
    pub fn to_address(&self) -> Option<String> {
        self.to.parse::<Mailbox>().ok().map(|m| m.email.to_string())
    }

    /// Builds the MIME message. Any problem here is a [`SendError::Permanent`]:
    /// retrying the same content can never succeed.
    pub fn to_message(&self) -> Result<Message, SendError> {
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| SendError::Permanent(format!("invalid recipient address: {e}")))?;
        let from: Mailbox = self
            .from
            .parse()
            .map_err(|e| SendError::Permanent(format!("invalid sender address: {e}")))?;

        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(self.subject.clone());

        let message_id = match &self.message_id {
            Some(id) => format_message_id(id, &from)?,
            None => format!("<{}@{}>", uuid::Uuid::new_v4(), from.email.domain()),
        };
        builder = builder.message_id(Some(message_id));

        for header in &self.headers {
            builder = builder.raw_header(raw_header(header)?);
        }

        let text_part = SinglePart::plain(self.text_body.clone());
        let body = match &self.html_body {
            Some(html) => Body::Multi(
                MultiPart::alternative()
                    .singlepart(text_part)
                    .singlepart(SinglePart::html(html.clone())),
            ),
            None => Body::Single(text_part),
        };

        let body = if self.attachments.is_empty() {
            body
        } else {
            let mut mixed = match body {
                Body::Multi(m) => MultiPart::mixed().multipart(m),
                Body::Single(s) => MultiPart::mixed().singlepart(s),
            };
            for attachment in &self.attachments {
                let content_type = ContentType::parse(&attachment.content_type).map_err(|e| {
                    SendError::Permanent(format!(
                        "invalid content type for attachment {:?}: {e}",
                        attachment.filename
                    ))
                })?;
                mixed = mixed.singlepart(
                    LettreAttachment::new(attachment.filename.clone())
                        .body(attachment.bytes.clone(), content_type),
                );
            }
            Body::Multi(mixed)
        };

        let message = match body {
            Body::Multi(m) => builder.multipart(m),
            Body::Single(s) => builder.singlepart(s),
        };
        message.map_err(|e| SendError::Permanent(format!("cannot build message: {e}")))
    }
}

enum Body {
    Single(SinglePart),
    Multi(MultiPart),
}

fn format_message_id(id: &str, from: &Mailbox) -> Result<String, SendError> {
    if id.is_empty() || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(SendError::Permanent(
            "message id must be non-empty and contain no whitespace or control characters".into(),
        ));
    }
    if id.starts_with('<') && id.ends_with('>') {
        return Ok(id.to_owned());
    }
    if id.contains('@') {
        return Ok(format!("<{id}>"));
    }
    Ok(format!("<{id}@{}>", from.email.domain()))
}

fn raw_header(header: &Header) -> Result<HeaderValue, SendError> {
    if header.value.contains(['\r', '\n']) {
        return Err(SendError::Permanent(format!(
            "header {:?} contains a line break",
            header.name
        )));
    }
    let name = HeaderName::new_from_ascii(header.name.clone())
        .map_err(|_| SendError::Permanent(format!("invalid header name {:?}", header.name)))?;
    Ok(HeaderValue::new(name, header.value.clone()))
}

mod base64_bytes {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> OutgoingEmail {
        OutgoingEmail {
            to: "Ada <ada@example.org>".into(),
            from: "Kindred <noreply@kindred.test>".into(),
            subject: "Hello".into(),
            text_body: "plain body".into(),
            html_body: Some("<p>html body</p>".into()),
            headers: vec![Header {
                name: "List-Unsubscribe".into(),
                value: "<https://kindred.test/unsub/abc>".into(),
            }],
            attachments: vec![],
            message_id: Some("outbox-42".into()),
        }
    }

    #[test]
    fn alternative_message_has_both_parts_and_headers() {
        let raw = String::from_utf8(sample().to_message().unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(!raw.contains("multipart/mixed"), "{raw}");
        assert!(raw.contains("text/plain"));
        assert!(raw.contains("text/html"));
        assert!(raw.contains("List-Unsubscribe: <https://kindred.test/unsub/abc>"));
        assert!(
            raw.contains("Message-ID: <outbox-42@kindred.test>"),
            "{raw}"
        );
    }

    #[test]
    fn attachments_wrap_in_mixed() {
        let email = sample().with_attachment(
            "invite.ics",
            "text/calendar; charset=utf-8; method=REQUEST",
            b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec(),
        );
        let raw = String::from_utf8(email.to_message().unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/mixed"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("invite.ics"), "{raw}");
        assert!(raw.contains("text/calendar"), "{raw}");
    }

    #[test]
    fn bad_addresses_and_headers_are_permanent() {
        let mut e = sample();
        e.to = "not an address".into();
        assert!(e.to_message().unwrap_err().is_permanent());

        let e = sample().with_header("X-Evil", "a\r\nBcc: victim@example.org");
        assert!(e.to_message().unwrap_err().is_permanent());

        let e = sample().with_header("Bad Name:", "x");
        assert!(e.to_message().unwrap_err().is_permanent());
    }

    #[test]
    fn json_round_trip_with_base64_attachment() {
        let email = sample().with_attachment("a.bin", "application/octet-stream", vec![0, 1, 255]);
        let json = serde_json::to_string(&email).unwrap();
        assert!(json.contains("\"AAH/\""), "{json}");
        let back: OutgoingEmail = serde_json::from_str(&json).unwrap();
        assert_eq!(back, email);

        // Optional fields may be omitted.
        let minimal: OutgoingEmail = serde_json::from_str(
            r#"{"to":"a@b.test","from":"c@d.test","subject":"s","text_body":"t"}"#,
        )
        .unwrap();
        assert!(minimal.html_body.is_none() && minimal.attachments.is_empty());
        let raw = String::from_utf8(minimal.to_message().unwrap().formatted()).unwrap();
        assert!(raw.contains("text/plain") && !raw.contains("multipart"));
        assert!(
            raw.contains("@d.test>"),
            "random Message-ID on the sender domain: {raw}"
        );
    }
}
