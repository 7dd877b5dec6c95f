//! Settings: notification preferences, download my data, delete my account
//! (after a page that says what is removed and what is kept, and the
//! password typed again).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_core::Role;
use kindred_service::accounts::data;
use kindred_service::notifications::{self, NotificationPrefs};
use serde::Deserialize;

use super::{form_failure, see_other, session_page, Area};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};

pub const AREA: Area = Area {
    templates: &[
        (
            "settings.html",
            include_str!("../../templates/settings.html"),
        ),
        (
            "settings_delete.html",
            include_str!("../../templates/settings_delete.html"),
        ),
        ("deleted.html", include_str!("../../templates/deleted.html")),
    ],
    pages: &["settings.html", "settings_delete.html", "deleted.html"],
    message_ids: &["notice-settings-saved"],
    routes,
};

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/settings").route(web::get().to(settings_page)))
        .service(web::resource("/settings/notifications").route(web::post().to(save_notifications)))
        .service(web::resource("/settings/export").route(web::post().to(export)))
        .service(
            web::resource("/settings/delete")
                .route(web::get().to(delete_page))
                .route(web::post().to(delete)),
        )
        .service(web::resource("/deleted").route(web::get().to(deleted)));
}

const DELETE_FIELDS: &[Field] = &[field("password", "password", "delete-password-label")];

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PrefsForm {
    csrf: String,
    checkin_reminders: Option<String>,
    mentor_reminders: Option<String>,
    digest: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    csrf: String,
    password: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsQuery {
    notice: String,
}

/// The settings page's values: the preferences, and which of them apply
/// to this person (the others are kept as they are, in hidden fields).
fn settings_values(session: &Session, prefs: &NotificationPrefs) -> minijinja::Value {
    let caller = &session.caller;
    minijinja::context! {
        prefs => prefs,
        is_mentor => caller.has_role(Role::Mentor),
        is_coordinator => caller.is_coordinator(),
    }
}

pub async fn settings_page(
    req: HttpRequest,
    query: web::Query<SettingsQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let caller = session.caller.clone();
    let prefs = ctx
        .state
        .call(move |conn, _| notifications::get(conn, &caller))
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let notice = (query.notice == "saved").then_some("notice-settings-saved");
    Ok(session_page(
        &ctx,
        &session,
        "settings.html",
        StatusCode::OK,
        FormState::default(),
        notice,
        settings_values(&session, &prefs),
    ))
}

/// Replaces the notification preferences (an unchecked box is "off").
pub async fn save_notifications(
    req: HttpRequest,
    form: web::Form<PrefsForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    let input = NotificationPrefs {
        checkin_reminders: form.checkin_reminders.is_some(),
        mentor_reminders: form.mentor_reminders.is_some(),
        digest: form.digest.is_some(),
    };
    let caller = session.caller.clone();
    ctx.state
        .call(move |conn, _| notifications::put(conn, &caller, &input))
        .await
        .map_err(|e| ctx.api_failure(e))?;
    Ok(see_other("/settings?notice=saved#notifications"))
}

/// Everything stored about the person, as the API's `GET /me/export`
/// gives it: a JSON file to save (a POST, so another site cannot start the
/// download; never cached).
pub async fn export(req: HttpRequest, form: web::Form<CsrfForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    let caller = session.caller.clone();
    let export = ctx
        .state
        .call(move |conn, settings| data::export(conn, settings, &caller))
        .await
        .map_err(|e| ctx.api_failure(e))?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"kindred-export.json\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(export))
}

pub async fn delete_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    Ok(session_page(
        &ctx,
        &session,
        "settings_delete.html",
        StatusCode::OK,
        FormState::default(),
        None,
        minijinja::Value::from(()),
    ))
}

/// Erases the account once the password matches; the browser's cookies go
/// with it and it lands on a page that says so.
pub async fn delete(req: HttpRequest, form: web::Form<DeleteForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    ctx.state
        .limit_route(
            "password_change",
            &ctx.client_ip(),
            Some(session.caller.id()),
        )
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let caller = session.caller.clone();
    let password = form.into_inner().password;
    let done = ctx
        .state
        .call_with_pool(move |pool, settings| {
            data::erase_confirmed(pool, settings, &caller, &password)
        })
        .await;
    match done {
        Ok(()) => {
            let mut res = see_other("/deleted");
            res.add_cookie(&ctx.clear_session_cookie())
                .map_err(|_| ctx.fail(Failure::Internal))?;
            Ok(res)
        }
        Err(err) => {
            let form = form_failure(&ctx, err, DELETE_FIELDS, FormState::default())?;
            Ok(session_page(
                &ctx,
                &session,
                "settings_delete.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
                minijinja::Value::from(()),
            ))
        }
    }
}

pub async fn deleted(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    Ok(crate::render::Page::new("deleted.html", ctx.layout(None, String::new())).render())
}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    match template {
        "settings.html" => Some(minijinja::context! {
            prefs => NotificationPrefs { checkin_reminders: true, mentor_reminders: false, digest: true },
            is_mentor => true,
            is_coordinator => true,
        }),
        _ => None,
    }
}
