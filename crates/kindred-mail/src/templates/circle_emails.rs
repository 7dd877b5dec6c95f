//! The emails of peer-support circles. Values follow the rules of
//! [`super::emails`]: names are display names, `topics` are the taxonomy's
//! labels of the circle's public topics (never slugs, never a private tag),
//! times are in the reader's zone ([`LocalTime`], [`WeeklySlot`]), links are
//! URLs.
//!
//! Privacy: no circle email carries another person's email address, tags or
//! any other profile field, the text of a check-in goes to nobody (its rating
//! to coordinators only), and none mentions a private overlap. Members may
//! see each other's display names, the topics, the slot and the meeting
//! details.

use kindred_core::MeetingMode;
use serde::{Serialize, Serializer};

use super::{Email, LocalTime};

/// A circle's slot in the reader's zone: the weekday and time of `start`
/// (one occurrence, e.g. the next or the first session), lasting `minutes`,
/// every `weeks` weeks (`circles.cadence`; 0 counts as 1). Shown as "every
/// Monday, 18:00–19:30 (CET)" or "every 2 weeks on Monday, …" (the `weekly`
/// filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeeklySlot {
    pub start: LocalTime,
    pub minutes: u32,
    pub weeks: u32,
}

/// Invites a member to a circle a coordinator approved: who facilitates it,
/// its topics, language, how and when it meets, the group agreement they
/// accept by joining, and by when to answer. `language` is the name of the
/// circle's language as the reader should read it ("Español"), `region` the
/// region of an in-person circle. `circle_url` is the web page where they
/// join or decline; `join_route` the API's route for apps
/// (`POST https://…/api/v1/circles/{id}/join`).
#[derive(Debug, Clone, Serialize)]
pub struct CircleInvitation<'a> {
    pub recipient_name: &'a str,
    pub facilitator_name: &'a str,
    pub topics: &'a [String],
    pub language: &'a str,
    pub meeting_mode: MeetingMode,
    pub region: Option<&'a str>,
    pub slot: WeeklySlot,
    pub respond_by: LocalTime,
    pub circle_url: &'a str,
    pub join_route: &'a str,
}

impl Email for CircleInvitation<'_> {
    const NAME: &'static str = "circle_invitation";
}

/// Tells a facilitator that a coordinator approved their circle: how many
/// members were invited, its topics and slot, and that they can start it
/// once at least `min_size` members joined.
#[derive(Debug, Clone, Serialize)]
pub struct CircleFacilitatorInvitation<'a> {
    pub recipient_name: &'a str,
    pub invited: usize,
    pub min_size: usize,
    pub topics: &'a [String],
    pub slot: WeeklySlot,
    pub circle_url: &'a str,
}

impl Email for CircleFacilitatorInvitation<'_> {
    const NAME: &'static str = "circle_facilitator_invitation";
}

/// To each member and the facilitator when the facilitator starts the
/// circle: the meeting details the facilitator wrote (escaped; its line
/// breaks are kept), the weekly slot and the first session. The caller
/// attaches the calendar ([`crate::ics::circle_event`]).
#[derive(Debug, Clone, Serialize)]
pub struct CircleStarted<'a> {
    pub recipient_name: &'a str,
    pub facilitator_name: &'a str,
    pub topics: &'a [String],
    #[serde(serialize_with = "lines")]
    pub meeting_details: &'a str,
    pub slot: WeeklySlot,
    pub first_session: LocalTime,
    pub circle_url: &'a str,
}

impl Email for CircleStarted<'_> {
    const NAME: &'static str = "circle_started";
}

/// Before each session, to every member and the facilitator.
#[derive(Debug, Clone, Serialize)]
pub struct CircleSessionReminder<'a> {
    pub recipient_name: &'a str,
    pub session_number: u32,
    pub starts: LocalTime,
    #[serde(serialize_with = "lines")]
    pub meeting_details: &'a str,
    pub circle_url: &'a str,
}

impl Email for CircleSessionReminder<'_> {
    const NAME: &'static str = "circle_session_reminder";
}

/// A gentle note to a member who missed `missed` sessions in a row
/// (`circles.missed_sessions_note`, 2 by default): no blame, they are
/// welcome back, they can tell their facilitator, and they can leave at any
/// time from the circle's page; it points to the support footer.
#[derive(Debug, Clone, Serialize)]
pub struct CircleMissedSessions<'a> {
    pub recipient_name: &'a str,
    pub missed: u32,
    pub facilitator_name: &'a str,
    pub circle_url: &'a str,
}

impl Email for CircleMissedSessions<'_> {
    const NAME: &'static str = "circle_missed_sessions";
}

/// Tells a facilitator that a member missed `missed` sessions in a row,
/// and suggests a kind personal check-in.
#[derive(Debug, Clone, Serialize)]
pub struct CircleMissedFacilitator<'a> {
    pub recipient_name: &'a str,
    pub member_name: &'a str,
    pub missed: u32,
    pub circle_url: &'a str,
}

impl Email for CircleMissedFacilitator<'_> {
    const NAME: &'static str = "circle_missed_facilitator";
}

/// To a member whose invitation lapsed unanswered: the place went to
/// someone else, and they can ask to join a circle again at `request_url`.
#[derive(Debug, Clone, Serialize)]
pub struct CircleInvitationExpired<'a> {
    pub recipient_name: &'a str,
    pub request_url: &'a str,
}

impl Email for CircleInvitationExpired<'_> {
    const NAME: &'static str = "circle_invitation_expired";
}

/// A member's circle check-in asked for support: to each coordinator
/// (`for_coordinator`, `url` the console's page of the circle) and to the
/// facilitator (`url` the circle's page). Nobody gets the note by email:
/// coordinators are told to read it in the app when `has_note`. The
/// `rating` is shown to coordinators only: the facilitator's email never
/// carries it, nor that there is a note (pass `None` and `false` for them).
#[derive(Debug, Clone, Serialize)]
pub struct CircleNeedsSupport<'a> {
    pub for_coordinator: bool,
    pub member_name: &'a str,
    pub topics: &'a [String],
    pub rating: Option<i32>,
    pub has_note: bool,
    pub url: &'a str,
}

impl Email for CircleNeedsSupport<'_> {
    const NAME: &'static str = "circle_needs_support";
}

/// To the facilitator and coordinators: a circle now has fewer than
/// `min_size` members (someone left or erased their account). Never says
/// who.
#[derive(Debug, Clone, Serialize)]
pub struct CircleBelowMinimum<'a> {
    pub for_coordinator: bool,
    pub members: usize,
    pub min_size: usize,
    pub topics: &'a [String],
    pub url: &'a str,
}

impl Email for CircleBelowMinimum<'_> {
    const NAME: &'static str = "circle_below_minimum";
}

/// To the facilitator and coordinators: one member of a circle blocked
/// another. Coordinators read who blocked whom; the facilitator's email
/// names both people in alphabetical order and never says which one
/// blocked.
#[derive(Debug, Clone, Serialize)]
pub struct CircleBlockAlert<'a> {
    pub for_coordinator: bool,
    pub blocker_name: &'a str,
    pub blocked_name: &'a str,
    pub url: &'a str,
}

impl Email for CircleBlockAlert<'_> {
    const NAME: &'static str = "circle_block_alert";
}

/// To coordinators: a facilitator's role was revoked while they lead
/// `circles` approved or active circles. `url` is the console's list of
/// their circles.
#[derive(Debug, Clone, Serialize)]
pub struct CircleFacilitatorRevoked<'a> {
    pub facilitator_name: &'a str,
    pub circles: usize,
    pub url: &'a str,
}

impl Email for CircleFacilitatorRevoked<'_> {
    const NAME: &'static str = "circle_facilitator_revoked";
}

/// To every member and the facilitator when a circle ends: thanks, and
/// that they can ask to join another circle at `request_url`. Never the
/// reason it ended.
#[derive(Debug, Clone, Serialize)]
pub struct CircleEnded<'a> {
    pub recipient_name: &'a str,
    pub request_url: &'a str,
}

impl Email for CircleEnded<'_> {
    const NAME: &'static str = "circle_ended";
}

/// A free text someone wrote, as its lines (each then put on one line by
/// [`super::render`]): no blank lines around it, at most one in a row.
fn lines<S: Serializer>(text: &&str, serializer: S) -> Result<S::Ok, S::Error> {
    let mut out: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.serialize(serializer)
}
