//! A person's page in the console: who they are (email included: the
//! console is for coordinators only), both profiles with private tags
//! apart, and their matches. Linked from requests, matches and the safety
//! inbox.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_service::console;
use serde::Serialize;

use super::{coordinator, failure, profile_rows};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::FormState;
use crate::pages::matches::plausible_id;
use crate::pages::session_page;

#[derive(Serialize)]
struct MatchLine {
    id: String,
    text: String,
}

/// `GET /console/people/{id}`.
pub async fn page(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let id = path.into_inner();
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let (person, taxonomy) = ctx
        .state
        .call(move |conn, _| {
            let person = console::person(conn, &caller, &id)?;
            Ok((person, web.taxonomy.offered(conn, &caller)?))
        })
        .await
        .map_err(|e| failure(&ctx, e))?;
    let lang = ctx.lang;
    let matches: Vec<MatchLine> = person
        .matches
        .iter()
        .map(|m| MatchLine {
            id: m.id.clone(),
            text: lang
                .text(
                    &format!("console-person-match-{}", m.side),
                    &[
                        ("partner", m.partner.clone().into()),
                        (
                            "state",
                            lang.t(&format!("console-state-{}", m.state)).into(),
                        ),
                    ],
                )
                .unwrap_or_default(),
        })
        .collect();
    let values = minijinja::context! {
        name => person.display_name,
        pronouns => person.pronouns.clone().unwrap_or_default(),
        email => person.email.clone().unwrap_or_default(),
        roles => person.roles.iter().map(|r| lang.t(&format!("role-{r}"))).collect::<Vec<_>>(),
        erased => person.erased,
        mentee => person.mentee.as_ref().map(|p| profile_rows(lang, &taxonomy, p)),
        mentor => person.mentor.as_ref().map(|p| profile_rows(lang, &taxonomy, p)),
        matches => matches,
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_person.html",
        StatusCode::OK,
        FormState::default(),
        None,
        values,
    ))
}
