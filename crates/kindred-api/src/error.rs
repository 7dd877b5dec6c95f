//! One error type for every handler, rendered as RFC 9457 problem+json.

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// Everything a handler can fail with. Each variant maps to exactly one status.
///
/// `Debug` (which the request logger writes for every failed request) names
/// the kind and, for validation failures, the fields only: never a message
/// that could carry what the client sent.
#[derive(thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("invalid email or password")]
    LoginFailed,
    #[error("{0}")]
    Forbidden(String),
    /// 403 until the one-time password is changed with `PUT /me/password`.
    #[error("change your one-time password first with PUT /api/v1/me/password")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    #[error("{detail}")]
    Conflict {
        detail: String,
        current_state: Option<String>,
    },
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type: send the Content-Type the route documents (application/json; text/csv for imports)")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(BTreeMap<String, Vec<String>>),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (slug, _) = self.kind();
        match self {
            ApiError::Validation(errors) => {
                let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
                write!(f, "ApiError({slug}: {})", fields.join(", "))
            }
            // Display is "internal error"; the cause is logged on its own.
            other => write!(f, "ApiError({slug}: {other})"),
        }
    }
}

impl ApiError {
    pub fn conflict(detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            detail: detail.into(),
            current_state: None,
        }
    }

    /// A single-field validation failure.
    pub fn field(path: &str, message: impl Into<String>) -> Self {
        let mut errors = BTreeMap::new();
        errors.insert(path.to_string(), vec![message.into()]);
        ApiError::Validation(errors)
    }

    fn kind(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized => ("unauthorized", "Authentication required"),
            ApiError::LoginFailed => ("login-failed", "Login failed"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::PasswordChangeRequired => {
                ("password-change-required", "Password change required")
            }
            ApiError::NotFound => ("not-found", "Not found"),
            ApiError::Conflict { .. } => ("conflict", "Conflict"),
            ApiError::PayloadTooLarge { .. } => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType => ("unsupported-media-type", "Unsupported media type"),
            ApiError::Validation(_) => ("validation", "Validation failed"),
            ApiError::TooManyRequests { .. } => ("rate-limited", "Too many requests"),
            ApiError::MethodNotAllowed => ("method-not-allowed", "Method not allowed"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }
}

/// The problem document. `errors` appears only on validation failures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::LoginFailed => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (slug, title) = self.kind();
        if let ApiError::Internal(cause) = self {
            // The cause goes to the log only; clients get a generic message.
            tracing::error!(error = %cause, "internal error");
        }
        let detail = match self {
            ApiError::Validation(errors) => {
                let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
                format!(
                    "{} field(s) are invalid: {}",
                    errors.len(),
                    fields.join(", ")
                )
            }
            ApiError::Internal(_) => "the server failed to handle this request".to_string(),
            other => other.to_string(),
        };
        let body = Problem {
            type_: format!("https://kindred.dev/problems/{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors: match self {
                ApiError::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
            current_state: match self {
                ApiError::Conflict { current_state, .. } => current_state.clone(),
                _ => None,
            },
        };
        let mut builder = HttpResponse::build(status);
        builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let ApiError::TooManyRequests { retry_after_secs } = self {
            builder.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
        }
        if matches!(self, ApiError::Unauthorized | ApiError::LoginFailed) {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        builder.body(serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_string()))
    }
}

impl From<kindred_service::ServiceError> for ApiError {
    fn from(err: kindred_service::ServiceError) -> Self {
        use kindred_service::ServiceError as S;
        match err {
            S::NotFound => ApiError::NotFound,
            S::Forbidden(detail) => ApiError::Forbidden(detail),
            S::Unauthenticated => ApiError::Unauthorized,
            S::LoginFailed => ApiError::LoginFailed,
            S::PasswordChangeRequired => ApiError::PasswordChangeRequired,
            S::Conflict {
                detail,
                current_state,
            } => ApiError::Conflict {
                detail,
                current_state,
            },
            S::Invalid(errors) => ApiError::Validation(errors.into_map()),
            S::Rejected(detail) => ApiError::BadRequest(detail),
            S::RateLimited { retry_after_secs } => ApiError::TooManyRequests { retry_after_secs },
            S::Unavailable(detail) => ApiError::Unavailable(detail),
            S::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task failed: {err}"))
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<kindred_core::FieldErrors> for ApiError {
    fn from(errors: kindred_core::FieldErrors) -> Self {
        ApiError::Validation(errors.into_map())
    }
}

/// A problem response for a status produced outside our handlers (actix's
/// own 404/405/400/413 answers), so every failure has the same shape. The
/// original error's text is not used: it may quote the request.
/// `body_limit` is `server.body_limit`, named by a 413.
pub fn problem_for_status(status: StatusCode, body_limit: usize) -> HttpResponse {
    let err = match status.as_u16() {
        400 => ApiError::BadRequest("the request could not be understood".into()),
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden("forbidden".into()),
        404 => ApiError::NotFound,
        405 => ApiError::MethodNotAllowed,
        413 => ApiError::PayloadTooLarge { limit: body_limit },
        415 => ApiError::UnsupportedMediaType,
        429 => ApiError::TooManyRequests {
            retry_after_secs: 1,
        },
        503 => ApiError::Unavailable("try again later".into()),
        s if s >= 500 => ApiError::Internal(format!("{status} from outside a handler")),
        _ => ApiError::BadRequest(status.to_string()),
    };
    let mut res = err.error_response();
    *res.status_mut() = status;
    res
}
