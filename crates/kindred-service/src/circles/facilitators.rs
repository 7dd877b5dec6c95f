//! Facilitators: coordinators record training and grant the role, revoke
//! it (flagging the circles the person still leads), and list them.

use chrono::{DateTime, NaiveDate, Utc};
use kindred_config::Settings;
use kindred_core::{CircleState, FieldErrors};
use kindred_db::circles::FacilitatorRecord;
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageQuery};

/// Longest `training` description.
pub const TRAINING_MAX_CHARS: usize = 500;

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FacilitatorInput {
    pub user_id: String,
    /// `YYYY-MM-DD`, not in the future.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "2026-10-01", pattern = r"^\d{4}-\d{2}-\d{2}$")
    )]
    pub trained_on: String,
    /// The training completed (course, provider), 1–500 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 500,
            pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
        )
    )]
    pub training: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacilitatorView {
    pub user_id: String,
    pub display_name: String,
    pub trained_on: String,
    pub training: String,
    /// From their facilitator profile (absent until they write one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_circles: Option<i32>,
    /// Circles they lead that are proposed, approved or active.
    pub circles: i64,
    pub granted_at: DateTime<Utc>,
}

fn validate(
    conn: &mut DbConnection,
    input: &FacilitatorInput,
) -> ServiceResult<(NaiveDate, String)> {
    let mut e = FieldErrors::new();
    let date = match NaiveDate::parse_from_str(&input.trained_on, "%Y-%m-%d") {
        Ok(d) if d <= Utc::now().date_naive() => Some(d),
        Ok(_) => {
            e.add("trained_on", "must not be in the future");
            None
        }
        Err(_) => {
            e.add("trained_on", "must be a date YYYY-MM-DD");
            None
        }
    };
    let training = input.training.trim().to_string();
    if training.is_empty()
        || training.chars().count() > TRAINING_MAX_CHARS
        || training.contains('\0')
    {
        e.add(
            "training",
            format!("must be 1 to {TRAINING_MAX_CHARS} characters"),
        );
    }
    let user = if input.user_id.contains('\0') || input.user_id.len() > 100 {
        None
    } else {
        kindred_db::users::find(conn, &input.user_id)?
    };
    if user.is_none_or(|u| u.deleted_at.is_some()) {
        e.add("user_id", "no such user");
    }
    match date {
        Some(d) if e.is_empty() => Ok((d, training)),
        _ => Err(e.into()),
    }
}

/// `POST /facilitators`: grants the role and records the training.
pub fn grant(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &FacilitatorInput,
) -> ServiceResult<FacilitatorView> {
    caller.require_coordinator()?;
    kindred_db::write_tx(conn, |conn| {
        let (date, training) = validate(conn, input)?;
        let now = kindred_db::now();
        kindred_db::circles::facilitators::grant(
            conn,
            &FacilitatorRecord {
                user_id: input.user_id.clone(),
                trained_on: date.format("%Y-%m-%d").to_string(),
                training,
                granted_by: Some(caller.id().to_string()),
                created_at: now,
                updated_at: now,
                revoked_at: None,
            },
        )?;
        let record = kindred_db::circles::facilitators::get(conn, &input.user_id)?
            .ok_or_else(|| ServiceError::internal("facilitator record vanished"))?;
        facilitator_view(conn, record)
    })
}

/// `DELETE /facilitators/{user_id}`: the role goes; the approved or active
/// circles they lead are flagged and coordinators are told.
pub fn revoke(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    user_id: &str,
) -> ServiceResult<()> {
    caller.require_coordinator()?;
    kindred_db::write_tx(conn, |conn| {
        if !kindred_db::circles::facilitators::revoke(conn, user_id)? {
            return Err(ServiceError::NotFound);
        }
        flag_circles_of(conn, settings, user_id)
    })
}

/// Flags the facilitator's approved or active circles and tells the
/// coordinators (also used when a facilitator erases their account).
pub(crate) fn flag_circles_of(
    conn: &mut DbConnection,
    settings: &Settings,
    user_id: &str,
) -> ServiceResult<()> {
    let running = kindred_db::circles::rows::led_by(
        conn,
        user_id,
        &[CircleState::Approved, CircleState::Active],
    )?;
    let now = kindred_db::now();
    for c in &running {
        kindred_db::circles::rows::flag(conn, &c.id, Some(now))?;
    }
    // Proposed circles cannot be approved without a facilitator any more.
    for c in kindred_db::circles::rows::led_by(conn, user_id, &[CircleState::Proposed])? {
        super::transitions::reject_in_tx(conn, &c.id, "the facilitator's role was revoked")?;
    }
    if !running.is_empty() {
        super::notify::facilitator_revoked(conn, settings, user_id, running.len())?;
    }
    Ok(())
}

fn facilitator_view(
    conn: &mut DbConnection,
    r: FacilitatorRecord,
) -> ServiceResult<FacilitatorView> {
    let user = kindred_db::users::find(conn, &r.user_id)?.ok_or(ServiceError::NotFound)?;
    let profile = kindred_db::profiles::get(conn, &r.user_id, "facilitator")?;
    let circles = kindred_db::circles::rows::led_by(conn, &r.user_id, &CircleState::OPEN)?.len();
    Ok(FacilitatorView {
        user_id: r.user_id,
        display_name: user.display_name,
        trained_on: r.trained_on,
        training: r.training,
        max_circles: profile.and_then(|p| p.profile.max_circles),
        circles: i64::try_from(circles).unwrap_or(i64::MAX),
        granted_at: r.created_at.and_utc(),
    })
}

/// `GET /facilitators` (coordinators).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    page: PageQuery,
) -> ServiceResult<Page<FacilitatorView>> {
    caller.require_coordinator()?;
    let page = page.validate()?;
    let (rows, next_cursor) = page.load(conn, kindred_db::circles::facilitators::list, |r| {
        r.user_id.clone()
    })?;
    let items = rows
        .into_iter()
        .map(|r| facilitator_view(conn, r))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor })
}

/// A person a coordinator looks up by email (to grant the role).
#[derive(Debug, Serialize)]
pub struct PersonSummary {
    pub id: String,
    pub display_name: String,
    pub roles: Vec<kindred_core::Role>,
}

/// Coordinators: the live account with this email, if any (any letter case).
pub fn person_by_email(
    conn: &mut DbConnection,
    caller: &Caller,
    email: &str,
) -> ServiceResult<Option<PersonSummary>> {
    caller.require_coordinator()?;
    let email = email.trim().to_lowercase();
    if email.is_empty()
        || email.len() > kindred_core::accounts::EMAIL_MAX_LEN
        || email.contains('\0')
    {
        return Ok(None);
    }
    let Some(user) = kindred_db::users::find_by_email(conn, &email)? else {
        return Ok(None);
    };
    if user.deleted_at.is_some() {
        return Ok(None);
    }
    let roles = kindred_db::users::roles(conn, &user.id)?;
    Ok(Some(PersonSummary {
        id: user.id,
        display_name: user.display_name,
        roles,
    }))
}
