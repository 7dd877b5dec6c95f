//! kindred-testkit: helpers for the integration tests of other Kindred crates.
//!
//! * [`SmtpSink`]: a real SMTP server on 127.0.0.1 that stores and parses what it receives,
//!   with failure controls (rejected recipients, down/up on the same port, slow `DATA`).
//! * [`TestDb`]: a fresh, migrated database on either [`Backend`], and [`both_backends!`]
//!   to run one test body on both.
//! * [`postgres_url_for_test`]: a fresh, empty PostgreSQL database per call.
//! * [`sqlite_url_for_test`]: a fresh SQLite file URL.
//! * [`Browser`] (feature `browser`): headless Chromium over WebDriver with axe-core checks.

#[cfg(feature = "browser")]
pub mod browser;
mod db;
mod smtp;
mod test_db;

#[cfg(feature = "browser")]
pub use browser::{Browser, BrowserCookie, FocusedElement, Violation};
pub use db::{postgres_url_for_test, sqlite_url_for_test, TEST_DATABASE_URL_ENV};
pub use smtp::{ReceivedEmail, SmtpSink, MAX_MESSAGE_SIZE};
pub use test_db::{database_url_for_test, open_test_pool, Backend, TestDb};
