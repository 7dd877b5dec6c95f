//! Kindred's application layer: every use case, with its rules and side
//! effects, as a function over a database connection.
//!
//! Front ends (the HTTP API today, the web app next) extract their input,
//! call one function here inside `spawn_blocking`/`web::block`, and render
//! what it returns. Nothing here knows about HTTP: failures are
//! [`ServiceError`]s, which each front end maps to its own answers, and the
//! job worker to retry or dead.
//!
//! Where things live:
//! - `accounts`: registration, verification, login, logout, roles;
//!   `accounts::passwords` (reset, change), `accounts::data` (export,
//!   erasure), `accounts::operator` (coordinators made on the command line)
//! - `caller`: who is asking (a session resolved to a person and roles)
//! - `profiles`, `tags`, `requests`: what people say about themselves and ask for
//! - `matches`: runs (`runs`), who may do what (`actions`), the state rules
//!   and side effects of each change (`transitions`), what each viewer may
//!   see (`views`), a person's own matches for the web app (`mine`);
//!   `matchmaking` builds the engine's input
//! - `credentials`: argon2id passwords, session tokens, one-time codes
//! - `forms`: the key behind the web app's CSRF tokens
//! - `ratelimit`: the per-process limits the front ends check
//! - `safety`: blocks, reports, check-ins
//! - `programme`: the coordinators' metrics
//! - `notifications`: preferences and one-click unsubscribe
//! - `admin`: dead jobs and emails
//! - `imports`, `exports`: the coordinators' CSV import (a job) and exports
//! - `emails`: every email a use case queues
//! - `jobs`: the job catalogue (typed jobs and their handlers)
//! - `ops`: readiness and the outbox gauges; `demo`: the demo programme
//! - `runtime`: opening the database, the mailer, the background tasks

pub mod accounts;
pub mod admin;
pub mod caller;
pub mod circles;
pub mod console;
pub mod credentials;
pub mod demo;
pub mod emails;
pub mod error;
pub mod exports;
pub mod forms;
pub mod imports;
pub mod jobs;
pub mod matches;
pub mod matchmaking;
pub mod notifications;
pub mod ops;
pub mod pagination;
pub mod profiles;
pub mod programme;
pub mod ratelimit;
pub mod requests;
pub mod runtime;
pub mod safety;
pub mod tags;

pub use caller::Caller;
pub use error::{ServiceError, ServiceResult};
/// The connection every use case takes (for callers that pass closures).
pub use kindred_db::DbConnection;
