//! Console administration: the tag taxonomy (add, relabel, recategorise,
//! retire or offer again) and the dead jobs and emails with retry. Each
//! action is the service function behind the API's route.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::{NewTagInput, TagCategory, TagPatchInput};
use kindred_service::pagination::PageQuery;
use kindred_service::{admin, tags};
use serde::{Deserialize, Serialize};

use super::{coordinator, failure, ListQuery};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::pages::{form_failure, see_other, session_page};

const NEW_TAG_FIELDS: &[Field] = &[
    field("slug", "slug", "console-tag-slug"),
    field("label", "label", "console-tag-label"),
    field("category", "category", "console-tag-category"),
];
const EDIT_FIELDS: &[Field] = &[
    field("label", "label", "console-tag-label"),
    field("category", "category", "console-tag-category"),
];

#[derive(Serialize)]
struct TagRow {
    slug: String,
    label: String,
    category: String,
    sensitive: bool,
    retired: bool,
}

#[derive(Serialize)]
struct DeadRow {
    id: String,
    kind: String,
    detail: String,
    error: String,
}

fn categories(selected: &str) -> Vec<minijinja::Value> {
    TagCategory::ALL
        .iter()
        .map(|c| {
            minijinja::context! { value => c.as_str(), selected => c.as_str() == selected }
        })
        .collect()
}

/// The admin page with `form` (the new-tag form's values and errors).
async fn admin_page(
    ctx: &Ctx,
    session: &Session,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let caller = session.caller.clone();
    let (taxonomy, jobs, emails) = ctx
        .state
        .call(move |conn, _| {
            let page = || PageQuery {
                limit: Some("50".into()),
                cursor: None,
            };
            let taxonomy = tags::list(conn, &caller, true)?;
            let jobs = admin::list_jobs(conn, &caller, Some("dead"), page())?;
            let emails = admin::list_emails(conn, &caller, Some("dead"), page())?;
            Ok((taxonomy, jobs.items, emails.items))
        })
        .await
        .map_err(|e| failure(ctx, e))?;
    let lang = ctx.lang;
    let category = form.values.get("category").cloned().unwrap_or_default();
    let values = minijinja::context! {
        tags => taxonomy.iter().map(|t| TagRow {
            slug: t.slug.clone(),
            label: super::label(lang, &taxonomy, &t.slug),
            category: super::category_label(lang, &t.category),
            sensitive: t.sensitive,
            retired: t.retired,
        }).collect::<Vec<_>>(),
        categories => categories(&category),
        sensitive => form.values.get("sensitive").is_some_and(|v| v == "yes"),
        jobs => jobs.iter().map(|j| DeadRow {
            id: j.id.clone(), kind: j.kind.clone(),
            detail: j.created_at.format("%Y-%m-%d %H:%M").to_string(),
            error: j.last_error.clone().unwrap_or_default(),
        }).collect::<Vec<_>>(),
        emails => emails.iter().map(|e| DeadRow {
            id: e.id.clone(), kind: e.kind.clone(), detail: e.recipient.clone(),
            error: e.last_error.clone().unwrap_or_default(),
        }).collect::<Vec<_>>(),
    };
    Ok(session_page(
        ctx,
        session,
        "console_admin.html",
        status,
        form,
        notice,
        values,
    ))
}

/// `GET /console/admin`.
pub async fn page(req: HttpRequest, query: web::Query<ListQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let notice = match query.notice.as_str() {
        "tag-added" => Some("console-notice-tag-added"),
        "tag-saved" => Some("console-notice-tag-saved"),
        "retried" => Some("console-notice-retried"),
        "changed" => Some("console-problem-changed"),
        _ => None,
    };
    admin_page(&ctx, &session, StatusCode::OK, FormState::default(), notice).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct NewTagForm {
    csrf: String,
    slug: String,
    label: String,
    category: String,
    sensitive: Option<String>,
}

/// `POST /console/admin/tags`: adds a tag (a taken slug is a message
/// beside the slug).
pub async fn add_tag(req: HttpRequest, form: web::Form<NewTagForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let input = NewTagInput {
        slug: form.slug.trim().to_string(),
        label: form.label.clone(),
        category: form.category.clone(),
        sensitive: form.sensitive.is_some(),
    };
    let caller = session.caller.clone();
    let created = ctx
        .state
        .call(move |conn, _| tags::create(conn, &caller, input))
        .await;
    let mut kept = FormState::with_values(&[
        ("slug", &form.slug),
        ("label", &form.label),
        ("category", &form.category),
    ]);
    if form.sensitive.is_some() {
        kept.values.insert("sensitive", "yes".into());
    }
    let kept = match created {
        Ok(_) => return Ok(see_other("/console/admin?notice=tag-added")),
        Err(ApiError::Conflict { .. }) => {
            let mut kept = kept;
            kept.add_message(ctx.lang, NEW_TAG_FIELDS[0], "console-tag-slug-taken");
            kept
        }
        Err(e) => form_failure(&ctx, e, NEW_TAG_FIELDS, kept)?,
    };
    admin_page(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, kept, None).await
}

/// The edit page of tag `slug` with `form`.
async fn edit_page(
    ctx: &Ctx,
    session: &Session,
    slug: String,
    status: StatusCode,
    form: Option<FormState>,
) -> WebResult<HttpResponse> {
    let caller = session.caller.clone();
    let wanted = slug.clone();
    let tag = ctx
        .state
        .call(move |conn, _| {
            tags::list(conn, &caller, true)?
                .into_iter()
                .find(|t| t.slug == wanted)
                .ok_or(kindred_service::ServiceError::NotFound)
        })
        .await
        .map_err(|e| failure(ctx, e))?;
    let form = form.unwrap_or_else(|| {
        let mut f = FormState::with_values(&[("label", &tag.label), ("category", &tag.category)]);
        if tag.sensitive {
            f.values.insert("sensitive", "yes".into());
        }
        if tag.retired {
            f.values.insert("retired", "yes".into());
        }
        f
    });
    let category = form.values.get("category").cloned().unwrap_or_default();
    let values = minijinja::context! {
        slug => tag.slug,
        categories => categories(&category),
        sensitive => form.values.contains_key("sensitive"),
        retired => form.values.contains_key("retired"),
    };
    Ok(session_page(
        ctx,
        session,
        "console_tag.html",
        status,
        form,
        None,
        values,
    ))
}

fn plausible_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `GET /console/admin/tags/{slug}`.
pub async fn edit(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    if !plausible_slug(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    edit_page(&ctx, &session, path.into_inner(), StatusCode::OK, None).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    csrf: String,
    label: String,
    category: String,
    sensitive: Option<String>,
    retired: Option<String>,
}

/// `POST /console/admin/tags/{slug}`: label, category, sensitive, retired
/// (retired tags stay on profiles and are no longer offered).
pub async fn save(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<EditForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let slug = path.into_inner();
    if !plausible_slug(&slug) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let input = TagPatchInput {
        label: Some(form.label.clone()),
        category: Some(form.category.clone()),
        sensitive: Some(form.sensitive.is_some()),
        retired: Some(form.retired.is_some()),
    };
    let caller = session.caller.clone();
    let target = slug.clone();
    let saved = ctx
        .state
        .call(move |conn, _| tags::update(conn, &caller, &target, input))
        .await;
    match saved {
        Ok(_) => Ok(see_other("/console/admin?notice=tag-saved")),
        Err(e) => {
            let mut kept =
                FormState::with_values(&[("label", &form.label), ("category", &form.category)]);
            if form.sensitive.is_some() {
                kept.values.insert("sensitive", "yes".into());
            }
            if form.retired.is_some() {
                kept.values.insert("retired", "yes".into());
            }
            let kept = form_failure(&ctx, e, EDIT_FIELDS, kept)?;
            edit_page(
                &ctx,
                &session,
                slug,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(kept),
            )
            .await
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /console/admin/{jobs|emails}/{id}/retry`: a dead job or email
/// back in the queue with fresh attempts.
pub async fn retry(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let (what, id) = path.into_inner();
    if !crate::pages::matches::plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let done = match what.as_str() {
        "jobs" => {
            ctx.state
                .call(move |conn, _| admin::retry_job(conn, &caller, &id).map(|_| ()))
                .await
        }
        "emails" => {
            ctx.state
                .call(move |conn, _| admin::retry_email(conn, &caller, &id).map(|_| ()))
                .await
        }
        _ => return Err(ctx.fail(Failure::NotFound)),
    };
    match done {
        Ok(()) => Ok(see_other("/console/admin?notice=retried")),
        Err(ApiError::Conflict { .. }) => Ok(see_other("/console/admin?notice=changed")),
        Err(e) => Err(failure(&ctx, e)),
    }
}
