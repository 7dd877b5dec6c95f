//! The coordinators' safety inbox: reports and check-ins that asked for
//! support, merged and newest first, each with the people involved, the
//! match it concerns and its text, and whether (and by whom) it was handled.
//! Coordinators only; anyone else gets `Forbidden`, like `GET /reports`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kindred_core::{MatchAction, MatchState};
use kindred_db::models::{CheckIn, Report};
use kindred_db::safety::{Handled, InboxRow};
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageQuery};

/// What an inbox item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InboxKind {
    /// A report about a person (`POST /reports`).
    Report,
    /// A check-in whose author asked for support (`needs_support: true`).
    CheckIn,
}

/// The values of `?state=` (`open`, the default, is what is not handled yet).
pub const INBOX_STATES: [&str; 3] = ["open", "handled", "all"];

/// A person in an inbox item. An erased account shows as its tombstone:
/// `display_name` "Deleted user", `erased: true`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxPerson {
    pub id: String,
    pub display_name: String,
    pub erased: bool,
}

/// The match an item concerns.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxMatch {
    pub id: String,
    pub state: MatchState,
    pub mentor: InboxPerson,
    pub mentee: InboxPerson,
    /// Whether a coordinator may end it now (`POST /matches/{id}/end`).
    pub can_end: bool,
}

/// One item of the safety inbox. Fields that belong to the other kind are
/// `null`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    pub kind: InboxKind,
    /// The report's or the check-in's id.
    pub id: String,
    pub created_at: DateTime<Utc>,
    /// Report: who filed it; `null` once they erased their account.
    pub reporter: Option<InboxPerson>,
    /// Report: the person it is about.
    pub about: Option<InboxPerson>,
    /// Check-in: its author.
    pub author: Option<InboxPerson>,
    /// The match it concerns: always for a check-in, when one was named for a report.
    pub match_context: Option<InboxMatch>,
    /// Report: what happened (replaced by a notice if the reporter erased their account).
    pub reason: Option<String>,
    /// Check-in: 1 (struggling) to 5 (going well).
    pub rating: Option<i32>,
    /// Check-in: the author's note, if any (removed if they erased their account).
    pub note: Option<String>,
    /// When a coordinator marked it handled; `null` while open.
    pub handled_at: Option<DateTime<Utc>>,
    /// Who marked it handled.
    pub handled_by: Option<InboxPerson>,
}

fn parse_state(state: Option<&str>) -> ServiceResult<Handled> {
    match state.unwrap_or("open") {
        "open" => Ok(Handled::Open),
        "handled" => Ok(Handled::Handled),
        "all" => Ok(Handled::All),
        _ => Err(ServiceError::field("state", "must be open, handled or all")),
    }
}

/// The inbox, newest first: `state` is `open` (default: not handled yet),
/// `handled` or `all`; pages follow `pagination` (the cursor is the id of
/// the last item of the previous page; the next page holds older items).
pub fn inbox(
    conn: &mut DbConnection,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<InboxItem>> {
    caller.require_coordinator()?;
    let which = parse_state(state)?;
    let page = page.validate()?;
    kindred_db::read_tx(conn, |conn| -> ServiceResult<_> {
        let (rows, next) = page.load(
            conn,
            |c, before, n| kindred_db::safety::inbox(c, which, before, n),
            |r| r.id().to_string(),
        )?;
        Ok(Page {
            items: items(conn, rows)?,
            next_cursor: next,
        })
    })
}

/// Marks a report or a check-in that asked for support handled by the
/// caller. Handling an item twice keeps the first handling. `NotFound` for
/// an unknown id (and for a check-in that did not ask for support).
pub fn mark_handled(
    conn: &mut DbConnection,
    caller: &Caller,
    kind: InboxKind,
    id: &str,
) -> ServiceResult<InboxItem> {
    set_handled(conn, caller, kind, id, Some(caller.id()))
}

/// Opens a handled item again (a no-op when it is open). `NotFound` as for
/// [`mark_handled`].
pub fn reopen(
    conn: &mut DbConnection,
    caller: &Caller,
    kind: InboxKind,
    id: &str,
) -> ServiceResult<InboxItem> {
    set_handled(conn, caller, kind, id, None)
}

fn set_handled(
    conn: &mut DbConnection,
    caller: &Caller,
    kind: InboxKind,
    id: &str,
    by: Option<&str>,
) -> ServiceResult<InboxItem> {
    caller.require_coordinator()?;
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let row = match kind {
            InboxKind::Report => {
                if kindred_db::safety::find_report(conn, id)?.is_none() {
                    return Err(ServiceError::NotFound);
                }
                kindred_db::safety::set_report_handled(conn, id, by)?;
                kindred_db::safety::find_report(conn, id)?.map(InboxRow::Report)
            }
            InboxKind::CheckIn => {
                let asked =
                    kindred_db::safety::find_check_in(conn, id)?.is_some_and(|c| c.needs_support);
                if !asked {
                    return Err(ServiceError::NotFound);
                }
                kindred_db::safety::set_check_in_handled(conn, id, by)?;
                kindred_db::safety::find_check_in(conn, id)?.map(InboxRow::CheckIn)
            }
        };
        let row = row.ok_or(ServiceError::NotFound)?;
        items(conn, vec![row])?
            .pop()
            .ok_or_else(|| ServiceError::Internal("an inbox item vanished".into()))
    })
}

/// Turns rows into items, with the names of everyone involved and the
/// matches they concern (read once per page).
fn items(conn: &mut DbConnection, rows: Vec<InboxRow>) -> ServiceResult<Vec<InboxItem>> {
    let mut match_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| match r {
            InboxRow::Report(r) => r.match_id.as_deref(),
            InboxRow::CheckIn(c) => Some(c.match_id.as_str()),
        })
        .collect();
    match_ids.sort_unstable();
    match_ids.dedup();
    let matches: HashMap<String, _> = kindred_db::matches::find_many(conn, &match_ids)?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let mut ids: Vec<&str> = Vec::new();
    for row in &rows {
        match row {
            InboxRow::Report(r) => {
                ids.extend(r.reporter_id.as_deref());
                ids.push(&r.about_user_id);
                ids.extend(r.handled_by.as_deref());
            }
            InboxRow::CheckIn(c) => {
                ids.push(&c.author_id);
                ids.extend(c.handled_by.as_deref());
            }
        }
    }
    for m in matches.values() {
        ids.push(&m.mentor_id);
        ids.push(&m.mentee_id);
    }
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<String, (String, bool)> = kindred_db::users::names(conn, &ids)?
        .into_iter()
        .map(|(id, name, erased)| (id, (name, erased)))
        .collect();
    let person = |id: &str| -> InboxPerson {
        let (display_name, erased) = names
            .get(id)
            .cloned()
            .unwrap_or_else(|| ("Deleted user".to_string(), true));
        InboxPerson {
            id: id.to_string(),
            display_name,
            erased,
        }
    };
    let context = |match_id: Option<&str>| -> Option<InboxMatch> {
        let m = matches.get(match_id?)?;
        Some(InboxMatch {
            id: m.id.clone(),
            state: m.state,
            mentor: person(&m.mentor_id),
            mentee: person(&m.mentee_id),
            can_end: m.state.can(MatchAction::End),
        })
    };
    Ok(rows
        .into_iter()
        .map(|row| match row {
            InboxRow::Report(r) => report_item(r, &person, &context),
            InboxRow::CheckIn(c) => check_in_item(c, &person, &context),
        })
        .collect())
}

fn report_item(
    r: Report,
    person: &impl Fn(&str) -> InboxPerson,
    context: &impl Fn(Option<&str>) -> Option<InboxMatch>,
) -> InboxItem {
    InboxItem {
        kind: InboxKind::Report,
        created_at: r.created_at.and_utc(),
        reporter: r.reporter_id.as_deref().map(person),
        about: Some(person(&r.about_user_id)),
        author: None,
        match_context: context(r.match_id.as_deref()),
        reason: Some(r.reason),
        rating: None,
        note: None,
        handled_at: r.handled_at.map(|t| t.and_utc()),
        handled_by: r.handled_by.as_deref().map(person),
        id: r.id,
    }
}

fn check_in_item(
    c: CheckIn,
    person: &impl Fn(&str) -> InboxPerson,
    context: &impl Fn(Option<&str>) -> Option<InboxMatch>,
) -> InboxItem {
    InboxItem {
        kind: InboxKind::CheckIn,
        created_at: c.created_at.and_utc(),
        reporter: None,
        about: None,
        author: Some(person(&c.author_id)),
        match_context: context(Some(&c.match_id)),
        reason: None,
        rating: Some(c.rating),
        note: c.note,
        handled_at: c.handled_at.map(|t| t.and_utc()),
        handled_by: c.handled_by.as_deref().map(person),
        id: c.id,
    }
}
