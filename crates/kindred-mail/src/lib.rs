//! kindred-mail: building, rendering and sending Kindred's emails.
//!
//! * [`templates`]: pure functions producing [`RenderedEmail`] (subject, text, HTML) with the
//!   support footer appended to both parts.
//! * [`OutgoingEmail`]: a serialisable email (store it as JSON in an outbox row).
//! * [`Mailer`]: sends through SMTP (lettre, pooled), `.eml` files or memory, and classifies
//!   failures as [`SendError::Permanent`] or [`SendError::Transient`].
//! * [`ics`]: the check-in calendar invitation and the first common free slot of two people.
//! * [`unsubscribe`]: signed one-click unsubscribe tokens and the RFC 8058 headers.

mod email;
pub mod ics;
pub mod templates;
mod transport;
pub mod unsubscribe;

pub use email::{Attachment, Header, OutgoingEmail};
pub use ics::{checkin_event, first_common_slot, EventSpec, Window};
pub use templates::{
    already_registered, checkin_reminder, coordinator_alert_needs_support,
    coordinator_alert_report, coordinator_digest, escape_html, introduction,
    match_expired_coordinator, match_expired_mentor, match_stalled_coordinator, mentor_notice,
    mentor_response_reminder, password_reset_code, render, verification_code, Introduction,
    Paragraph, RenderedEmail, DEFAULT_FOOTER,
};
pub use transport::{
    ConfigError, Mailer, MemoryFailure, MemoryOutbox, SendError, SentEmail, TransportConfig,
};
pub use unsubscribe::list_unsubscribe_headers;
