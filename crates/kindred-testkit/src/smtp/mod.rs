//! A minimal, real SMTP server for tests (plain TCP on 127.0.0.1, no TLS, no AUTH).
//!
//! * [`sink`]: the server handle ([`SmtpSink`]) and its failure controls;
//! * [`session`]: one SMTP conversation (the protocol state machine);
//! * [`message`]: what was received ([`ReceivedEmail`]), parsed with `mail-parser`.

mod message;
mod session;
mod sink;

pub use message::ReceivedEmail;
pub use sink::SmtpSink;

/// Largest message the sink accepts (advertised with `SIZE`).
pub const MAX_MESSAGE_SIZE: usize = 50 * 1024 * 1024;
const MAX_LINE: usize = 64 * 1024;
const HOSTNAME: &str = "kindred-testkit.localhost";
