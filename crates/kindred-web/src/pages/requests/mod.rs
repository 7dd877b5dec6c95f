//! Ask for a mentor (required tags, regions to avoid, a note) and withdraw the request.
//!
//! `GET /request` shows the mentee's request in progress with its state in
//! words (and a "Withdraw" button while it is open), or the form to ask;
//! a mentee without a profile is sent to `/profile` first. `POST /request`
//! is `requests::create` (`POST /requests`), `POST /request/withdraw` is
//! `requests::withdraw` (`DELETE /requests/{id}`).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::ratelimit::UserAction;
use kindred_service::requests::{self, RequestInput, RequestView};
use kindred_service::tags::TagView;
use serde::{Deserialize, Serialize};

use super::profile::choices::tag_label;
use super::profile::errors::{indexed, Located, Shown};
use super::profile::posted;
use super::profile::view::{Fields, TagGroup, TagRow};
use super::{see_other, session_page, Area};
use crate::context::{Ctx, Session};
use crate::error::WebResult;
use crate::i18n::Lang;

pub const AREA: Area = Area {
    templates: &[(
        "request.html",
        include_str!("../../../templates/request.html"),
    )],
    pages: &["request.html"],
    message_ids: &[
        "request-notice-created",
        "request-notice-withdrawn",
        "request-notice-cannot-withdraw",
        "request-state-open",
        "request-state-matched",
        "request-state-withdrawn",
        "request-state-closed",
        "request-tags-legend",
        "request-field-regions",
        "request-field-note",
    ],
    routes,
};

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/request")
            .app_data(super::profile::form_config())
            .route(web::get().to(request_page))
            .route(web::post().to(ask)),
    )
    .service(web::resource("/request/withdraw").route(web::post().to(withdraw)));
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestQuery {
    notice: String,
}

impl RequestQuery {
    fn notice(&self) -> Option<&'static str> {
        match self.notice.as_str() {
            "created" => Some("request-notice-created"),
            "withdrawn" => Some("request-notice-withdrawn"),
            "cannot-withdraw" => Some("request-notice-cannot-withdraw"),
            _ => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    csrf: String,
    id: String,
}

/// The request form as typed.
#[derive(Debug, Default)]
pub struct RequestDraft {
    pub tags: Vec<String>,
    pub regions: String,
    pub note: String,
}

impl RequestDraft {
    pub fn from_form(pairs: &[(String, String)]) -> RequestDraft {
        let mut draft = RequestDraft::default();
        for (name, value) in pairs {
            match name.as_str() {
                "required_tag" if !draft.tags.contains(value) => draft.tags.push(value.clone()),
                "excluded_regions" => draft.regions.clone_from(value),
                "note" => draft.note.clone_from(value),
                _ => {}
            }
        }
        draft
    }

    /// The API's body: one region a line (blank lines ignored).
    pub fn to_input(&self) -> RequestInput {
        RequestInput {
            required_tags: self.tags.clone(),
            excluded_regions: self
                .regions
                .lines()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect(),
            note: Some(self.note.clone()).filter(|n| !n.trim().is_empty()),
        }
    }
}

/// The request in progress, as the page shows it.
#[derive(Debug, Serialize)]
pub struct Live {
    pub id: String,
    pub state: String,
    pub asked: String,
    pub tags: Vec<String>,
    pub regions: Vec<String>,
    pub note: Option<String>,
}

/// The page's values (`page` in the template).
#[derive(Debug, Serialize, Default)]
pub struct Asking {
    pub not_mentee: bool,
    pub live: Option<Live>,
    pub groups: Vec<TagGroup>,
    pub form: Fields,
}

impl Asking {
    /// Writes the tag checkboxes, with the messages beside them.
    fn render_controls(&mut self, lang: Lang) {
        for group in &mut self.groups {
            group.render(lang, &self.form.errors, "required_tag", false);
        }
    }
}

fn req_tag_input(slug: &str) -> String {
    format!("req-tag-{slug}")
}

/// The taxonomy by category (the profile's order), as request checkboxes.
fn groups(lang: Lang, taxonomy: &[TagView], checked: &[String]) -> Vec<TagGroup> {
    let mut categories: Vec<&str> = vec!["identity", "experience", "support"];
    for t in taxonomy {
        if !categories.contains(&t.category.as_str()) {
            categories.push(&t.category);
        }
    }
    categories
        .into_iter()
        .map(|category| {
            TagGroup::new(
                category.to_string(),
                taxonomy
                    .iter()
                    .filter(|t| t.category == category)
                    .map(|t| TagRow {
                        slug: t.slug.clone(),
                        id: req_tag_input(&t.slug),
                        label: tag_label(lang, &t.slug, &t.label),
                        sensitive: false,
                        checked: checked.contains(&t.slug),
                        private: false,
                    })
                    .collect(),
            )
        })
        .filter(|g| !g.tags.is_empty())
        .collect()
}

fn live(lang: Lang, taxonomy: &[TagView], r: RequestView) -> Live {
    let label = |slug: &String| super::profile::choices::taxonomy_label(lang, taxonomy, slug);
    Live {
        asked: r.created_at.format("%Y-%m-%d").to_string(),
        tags: r.required_tags.iter().map(label).collect(),
        id: r.id,
        state: r.state,
        regions: r.excluded_regions,
        note: r.note,
    }
}

/// Where the service's error `path` is shown on the request form.
fn locate(lang: Lang, draft: &RequestDraft, groups: &[TagGroup], path: &str) -> Located {
    let rows: Vec<&TagRow> = groups.iter().flat_map(|g| g.tags.iter()).collect();
    let at = |input: String, label: String, order: usize| Located {
        input,
        label,
        order,
    };
    let regions = || {
        at(
            "excluded_regions".into(),
            lang.t("request-field-regions"),
            1000,
        )
    };
    let tag_at = |slug: Option<&String>| {
        let found = slug.and_then(|s| rows.iter().position(|r| &r.slug == s));
        match (found, rows.first()) {
            (Some(i), _) => at(rows[i].id.clone(), rows[i].label.clone(), 100 + i),
            (None, Some(first)) => at(first.id.clone(), lang.t("request-tags-legend"), 99),
            (None, None) => regions(),
        }
    };
    if path == "required_tags" {
        return tag_at(None);
    }
    if let Some((i, _)) = indexed(path, "required_tags") {
        return tag_at(draft.tags.get(i));
    }
    if path == "note" {
        return at("note".into(), lang.t("request-field-note"), 1001);
    }
    if path == "excluded_regions" || indexed(path, "excluded_regions").is_some() {
        return regions();
    }
    tag_at(None)
}

fn render(
    ctx: &Ctx,
    session: &Session,
    page: Asking,
    shown: Shown,
    status: StatusCode,
    notice: Option<&'static str>,
) -> HttpResponse {
    let mut page = page;
    page.form.errors = shown.beside;
    page.render_controls(ctx.lang);
    session_page(
        ctx,
        session,
        "request.html",
        status,
        shown.form,
        notice,
        minijinja::Value::from_serialize(&page),
    )
}

/// The request in progress, or the form to ask for a mentor.
pub async fn request_page(
    req: HttpRequest,
    query: web::Query<RequestQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let found = ctx
        .state
        .call(move |conn, _| {
            let own = requests::own(conn, &caller)?;
            let taxonomy = web.taxonomy.offered(conn, &caller)?;
            Ok((own, taxonomy))
        })
        .await;
    let (own, taxonomy) = match found {
        Ok(found) => found,
        Err(ApiError::Forbidden(_)) => {
            let page = Asking {
                not_mentee: true,
                ..Asking::default()
            };
            return Ok(render(
                &ctx,
                &session,
                page,
                Shown::default(),
                StatusCode::OK,
                None,
            ));
        }
        Err(err) => return Err(ctx.api_failure(err)),
    };
    if !own.has_profile {
        return Ok(see_other("/profile?role=mentee&notice=profile-first"));
    }
    let page = Asking {
        live: own.live.map(|r| live(ctx.lang, &taxonomy, r)),
        groups: groups(ctx.lang, &taxonomy, &[]),
        ..Asking::default()
    };
    Ok(render(
        &ctx,
        &session,
        page,
        Shown::default(),
        StatusCode::OK,
        query.notice(),
    ))
}

/// Asks for a mentor. A request already in progress, or no profile, goes
/// back to `/request`, which shows why.
pub async fn ask(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let pairs = form.into_inner();
    ctx.check_session(&session, posted(&pairs, "csrf"))?;
    // The API's per-person budget for requests, shared by both front ends.
    ctx.state
        .limit_user(UserAction::Request, session.caller.id())
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let draft = RequestDraft::from_form(&pairs);
    let input = draft.to_input();
    let caller = session.caller.clone();
    let created = ctx
        .state
        .call(move |conn, _| requests::create(conn, &caller, &input))
        .await;
    let errors: BTreeMap<String, Vec<String>> = match created {
        Ok(_) => return Ok(see_other("/request?notice=created")),
        Err(ApiError::Conflict { .. }) => return Ok(see_other("/request")),
        Err(ApiError::Validation(errors)) => errors,
        Err(err) => return Err(ctx.api_failure(err)),
    };
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let taxonomy = ctx
        .state
        .call(move |conn, _| web.taxonomy.offered(conn, &caller))
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let lang = ctx.lang;
    let groups = groups(lang, &taxonomy, &draft.tags);
    let shown = Shown::from_errors(lang, &errors, |path| locate(lang, &draft, &groups, path));
    let mut page = Asking {
        groups,
        ..Asking::default()
    };
    page.form
        .values
        .insert("excluded_regions", draft.regions.clone());
    page.form.values.insert("note", draft.note.clone());
    Ok(render(
        &ctx,
        &session,
        page,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    ))
}

/// Withdraws the open request. One a mentor was already asked about (or
/// matched) cannot be withdrawn: the page says so.
pub async fn withdraw(req: HttpRequest, form: web::Form<WithdrawForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    let caller = session.caller.clone();
    let id = form.into_inner().id;
    let done = ctx
        .state
        .call(move |conn, settings| requests::withdraw(conn, settings, &caller, &id))
        .await;
    match done {
        Ok(()) => Ok(see_other("/request?notice=withdrawn")),
        Err(ApiError::Conflict { .. }) => Ok(see_other("/request?notice=cannot-withdraw")),
        Err(err) => Err(ctx.api_failure(err)),
    }
}

/// Sample values for the render test of this area's pages: the form with
/// errors on a tag, the regions and the note.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    (template == "request.html").then(|| {
        let (page, _) = sample_form(Lang::En);
        minijinja::Value::from_serialize(&page)
    })
}

#[cfg(test)]
fn sample_form(lang: Lang) -> (Asking, crate::forms::FormState) {
    let taxonomy = super::profile::sample_taxonomy();
    let pairs: Vec<(String, String)> = [
        ("required_tag", "bisexual"),
        ("required_tag", "job-search"),
        ("excluded_regions", "Madrid\n\n  "),
        ("note", "Gracias <3"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let draft = RequestDraft::from_form(&pairs);
    let groups = groups(lang, &taxonomy, &draft.tags);
    let mut errors = BTreeMap::new();
    errors.insert(
        "required_tags[1]".to_string(),
        vec!["this tag is retired".to_string()],
    );
    errors.insert(
        "excluded_regions[0]".to_string(),
        vec!["must be 1 to 100 characters".to_string()],
    );
    errors.insert(
        "note".to_string(),
        vec!["at most 2000 characters".to_string()],
    );
    let shown = Shown::from_errors(lang, &errors, |p| locate(lang, &draft, &groups, p));
    let mut page = Asking {
        groups,
        ..Asking::default()
    };
    page.form
        .values
        .insert("excluded_regions", draft.regions.clone());
    page.form.values.insert("note", draft.note.clone());
    page.form.errors = shown.beside;
    page.render_controls(lang);
    (page, shown.form)
}

#[cfg(test)]
mod tests;
