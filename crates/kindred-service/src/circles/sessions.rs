//! Sessions of an active circle: the calendar (session `n` starts `n - 1`
//! cadences after the first occurrence of the weekly slot following the
//! start), attendance taken by the facilitator, the gentle note after
//! missed sessions in a row, and members' check-ins.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use kindred_config::Settings;
use kindred_core::{CircleState, FieldErrors, MemberState};
use kindred_db::circles::{check_ins, Attendance, Circle, CircleCheckIn};
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use super::{conflict, notify, Loaded};
use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};

/// Upcoming sessions listed after the past ones.
pub const UPCOMING_LISTED: i64 = 4;

/// When session `n` (1-based) of a started circle begins, in UTC.
pub fn session_start(settings: &Settings, c: &Circle, n: i64) -> Option<NaiveDateTime> {
    let first = next_weekly_slot(c, c.started_at?)?;
    Some(first + settings.circles.cadence.as_chrono() * i32::try_from(n - 1).ok()?)
}

/// The next start of the circle's weekly UTC slot after `after`.
pub fn next_weekly_slot(c: &Circle, after: NaiveDateTime) -> Option<NaiveDateTime> {
    let day = kindred_core::parse_weekday(&c.slot_day).ok()?;
    Some(kindred_core::next_weekly(
        day,
        i64::from(c.slot_start),
        after,
    ))
}

fn session_length(c: &Circle) -> TimeDelta {
    TimeDelta::minutes(i64::from(c.slot_end - c.slot_start).max(0))
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub n: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Whether the facilitator recorded attendance.
    pub attendance_recorded: bool,
    /// Facilitator and coordinators: who was there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present: Option<Vec<String>>,
    /// A member: whether they were marked present (once recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me_present: Option<bool>,
}

/// `GET /circles/{id}/sessions`: past sessions and the next few.
pub fn list(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<Vec<SessionView>> {
    let loaded = super::visible(conn, caller, id)?;
    let c = &loaded.circle;
    if c.started_at.is_none() {
        return Ok(Vec::new());
    }
    let sees_all = caller.is_coordinator() || loaded.is_facilitator(caller.id());
    let attendance = check_ins::attendance(conn, id)?;
    let now = kindred_db::now();
    let until = c.ended_at.unwrap_or(now);
    let mut out = Vec::new();
    let mut upcoming = 0;
    for n in 1..=10_000 {
        let Some(starts) = session_start(settings, c, n) else {
            break;
        };
        if starts > until {
            if c.state != CircleState::Active || upcoming >= UPCOMING_LISTED {
                break;
            }
            upcoming += 1;
        }
        let rows: Vec<&Attendance> = attendance
            .iter()
            .filter(|a| i64::from(a.session_n) == n)
            .collect();
        out.push(SessionView {
            n,
            starts_at: starts.and_utc(),
            ends_at: (starts + session_length(c)).and_utc(),
            attendance_recorded: !rows.is_empty(),
            present: sees_all.then(|| {
                rows.iter()
                    .filter(|a| a.present)
                    .map(|a| a.user_id.clone())
                    .collect()
            }),
            me_present: (!sees_all && !rows.is_empty())
                .then(|| rows.iter().any(|a| a.present && a.user_id == caller.id())),
        });
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    /// User ids of the joined members who were there; every other joined
    /// member is recorded absent.
    #[cfg_attr(feature = "openapi", schema(schema_with = present_schema))]
    pub present: Vec<String>,
}

/// `present`: at most 20 distinct user ids.
#[cfg(feature = "openapi")]
fn present_schema() -> utoipa::openapi::Array {
    super::views::distinct_ids_schema(0, 20)
}

/// `POST /circles/{id}/sessions/{n}/attendance` (its facilitator), once the
/// session has begun. Recording a session again replaces it.
pub fn record_attendance(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    n: i64,
    input: &AttendanceInput,
) -> ServiceResult<Vec<SessionView>> {
    kindred_db::write_tx(conn, |conn| {
        kindred_db::circles::rows::lock(conn, id)?;
        let loaded = super::visible(conn, caller, id)?;
        if !loaded.is_facilitator(caller.id()) {
            return Err(ServiceError::Forbidden(
                "only the circle's facilitator takes attendance".into(),
            ));
        }
        if loaded.circle.state != CircleState::Active {
            return Err(conflict(
                &loaded.circle,
                format!("the circle is {}", loaded.circle.state),
            ));
        }
        let starts = session_start(settings, &loaded.circle, n.max(1));
        if n < 1 || starts.is_none_or(|s| s > kindred_db::now()) {
            return Err(conflict(
                &loaded.circle,
                format!("session {n} has not begun"),
            ));
        }
        let joined: Vec<String> = loaded.joined().iter().map(|m| m.user_id.clone()).collect();
        let mut e = FieldErrors::new();
        for (i, p) in input.present.iter().enumerate() {
            if !joined.contains(p) {
                e.add(
                    format!("present[{i}]"),
                    "not a member who joined this circle",
                );
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let now = kindred_db::now();
        let session_n = i32::try_from(n).map_err(ServiceError::internal)?;
        let rows: Vec<Attendance> = joined
            .iter()
            .map(|user_id| Attendance {
                circle_id: id.to_string(),
                session_n,
                user_id: user_id.clone(),
                present: input.present.contains(user_id),
                recorded_at: now,
            })
            .collect();
        check_ins::record_attendance(conn, id, session_n, &rows)?;
        missed_sessions(conn, settings, &loaded)?;
        Ok(())
    })?;
    list(conn, settings, caller, id)
}

/// Recounts each joined member's absences in a row (latest recorded
/// sessions first); at `circles.missed_sessions_note` the member gets a
/// gentle note and the facilitator is told (once per run of absences).
fn missed_sessions(
    conn: &mut DbConnection,
    settings: &Settings,
    loaded: &Loaded,
) -> ServiceResult<()> {
    let attendance = check_ins::attendance(conn, &loaded.circle.id)?;
    let threshold = i64::from(settings.circles.missed_sessions_note);
    for m in loaded.joined() {
        let mut mine: Vec<&Attendance> = attendance
            .iter()
            .filter(|a| a.user_id == m.user_id)
            .collect();
        mine.sort_by_key(|a| std::cmp::Reverse(a.session_n));
        let missed = mine.iter().take_while(|a| !a.present).count();
        let missed = i64::try_from(missed).unwrap_or(i64::MAX);
        kindred_db::circles::members::set_missed(
            conn,
            &loaded.circle.id,
            &m.user_id,
            i32::try_from(missed).unwrap_or(i32::MAX),
        )?;
        if missed >= threshold {
            // The session that began this run of absences names the event.
            let first_missed = mine
                .get(usize::try_from(missed - 1).unwrap_or(0))
                .map_or(0, |a| a.session_n);
            notify::missed_sessions(conn, settings, &loaded.circle, &m.user_id, first_missed)?;
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CircleCheckInInput {
    /// 1 (struggling) to 5 (going well).
    #[serde(deserialize_with = "kindred_core::serde_util::integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: i64,
    /// `true` alerts the coordinators and the facilitator at once.
    pub needs_support: bool,
    /// For the coordinators only (≤ 2000 characters).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircleCheckInView {
    pub id: String,
    pub circle_id: String,
    pub author_id: String,
    pub rating: i32,
    pub needs_support: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn check_in_view(c: &CircleCheckIn) -> CircleCheckInView {
    CircleCheckInView {
        id: c.id.clone(),
        circle_id: c.circle_id.clone(),
        author_id: c.author_id.clone(),
        rating: c.rating,
        needs_support: c.needs_support,
        note: c.note.clone(),
        created_at: c.created_at.and_utc(),
    }
}

/// `POST /circles/{id}/check-ins` (a member who joined).
pub fn check_in(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    input: &CircleCheckInInput,
) -> ServiceResult<CircleCheckInView> {
    let mut e = FieldErrors::new();
    if !(1..=5).contains(&input.rating) {
        e.add("rating", "must be between 1 and 5");
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 2000 || n.contains('\0')) {
        e.add("note", "at most 2000 characters");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    kindred_db::write_tx(conn, |conn| {
        let loaded = super::visible(conn, caller, id)?;
        let joined = loaded
            .member(caller.id())
            .is_some_and(|m| m.state == MemberState::Joined);
        if !joined {
            return Err(ServiceError::Forbidden(
                "only members who joined can check in".into(),
            ));
        }
        if !super::is_running(loaded.circle.state) {
            return Err(conflict(
                &loaded.circle,
                format!("the circle is {}", loaded.circle.state),
            ));
        }
        let row = CircleCheckIn {
            id: kindred_db::new_id(),
            circle_id: id.to_string(),
            author_id: caller.id().to_string(),
            rating: i32::try_from(input.rating).unwrap_or(0),
            note: note.map(str::to_string),
            needs_support: input.needs_support,
            handled_at: None,
            handled_by: None,
            created_at: kindred_db::now(),
        };
        check_ins::insert(conn, &row)?;
        if row.needs_support {
            notify::needs_support(conn, settings, &loaded.circle, &row)?;
        }
        Ok(check_in_view(&row))
    })
}

/// `GET /circles/{id}/check-ins`: coordinators see all; a member their own;
/// the facilitator none (check-in answers are the author's and the
/// coordinators' only).
pub fn check_ins(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> ServiceResult<Vec<CircleCheckInView>> {
    let loaded = super::visible(conn, caller, id)?;
    let author = if caller.is_coordinator() {
        None
    } else if loaded.is_facilitator(caller.id()) {
        return Ok(Vec::new());
    } else {
        Some(caller.id())
    };
    Ok(check_ins::of_circle(conn, id, author)?
        .iter()
        .map(check_in_view)
        .collect())
}

/// Every circle check-in the caller wrote (their export).
pub fn own_check_ins(
    conn: &mut DbConnection,
    caller: &Caller,
) -> ServiceResult<Vec<CircleCheckInView>> {
    Ok(check_ins::by_author(conn, caller.id())?
        .iter()
        .map(check_in_view)
        .collect())
}
