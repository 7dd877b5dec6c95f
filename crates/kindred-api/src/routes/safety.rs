//! Check-ins, blocks and reports: the safety side of a match.

use actix_web::{web, HttpResponse};
use kindred_service::pagination::PageQuery;
use kindred_service::safety::inbox::{self, InboxItem, InboxKind};
use kindred_service::safety::{
    self, BlockInput, BlockView, CheckInInput, CheckInView, ReportInput, ReportView,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;
use kindred_service::ratelimit::UserAction;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/matches/{id}/check-ins")
            .route(web::post().to(create_check_in))
            .route(web::get().to(list_check_ins)),
    )
    .service(web::resource("/check-ins").route(web::get().to(support_queue)))
    .service(web::resource("/blocks").route(web::post().to(create_block)))
    .service(
        web::resource("/reports")
            .route(web::post().to(create_report))
            .route(web::get().to(list_reports)),
    )
    .service(web::resource("/safety/inbox").route(web::get().to(safety_inbox)))
    .service(
        web::resource("/reports/{id}/handled")
            .route(web::post().to(report_handled))
            .route(web::delete().to(report_reopen)),
    )
    .service(
        web::resource("/check-ins/{id}/handled")
            .route(web::post().to(check_in_handled))
            .route(web::delete().to(check_in_reopen)),
    );
}

/// A participant of an active match reports how it is going.
#[utoipa::path(post, path = "/api/v1/matches/{id}/check-ins", tag = "safety", params(("id" = String, Path)),
    request_body = CheckInInput,
    responses((status = 201, body = CheckInView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_check_in(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<CheckInInput>,
) -> ApiResult<HttpResponse> {
    state.limit_user(UserAction::CheckIn, caller.id()).await?;
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| safety::create_check_in(conn, settings, &caller, &id, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Check-ins of a match: its participants and coordinators. A participant
/// sees the other's rating and time, not their note or support request.
#[utoipa::path(get, path = "/api/v1/matches/{id}/check-ins", tag = "safety", params(("id" = String, Path)),
    responses((status = 200, body = Vec<CheckInView>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_check_ins(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let views = state
        .call(move |conn, _| safety::list_check_ins(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupportQuery {
    /// Must be `true`: the coordinators' list of check-ins asking for support.
    #[param(required = true, value_type = OnlyTrue, inline)]
    pub needs_support: Option<bool>,
}

/// The boolean `true` and nothing else (schema helper for OpenAPI).
pub struct OnlyTrue;

impl utoipa::PartialSchema for OnlyTrue {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Boolean)
            .enum_values(Some([true]))
            .into()
    }
}

impl utoipa::ToSchema for OnlyTrue {}

/// Check-ins that asked for support, newest first (coordinators).
#[utoipa::path(get, path = "/api/v1/check-ins", tag = "safety", params(SupportQuery),
    responses((status = 200, body = Vec<CheckInView>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn support_queue(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SupportQuery>,
) -> ApiResult<HttpResponse> {
    let needs_support = query.needs_support;
    let views = state
        .call(move |conn, _| safety::support_queue(conn, &caller, needs_support))
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// Blocks someone: the pair is never proposed again, in either direction,
/// and any open match between them is closed.
#[utoipa::path(post, path = "/api/v1/blocks", tag = "safety", request_body = BlockInput,
    responses((status = 201, body = BlockView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_block(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<BlockInput>,
) -> ApiResult<HttpResponse> {
    state.limit_user(UserAction::Block, caller.id()).await?;
    let view = state
        .call(move |conn, settings| safety::block(conn, settings, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Reports a concern about someone; coordinators are alerted at once (or, while alerts flood, in one summary at the end of `safety.alert_batch_window`).
#[utoipa::path(post, path = "/api/v1/reports", tag = "safety", request_body = ReportInput,
    responses((status = 201, body = ReportView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_report(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ReportInput>,
) -> ApiResult<HttpResponse> {
    state.limit_user(UserAction::Report, caller.id()).await?;
    let view = state
        .call(move |conn, settings| safety::report(conn, settings, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportsQuery {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

/// Every report, oldest first (coordinators).
#[utoipa::path(get, path = "/api/v1/reports", tag = "safety", params(ReportsQuery),
    responses((status = 200, body = ReportPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReportsQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let found = state
        .call(move |conn, _| safety::list_reports(conn, &caller, page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportPage {
    pub items: Vec<ReportView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `open` (default): not handled yet; `handled`; `all`.
    #[param(value_type = Option<InboxState>, inline)]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page: the next page holds older items.
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

/// The values of the inbox's `state` (schema helper for OpenAPI).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum InboxState {
    Open,
    Handled,
    All,
}

/// The safety inbox (coordinators): reports and check-ins that asked for
/// support, newest first, with the people involved, the match, the text and
/// who handled it.
#[utoipa::path(get, path = "/api/v1/safety/inbox", tag = "safety", params(InboxQuery),
    responses((status = 200, body = InboxPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn safety_inbox(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<InboxQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let found = state
        .call(move |conn, _| inbox::inbox(conn, &caller, q.state.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub next_cursor: Option<String>,
}

async fn set_handled(
    state: web::Data<AppState>,
    caller: Caller,
    kind: InboxKind,
    id: String,
    handled: bool,
) -> ApiResult<HttpResponse> {
    let item = state
        .call(move |conn, _| {
            if handled {
                inbox::mark_handled(conn, &caller, kind, &id)
            } else {
                inbox::reopen(conn, &caller, kind, &id)
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(item))
}

/// Marks a report handled (coordinators). Handling it again keeps the
/// first time and coordinator; its `status` becomes `resolved`.
#[utoipa::path(post, path = "/api/v1/reports/{id}/handled", tag = "safety", params(("id" = String, Path)),
    responses((status = 200, body = InboxItem), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn report_handled(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    set_handled(state, caller, InboxKind::Report, path.into_inner(), true).await
}

/// Opens a handled report again (coordinators); its `status` becomes `open`.
#[utoipa::path(delete, path = "/api/v1/reports/{id}/handled", tag = "safety", params(("id" = String, Path)),
    responses((status = 200, body = InboxItem), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn report_reopen(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    set_handled(state, caller, InboxKind::Report, path.into_inner(), false).await
}

/// Marks a check-in that asked for support handled (coordinators).
/// Handling it again keeps the first time and coordinator; a check-in that
/// did not ask for support is `404`.
#[utoipa::path(post, path = "/api/v1/check-ins/{id}/handled", tag = "safety", params(("id" = String, Path)),
    responses((status = 200, body = InboxItem), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn check_in_handled(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    set_handled(state, caller, InboxKind::CheckIn, path.into_inner(), true).await
}

/// Opens a handled check-in again (coordinators).
#[utoipa::path(delete, path = "/api/v1/check-ins/{id}/handled", tag = "safety", params(("id" = String, Path)),
    responses((status = 200, body = InboxItem), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn check_in_reopen(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    set_handled(state, caller, InboxKind::CheckIn, path.into_inner(), false).await
}
