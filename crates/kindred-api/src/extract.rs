//! Request extractors: a JSON body with field-level errors, and the caller.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{http::header, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// Like `web::Json`, but malformed JSON is `400`, a well-formed body with a
/// wrong field type or unknown field is `422` naming the field, an oversized
/// body is `413` and a non-JSON content type is `415` — all as problem+json.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.server.body_limit.as_usize())
            .unwrap_or(64 * 1024);
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_len.is_some_and(|n| n > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let body = read_limited(&mut payload, limit).await?;
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            parse_json(&body).map(JsonBody)
        })
    }
}

/// A `text/csv` body of at most `imports.max_bytes`. A wrong content type
/// (`415`) or an oversized body (`413`) is kept, not returned, so that the
/// handler answers who may call it (`401`/`403`) first: [`CsvBody::bytes`]
/// gives the body or that error.
pub struct CsvBody(Result<web::Bytes, ApiError>);

impl CsvBody {
    /// The body, or why it was refused.
    pub fn bytes(self) -> Result<web::Bytes, ApiError> {
        self.0
    }
}

fn is_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("text/csv")
        })
        .unwrap_or(false)
}

impl FromRequest for CsvBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.settings.imports.max_bytes.as_usize())
            .unwrap_or(5 * 1024 * 1024);
        let csv = is_csv(req);
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_len.is_some_and(|n| n > limit) {
                return Ok(CsvBody(Err(ApiError::PayloadTooLarge { limit })));
            }
            let body = read_limited(&mut payload, limit).await;
            Ok(CsvBody(match body {
                Err(e) => Err(e),
                Ok(_) if !csv => Err(ApiError::UnsupportedMediaType),
                Ok(body) => Ok(body.freeze()),
            }))
        })
    }
}

async fn read_limited(payload: &mut Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            PayloadError::Overflow => ApiError::PayloadTooLarge { limit },
            other => ApiError::BadRequest(format!("could not read request body: {other}")),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parses JSON, telling syntax errors (400) from shape errors (422 with a field path).
/// A string holding a NUL character (`\u0000`) anywhere in the body is a 422
/// naming its field: PostgreSQL `text` cannot store NUL, and no field needs it.
/// Error messages name the field and what was expected, never the value sent
/// (they reach the client and the request log).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest(
            "request body is empty; expected JSON".into(),
        ));
    }
    if let Some(field) = nul_field(body) {
        return Err(ApiError::field(&field, "must not contain NUL characters"));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Ok(value) => {
            de.end()
                .map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
            Ok(value)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => {
                    let field = if path == "." || path.is_empty() {
                        "body".to_string()
                    } else {
                        path
                    };
                    Err(ApiError::field(&field, without_value(&inner.to_string())))
                }
                // Syntax errors name a position, never a value.
                _ => Err(ApiError::BadRequest(format!("malformed JSON: {inner}"))),
            }
        }
    }
}

/// The path (`a.b[0]`, as serde_path_to_error writes it) of the first string
/// or object key holding a NUL character, `body` for the top level. JSON can
/// only carry NUL as the escape `\u0000`, so bodies without it are not walked.
fn nul_field(body: &[u8]) -> Option<String> {
    if !body.windows(6).any(|w| w == b"\\u0000") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        use serde_json::Value;
        let here = || {
            if path.is_empty() {
                "body".to_string()
            } else {
                path.to_string()
            }
        };
        match v {
            Value::String(s) => s.contains('\0').then(here),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| walk(item, &format!("{}[{i}]", here()))),
            Value::Object(map) => map.iter().find_map(|(k, item)| {
                if k.contains('\0') {
                    return Some(here());
                }
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, &child)
            }),
            _ => None,
        }
    }
    walk(&value, "")
}

/// A serde data error without the value that caused it: `invalid type:
/// string "secret", expected a sequence` becomes `invalid type: expected a
/// sequence`. What was expected (type names, variant and field names from
/// our own types) is kept; a custom message that quotes anything (it may be
/// quoting the input) is replaced by a generic one.
pub(crate) fn without_value(msg: &str) -> String {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let expected = msg.rfind(", expected ").map(|i| msg[i + 2..].to_string());
    let kind = [
        ("invalid type", "invalid type"),
        ("invalid value", "invalid value"),
        ("invalid length", "invalid length"),
        ("unknown variant", "unknown variant"),
        ("unknown field", "unknown field"),
    ]
    .into_iter()
    .find(|(prefix, _)| msg.starts_with(prefix))
    .map(|(_, kind)| kind);
    if let Some(field) = msg.strip_prefix("missing field ") {
        // Our own field name, quoted by serde.
        return format!("missing field {field}");
    }
    if msg.starts_with("duplicate field ") {
        return "duplicate field".to_string();
    }
    match (kind, expected) {
        (Some(kind), Some(expected)) => format!("{kind}: {expected}"),
        (Some(kind), None) => kind.to_string(),
        // A custom message of one of our types: kept unless it quotes something.
        (None, _) if !msg.contains(['"', '`', '\'']) => msg.to_string(),
        (None, _) => "invalid value".to_string(),
    }
}

/// The bearer token of a request, if it has a plausible one.
fn bearer_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| rest.trim().to_string())
        })
        .filter(|t| !t.is_empty() && t.len() <= 256)
}

type Authenticate = fn(
    &mut kindred_db::DbConnection,
    &str,
) -> kindred_service::ServiceResult<kindred_service::Caller>;

/// Resolves the request's bearer token with `authenticate` on the blocking pool.
fn authenticated(
    req: &HttpRequest,
    authenticate: Authenticate,
) -> Pin<Box<dyn Future<Output = Result<kindred_service::Caller, ApiError>>>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let token = bearer_token(req);
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::Internal("missing app state".into()))?;
        let token = token.ok_or(ApiError::Unauthorized)?;
        let pool = state.pool.clone();
        let caller = web::block(move || {
            let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
            authenticate(&mut conn, &token)
        })
        .await??;
        Ok(caller)
    })
}

/// The authenticated caller, from `Authorization: Bearer <token>`. An
/// account that must still change its one-time password is refused
/// (`403 …/password-change-required`); see [`PasswordChangeCaller`].
#[derive(Debug, Clone)]
pub struct Caller(pub kindred_service::Caller);

impl std::ops::Deref for Caller {
    type Target = kindred_service::Caller;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = authenticated(req, kindred_service::Caller::authenticate);
        Box::pin(async move { caller.await.map(Caller) })
    }
}

/// The caller of the few routes that work while the account must still
/// change its one-time password (`GET /me`, `PUT /me/password`,
/// `POST /auth/logout`). Every other route takes [`Caller`].
#[derive(Debug, Clone)]
pub struct PasswordChangeCaller(pub kindred_service::Caller);

impl std::ops::Deref for PasswordChangeCaller {
    type Target = kindred_service::Caller;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl FromRequest for PasswordChangeCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = authenticated(
            req,
            kindred_service::Caller::authenticate_allowing_password_change,
        );
        Box::pin(async move { caller.await.map(PasswordChangeCaller) })
    }
}
