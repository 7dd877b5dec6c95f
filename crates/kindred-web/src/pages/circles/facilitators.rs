//! Facilitators in the console: the list with training and circle load,
//! granting the role with the training (`POST /facilitators`; the person
//! by email, looked up with `person_by_email`, or by account id) and revoking
//! it (`DELETE /facilitators/{user_id}`), after which their running
//! circles are flagged.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::circles::facilitators::{self, FacilitatorInput};
use kindred_service::pagination::PageQuery;
use serde::{Deserialize, Serialize};

use super::{field_errors, plausible, NoticeQuery};
use crate::context::{Ctx, Session};
use crate::error::WebResult;
use crate::forms::{field, Field, FormState};
use crate::pages::console::coordinator;
use crate::pages::{see_other, session_page};

const FIELDS: &[Field] = &[
    field("user_id", "user-id", "circles-field-user"),
    field("trained_on", "trained-on", "circles-field-trained-on"),
    field("training", "training", "circles-field-training"),
];

#[derive(Serialize)]
pub struct Row {
    pub user_id: String,
    pub name: String,
    pub trained_on: String,
    pub training: String,
    pub circles: i64,
    pub max_circles: String,
    pub granted: String,
}

async fn show(
    ctx: &Ctx,
    session: &Session,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let caller = session.caller.clone();
    let page = PageQuery {
        limit: Some("200".into()),
        cursor: None,
    };
    let found = ctx
        .state
        .call(move |conn, _| facilitators::list(conn, &caller, page))
        .await
        .map_err(|e| super::failure(ctx, e))?;
    let rows: Vec<Row> = found
        .items
        .iter()
        .map(|f| Row {
            user_id: f.user_id.clone(),
            name: f.display_name.clone(),
            trained_on: f.trained_on.clone(),
            training: f.training.clone(),
            circles: f.circles,
            max_circles: f.max_circles.map(|m| m.to_string()).unwrap_or_default(),
            granted: f.granted_at.format("%Y-%m-%d").to_string(),
        })
        .collect();
    Ok(session_page(
        ctx,
        session,
        "console_facilitators.html",
        status,
        form,
        notice,
        minijinja::context! { rows => rows },
    ))
}

/// `GET /console/facilitators`.
pub async fn list(req: HttpRequest, query: web::Query<NoticeQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    show(
        &ctx,
        &session,
        StatusCode::OK,
        FormState::default(),
        query.message(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct GrantForm {
    csrf: String,
    user_id: String,
    trained_on: String,
    training: String,
}

/// `POST /console/facilitators`: grants the role.
pub async fn grant(req: HttpRequest, form: web::Form<GrantForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let form = form.into_inner();
    let person = form.user_id.trim().to_string();
    let by_email = person.contains('@');
    let trained_on = form.trained_on.trim().to_string();
    let training = form.training.clone();
    let caller = session.caller.clone();
    // An email is looked up first (`person_by_email`); an id is used as is.
    let done = ctx
        .state
        .call(move |conn, _| {
            let user_id = if by_email {
                match facilitators::person_by_email(conn, &caller, &person)? {
                    Some(p) => p.id,
                    None => return Err(kindred_service::ServiceError::NotFound),
                }
            } else {
                person
            };
            let input = FacilitatorInput {
                user_id,
                trained_on,
                training,
            };
            facilitators::grant(conn, &caller, &input)
        })
        .await;
    let shown = FormState::with_values(&[
        ("user-id", &form.user_id),
        ("trained-on", &form.trained_on),
        ("training", &form.training),
    ]);
    let err = match done {
        Ok(_) => return Ok(see_other("/console/facilitators?notice=granted")),
        // No such person: said on the person's field.
        Err(ApiError::NotFound) => {
            let mut form = shown;
            form.add_message(ctx.lang, FIELDS[0], "circles-err-no-person");
            return show(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, form, None).await;
        }
        Err(err) => err,
    };
    let form = field_errors(&ctx, err, FIELDS, shown).map_err(|e| super::failure(&ctx, e))?;
    show(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, form, None).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /console/facilitators/{id}/revoke`.
pub async fn revoke(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    plausible(&ctx, &path)?;
    let caller = session.caller.clone();
    let id = path.into_inner();
    ctx.state
        .call(move |conn, settings| facilitators::revoke(conn, settings, &caller, &id))
        .await
        .map_err(|e| super::failure(&ctx, e))?;
    Ok(see_other("/console/facilitators?notice=revoked"))
}
