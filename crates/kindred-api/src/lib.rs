//! Kindred's HTTP API (actix-web): routes, auth, error mapping, OpenAPI.
//!
//! Handlers are thin: they extract their input, call one `kindred_service`
//! function on the blocking pool through [`AppState::call`], and render the
//! result; every failure becomes one problem+json shape through [`ApiError`].

pub mod error;
pub mod extract;
pub mod launch;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod state;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpMessage, HttpServer};
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder, TracingLogger};

pub use error::{ApiError, ApiResult};
pub use state::AppState;

/// Mounts every route: operations at the root, the API under `/api/v1`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // `web::resource` (not `cfg.route`) so a wrong method is 405, not 404.
    cfg.service(web::resource("/healthz").route(web::get().to(routes::ops::healthz)))
        .service(web::resource("/readyz").route(web::get().to(routes::ops::readyz)))
        .service(web::resource("/metrics").route(web::get().to(routes::ops::metrics)))
        .service(
            web::scope("/api/v1")
                .service(web::resource("/openapi.json").route(web::get().to(routes::ops::openapi)))
                .configure(routes::auth::configure)
                .configure(routes::me::configure)
                .configure(routes::tags::configure)
                .configure(routes::profiles::configure)
                .configure(routes::requests::configure)
                .configure(routes::runs::configure)
                .configure(routes::matches::configure)
                .configure(routes::transitions::configure)
                .configure(routes::safety::configure)
                .configure(routes::programme::configure)
                .configure(routes::notifications::configure)
                .configure(routes::admin::configure)
                .configure(routes::imports::configure)
                .configure(routes::facilitators::configure)
                .configure(routes::circle_requests::configure)
                .configure(routes::circles::configure),
        );
}

/// Turns any error response that is not problem+json yet (actix's own 404,
/// 405, extractor failures) into one.
/// Error pages of a mounted front end (`text/html`, see [`build_server_with`])
/// are its own and pass through unchanged.
fn problemize<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res.response().headers().get(header::CONTENT_TYPE);
    let is_problem = content_type.is_some_and(|v| v.as_bytes() == error::PROBLEM_JSON.as_bytes());
    let is_page = content_type.is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_problem || is_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    // actix's own errors (payload, path, query) may quote the input: their
    // text is not passed on, only the status (a 400 says what went wrong in
    // general terms).
    let body_limit = res
        .request()
        .app_data::<web::Data<AppState>>()
        .map_or(0, |s| s.settings.server.body_limit.as_usize());
    // A 405 keeps the `Allow` header actix computed from the resource's routes.
    let allow = res.response().headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut problem = error::problem_for_status(status, body_limit);
    if let Some(allow) = allow {
        problem.headers_mut().insert(header::ALLOW, allow);
    }
    let replaced = ServiceResponse::new(req, problem);
    Ok(ErrorHandlerResponse::Response(
        replaced.map_into_right_body(),
    ))
}

/// Whether the path or query string percent-encodes a NUL byte (`%00`; a
/// raw NUL cannot appear in a request line).
fn url_has_nul(uri: &actix_web::http::Uri) -> bool {
    uri.path_and_query()
        .is_some_and(|pq| pq.as_str().as_bytes().windows(3).any(|w| w == b"%00"))
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        // Responses carry personal data: never cache them anywhere.
        .add((header::CACHE_CONTROL, "no-store"))
        .add((header::PRAGMA, "no-cache"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "geolocation=(), camera=(), microphone=()",
        ))
}

/// Extra routes mounted next to the API by the binary (the web app,
/// `kindred_web::configure`). They are registered after the API's, so
/// `/api/v1`, `/healthz`, `/readyz` and `/metrics` keep their handlers, and
/// get the same middleware (request id, metrics, security headers; a header
/// a mounted route sets itself, such as its own `Content-Security-Policy`,
/// is kept). Their `text/html` error responses are not turned into
/// problem+json.
pub type Mount = fn(&mut web::ServiceConfig);

/// Mounts nothing: the API alone.
pub fn api_only(_: &mut web::ServiceConfig) {}

/// Builds the HTTP server on `listener` (port 0 is fine: tests read the
/// address back from the listener), serving the API only.
pub fn build_server(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    build_server_with(state, listener, api_only)
}

/// Builds the HTTP server with the API and the routes of `mount`.
pub fn build_server_with(
    state: AppState,
    listener: TcpListener,
    mount: Mount,
) -> std::io::Result<Server> {
    let workers = match state.settings.server.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let body_limit = state.settings.server.body_limit.as_usize();
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(web::JsonConfig::default().limit(body_limit))
            // Parameter errors never quote the value sent (it reaches the log).
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                let actix_web::error::QueryPayloadError::Deserialize(err) = err else {
                    return ApiError::BadRequest("invalid query".into()).into();
                };
                ApiError::BadRequest(format!(
                    "invalid query: {}",
                    extract::without_value(&err.to_string())
                ))
                .into()
            }))
            .app_data(web::PathConfig::default().error_handler(|err, _| {
                let actix_web::error::PathError::Deserialize(err) = err else {
                    return ApiError::BadRequest("invalid path".into()).into();
                };
                ApiError::BadRequest(format!(
                    "invalid path: {}",
                    extract::without_value(&err.to_string())
                ))
                .into()
            }))
            .configure(configure)
            .configure(mount)
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ApiError::NotFound)
            }))
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                use futures_util::future::{ready, Either};
                // PostgreSQL text cannot hold NUL: no path or query parameter may carry one.
                if url_has_nul(req.uri()) {
                    let res = req.error_response(ApiError::BadRequest(
                        "the URL must not contain NUL characters (%00)".into(),
                    ));
                    return Either::Left(ready(Ok(res.map_into_right_body())));
                }
                let fut = srv.call(req);
                Either::Right(async move { fut.await.map(ServiceResponse::map_into_left_body) })
            })
            .wrap(ErrorHandlers::new().default_handler(problemize))
            .wrap(security_headers())
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                let started = Instant::now();
                let route = req
                    .match_pattern()
                    .unwrap_or_else(|| "unmatched".to_string());
                let method = req.method().to_string();
                // Only an unsafe method can have queued email (in the same
                // transaction as its change); a read never wakes the mail loop.
                let may_queue_mail = !req.method().is_safe();
                let state = req.app_data::<web::Data<AppState>>().cloned();
                let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    if let Some(state) = state {
                        // A form post of the web app answers with a redirect.
                        let done = res.status().is_success() || res.status().is_redirection();
                        if may_queue_mail && done {
                            state.mail_queued();
                        }
                        state.metrics.observe(
                            &route,
                            &method,
                            res.status().as_u16(),
                            started.elapsed().as_secs_f64(),
                        );
                    }
                    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut()
                            .insert(header::HeaderName::from_static("x-request-id"), id);
                    }
                    Ok(res)
                }
            })
            .wrap(TracingLogger::<RequestSpan>::new())
    })
    .workers(workers)
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}

/// The request log's span: method, route pattern, path, status, request id
/// and, for failures, the error's kind (see `ApiError`'s `Debug`). Unlike
/// tracing-actix-web's default it leaves out the query string (cursors,
/// unsubscribe tokens and filters are request values), the client address
/// and the user agent.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.path(),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: tracing::Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Forgets idle rate-limit keys once a minute (on a blocking thread: with
/// PostgreSQL they are rows).
pub fn spawn_housekeeping(state: &AppState) {
    let limits = Arc::clone(&state.limits);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            let limits = Arc::clone(&limits);
            match tokio::task::spawn_blocking(move || limits.housekeeping()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "rate-limit housekeeping failed"),
                Err(e) => tracing::warn!(error = %e, "rate-limit housekeeping task failed"),
            }
        }
    });
}
