//! The web app's failures: an HTML page (or a redirect) rendered when the
//! failure is made, in the request's language.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

/// Why a request could not be served. Form errors are not failures: the
/// form is shown again with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The form's CSRF token (or its `Origin`) is missing or wrong: 403.
    Csrf,
    /// A form body that cannot be read: 400.
    BadForm,
    NotFound,
    RateLimited {
        retry_after_secs: u64,
    },
    Unavailable,
    Internal,
}

impl Failure {
    pub fn status(self) -> StatusCode {
        match self {
            Failure::Csrf => StatusCode::FORBIDDEN,
            Failure::BadForm => StatusCode::BAD_REQUEST,
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Failure::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message ids of the page's heading and text.
    pub fn messages(self) -> (&'static str, &'static str) {
        match self {
            Failure::Csrf => ("error-csrf-title", "error-csrf-body"),
            Failure::BadForm => ("error-bad-form-title", "error-bad-form-body"),
            Failure::NotFound => ("error-not-found-title", "error-not-found-body"),
            Failure::RateLimited { .. } => ("error-rate-limited-title", "error-rate-limited-body"),
            Failure::Unavailable => ("error-unavailable-title", "error-unavailable-body"),
            Failure::Internal => ("error-internal-title", "error-internal-body"),
        }
    }
}

/// A rendered answer that is not the page asked for: an error page or a
/// redirect (to log in, to change the password). `Debug`/`Display` name the
/// status only: nothing the request carried reaches the log.
pub struct WebError {
    status: StatusCode,
    headers: Vec<(header::HeaderName, String)>,
    body: String,
}

impl WebError {
    pub fn page(
        status: StatusCode,
        body: String,
        headers: Vec<(header::HeaderName, String)>,
    ) -> Self {
        WebError {
            status,
            headers,
            body,
        }
    }

    /// A `303 See Other` to `location`, with extra headers (cookies).
    pub fn redirect(location: &str, mut headers: Vec<(header::HeaderName, String)>) -> Self {
        headers.push((header::LOCATION, location.to_string()));
        WebError {
            status: StatusCode::SEE_OTHER,
            headers,
            body: String::new(),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl std::fmt::Debug for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebError({})", self.status.as_u16())
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "web page answered {}", self.status.as_u16())
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            res.append_header((name.clone(), value.clone()));
        }
        if self.body.is_empty() {
            res.finish()
        } else {
            res.insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .body(self.body.clone())
        }
    }
}

pub type WebResult<T> = Result<T, WebError>;
