//! The service layer's one error type. The HTTP API maps it to problem+json
//! (`kindred-api/src/error.rs`), the job worker to retry or dead
//! (`jobs::to_job_error`).

use kindred_core::FieldErrors;

/// Why a use case did not happen. Nothing was written when one is returned:
/// every use case runs in one transaction.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No such thing, or the caller may not know it exists.
    #[error("not found")]
    NotFound,
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// No valid session.
    #[error("authentication required")]
    Unauthenticated,
    /// The account must change its one-time password before anything else
    /// (only reading itself, changing the password and logging out work).
    #[error("change your one-time password first (PUT /me/password)")]
    PasswordChangeRequired,
    /// Wrong email or password (one answer for both).
    #[error("invalid email or password")]
    LoginFailed,
    /// The thing is in a state that does not allow this.
    #[error("{detail}")]
    Conflict {
        detail: String,
        current_state: Option<String>,
    },
    /// The input breaks rules; every violation at once.
    #[error("validation failed")]
    Invalid(FieldErrors),
    /// A code, token or link that is wrong, used or expired.
    #[error("{0}")]
    Rejected(String),
    /// Too many attempts; try again later.
    #[error("too many requests")]
    RateLimited { retry_after_secs: u64 },
    /// A dependency is temporarily unavailable (e.g. the pool timed out).
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or a broken dependency; the cause is logged, never shown.
    #[error("internal error")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    /// A conflict with no state to report.
    pub fn conflict(detail: impl Into<String>) -> Self {
        ServiceError::Conflict {
            detail: detail.into(),
            current_state: None,
        }
    }

    /// A conflict naming the state the thing is in.
    pub fn conflict_in(detail: impl Into<String>, state: impl std::fmt::Display) -> Self {
        ServiceError::Conflict {
            detail: detail.into(),
            current_state: Some(state.to_string()),
        }
    }

    /// A single-field validation failure.
    pub fn field(path: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(path, message);
        ServiceError::Invalid(errors)
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ServiceError::Internal(cause.to_string())
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(errors: FieldErrors) -> Self {
        ServiceError::Invalid(errors)
    }
}

impl From<kindred_db::DbError> for ServiceError {
    fn from(err: kindred_db::DbError) -> Self {
        match err {
            kindred_db::DbError::Pool(e) => {
                ServiceError::Unavailable(format!("database pool: {e}"))
            }
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(err: diesel::result::Error) -> Self {
        ServiceError::from(kindred_db::DbError::from(err))
    }
}
