//! Invited accounts (a coordinator's CSV import): accept the invitation
//! (`/invitation`: email, the emailed code, a new password, then signed
//! in), and answer about the imported tags that wait for consent
//! (`/consent`: which tags are private or sensitive, then yes or no).
//!
//! Accepting is the password reset's confirmation
//! (`passwords::confirm_reset`, the function behind
//! `POST /auth/password-reset/confirm`, which takes invitation codes)
//! followed by `accounts::login`, as the log-in page does; the answer is
//! `profiles::answer_consent`, the function behind `POST /me/consents`.
//! Which tags wait is read from the person's own profiles
//! (`profiles::read_own`, `pending_tags`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::{ConsentInput, LoginInput, PasswordResetConfirmInput, ProfileKind, Role};
use kindred_service::accounts::{self, passwords};
use kindred_service::profiles::{self, PendingTags};
use kindred_service::tags::TagView;
use kindred_service::{Caller, DbConnection, ServiceError, ServiceResult};
use serde::{Deserialize, Serialize};

use super::passwords::{ResetForm, RESET_FIELDS};
use super::profile::choices;
use super::{anon_page, form_failure, limit, see_other, session_page, Area};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::i18n::Lang;

pub const AREA: Area = Area {
    templates: &[
        (
            "invitation.html",
            include_str!("../../templates/invitation.html"),
        ),
        ("consent.html", include_str!("../../templates/consent.html")),
        (
            "pending_macros.html",
            include_str!("../../templates/pending_macros.html"),
        ),
    ],
    pages: &["invitation.html", "consent.html"],
    message_ids: MESSAGE_IDS,
    routes,
};

/// The message ids this area's code uses (the notices after a redirect,
/// and the consent question's label in the error summary).
const MESSAGE_IDS: &[&str] = &[
    "invitation-notice-accepted",
    "invitation-notice-consent-given",
    "invitation-notice-consent-declined",
    "consent-legend",
    "consent-profile-mentee",
    "consent-profile-mentor",
];

/// The consent form's one question: its error goes beside the first choice.
const CONSENT_FIELDS: &[Field] = &[field("sensitive_tags", "answer-yes", "consent-legend")];

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/invitation")
            .route(web::get().to(invitation_page))
            .route(web::post().to(accept)),
    )
    .service(
        web::resource("/consent")
            .route(web::get().to(consent_page))
            .route(web::post().to(answer)),
    );
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ConsentForm {
    csrf: String,
    answer: String,
}

/// One imported tag waiting for consent, as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct PendingRow {
    pub label: String,
    pub private: bool,
    pub sensitive: bool,
}

/// The waiting tags of one profile.
#[derive(Debug, Serialize)]
pub struct PendingGroup {
    /// `mentee` or `mentor`.
    pub kind: &'static str,
    pub tags: Vec<PendingRow>,
}

/// The rows of `pending` in `lang`: labels from the offered taxonomy (a
/// tag no longer offered by its default label, else its slug), private
/// first as the profile stores them.
pub fn pending_rows(lang: Lang, taxonomy: &[TagView], pending: &PendingTags) -> Vec<PendingRow> {
    let row = |slug: &String, private: bool| {
        let offered = taxonomy.iter().find(|t| &t.slug == slug);
        let stored = offered
            .map(|t| t.label.as_str())
            .or_else(|| choices::default_label(slug))
            .unwrap_or(slug);
        PendingRow {
            label: choices::tag_label(lang, slug, stored),
            private,
            sensitive: offered.is_some_and(|t| t.sensitive),
        }
    };
    pending
        .tags
        .iter()
        .map(|s| row(s, false))
        .chain(pending.private_tags.iter().map(|s| row(s, true)))
        .collect()
}

/// The caller's profiles with tags waiting for consent (mentee first).
pub fn waiting(
    conn: &mut DbConnection,
    caller: &Caller,
) -> ServiceResult<Vec<(ProfileKind, PendingTags)>> {
    let mut out = Vec::new();
    for (role, kind) in [
        (Role::Mentee, ProfileKind::Mentee),
        (Role::Mentor, ProfileKind::Mentor),
    ] {
        if !caller.has_role(role) {
            continue;
        }
        match profiles::read_own(conn, caller, kind) {
            Ok(view) => {
                if let Some(pending) = view.pending_tags {
                    out.push((kind, pending));
                }
            }
            Err(ServiceError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

// ---- accept the invitation ---------------------------------------------

pub async fn invitation_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    anon_page(
        &ctx,
        "invitation.html",
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

/// Sets the password with the invitation code and signs the person in;
/// then to the consent page if imported tags wait, else home. A wrong code
/// or password changes nothing (the service's rules, as for a reset).
pub async fn accept(req: HttpRequest, form: web::Form<ResetForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = form.into_inner();
    ctx.check_anon(&form.csrf).await?;
    limit(&ctx, "password_reset_confirm", &form.email).await?;
    let mut shown = FormState::with_values(&[("email", &form.email)]);
    let login = LoginInput {
        email: form.email.clone(),
        password: form.new_password.clone(),
    };
    let input = PasswordResetConfirmInput {
        email: form.email,
        code: form.code,
        new_password: form.new_password,
    };
    let done = ctx
        .state
        .call_with_pool(move |pool, settings| {
            passwords::confirm_reset(pool, settings, &input)?;
            accounts::login(pool, settings, &login)
        })
        .await;
    match done {
        Ok(session) => {
            let token = session.token;
            let has_pending = {
                let token = token.clone();
                ctx.state
                    .call(move |conn, _| {
                        let caller = Caller::authenticate(conn, &token)?;
                        Ok(!waiting(conn, &caller)?.is_empty())
                    })
                    .await
                    .map_err(|e| ctx.api_failure(e))?
            };
            let location = if has_pending {
                "/consent"
            } else {
                "/home?notice=invitation-accepted"
            };
            let mut res = see_other(location);
            ctx.end_previous_session().await;
            res.add_cookie(&ctx.session_cookie(&token))
                .map_err(|_| ctx.fail(Failure::Internal))?;
            Ok(res)
        }
        Err(ApiError::BadRequest(_)) => {
            shown.add_message(ctx.lang, RESET_FIELDS[1], "invitation-err-code");
            anon_page(
                &ctx,
                "invitation.html",
                StatusCode::BAD_REQUEST,
                shown,
                None,
            )
            .await
        }
        Err(err) => {
            let form = form_failure(&ctx, err, RESET_FIELDS, shown)?;
            anon_page(
                &ctx,
                "invitation.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

// ---- consent -------------------------------------------------------------

/// Reads the waiting tags with the session (one trip to the pool).
async fn read_waiting(ctx: &Ctx) -> WebResult<(Session, Vec<PendingGroup>)> {
    let web = ctx.web_state();
    let (session, (taxonomy, found)) = ctx
        .session_with(move |conn, _, caller| {
            let found = waiting(conn, caller)?;
            let taxonomy = if found.is_empty() {
                Default::default()
            } else {
                web.taxonomy.offered(conn, caller)?
            };
            Ok((taxonomy, found))
        })
        .await?;
    let groups = found
        .iter()
        .map(|(kind, pending)| PendingGroup {
            kind: kind.as_str(),
            tags: pending_rows(ctx.lang, &taxonomy, pending),
        })
        .collect();
    Ok((session, groups))
}

fn consent_values(groups: &[PendingGroup]) -> minijinja::Value {
    minijinja::context! { groups => groups, both => groups.len() > 1 }
}

/// Which imported tags wait, what private and sensitive mean, and the
/// question; with nothing waiting, home.
pub async fn consent_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let (session, groups) = read_waiting(&ctx).await?;
    if groups.is_empty() {
        return Ok(see_other("/home"));
    }
    Ok(session_page(
        &ctx,
        &session,
        "consent.html",
        StatusCode::OK,
        FormState::default(),
        None,
        consent_values(&groups),
    ))
}

/// Yes: the waiting tags count for matching; no: they are removed. No
/// answer shows the question again with its error (the service's `422`).
pub async fn answer(req: HttpRequest, form: web::Form<ConsentForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    let input = ConsentInput {
        sensitive_tags: match form.answer.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    };
    let given = input.sensitive_tags;
    let caller = session.caller.clone();
    let done = ctx
        .state
        .call(move |conn, _| profiles::answer_consent(conn, &caller, &input))
        .await;
    match done {
        // Nothing was waiting (answered in another tab, say): no news.
        Ok(view) if view.activated == 0 && view.removed == 0 => Ok(see_other("/home")),
        Ok(_) if given == Some(true) => Ok(see_other("/home?notice=consent-given")),
        Ok(_) => Ok(see_other("/home?notice=consent-declined")),
        Err(err) => {
            let form = form_failure(&ctx, err, CONSENT_FIELDS, FormState::default())?;
            let (session, groups) = read_waiting(&ctx).await?;
            Ok(session_page(
                &ctx,
                &session,
                "consent.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
                consent_values(&groups),
            ))
        }
    }
}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    let row = |label: &str, private, sensitive| PendingRow {
        label: label.into(),
        private,
        sensitive,
    };
    match template {
        "consent.html" => Some(consent_values(&[
            PendingGroup {
                kind: "mentee",
                tags: vec![
                    row("Bisexual <b>", false, true),
                    row("Survivor", true, true),
                ],
            },
            PendingGroup {
                kind: "mentor",
                tags: vec![row("Job search", true, false)],
            },
        ])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_rows_are_labelled_in_the_page_language() {
        let taxonomy = super::super::profile::sample_taxonomy();
        let pending = PendingTags {
            tags: vec!["bisexual".into()],
            private_tags: vec!["job-search".into(), "gone-tag".into()],
        };
        let rows = pending_rows(Lang::En, &taxonomy, &pending);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].label, "Bisexual");
        assert!(!rows[0].private && rows[0].sensitive);
        assert_eq!(rows[1].label, "Job search");
        assert!(rows[1].private && !rows[1].sensitive);
        // A tag no longer offered keeps a name (its slug here).
        assert_eq!(rows[2].label, "gone-tag");
        // In Spanish, a default tag's translated label.
        let es = pending_rows(Lang::Es, &taxonomy, &pending);
        assert_eq!(es[1].label, "Búsqueda de empleo");
    }

    /// The consent page without an answer: the summary links to the first
    /// choice, the message sits in the group, both choices are invalid.
    #[test]
    fn the_consent_error_is_linked_and_beside_the_question() {
        for lang in Lang::ALL {
            let mut errors = std::collections::BTreeMap::new();
            errors.insert(
                "sensitive_tags".to_string(),
                vec!["is required (true or false)".to_string()],
            );
            let mut form = FormState::default();
            form.add_field_errors(lang, CONSENT_FIELDS, &errors);
            let layout = crate::render::Layout {
                lang: lang.tag(),
                path: "/consent".into(),
                signed_in: Some("Ana".into()),
                coordinator: false,
                csrf: "token".into(),
                footer: Vec::new(),
                notice: None,
            };
            let html = crate::render::Page::new("consent.html", layout)
                .form(form)
                .values(sample("consent.html").unwrap_or_default())
                .html()
                .unwrap_or_else(|e| panic!("{e:#}"));
            assert!(html.contains("href=\"#answer-yes\""), "{html}");
            assert!(html.contains("id=\"answer-error\""));
            assert_eq!(html.matches("aria-invalid=\"true\"").count(), 2);
            assert!(html.contains(&lang.t("consent-legend")));
            // Labels are escaped; both profiles are named.
            assert!(html.contains("Bisexual &lt;b&gt;"));
            assert!(html.contains(&lang.t("consent-profile-mentor")));
        }
    }
}
