//! Your profile: tags (public or private), languages, time zone, availability, meeting modes, region, goals and bio; for mentors capacity; for facilitators `max_circles`.
//!
//! `GET /profile` shows the form filled with the stored profile (or empty);
//! `POST /profile` saves it through `profiles::write_own`, the function
//! behind `PUT /me/mentee-profile` and `PUT /me/mentor-profile`. A person
//! with both roles edits one profile at a time: `?role=mentee|mentor`
//! (default: the mentee profile), and the form posts its `role`. A
//! facilitator edits their facilitator profile at `?role=facilitator`
//! (`PUT /me/facilitator-profile`).

pub mod choices;
pub mod controls;
pub mod draft;
pub mod errors;
pub mod view;

use std::collections::BTreeMap;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::{ProfileKind, Role};
use kindred_service::tags::TagView;
use kindred_service::{profiles, ServiceError};
use serde::Deserialize;

use super::{see_other, session_page, Area};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::FormState;
use draft::Draft;
use errors::Shown;

pub const AREA: Area = Area {
    templates: &[
        (
            "profile.html",
            include_str!("../../../templates/profile.html"),
        ),
        (
            "profile_macros.html",
            include_str!("../../../templates/profile_macros.html"),
        ),
        (
            "profile_none.html",
            include_str!("../../../templates/profile_none.html"),
        ),
    ],
    // `profile_none.html` has no form (the generic render test expects one
    // with inputs on every signed-in page); its own test renders it.
    pages: &["profile.html"],
    message_ids: MESSAGE_IDS,
    routes,
};

/// The message ids this area's code uses (besides the templates' literal
/// ones): labels of error summary lines, built ids, notices, error words.
const MESSAGE_IDS: &[&str] = &[
    "profile-notice-saved",
    "profile-notice-profile-first",
    "profile-field-bio",
    "profile-field-goals",
    "profile-field-capacity",
    "profile-field-accepting",
    "profile-consent-label-short",
    "profile-field-timezone",
    "profile-field-region",
    "profile-tags-heading",
    "profile-languages-legend",
    "profile-field-languages-other",
    "profile-availability-heading",
    "profile-window-label",
    "profile-modes-legend",
    "profile-day-mon",
    "profile-day-tue",
    "profile-day-wed",
    "profile-day-thu",
    "profile-day-fri",
    "profile-day-sat",
    "profile-day-sun",
    "profile-mode-online",
    "profile-mode-in_person",
    "profile-mode-phone",
    "profile-category-identity",
    "profile-category-experience",
    "profile-category-support",
    "profile-category-retired",
    "profile-lang-ssp",
    "profile-lang-bfi",
    "profile-lang-ase",
    "profile-err-too-many-tags",
    "profile-err-too-many-languages",
    "profile-err-too-many-windows",
    "profile-err-unknown-tag",
    "profile-err-duplicate",
    "profile-err-both-visibilities",
    "profile-err-retired",
    "profile-err-language-required",
    "profile-err-time",
    "profile-err-time-start-midnight",
    "profile-err-time-order",
    "profile-err-mode-required",
    "profile-err-region-in-person",
    "profile-err-capacity",
    "profile-err-max-circles",
    "profile-field-max-circles",
    "profile-err-consent",
    "profile-err-language-code",
    "profile-err-timezone",
    "profile-err-time-step",
    "profile-err-time-overlap",
    "request-err-too-many-regions",
    "request-err-region-length",
    // The controls written in Rust (controls.rs).
    "error-prefix",
    "profile-sensitive-mark",
    "profile-visibility-legend",
    "profile-choice-public",
    "profile-choice-private",
    "profile-window-from",
    "profile-window-until",
];

/// The largest profile or request form read (the API's default body
/// limit): a bio and goals of 2000 characters each in a non-Latin script
/// are ~24 KB URL-encoded, beyond actix's 16 KB default.
pub const FORM_LIMIT: usize = 64 * 1024;

/// How this area's forms are read (a form too large or unreadable is the
/// app's 400 page).
pub fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(FORM_LIMIT)
        .error_handler(|_, req| super::bad_form(req))
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/profile")
            .app_data(form_config())
            .route(web::get().to(profile_page))
            .route(web::post().to(save_profile)),
    )
    .service(web::resource("/static/profile.js").route(web::get().to(script)));
}

const SCRIPT: &str = include_str!("../../../static/profile.js");

/// The page policy (`crate::CSP`) plus our own scripts, for a profile page
/// that includes `/static/profile.js` (only when the time zone is empty).
pub const CSP_WITH_SCRIPT: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; script-src 'self'";

/// The optional script that fills an empty time zone with the browser's.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(SCRIPT)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileQuery {
    role: String,
    notice: String,
}

impl ProfileQuery {
    fn notice(&self) -> Option<&'static str> {
        match self.notice.as_str() {
            "saved" => Some("profile-notice-saved"),
            "profile-first" => Some("profile-notice-profile-first"),
            _ => None,
        }
    }
}

/// The profile `role` asks for, if the person holds that role; else their
/// mentee profile, else their mentor profile; `None` with neither role.
fn chosen_kind(caller: &kindred_service::Caller, role: &str) -> Option<ProfileKind> {
    let has = |r| caller.has_role(r);
    match role {
        "mentor" if has(Role::Mentor) => Some(ProfileKind::Mentor),
        "mentee" if has(Role::Mentee) => Some(ProfileKind::Mentee),
        "facilitator" if has(Role::Facilitator) => Some(ProfileKind::Facilitator),
        _ if has(Role::Mentee) => Some(ProfileKind::Mentee),
        _ if has(Role::Mentor) => Some(ProfileKind::Mentor),
        _ if has(Role::Facilitator) => Some(ProfileKind::Facilitator),
        _ => None,
    }
}

fn both_roles(session: &Session) -> bool {
    session.caller.has_role(Role::Mentee) && session.caller.has_role(Role::Mentor)
}

/// The first value of `name` in a posted form.
pub fn posted<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The profile form, filled with the stored profile.
pub async fn profile_page(
    req: HttpRequest,
    query: web::Query<ProfileQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let role = query.role.clone();
    let web = ctx.web_state();
    let (session, read) = ctx
        .session_with(move |conn, _, caller| {
            let Some(kind) = chosen_kind(caller, &role) else {
                return Ok(None);
            };
            let taxonomy = web.taxonomy.offered(conn, caller)?;
            match profiles::read_own(conn, caller, kind) {
                Ok(view) => Ok(Some((kind, taxonomy, Some(view)))),
                Err(ServiceError::NotFound) => Ok(Some((kind, taxonomy, None))),
                Err(e) => Err(e),
            }
        })
        .await?;
    let Some((kind, taxonomy, stored)) = read else {
        return Ok(session_page(
            &ctx,
            &session,
            "profile_none.html",
            StatusCode::OK,
            FormState::default(),
            None,
            minijinja::Value::from(()),
        ));
    };
    let draft = match &stored {
        Some(view) => Draft::from_view(kind, view),
        None => Draft::empty(kind),
    };
    let can_request = kind == ProfileKind::Mentee && stored.is_some();
    let editor = Editing {
        draft: &draft,
        taxonomy: &taxonomy,
        errors: None,
        can_request,
        pending: stored.as_ref().and_then(|v| v.pending_tags.as_ref()),
    };
    Ok(editor.render(&ctx, &session, StatusCode::OK, query.notice()))
}

/// Saves the profile; field errors show the form again (422) with every
/// message beside its input and in the summary.
pub async fn save_profile(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let pairs = form.into_inner();
    ctx.check_session(&session, posted(&pairs, "csrf"))?;
    let kind = match posted(&pairs, "role") {
        "mentor" => ProfileKind::Mentor,
        "mentee" => ProfileKind::Mentee,
        "facilitator" => ProfileKind::Facilitator,
        _ => return Err(ctx.fail(Failure::BadForm)),
    };
    let draft = Draft::from_form(kind, &pairs);
    let (input, sent) = draft.to_input();
    let caller = session.caller.clone();
    let saved = ctx
        .state
        .call(move |conn, _| profiles::write_own(conn, &caller, kind, &input))
        .await;
    let errors = match saved {
        Ok(_) => {
            return Ok(see_other(&format!(
                "/profile?role={}&notice=saved",
                kind.as_str()
            )))
        }
        Err(ApiError::Validation(errors)) => errors,
        Err(err) => return Err(ctx.api_failure(err)),
    };
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let (taxonomy, pending) = ctx
        .state
        .call(move |conn, _| {
            let taxonomy = web.taxonomy.offered(conn, &caller)?;
            // The tags still waiting for consent stay listed.
            let pending = match profiles::read_own(conn, &caller, kind) {
                Ok(view) => view.pending_tags,
                Err(ServiceError::NotFound) => None,
                Err(e) => return Err(e),
            };
            Ok((taxonomy, pending))
        })
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let editor = Editing {
        draft: &draft,
        taxonomy: &taxonomy,
        errors: Some((&errors, &sent)),
        can_request: false,
        pending: pending.as_ref(),
    };
    Ok(editor.render(&ctx, &session, StatusCode::UNPROCESSABLE_ENTITY, None))
}

/// A profile form to show.
struct Editing<'a> {
    draft: &'a Draft,
    taxonomy: &'a [TagView],
    errors: Option<(&'a BTreeMap<String, Vec<String>>, &'a draft::Sent)>,
    can_request: bool,
    /// Imported tags waiting for consent.
    pending: Option<&'a profiles::PendingTags>,
}

impl Editing<'_> {
    fn render(
        &self,
        ctx: &Ctx,
        session: &Session,
        status: StatusCode,
        notice: Option<&'static str>,
    ) -> HttpResponse {
        let lang = ctx.lang;
        let offered = view::offered(lang, self.taxonomy, self.draft);
        let shown = match self.errors {
            Some((errors, sent)) => Shown::from_errors(lang, errors, |path| {
                view::locate(lang, self.draft.kind, sent, &offered, path)
            }),
            None => Shown::default(),
        };
        let mut editor = view::editor(
            lang,
            self.draft,
            &offered,
            shown.beside,
            both_roles(session),
            self.can_request,
        );
        if let Some(pending) = self.pending {
            editor.pending = crate::pages::invitation::pending_rows(lang, self.taxonomy, pending);
        }
        let mut res = session_page(
            ctx,
            session,
            "profile.html",
            status,
            shown.form,
            notice,
            minijinja::Value::from_serialize(&editor),
        );
        if editor.zone_script {
            res.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                header::HeaderValue::from_static(CSP_WITH_SCRIPT),
            );
        }
        res
    }
}

/// A small taxonomy for the render tests.
#[cfg(test)]
pub fn sample_taxonomy() -> Vec<TagView> {
    let tag = |slug: &str, label: &str, category: &str, sensitive: bool| TagView {
        slug: slug.into(),
        label: label.into(),
        category: category.into(),
        sensitive,
        retired: false,
        updated_at: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
    };
    vec![
        tag("bisexual", "Bisexual", "identity", true),
        tag("migrant", "Migrant", "identity", false),
        tag(
            "coming-out-at-work",
            "Coming out at work",
            "experience",
            true,
        ),
        tag("job-search", "Job search", "support", false),
        tag("local-tag", "A <local> tag", "support", false),
    ]
}

/// The editor's values for `kind`, with errors on a tag, the consent, the
/// time zone and a time row.
#[cfg(test)]
pub fn sample_editor(lang: crate::i18n::Lang, kind: ProfileKind) -> (view::Editor, FormState) {
    let form: Vec<(String, String)> = [
        ("tag", "bisexual"),
        ("vis-bisexual", "private"),
        ("tag", "job-search"),
        ("tag", "retired-one"),
        ("lang", "es"),
        ("languages_other", "eu, x!"),
        ("timezone", "Mars/Base"),
        ("avail-mon-0-start", "18:00"),
        ("avail-mon-0-end", "17:00"),
        ("mode", "in_person"),
        ("bio", "Hola <b>"),
        ("capacity", "3"),
        ("accepting", "yes"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let draft = Draft::from_form(kind, &form);
    let (_, sent) = draft.to_input();
    let taxonomy = sample_taxonomy();
    let offered = view::offered(lang, &taxonomy, &draft);
    let mut errors = BTreeMap::new();
    for (path, m) in [
        (
            "consents.sensitive_tags",
            "must be true to store sensitive tags: bisexual",
        ),
        (
            "timezone",
            "must be an IANA time zone name, e.g. Europe/Madrid",
        ),
        ("availability[0].end", "must be after start"),
        ("private_tags[2]", "unknown tag"),
        (
            "languages[2]",
            "must be a valid BCP 47 language tag, e.g. en, es-MX, zh-Hant",
        ),
        (
            "region",
            "is required when meeting_modes includes in_person",
        ),
    ] {
        errors.insert(path.to_string(), vec![m.to_string()]);
    }
    let shown = Shown::from_errors(lang, &errors, |p| {
        view::locate(lang, kind, &sent, &offered, p)
    });
    let editor = view::editor(lang, &draft, &offered, shown.beside, true, true);
    (editor, shown.form)
}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    match template {
        "profile.html" => {
            let mut editor = sample_editor(crate::i18n::Lang::En, ProfileKind::Mentee).0;
            editor.pending = vec![crate::pages::invitation::PendingRow {
                label: "Survivor <b>".into(),
                private: true,
                sensitive: true,
            }];
            Some(minijinja::Value::from_serialize(editor))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
