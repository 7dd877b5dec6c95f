//! Applies the rows of a coordinator's CSV import (`POST /admin/imports`).

use kindred_config::Settings;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::error::{ServiceError, ServiceResult};

/// One import, by id (the file itself is in `imports.body`, never in the
/// payload).
#[derive(Debug, Serialize, Deserialize)]
pub struct ImportParticipants {
    pub import_id: String,
}

impl BackgroundJob for ImportParticipants {
    const KIND: &'static str = "import_participants";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}", Self::KIND, self.import_id))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        let pool = ctx.pool.clone();
        let settings = std::sync::Arc::clone(&ctx.settings);
        let id = self.import_id;
        tokio::task::spawn_blocking(move || {
            match crate::imports::run(&pool, &settings, &id, &mut |_| {}) {
                Ok(_) | Err(ServiceError::NotFound) => Ok(()),
                // Worth another attempt; the import resumes after its last chunk.
                Err(ServiceError::Unavailable(cause)) | Err(ServiceError::Internal(cause)) => {
                    Err(JobError::retry(cause))
                }
                // Retrying cannot help: end the import with the reason.
                Err(other) => {
                    let mut conn = pool.get().map_err(|e| JobError::retry(e.to_string()))?;
                    crate::imports::fail(&mut conn, &id, &other.to_string())
                        .map_err(super::to_job_error)
                }
            }
        })
        .await
        .map_err(|e| JobError::retry(format!("import task: {e}")))??;
        ctx.outbox_wake.notify_one();
        Ok(())
    }
}

/// Queues the processing of import `import_id` (in the caller's transaction).
pub fn enqueue_import(
    conn: &mut DbConnection,
    settings: &Settings,
    import_id: &str,
) -> ServiceResult<()> {
    let job = ImportParticipants {
        import_id: import_id.to_string(),
    };
    super::enqueue(conn, settings, &job, EnqueueOptions::default())
}
