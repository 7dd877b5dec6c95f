//! Background work that lives in the database: the mail outbox delivery loop
//! (and, with the scheduler, the job queue).

pub mod outbox;

pub use outbox::{OutboxSettings, OutboxWorker};
