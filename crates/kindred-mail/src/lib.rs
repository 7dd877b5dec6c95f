//! kindred-mail: building, rendering and sending Kindred's emails.
//!
//! * [`text`]: the template engine core shared with the web app (languages, Fluent
//!   catalogs, the minijinja environment rules, the support-footer blocks).
//! * [`templates`]: every email as minijinja templates (`templates/*.txt`, `*.html`) with
//!   Fluent messages (`locales/{en,es}/emails.ftl`); [`render`] gives a [`RenderedEmail`]
//!   (subject, text, HTML) in a language, with that language's support footer on both parts.
//! * [`OutgoingEmail`]: a serialisable email (store it as JSON in an outbox row).
//! * [`Mailer`]: sends through SMTP (lettre, pooled), `.eml` files or memory, and classifies
//!   failures as [`SendError::Permanent`] or [`SendError::Transient`].
//! * [`ics`]: the check-in and circle calendar invitations and the first common free slot
//!   of two people.
//! * [`unsubscribe`]: signed one-click unsubscribe tokens and the RFC 8058 headers.

mod email;
pub mod ics;
pub mod templates;
pub mod text;
mod transport;
pub mod unsubscribe;

pub use email::{Attachment, Header, OutgoingEmail};
pub use ics::{checkin_event, circle_event, first_common_slot, CircleEvent, EventSpec, Window};
pub use templates::{render, Email, RenderError, RenderedEmail, DEFAULT_FOOTER};
pub use text::Lang;
pub use transport::{
    ConfigError, Mailer, MemoryFailure, MemoryOutbox, SendError, SentEmail, TransportConfig,
};
pub use unsubscribe::list_unsubscribe_headers;
