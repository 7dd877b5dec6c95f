//! Coordinator data in the console: import participants from a CSV file
//! (a dry run that previews every row's errors, then the import), follow
//! an import's progress, and download the exports. The service functions
//! are the ones behind `POST /api/v1/admin/imports`, `GET …/imports/{id}`
//! and `GET …/exports/*.csv`.
//!
//! The upload is a `multipart/form-data` form (a file input works without
//! script). While an import runs, its page says how far it got and links
//! to itself; our own small script (`/static/progress.js`, allowed by this
//! page's policy only) updates that line in place until it is done.

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use kindred_api::ApiError;
use kindred_service::imports::{self, ImportState, ImportView};
use serde::Serialize;

use super::{coordinator, failure};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::i18n::{field_message, Lang};
use crate::pages::matches::plausible_id;
use crate::pages::{form_failure, see_other, session_page};

const FILE_FIELDS: &[Field] = &[
    field("file", "file", "console-import-file"),
    field("header", "file", "console-import-file"),
];

/// The page policy (`crate::CSP`) plus our own script and its requests,
/// for an import's page while the import runs.
pub const CSP_WITH_PROGRESS: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; script-src 'self'; connect-src 'self'";

const SCRIPT: &str = include_str!("../../../static/progress.js");

/// `GET /static/progress.js`.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(SCRIPT)
}

async fn data_page(
    ctx: &Ctx,
    session: &Session,
    status: StatusCode,
    form: FormState,
) -> WebResult<HttpResponse> {
    Ok(session_page(
        ctx,
        session,
        "console_data.html",
        status,
        form,
        None,
        minijinja::context! {
            max_mib => ctx.state.settings.imports.max_bytes.as_u64() / (1024 * 1024),
        },
    ))
}

/// `GET /console/data`: the import form and the exports.
pub async fn page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    data_page(&ctx, &session, StatusCode::OK, FormState::default()).await
}

/// The posted form: its token, the button pressed, the file's bytes.
#[derive(Default)]
struct Upload {
    csrf: String,
    dry_run: bool,
    file: Vec<u8>,
    too_large: bool,
}

async fn read_upload(mut body: Multipart, limit: usize) -> Result<Upload, ()> {
    let mut upload = Upload::default();
    let mut seen = 0usize;
    while let Some(item) = body.next().await {
        let mut field = item.map_err(|_| ())?;
        let name = field.name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| ())?;
            seen += chunk.len();
            if seen > limit.saturating_mul(2) {
                // Far over the limit: stop reading.
                return Err(());
            }
            if bytes.len() + chunk.len() > limit {
                upload.too_large = true;
                // Keep reading (and dropping) so the answer can be sent.
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => upload.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "mode" => upload.dry_run = bytes != b"import",
            "file" => upload.file = bytes,
            _ => {}
        }
    }
    Ok(upload)
}

/// `POST /console/imports`: starts a dry run (`mode=preview`) or the
/// import (`mode=import`) of the uploaded file; a file refused as a whole
/// (empty, not UTF-8, not CSV, unknown columns, too large) is the form
/// again with its message.
pub async fn upload(req: HttpRequest, body: Multipart) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let limit = ctx.state.settings.imports.max_bytes.as_usize();
    let upload = read_upload(body, limit)
        .await
        .map_err(|()| ctx.fail(Failure::BadForm))?;
    ctx.check_session(&session, &upload.csrf)?;
    if upload.too_large {
        let mut form = FormState::default();
        form.add_message(ctx.lang, FILE_FIELDS[0], "console-import-too-large");
        return data_page(&ctx, &session, StatusCode::PAYLOAD_TOO_LARGE, form).await;
    }
    let caller = session.caller.clone();
    let (file, dry_run) = (upload.file, upload.dry_run);
    let started = ctx
        .state
        .call(move |conn, settings| imports::start(conn, settings, &caller, &file, dry_run))
        .await;
    match started {
        Ok(s) => Ok(see_other(&format!("/console/imports/{}", s.id))),
        Err(ApiError::Validation(errors)) => {
            let mut form = FormState::default();
            for messages in errors.values() {
                for m in messages {
                    form.add(ctx.lang, FILE_FIELDS[0], &in_words(ctx.lang, m));
                }
            }
            data_page(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
        Err(e) => {
            let form = form_failure(&ctx, e, FILE_FIELDS, FormState::default())?;
            data_page(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
    }
}

/// A message of the import checker: translated when it has a known shape,
/// else as the checker wrote it (it names rows, columns and values).
fn in_words(lang: Lang, message: &str) -> String {
    let (id, arg) = field_message(message);
    if id == "err-invalid" {
        return message.to_string();
    }
    let args: Vec<(&str, kindred_mail::text::FluentValue<'_>)> = arg
        .map(|(name, n)| vec![(name, n.into())])
        .unwrap_or_default();
    lang.text(id, &args).unwrap_or_else(|_| message.to_string())
}

#[derive(Serialize)]
struct FailedLine {
    row: u32,
    messages: Vec<String>,
}

fn report(lang: Lang, v: &ImportView) -> minijinja::Value {
    minijinja::context! {
        id => v.id,
        running => v.state == ImportState::Running,
        failed_state => v.state == ImportState::Failed,
        dry_run => v.dry_run,
        rows => v.rows,
        processed => v.processed,
        created => v.created,
        updated => v.updated,
        error => v.error.clone().unwrap_or_default(),
        failed => v.failed.iter().map(|f| FailedLine {
            row: f.row,
            messages: f.errors.iter().flat_map(|(column, ms)| {
                ms.iter().map(move |m| format!("{column}: {}", in_words(lang, m)))
            }).collect(),
        }).collect::<Vec<_>>(),
    }
}

/// `GET /console/imports/{id}`: how far the import got, and its report.
pub async fn status(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let id = path.into_inner();
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let view = ctx
        .state
        .call(move |conn, _| imports::status(conn, &caller, &id))
        .await
        .map_err(|e| failure(&ctx, e))?;
    let running = view.state == ImportState::Running;
    let mut res = session_page(
        &ctx,
        &session,
        "console_import.html",
        StatusCode::OK,
        FormState::default(),
        None,
        report(ctx.lang, &view),
    );
    if running {
        res.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(CSP_WITH_PROGRESS),
        );
    }
    Ok(res)
}

/// `GET /console/exports/{participants|matches}.csv`: the export as a
/// download (never private tags, passwords or tokens; formulas neutralised).
pub async fn export(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let which = path.into_inner();
    if which != "participants.csv" && which != "matches.csv" {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let participants = which == "participants.csv";
    let csv = ctx
        .state
        .call(move |conn, _| {
            if participants {
                kindred_service::exports::participants_csv(conn, &caller)
            } else {
                kindred_service::exports::matches_csv(conn, &caller)
            }
        })
        .await
        .map_err(|e| failure(&ctx, e))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{which}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv))
}

/// The import page's values for the render test.
#[cfg(test)]
pub fn sample() -> minijinja::Value {
    let view = ImportView {
        id: "i1".into(),
        state: ImportState::Done,
        dry_run: true,
        rows: 4,
        processed: 4,
        created: 2,
        updated: 1,
        failed: vec![kindred_service::imports::FailedRow {
            row: 3,
            errors: [(
                "timezone".to_string(),
                vec!["must be an IANA time zone name <x>".to_string()],
            )]
            .into_iter()
            .collect(),
        }],
        error: None,
        created_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        finished_at: None,
    };
    report(Lang::En, &view)
}
