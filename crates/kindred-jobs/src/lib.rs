//! Background work that lives in the database: typed durable jobs
//! ([`BackgroundJob`], [`enqueue`], [`Registry::register_job`]) run by the
//! job [`Worker`], and the mail outbox delivered by the [`OutboxWorker`], both
//! on one leased-rows engine ([`engine`]). [`queue`] is the untyped lower
//! layer ([`JobSpec`], [`enqueue_in`]).

pub mod engine;
pub mod job;
pub mod outbox;
pub mod queue;
pub mod worker;

pub use engine::{
    purge_jobs, purge_outbox, retention_cutoff, PurgeSchedule, DEFAULT_RETENTION, PURGE_INTERVAL,
};
pub use job::{enqueue, BackgroundJob, EnqueueOptions};
pub use outbox::{OutboxSettings, OutboxWorker};
pub use queue::{enqueue_in, JobSpec, QueueError, DEFAULT_MAX_ATTEMPTS};
pub use worker::{
    backoff, JobError, JobFuture, JobHandler, PassReport, Registry, Worker, WorkerSettings,
};
