//! Background work that lives in the database: the mail outbox delivery loop
//! and the durable job queue ([`queue`] to enqueue, [`worker`] to run).

pub mod outbox;
pub mod queue;
pub mod worker;

pub use outbox::{OutboxSettings, OutboxWorker};
pub use queue::{enqueue_in, JobSpec, Queue, QueueError, DEFAULT_MAX_ATTEMPTS};
pub use worker::{
    backoff, JobError, JobFuture, JobHandler, PassReport, Registry, Worker, WorkerSettings,
};
