//! Programme health in the console: the figures over a date range as
//! charts with their tables (`programme::trends`), where no figure
//! describes fewer than 5 people (the service withholds them; the page
//! says "fewer than 5").

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::programme::trends::{self, Cell, Trends};
use serde::Deserialize;

use super::{category_label, coordinator, failure, FigureRow};
use crate::charts::{self, Bar};
use crate::context::Ctx;
use crate::error::WebResult;
use crate::forms::{field, Field, FormState};
use crate::i18n::Lang;
use crate::pages::{form_failure, session_page};

const FIELDS: &[Field] = &[
    field("from", "from", "console-health-from"),
    field("to", "to", "console-health-to"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RangeQuery {
    from: String,
    to: String,
}

/// A cell as text: its number, or "fewer than 5".
fn cell_text(lang: Lang, cell: Cell) -> String {
    cell.value
        .map_or_else(|| lang.t("console-health-fewer"), |n| n.to_string())
}

fn cell_bar(lang: Lang, label: String, cell: Cell) -> Bar {
    match cell.value {
        Some(n) => Bar::new(label, vec![n as u64]),
        None => Bar::withheld(label, lang.t("console-health-fewer")),
    }
}

/// A week's figure: a number (and its text), or withheld (the chart's
/// short mark and the table's words).
enum Figure {
    Shown(u64, String),
    Withheld(&'static str, String),
}

/// One weekly series as a chart and its table rows.
fn weekly(
    t: &Trends,
    id: &str,
    title: &str,
    value: impl Fn(&trends::Week) -> Figure,
) -> (minijinja::Value, Vec<FigureRow>) {
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    for w in &t.weeks {
        let label = w.start.format("%d %b").to_string();
        let (bar, text) = match value(w) {
            Figure::Shown(n, text) => (Bar::new(label.clone(), vec![n]), text),
            Figure::Withheld(mark, text) => (Bar::withheld(label.clone(), mark), text),
        };
        bars.push(bar);
        rows.push(FigureRow {
            label: w.start.format("%Y-%m-%d").to_string(),
            values: vec![text],
        });
    }
    (charts::vertical(id, title, &bars), rows)
}

fn count(lang: Lang, cell: Cell) -> Figure {
    match cell.value {
        Some(n) => Figure::Shown(n as u64, n.to_string()),
        None => Figure::Withheld("<5", cell_text(lang, cell)),
    }
}

/// A median or rate: shown, or "not shown" (fewer than 5 people).
fn measure(lang: Lang, value: Option<(u64, String)>) -> Figure {
    match value {
        Some((n, text)) => Figure::Shown(n, text),
        None => Figure::Withheld("–", lang.t("console-health-not-shown")),
    }
}

/// The page's charts and tables.
fn values(lang: Lang, t: &Trends) -> minijinja::Value {
    let title = |id: &str| lang.t(id);
    let requests = weekly(
        t,
        "chart-requests",
        &title("console-health-requests"),
        |w| count(lang, w.requests),
    );
    let started = weekly(t, "chart-started", &title("console-health-started"), |w| {
        count(lang, w.started)
    });
    let ended = weekly(t, "chart-ended", &title("console-health-ended"), |w| {
        count(lang, w.ended)
    });
    let median = weekly(t, "chart-median", &title("console-health-median"), |w| {
        measure(
            lang,
            w.median_hours_to_match
                .map(|h| (h.round() as u64, format!("{:.0}", h))),
        )
    });
    let acceptance = weekly(
        t,
        "chart-acceptance",
        &title("console-health-acceptance"),
        |w| {
            measure(
                lang,
                w.acceptance_rate
                    .map(|r| ((r * 100.0).round() as u64, format!("{:.0} %", r * 100.0))),
            )
        },
    );
    let mut reason_bars: Vec<Bar> = t
        .ended_early_reasons
        .iter()
        .map(|(reason, n)| Bar::new(reason.clone(), vec![*n as u64]))
        .collect();
    reason_bars.push(cell_bar(
        lang,
        lang.t("console-health-other-reasons"),
        t.ended_early_other,
    ));
    let mut reason_rows: Vec<FigureRow> = t
        .ended_early_reasons
        .iter()
        .map(|(reason, n)| FigureRow {
            label: reason.clone(),
            values: vec![n.to_string()],
        })
        .collect();
    reason_rows.push(FigureRow {
        label: lang.t("console-health-other-reasons"),
        values: vec![cell_text(lang, t.ended_early_other)],
    });
    let category = |c: &str| category_label(lang, c);
    let unmatched_bars: Vec<Bar> = t
        .unmatched_by_category
        .iter()
        .map(|(c, n)| cell_bar(lang, category(c), *n))
        .collect();
    let unmatched_rows: Vec<FigureRow> = t
        .unmatched_by_category
        .iter()
        .map(|(c, n)| FigureRow {
            label: category(c),
            values: vec![cell_text(lang, *n)],
        })
        .collect();
    let count_label = lang.t("console-health-count");
    minijinja::context! {
        from => t.from.format("%Y-%m-%d").to_string(),
        to => t.to.format("%Y-%m-%d").to_string(),
        requests_chart => requests.0, requests_rows => requests.1,
        started_chart => started.0, started_rows => started.1,
        ended_chart => ended.0, ended_rows => ended.1,
        median_chart => median.0, median_rows => median.1,
        acceptance_chart => acceptance.0, acceptance_rows => acceptance.1,
        reasons_chart => charts::horizontal("chart-reasons", &title("console-health-reasons"), &[&count_label], &reason_bars),
        reasons_rows => reason_rows,
        unmatched_chart => charts::horizontal("chart-unmatched", &title("console-health-unmatched"), &[&count_label], &unmatched_bars),
        unmatched_rows => unmatched_rows,
        has_unmatched => !t.unmatched_by_category.is_empty(),
    }
}

/// `GET /console/health?from=YYYY-MM-DD&to=YYYY-MM-DD` (default: the last
/// 12 weeks). A bad date shows the form with its message (422).
pub async fn page(req: HttpRequest, query: web::Query<RangeQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let caller = session.caller.clone();
    let (from, to) = (query.from.clone(), query.to.clone());
    let found = ctx
        .state
        .call(move |conn, _| trends::trends(conn, &caller, Some(from.as_str()), Some(to.as_str())))
        .await;
    let form = FormState::with_values(&[("from", &query.from), ("to", &query.to)]);
    let (status, form, t) = match found {
        Ok(t) => (StatusCode::OK, form, t),
        Err(ApiError::Validation(errors)) => {
            let with = form_failure(&ctx, ApiError::Validation(errors), FIELDS, form)?;
            // The default range beside the message.
            let caller = session.caller.clone();
            let t = ctx
                .state
                .call(move |conn, _| trends::trends(conn, &caller, None, None))
                .await
                .map_err(|e| failure(&ctx, e))?;
            (StatusCode::UNPROCESSABLE_ENTITY, with, t)
        }
        Err(e) => return Err(failure(&ctx, e)),
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_health.html",
        status,
        form,
        None,
        values(ctx.lang, &t),
    ))
}

/// The health page's values for the render test.
#[cfg(test)]
pub fn sample() -> minijinja::Value {
    use chrono::NaiveDate;
    let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let t = Trends {
        from: monday,
        to: monday + chrono::Duration::days(13),
        weeks: vec![
            trends::Week {
                start: monday,
                requests: Cell::of(7),
                started: Cell::of(2),
                ended: Cell::of(0),
                median_hours_to_match: Some(30.0),
                acceptance_rate: None,
            },
            trends::Week {
                start: monday + chrono::Duration::days(7),
                requests: Cell::of(12),
                started: Cell::of(6),
                ended: Cell::of(5),
                median_hours_to_match: None,
                acceptance_rate: Some(0.8),
            },
        ],
        ended_early_reasons: vec![("moved away".into(), 6)],
        ended_early_other: Cell::of(3),
        unmatched_by_category: vec![
            ("identity".into(), Cell::of(9)),
            ("<x>".into(), Cell::of(1)),
        ],
    };
    values(Lang::En, &t)
}
