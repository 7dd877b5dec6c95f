//! Peer-support circles: facilitators' training records, circle requests,
//! circle runs, circles with their members, attendance and check-ins.

pub mod check_ins;
pub mod facilitators;
pub mod members;
pub mod requests;
pub mod rows;
pub mod runs;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kindred_core::{CircleRequestState, CircleState, MemberState};

use crate::schema;
use crate::schema::{
    circle_attendance, circle_check_ins, circle_members, circle_requests, circle_runs, circles,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schema::facilitators)]
pub struct FacilitatorRecord {
    pub user_id: String,
    /// `YYYY-MM-DD`.
    pub trained_on: String,
    pub training: String,
    pub granted_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_requests)]
pub struct CircleRequest {
    pub id: String,
    pub user_id: String,
    pub state: CircleRequestState,
    /// JSON array of tag slugs.
    pub topics: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_runs)]
pub struct CircleRun {
    pub id: String,
    pub dry_run: bool,
    pub started_by: Option<String>,
    pub min_size: i32,
    pub max_size: i32,
    pub circles: i32,
    pub placed: i32,
    pub unplaced: i32,
    pub total_score: i64,
    pub upper_bound: i64,
    pub duration_ms: i64,
    /// JSON: the engine's report plus the unplaced requests with reasons.
    pub report: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circles)]
pub struct Circle {
    pub id: String,
    pub run_id: Option<String>,
    pub state: CircleState,
    pub facilitator_id: String,
    pub language: String,
    pub meeting_mode: String,
    pub region: Option<String>,
    pub slot_day: String,
    pub slot_start: i32,
    pub slot_end: i32,
    /// JSON array of public tag slugs.
    pub topics: String,
    pub score: i64,
    /// JSON: the engine's whole explanation (coordinators only).
    pub explanation: String,
    pub note: Option<String>,
    pub meeting_details: Option<String>,
    pub reason: Option<String>,
    pub flagged_at: Option<NaiveDateTime>,
    pub approved_at: Option<NaiveDateTime>,
    pub started_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_members)]
pub struct CircleMember {
    pub circle_id: String,
    pub request_id: String,
    pub user_id: String,
    pub state: MemberState,
    /// JSON: this member's explanation (its public part is shown to them).
    pub explanation: String,
    pub invited_at: Option<NaiveDateTime>,
    pub joined_at: Option<NaiveDateTime>,
    pub left_at: Option<NaiveDateTime>,
    pub missed_in_row: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_attendance)]
pub struct Attendance {
    pub circle_id: String,
    pub session_n: i32,
    pub user_id: String,
    pub present: bool,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_check_ins)]
pub struct CircleCheckIn {
    pub id: String,
    pub circle_id: String,
    pub author_id: String,
    pub rating: i32,
    pub note: Option<String>,
    pub needs_support: bool,
    pub handled_at: Option<NaiveDateTime>,
    pub handled_by: Option<String>,
    pub created_at: NaiveDateTime,
}
