//! Circle requests: a person with a mentee profile asks for a place in a
//! circle (with topics they hope to share), withdraws it, and coordinators
//! list them oldest first.

use chrono::{DateTime, Utc};
use kindred_core::{CircleRequestState, FieldErrors, MemberState, Role};
use kindred_db::circles::CircleRequest;
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageQuery};

/// Most topics on one request.
pub const MAX_TOPICS: usize = 10;

#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CircleRequestInput {
    /// Tags (public or private) the person hopes to share, ≤ 10 distinct
    /// slugs of the taxonomy. A topic is used for forming circles and is
    /// never shown to other members.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = topics_schema))]
    pub topics: Vec<String>,
    /// A note for the coordinators (≤ 2000 characters).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub note: Option<String>,
}

#[cfg(feature = "openapi")]
fn topics_schema() -> utoipa::openapi::Array {
    use utoipa::PartialSchema;
    utoipa::openapi::ArrayBuilder::new()
        .items(kindred_core::TagSlug::schema())
        .max_items(Some(MAX_TOPICS))
        .unique_items(true)
        .build()
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircleRequestView {
    pub id: String,
    pub user_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "open"))]
    pub state: String,
    pub topics: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Seconds since it was made, while it is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_seconds: Option<i64>,
}

pub fn request_view(r: &CircleRequest) -> CircleRequestView {
    CircleRequestView {
        id: r.id.clone(),
        user_id: r.user_id.clone(),
        state: r.state.to_string(),
        topics: serde_json::from_str(&r.topics).unwrap_or_default(),
        note: r.note.clone(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        waiting_seconds: (r.state == CircleRequestState::Open)
            .then(|| (kindred_db::now() - r.created_at).num_seconds()),
    }
}

fn validate(conn: &mut DbConnection, input: &CircleRequestInput) -> ServiceResult<()> {
    let taxonomy = kindred_db::tags::list(conn, true)?;
    let mut e = FieldErrors::new();
    crate::requests::validate_tags(&mut e, "topics", &input.topics, &taxonomy);
    if let Some(n) = &input.note {
        if n.chars().count() > 2000 || n.contains('\0') {
            e.add("note", "at most 2000 characters");
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e.into())
    }
}

/// `POST /circle-requests`.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &CircleRequestInput,
) -> ServiceResult<CircleRequestView> {
    if !caller.has_role(Role::Mentee) {
        return Err(ServiceError::Forbidden(
            "add the mentee role and a mentee profile first".into(),
        ));
    }
    kindred_db::write_tx(conn, |conn| {
        validate(conn, input)?;
        if kindred_db::profiles::get(conn, caller.id(), "mentee")?.is_none() {
            return Err(ServiceError::conflict(
                "write your mentee profile first (PUT /api/v1/me/mentee-profile)",
            ));
        }
        if let Some(live) = kindred_db::circles::requests::live_for(conn, caller.id())? {
            return Err(ServiceError::conflict_in(
                "you already have a circle request in progress",
                live.state,
            ));
        }
        let now = kindred_db::now();
        let row = CircleRequest {
            id: kindred_db::new_id(),
            user_id: caller.id().to_string(),
            state: CircleRequestState::Open,
            topics: serde_json::to_string(&input.topics).map_err(ServiceError::internal)?,
            note: input
                .note
                .as_ref()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            created_at: now,
            updated_at: now,
        };
        match kindred_db::circles::requests::insert(conn, &row) {
            Err(e) if e.is_unique_violation() => Err(ServiceError::conflict(
                "you already have a circle request in progress",
            )),
            other => other.map_err(ServiceError::from),
        }?;
        Ok(request_view(&row))
    })
}

/// `GET /circle-requests/{id}`: its author and coordinators.
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<CircleRequestView> {
    let r = kindred_db::circles::requests::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    if r.user_id == caller.id() || caller.is_coordinator() {
        Ok(request_view(&r))
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The caller's own circle requests, newest last.
pub fn mine(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<Vec<CircleRequestView>> {
    Ok(kindred_db::circles::requests::for_user(conn, caller.id())?
        .iter()
        .map(request_view)
        .collect())
}

/// `DELETE /circle-requests/{id}` (its author). An open request is
/// withdrawn; one placed in a proposed circle leaves that proposal; one
/// whose circle was approved is `409` (leave the circle instead).
pub fn withdraw(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<()> {
    kindred_db::write_tx(conn, |conn| {
        kindred_db::circles::requests::lock(conn, id)?;
        let r = kindred_db::circles::requests::get(conn, id)?.ok_or(ServiceError::NotFound)?;
        if r.user_id != caller.id() {
            return Err(ServiceError::NotFound);
        }
        match r.state {
            CircleRequestState::Open => {}
            CircleRequestState::Placed => {
                let rows = kindred_db::circles::members::of_user(conn, caller.id())?;
                let row = rows
                    .iter()
                    .find(|m| m.request_id == r.id && m.state.is_current());
                match row {
                    Some(m) if m.state == MemberState::Proposed => {
                        kindred_db::circles::members::set_state(
                            conn,
                            &m.circle_id,
                            &m.request_id,
                            &[MemberState::Proposed],
                            MemberState::Removed,
                        )?;
                    }
                    _ => {
                        return Err(ServiceError::conflict_in(
                            "you were invited to a circle: leave it from the circle instead",
                            r.state,
                        ))
                    }
                }
            }
            other => {
                return Err(ServiceError::conflict_in(
                    "the request is no longer open",
                    other,
                ))
            }
        }
        kindred_db::circles::requests::set_state(conn, id, CircleRequestState::Withdrawn)?;
        Ok(())
    })
}

/// `GET /circle-requests?state=` (coordinators), oldest first.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<CircleRequestView>> {
    caller.require_coordinator()?;
    let state = match state {
        None => CircleRequestState::Open,
        Some(s) => s
            .parse::<CircleRequestState>()
            .map_err(|_| ServiceError::field("state", "unknown circle request state"))?,
    };
    let page = page.validate()?;
    let (rows, next_cursor) = page.load(
        conn,
        |conn, after, limit| kindred_db::circles::requests::list(conn, state, after, limit),
        |r| r.id.clone(),
    )?;
    Ok(Page {
        items: rows.iter().map(request_view).collect(),
        next_cursor,
    })
}
