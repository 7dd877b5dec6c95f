//! Matching runs in the console: a dry run's fairness report as charts
//! (each with its figures in a table beside it), then the run for real,
//! and approving a run's proposals at once after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::matches::runs::{self, RunInput, RunView};
use serde::Deserialize;

use super::{category_label, coordinator, failure, FigureRow, ListQuery};
use crate::charts::{self, Bar};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::FormState;
use crate::i18n::Lang;
use crate::pages::matches::plausible_id;
use crate::pages::{see_other, session_page};

/// `GET /console/runs`: choose the mode and preview.
pub async fn form(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    Ok(session_page(
        &ctx,
        &session,
        "console_runs.html",
        StatusCode::OK,
        FormState::default(),
        None,
        minijinja::Value::from(()),
    ))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RunForm {
    csrf: String,
    mode: String,
    dry_run: String,
}

/// `POST /console/runs`: a dry run (`dry_run=yes`) or the run for real;
/// then its report.
pub async fn start(req: HttpRequest, form: web::Form<RunForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let mode = match form.mode.as_str() {
        "optimal" | "stable" => form.mode.clone(),
        _ => return Err(ctx.fail(Failure::BadForm)),
    };
    let input = RunInput {
        mode,
        dry_run: form.dry_run == "yes",
    };
    let caller = session.caller.clone();
    let run = ctx
        .state
        .call(move |conn, settings| runs::start(conn, settings, &caller, &input))
        .await
        .map_err(|e| failure(&ctx, e))?;
    Ok(see_other(&format!("/console/runs/{}", run.id)))
}

fn count(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0)
}

fn int(v: &serde_json::Value, key: &str) -> i64 {
    v.get(key).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

/// The report's charts and tables, in the page's language.
fn report(lang: Lang, run: &RunView) -> minijinja::Value {
    let fairness = run.report.get("fairness").cloned().unwrap_or_default();
    let list = |key: &str| {
        fairness
            .get(key)
            .and_then(serde_json::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let categories: Vec<(String, u64, u64)> = list("per_category")
        .iter()
        .map(|c| {
            let name = c.get("category").and_then(|v| v.as_str()).unwrap_or("");
            (
                category_label(lang, name),
                count(c, "matched"),
                count(c, "unmatched"),
            )
        })
        .collect();
    let matched = lang.t("console-run-matched");
    let unmatched = lang.t("console-run-unmatched");
    let category_chart = charts::horizontal(
        "chart-categories",
        &lang.t("console-run-categories-title"),
        &[&matched, &unmatched],
        &categories
            .iter()
            .map(|(label, m, u)| Bar::new(label.clone(), vec![*m, *u]))
            .collect::<Vec<_>>(),
    );
    let category_rows: Vec<FigureRow> = categories
        .iter()
        .map(|(label, m, u)| FigureRow {
            label: label.clone(),
            values: vec![m.to_string(), u.to_string()],
        })
        .collect();
    let loads: Vec<(String, u64)> = list("new_load_histogram")
        .iter()
        .enumerate()
        .map(|(i, n)| (i.to_string(), n.as_u64().unwrap_or(0)))
        .collect();
    let load_chart = charts::vertical(
        "chart-load",
        &lang.t("console-run-load-title"),
        &loads
            .iter()
            .map(|(label, n)| Bar::new(label.clone(), vec![*n]))
            .collect::<Vec<_>>(),
    );
    let scores: Vec<(String, u64)> = list("score_histogram")
        .iter()
        .map(|b| {
            (
                format!("{}–{}", int(b, "from"), int(b, "to")),
                count(b, "count"),
            )
        })
        .collect();
    let score_chart = charts::vertical(
        "chart-scores",
        &lang.t("console-run-scores-title"),
        &scores
            .iter()
            .map(|(label, n)| Bar::new(label.clone(), vec![*n]))
            .collect::<Vec<_>>(),
    );
    let totals: Vec<(String, u64)> = [
        ("console-run-optimal", "optimal_total"),
        ("console-run-stable", "stable_total"),
        ("console-run-greedy", "greedy_total"),
    ]
    .iter()
    .map(|(id, key)| (lang.t(id), u64::try_from(int(&fairness, key)).unwrap_or(0)))
    .collect();
    let totals_chart = charts::horizontal(
        "chart-totals",
        &lang.t("console-run-totals-title"),
        &[&lang.t("console-run-total-score")],
        &totals
            .iter()
            .map(|(label, n)| Bar::new(label.clone(), vec![*n]))
            .collect::<Vec<_>>(),
    );
    minijinja::context! {
        requests => count(&fairness, "requests"),
        matched => count(&fairness, "matched"),
        unmatched => count(&fairness, "unmatched"),
        unmatched_no_feasible => count(&fairness, "unmatched_no_feasible"),
        active_mentors => count(&fairness, "active_mentors"),
        mentors_idle => count(&fairness, "mentors_idle"),
        mentors_at_capacity => count(&fairness, "mentors_at_capacity"),
        category_chart => category_chart,
        category_rows => category_rows,
        load_chart => load_chart,
        load_rows => loads.iter().map(|(l, n)| FigureRow { label: l.clone(), values: vec![n.to_string()] }).collect::<Vec<_>>(),
        score_chart => score_chart,
        score_rows => scores.iter().map(|(l, n)| FigureRow { label: l.clone(), values: vec![n.to_string()] }).collect::<Vec<_>>(),
        totals_chart => totals_chart,
        totals_rows => totals.iter().map(|(l, n)| FigureRow { label: l.clone(), values: vec![n.to_string()] }).collect::<Vec<_>>(),
    }
}

/// Reads run `id` and how many of its proposals wait for review.
async fn load(ctx: &Ctx, session: &Session, id: String) -> WebResult<(RunView, usize)> {
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    ctx.state
        .call(move |conn, _| {
            let run = runs::get(conn, &caller, &id)?;
            let pending = runs::pending_proposals(conn, &caller, &id)?;
            Ok((run, pending))
        })
        .await
        .map_err(|e: ApiError| failure(ctx, e))
}

/// `GET /console/runs/{id}`: the report; after a dry run, "run for real";
/// after a real run, its proposals to review or approve at once.
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let (run, pending) = load(&ctx, &session, path.into_inner()).await?;
    let notice = match query.notice.as_str() {
        "approved-all" => Some("console-notice-approved-all"),
        _ => None,
    };
    let values = minijinja::context! {
        id => run.id,
        mode => run.mode,
        dry_run => run.dry_run,
        proposals => run.proposals,
        total_score => run.total_score,
        duration_ms => run.duration_ms,
        created => run.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        pending => pending,
        report => report(ctx.lang, &run),
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_run.html",
        StatusCode::OK,
        FormState::default(),
        notice,
        values,
    ))
}

/// `GET /console/runs/{id}/approve`: what approving them all does, and
/// the button.
pub async fn confirm(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let (run, pending) = load(&ctx, &session, path.into_inner()).await?;
    Ok(session_page(
        &ctx,
        &session,
        "console_run_approve.html",
        StatusCode::OK,
        FormState::default(),
        None,
        minijinja::context! { id => run.id, pending => pending },
    ))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /console/runs/{id}/approve`: approves every proposal of the run
/// still waiting (each as its own approval; one that cannot be approved
/// any more stays for review).
pub async fn approve_all(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let id = path.into_inner();
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let run_id = id.clone();
    ctx.state
        .call(move |conn, settings| runs::approve_all(conn, settings, &caller, &run_id))
        .await
        .map_err(|e| failure(&ctx, e))?;
    Ok(see_other(&format!(
        "/console/runs/{id}?notice=approved-all"
    )))
}

/// A dry run's report page for the render test.
#[cfg(test)]
pub fn sample() -> minijinja::Value {
    let run = RunView {
        id: "run1".into(),
        mode: "optimal".into(),
        dry_run: true,
        proposals: 3,
        unmatched: 1,
        total_score: 150,
        duration_ms: 12,
        created_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
        report: serde_json::json!({"fairness": {
            "requests": 4, "matched": 3, "unmatched": 1, "unmatched_no_feasible": 1,
            "per_category": [{"category": "identity", "requests": 3, "matched": 2, "unmatched": 1},
                             {"category": "<x>", "requests": 1, "matched": 1, "unmatched": 0}],
            "active_mentors": 3, "mentors_idle": 1, "mentors_at_capacity": 1,
            "new_load_histogram": [1, 1, 1],
            "score_histogram": [{"from": 40, "to": 49, "count": 2}, {"from": 50, "to": 59, "count": 1}],
            "optimal_total": 150, "stable_total": 140, "greedy_total": 120
        }}),
    };
    minijinja::context! {
        id => run.id, mode => run.mode, dry_run => true, proposals => 3, total_score => 150,
        duration_ms => 12, created => "1970-01-01 00:00 UTC", pending => 0,
        report => report(Lang::En, &run),
    }
}
