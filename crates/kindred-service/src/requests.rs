//! Mentorship requests: create, read, withdraw, the coordinators' queue and
//! the suggestions for one request.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_core::{FieldErrors, RequestState, Role};
use kindred_db::models::{Request, Tag};
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matches::transitions::{self, Actor};
use crate::pagination::{Page, PageQuery};

#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// Tags the mentor must have among their public tags (≤ 10, no repeats).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = required_tags_schema))]
    pub required_tags: Vec<String>,
    /// Regions the mentor must not be from (e.g. the mentee's home town), ≤ 20 of 1–100 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = regions_schema))]
    pub excluded_regions: Vec<String>,
    /// A note for the coordinators (≤ 2000 characters).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub note: Option<String>,
}

/// `required_tags`: ≤ 10 distinct tag slugs.
#[cfg(feature = "openapi")]
fn required_tags_schema() -> utoipa::openapi::Array {
    use utoipa::PartialSchema;
    utoipa::openapi::ArrayBuilder::new()
        .items(kindred_core::TagSlug::schema())
        .max_items(Some(10))
        .unique_items(true)
        .build()
}

/// `excluded_regions`: ≤ 20 names of 1–100 characters, not blank.
#[cfg(feature = "openapi")]
fn regions_schema() -> utoipa::openapi::Array {
    let region = utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(1))
        .max_length(Some(100))
        .pattern(Some(r"^[^\x00]*[^\s\x00][^\x00]*$"));
    utoipa::openapi::ArrayBuilder::new()
        .items(region)
        .max_items(Some(20))
        .build()
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestView {
    pub id: String,
    pub mentee_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "open"))]
    pub state: String,
    pub required_tags: Vec<String>,
    pub excluded_regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Seconds since the request was made, while it is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_at: Option<DateTime<Utc>>,
}

pub fn request_view(r: &Request) -> RequestView {
    RequestView {
        id: r.id.clone(),
        mentee_id: r.mentee_id.clone(),
        state: r.state.to_string(),
        required_tags: serde_json::from_str(&r.required_tags).unwrap_or_default(),
        excluded_regions: serde_json::from_str(&r.excluded_regions).unwrap_or_default(),
        note: r.note.clone(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        waiting_seconds: (r.state == kindred_core::RequestState::Open)
            .then(|| (kindred_db::now() - r.created_at).num_seconds()),
        matched_at: r.matched_at.map(|t| t.and_utc()),
    }
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedRequest {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "open"))]
    pub state: String,
    pub created_at: DateTime<Utc>,
}

/// A list of at most 10 tag slugs under `field` (`required_tags`, a circle
/// request's `topics`): each known, not retired, not repeated.
pub(crate) fn validate_tags(
    errors: &mut FieldErrors,
    field: &str,
    slugs: &[String],
    taxonomy: &[Tag],
) {
    if slugs.len() > 10 {
        errors.add(field, "at most 10 tags");
    }
    let mut seen = HashSet::new();
    for (i, slug) in slugs.iter().enumerate() {
        match taxonomy.iter().find(|t| &t.slug == slug) {
            None => errors.add(format!("{field}[{i}]"), "unknown tag"),
            Some(t) if t.retired => errors.add(format!("{field}[{i}]"), "this tag is retired"),
            Some(_) => {}
        }
        if !seen.insert(slug) {
            errors.add(format!("{field}[{i}]"), "duplicate tag");
        }
    }
}

fn validate_regions(errors: &mut FieldErrors, regions: &[String]) {
    if regions.len() > 20 {
        errors.add("excluded_regions", "at most 20 regions");
    }
    for (i, region) in regions.iter().enumerate() {
        let n = region.trim().chars().count();
        if n == 0 || region.chars().count() > 100 {
            errors.add(
                format!("excluded_regions[{i}]"),
                "must be 1 to 100 characters",
            );
        }
    }
}

/// Validates a request body against the taxonomy; every violation at once.
fn validate(input: &RequestInput, taxonomy: &[Tag]) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    validate_tags(&mut errors, "required_tags", &input.required_tags, taxonomy);
    validate_regions(&mut errors, &input.excluded_regions);
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        errors.add("note", "at most 2000 characters");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

fn new_request(mentee_id: &str, input: &RequestInput) -> Request {
    let now = kindred_db::now();
    let regions: Vec<String> = input
        .excluded_regions
        .iter()
        .map(|r| r.trim().to_string())
        .collect();
    Request {
        id: kindred_db::new_id(),
        mentee_id: mentee_id.to_string(),
        state: RequestState::Open,
        required_tags: serde_json::to_string(&input.required_tags).unwrap_or_else(|_| "[]".into()),
        excluded_regions: serde_json::to_string(&regions).unwrap_or_else(|_| "[]".into()),
        note: input
            .note
            .as_ref()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        created_at: now,
        updated_at: now,
        matched_at: None,
    }
}

/// A mentee asks for a mentor. `Conflict` without a mentee profile or with a
/// request already in progress.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &RequestInput,
) -> ServiceResult<CreatedRequest> {
    if !caller.has_role(Role::Mentee) {
        return Err(ServiceError::Forbidden(
            "only mentees can request a mentor".into(),
        ));
    }
    let taxonomy = kindred_db::tags::list(conn, true)?;
    validate(input, &taxonomy)?;
    let mentee_id = caller.id();
    let created = kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        if kindred_db::profiles::get(conn, mentee_id, "mentee")?.is_none() {
            return Err(ServiceError::conflict("create your mentee profile first"));
        }
        if let Some(live) = kindred_db::requests::live_request_for(conn, mentee_id)? {
            return Err(ServiceError::conflict_in(
                format!("you already have a request in progress ({})", live.id),
                live.state,
            ));
        }
        let request = new_request(mentee_id, input);
        match kindred_db::requests::insert_request(conn, &request) {
            Ok(()) => Ok(request),
            Err(e) if e.is_unique_violation() => Err(ServiceError::conflict(
                "you already have a request in progress",
            )),
            Err(e) => Err(e.into()),
        }
    })?;
    Ok(CreatedRequest {
        id: created.id,
        state: created.state.to_string(),
        created_at: created.created_at.and_utc(),
    })
}

/// A mentee's own situation for asking: whether they have a mentee
/// profile, and their request in progress (open or matched), if any.
#[derive(Debug, Serialize)]
pub struct OwnRequest {
    pub has_profile: bool,
    pub live: Option<RequestView>,
}

/// The caller's own request in progress (mentees only), e.g. for the web
/// app's "ask for a mentor" page.
pub fn own(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<OwnRequest> {
    if !caller.has_role(Role::Mentee) {
        return Err(ServiceError::Forbidden(
            "only mentees can request a mentor".into(),
        ));
    }
    let has_profile = kindred_db::profiles::get(conn, caller.id(), "mentee")?.is_some();
    let live = kindred_db::requests::live_request_for(conn, caller.id())?;
    Ok(OwnRequest {
        has_profile,
        live: live.as_ref().map(request_view),
    })
}

/// Loads a request the caller may see: its mentee and coordinators; else `NotFound`.
pub fn visible_request(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> ServiceResult<Request> {
    let r = kindred_db::requests::get_request(conn, id)?.ok_or(ServiceError::NotFound)?;
    if caller.is_coordinator() || r.mentee_id == caller.id() {
        Ok(r)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// A request: its mentee and coordinators.
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<RequestView> {
    visible_request(conn, caller, id).map(|r| request_view(&r))
}

/// Withdraws an open request (its mentee only). A pending proposal is
/// rejected with it; a match already sent to the mentor or active is a `Conflict`.
pub fn withdraw(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<()> {
    let r = visible_request(conn, caller, id)?;
    if r.mentee_id != caller.id() {
        return Err(ServiceError::Forbidden(
            "only the mentee can withdraw a request".into(),
        ));
    }
    kindred_db::write_tx(conn, |conn| -> ServiceResult<()> {
        kindred_db::requests::lock_request(conn, id)?;
        let r = kindred_db::requests::get_request(conn, id)?.ok_or(ServiceError::NotFound)?;
        if r.state != kindred_core::RequestState::Open {
            return Err(ServiceError::conflict_in(
                format!("the request is {}", r.state),
                r.state,
            ));
        }
        if let Some(m) = kindred_db::matches::open_match_for_request(conn, &r.id)? {
            if m.state != kindred_core::MatchState::Proposed {
                return Err(ServiceError::conflict_in(
                    format!(
                        "the request has a match that is {}; end or wait for it first",
                        m.state
                    ),
                    m.state,
                ));
            }
            let actor = Actor {
                user_id: Some(caller.id()),
                role: "mentee",
            };
            transitions::apply(
                conn,
                settings,
                &m.id,
                kindred_core::MatchAction::Reject,
                &actor,
                Some("request withdrawn by the mentee"),
            )?;
        }
        kindred_db::requests::set_request_state(conn, &r.id, RequestState::Withdrawn)?;
        Ok(())
    })
}

/// The coordinators' queue: oldest first, with waiting time. `state`
/// defaults to `open`.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<RequestView>> {
    caller.require_coordinator()?;
    let wanted = state
        .unwrap_or("open")
        .parse::<RequestState>()
        .map_err(|_| ServiceError::field("state", "must be open, matched, withdrawn or closed"))?;
    let page = page.validate()?;
    let (rows, next) = page.load(
        conn,
        |c, after, n| kindred_db::requests::list_requests(c, wanted, after, n),
        |r| r.id.clone(),
    )?;
    Ok(Page {
        items: rows.iter().map(request_view).collect(),
        next_cursor: next,
    })
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionView {
    pub mentor_id: String,
    pub score: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub explanation: kindred_matching::Explanation,
}

/// How many suggestions a raw `limit` asks for (1–50, default 5).
fn suggestion_limit(raw: Option<&str>) -> ServiceResult<usize> {
    match raw {
        None => Ok(5),
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=50).contains(&n) => Ok(n),
            _ => Err(ServiceError::field(
                "limit",
                "must be an integer from 1 to 50",
            )),
        },
    }
}

/// The best mentors for one request, each with the explanation of its
/// score (coordinators).
pub fn suggestions(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    limit: Option<&str>,
) -> ServiceResult<Vec<SuggestionView>> {
    let limit = suggestion_limit(limit)?;
    let weights = crate::matchmaking::weights(settings)?;
    let r = visible_request(conn, caller, id)?;
    if !caller.is_coordinator() {
        return Err(ServiceError::Forbidden(
            "only coordinators see suggestions".into(),
        ));
    }
    let problem = crate::matchmaking::snapshot(conn, weights, Some(&r))?;
    if problem.requests.is_empty() {
        return Err(ServiceError::conflict("the mentee has no profile"));
    }
    let found = kindred_matching::suggest(&problem, &r.id, limit)
        .map_err(|e| ServiceError::Internal(format!("matching: {e}")))?;
    Ok(found
        .into_iter()
        .map(|s| SuggestionView {
            mentor_id: s.mentor_id,
            score: s.score,
            explanation: s.explanation,
        })
        .collect())
}
