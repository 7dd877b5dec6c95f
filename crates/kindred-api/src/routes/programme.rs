//! Programme health for coordinators: queue, speed, outcomes, gaps.

use actix_web::{web, HttpResponse};
use kindred_service::programme::{self, ProgrammeMetrics};

use crate::error::ApiResult;
use crate::extract::Caller;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/metrics/programme").route(web::get().to(programme_metrics)));
}

/// Programme health (coordinators).
#[utoipa::path(get, path = "/api/v1/metrics/programme", tag = "matching",
    responses((status = 200, body = ProgrammeMetrics), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn programme_metrics(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let metrics = state
        .call(move |conn, _| programme::metrics(conn, &caller))
        .await?;
    Ok(HttpResponse::Ok().json(metrics))
}
