//! kindred-mail: building, rendering and sending Kindred's emails.
//!
//! * [`templates`]: pure functions producing [`RenderedEmail`] (subject, text, HTML) with the
//!   support footer appended to both parts.
//! * [`OutgoingEmail`]: a serialisable email (store it as JSON in an outbox row).
//! * [`Mailer`]: sends through SMTP (lettre, pooled), `.eml` files or memory, and classifies
//!   failures as [`SendError::Permanent`] or [`SendError::Transient`].

mod email;
pub mod templates;
mod transport;

pub use email::{Attachment, Header, OutgoingEmail};
pub use templates::{
    already_registered, escape_html, render, verification_code, Paragraph, RenderedEmail,
    DEFAULT_FOOTER,
};
pub use transport::{
    ConfigError, Mailer, MemoryFailure, MemoryOutbox, SendError, SentEmail, TransportConfig,
};
