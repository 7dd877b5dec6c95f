//! The OpenAPI document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    admin, auth, circle_requests, circles, facilitators, imports, matches, me, notifications, ops,
    profiles, programme, requests, runs, safety, tags, transitions,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kindred API",
        version = "1",
        description = "Mentorship matching for people who share lived experience of discrimination, stigma or exclusion. Errors are application/problem+json (RFC 9457).",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        auth::register, auth::verify, auth::login, auth::logout,
        auth::password_reset, auth::password_reset_confirm,
        me::get_me, me::add_role, me::set_language, me::change_password, me::export_me, me::delete_me,
        tags::list_tags, tags::create_tag, tags::patch_tag,
        profiles::get_mentee_profile, profiles::put_mentee_profile,
        profiles::get_mentor_profile, profiles::put_mentor_profile,
        profiles::answer_consent, profiles::mentor_card, profiles::list_profiles,
        requests::create_request, requests::get_request, requests::withdraw_request,
        requests::list_requests, requests::suggestions,
        runs::start_run, runs::get_run, matches::list_matches, matches::get_match,
        matches::match_events, matches::create_manual, transitions::approve, transitions::reject,
        transitions::accept, transitions::decline, transitions::end,
        safety::create_check_in, safety::list_check_ins, safety::support_queue,
        safety::create_block, safety::create_report, safety::list_reports,
        safety::safety_inbox, safety::report_handled, safety::report_reopen,
        safety::check_in_handled, safety::check_in_reopen,
        programme::programme_metrics,
        notifications::get_prefs, notifications::put_prefs, notifications::unsubscribe, notifications::unsubscribe_link,
        admin::list_jobs, admin::retry_job,
        admin::list_emails, admin::retry_email,
        imports::start_import, imports::get_import,
        imports::export_participants, imports::export_matches,
        facilitators::grant, facilitators::revoke, facilitators::list,
        facilitators::get_profile, facilitators::put_profile,
        circle_requests::create, circle_requests::get, circle_requests::withdraw, circle_requests::list,
        circle_requests::start_run, circle_requests::get_run,
        circles::list, circles::create_manual, circles::get, circles::approve, circles::reject,
        circles::join, circles::leave, circles::start, circles::end,
        circles::list_sessions, circles::record_attendance, circles::check_in, circles::list_check_ins,
        ops::healthz, ops::readyz, ops::metrics, ops::openapi,
    ),
    components(schemas(crate::error::Problem, profiles::ProfilePage, requests::RequestPage, matches::MatchPage, safety::ReportPage, safety::InboxPage, admin::JobPage, admin::EmailPage, facilitators::FacilitatorPage, circle_requests::CircleRequestPage, circles::CirclePage)),
    modifiers(&BearerAuth, &CommonResponses, &AtLeastOneField),
    tags(
        (name = "accounts", description = "Registration, verification, sessions, passwords, the caller's data"),
        (name = "tags", description = "The shared-experience taxonomy"),
        (name = "profiles", description = "Mentee and mentor profiles"),
        (name = "requests", description = "Mentorship requests and suggestions"),
        (name = "matching", description = "Matching runs, matches and their transitions"),
        (name = "safety", description = "Check-ins, blocks, reports and the coordinators' safety inbox"),
        (name = "circles", description = "Peer-support circles: facilitators, circle requests, circle runs, circles, sessions, attendance and check-ins"),
        (name = "data", description = "Coordinators' CSV import and export of participants and matches"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `PATCH /tags/{slug}` needs at least one field: `minProperties: 1`.
/// (utoipa 5.5's `#[schema(min_properties = 1)]` writes `maxProperties`.)
struct AtLeastOneField;

impl Modify for AtLeastOneField {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{schema::Schema, RefOr};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut("TagPatchInput")
        {
            object.min_properties = Some(1);
        }
    }
}

/// Responses every route can give, added once instead of on every handler:
/// `401` on routes that need a token, `400`/`422` on routes with query
/// parameters, `400`/`413`/`415`/`422` on routes with a JSON body, and
/// `500`/`503` everywhere.
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, ResponseBuilder};
        let problem = |description: &str| -> RefOr<utoipa::openapi::Response> {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        crate::error::PROBLEM_JSON,
                        utoipa::openapi::ContentBuilder::new()
                            .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let responses = &mut op.responses.responses;
                if op.security.is_some() {
                    responses
                        .entry("401".into())
                        .or_insert_with(|| problem("Missing, invalid, expired or revoked token"));
                }
                let has_query =
                    op.parameters.iter().flatten().any(|p| {
                        matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)
                    });
                if has_query {
                    responses
                        .entry("400".into())
                        .or_insert_with(|| problem("A query parameter of the wrong type"));
                    responses
                        .entry("422".into())
                        .or_insert_with(|| problem("A query parameter out of range"));
                }
                if op.request_body.is_some() {
                    responses
                        .entry("422".into())
                        .or_insert_with(|| problem("Invalid fields (`errors` names each one)"));
                    responses
                        .entry("400".into())
                        .or_insert_with(|| problem("Malformed JSON"));
                    responses
                        .entry("413".into())
                        .or_insert_with(|| problem("Body larger than server.body_limit"));
                    responses
                        .entry("415".into())
                        .or_insert_with(|| problem("Content-Type is not JSON"));
                }
                responses
                    .entry("500".into())
                    .or_insert_with(|| problem("Unexpected server error"));
                responses
                    .entry("503".into())
                    .or_insert_with(|| problem("Database unavailable"));
                for (status, response) in responses.iter_mut() {
                    if status.starts_with('4') || status.starts_with('5') {
                        serve_as_problem(response);
                    }
                }
            }
        }
    }
}

/// Every error is served as `application/problem+json`: a response that a
/// handler's annotation documents as `application/json` is moved to it.
fn serve_as_problem(response: &mut utoipa::openapi::RefOr<utoipa::openapi::Response>) {
    let utoipa::openapi::RefOr::T(response) = response else {
        return;
    };
    if let Some(content) = response.content.shift_remove("application/json") {
        response
            .content
            .insert(crate::error::PROBLEM_JSON.to_string(), content);
    }
}

/// The document as pretty JSON with a trailing newline (the committed copy's format).
pub fn openapi_json() -> String {
    let mut s = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
