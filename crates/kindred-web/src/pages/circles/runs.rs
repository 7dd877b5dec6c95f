//! Circle runs in the console: start one (a dry run or for real, with the
//! circle sizes), the latest runs, and a run's report as charts like the
//! matching report's, each with its figures in a table beside it: placed
//! and unplaced per category, circle sizes, unplaced by reason, the
//! objective against the proven upper bound (and the gap); then the
//! circles it created.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_service::circles::formation::{self, CircleRunInput, CircleRunView};
use serde::{Deserialize, Serialize};

use super::{field_errors, plausible, NoticeQuery};
use crate::charts::{self, Bar};
use crate::context::{Ctx, Session};
use crate::error::WebResult;
use crate::forms::{field, Field, FormState};
use crate::i18n::Lang;
use crate::pages::console::coordinator;
use crate::pages::{see_other, session_page};

const FIELDS: &[Field] = &[
    field("min_size", "min-size", "circles-field-min-size"),
    field("max_size", "max-size", "circles-field-max-size"),
];

/// How many earlier runs the form lists.
const LATEST: i64 = 10;

/// A row of the table beside a chart.
#[derive(Serialize)]
struct FigureRow {
    label: String,
    values: Vec<String>,
}

fn rows(items: &[(String, Vec<u64>)]) -> Vec<FigureRow> {
    items
        .iter()
        .map(|(label, v)| FigureRow {
            label: label.clone(),
            values: v.iter().map(u64::to_string).collect(),
        })
        .collect()
}

fn bars(items: &[(String, Vec<u64>)]) -> Vec<Bar> {
    items
        .iter()
        .map(|(label, v)| Bar::new(label.clone(), v.clone()))
        .collect()
}

fn count(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0)
}

/// The report's charts and tables, in the page's language.
fn report(lang: Lang, run: &CircleRunView) -> minijinja::Value {
    let r = &run.report;
    let placed = lang.t("circles-run-placed");
    let unplaced = lang.t("circles-run-unplaced");
    let categories: Vec<(String, Vec<u64>)> = r
        .get("per_category")
        .and_then(serde_json::Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(name, c)| {
                    let label = lang
                        .text(&format!("profile-category-{name}"), &[])
                        .unwrap_or_else(|_| name.clone());
                    (label, vec![count(c, "placed"), count(c, "unplaced")])
                })
                .collect()
        })
        .unwrap_or_default();
    let sizes: Vec<(String, Vec<u64>)> = r
        .get("size_histogram")
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .filter(|(size, _)| *size > 0)
                .map(|(size, n)| (size.to_string(), vec![n.as_u64().unwrap_or(0)]))
                .collect()
        })
        .unwrap_or_default();
    let reasons: Vec<(String, Vec<u64>)> = [
        "no_compatible_facilitator",
        "no_common_slot",
        "too_few_compatible_people",
        "lost_to_higher_scoring_circles",
    ]
    .iter()
    .map(|key| {
        let n = r.get("unplaced_by_reason").map_or(0, |by| count(by, key));
        (lang.t(&format!("circles-reason-{key}")), vec![n])
    })
    .collect();
    let objective = u64::try_from(run.total_score).unwrap_or(0);
    let bound = u64::try_from(run.upper_bound).unwrap_or(0);
    let totals: Vec<(String, Vec<u64>)> = vec![
        (lang.t("circles-run-objective"), vec![objective]),
        (lang.t("circles-run-upper-bound"), vec![bound]),
    ];
    let gap = r
        .get("gap_percent")
        .and_then(serde_json::Value::as_f64)
        .unwrap_or(0.0);
    let score = lang.t("console-run-total-score");
    minijinja::context! {
        requests => count(r, "requests"),
        facilitators => count(r, "facilitators"),
        facilitators_used => count(r, "facilitators_used"),
        category_chart => charts::horizontal("chart-circle-categories", &lang.t("circles-run-categories-title"), &[&placed, &unplaced], &bars(&categories)),
        category_rows => rows(&categories),
        size_chart => charts::vertical("chart-circle-sizes", &lang.t("circles-run-sizes-title"), &bars(&sizes)),
        size_rows => rows(&sizes),
        reason_chart => charts::horizontal("chart-circle-reasons", &lang.t("circles-run-reasons-title"), &[&unplaced], &bars(&reasons)),
        reason_rows => rows(&reasons),
        bound_chart => charts::horizontal("chart-circle-bound", &lang.t("circles-run-bound-title"), &[&score], &bars(&totals)),
        bound_rows => rows(&totals),
        gap => format!("{gap:.1}"),
    }
}

/// A run in the list of the latest.
#[derive(Serialize)]
struct RunRow {
    id: String,
    dry_run: bool,
    created: String,
    circles: i32,
    placed: i32,
    unplaced: i32,
}

async fn show_form(
    ctx: &Ctx,
    session: &Session,
    status: StatusCode,
    form: FormState,
) -> WebResult<HttpResponse> {
    let caller = session.caller.clone();
    let latest = ctx
        .state
        .call(move |conn, _| formation::latest_runs(conn, &caller, LATEST))
        .await
        .map_err(|e| super::failure(ctx, e))?;
    let runs: Vec<RunRow> = latest
        .iter()
        .map(|r| RunRow {
            id: r.id.clone(),
            dry_run: r.dry_run,
            created: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            circles: r.circles,
            placed: r.placed,
            unplaced: r.unplaced,
        })
        .collect();
    let settings = &ctx.state.settings.circles;
    let values = minijinja::context! {
        runs => runs,
        min_size => settings.min_size,
        max_size => settings.max_size,
    };
    Ok(session_page(
        ctx,
        session,
        "console_circle_runs.html",
        status,
        form,
        None,
        values,
    ))
}

/// `GET /console/circle-runs`.
pub async fn form(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    show_form(&ctx, &session, StatusCode::OK, FormState::default()).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RunForm {
    csrf: String,
    dry_run: String,
    min_size: String,
    max_size: String,
}

/// A size as typed: empty is the configured default; anything else that
/// is not a number is out of range (the service says so).
fn size(typed: &str) -> Option<i64> {
    let t = typed.trim();
    (!t.is_empty()).then(|| t.parse().unwrap_or(0))
}

/// `POST /console/circle-runs`: a dry run (`dry_run=yes`) or for real; then
/// its report.
pub async fn start(req: HttpRequest, form: web::Form<RunForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let input = CircleRunInput {
        dry_run: form.dry_run == "yes",
        min_size: size(&form.min_size),
        max_size: size(&form.max_size),
    };
    let caller = session.caller.clone();
    let run = ctx
        .state
        .call(move |conn, settings| formation::run(conn, settings, &caller, &input))
        .await;
    match run {
        Ok(run) => Ok(see_other(&format!("/console/circle-runs/{}", run.id))),
        Err(err) => {
            let shown = FormState::with_values(&[
                ("min-size", &form.min_size),
                ("max-size", &form.max_size),
            ]);
            let form =
                field_errors(&ctx, err, FIELDS, shown).map_err(|e| super::failure(&ctx, e))?;
            show_form(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, form).await
        }
    }
}

/// The page's values of run `run`.
fn run_values(lang: Lang, run: &CircleRunView) -> minijinja::Value {
    let unplaced: Vec<minijinja::Value> = run
        .unplaced_requests
        .iter()
        .map(|u| {
            minijinja::context! {
                request_id => u.request_id,
                reason => lang.text(&format!("circles-reason-{}", u.reason), &[]).unwrap_or_else(|_| u.reason.clone()),
            }
        })
        .collect();
    minijinja::context! {
        id => run.id,
        dry_run => run.dry_run,
        min_size => run.min_size,
        max_size => run.max_size,
        circles => run.circles,
        placed => run.placed,
        unplaced => run.unplaced,
        total_score => run.total_score,
        upper_bound => run.upper_bound,
        duration_ms => run.duration_ms,
        created => run.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        circle_ids => run.circle_ids,
        unplaced_requests => unplaced,
        report => report(lang, run),
    }
}

/// `GET /console/circle-runs/{id}`: the report and the circles created.
pub async fn show(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    plausible(&ctx, &path)?;
    let caller = session.caller.clone();
    let id = path.into_inner();
    let run = ctx
        .state
        .call(move |conn, _| formation::get_run(conn, &caller, &id))
        .await
        .map_err(|e| super::failure(&ctx, e))?;
    Ok(session_page(
        &ctx,
        &session,
        "console_circle_run.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
        run_values(ctx.lang, &run),
    ))
}

/// A run's page for the render test.
#[cfg(test)]
pub fn sample() -> minijinja::Value {
    let run = CircleRunView {
        id: "run1".into(),
        dry_run: false,
        min_size: 4,
        max_size: 8,
        circles: 1,
        placed: 5,
        unplaced: 2,
        total_score: 300,
        upper_bound: 330,
        duration_ms: 15,
        report: serde_json::json!({
            "requests": 7, "placed": 5, "unplaced": 2,
            "unplaced_by_reason": {"no_common_slot": 1, "too_few_compatible_people": 1},
            "circles": 1, "facilitators": 2, "facilitators_used": 1,
            "size_histogram": [0, 0, 0, 0, 0, 1],
            "per_category": {"identity": {"requests": 5, "placed": 4, "unplaced": 1},
                             "<x>": {"requests": 2, "placed": 1, "unplaced": 1}},
            "objective": 300, "upper_bound": 330, "gap_percent": 9.09
        }),
        unplaced_requests: vec![formation::UnplacedView {
            request_id: "r9".into(),
            reason: "no_common_slot".into(),
        }],
        circle_ids: vec!["c1".into()],
        created_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
    };
    run_values(Lang::En, &run)
}

/// The run form's values for the render test.
#[cfg(test)]
pub fn sample_form() -> minijinja::Value {
    minijinja::context! {
        runs => vec![RunRow { id: "run1".into(), dry_run: true, created: "2026-12-01 10:00 UTC".into(), circles: 1, placed: 5, unplaced: 2 }],
        min_size => 4,
        max_size => 8,
    }
}
