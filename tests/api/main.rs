//! End-to-end tests through HTTP only (plus direct database reads where a
//! test must prove something was or was not stored). One binary, so linking
//! happens once. Each test runs on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod alert_batching;
mod browser_harness;
mod circles;
mod erasure_safety;
mod hardening;
mod hygiene;
mod imports;
mod lifecycle;
mod limits;
mod mail_language;
mod matrix;
mod outbox;
mod passwords;
mod privacy;
mod profiles;
mod safety_inbox;
mod scheduler;
mod schema;
mod schemathesis;
mod shared_limits;
mod tags;
mod test_app;
mod web_accounts;
mod web_circles;
mod web_client;
mod web_console;
mod web_invitation;
mod web_journey;
mod web_matches;
mod web_profile;
mod web_settings;
