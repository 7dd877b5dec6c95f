//! The coordinators' CSV exports (`GET /admin/exports/participants.csv`,
//! `GET /admin/exports/matches.csv`), written with the `csv` crate.
//!
//! What they never contain: private tags, tags waiting for consent,
//! passwords, tokens, codes. Every cell that a spreadsheet would read as a
//! formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return)
//! is neutralised with a leading `'`, so opening the file runs nothing a
//! participant typed. The participants file uses the import's columns
//! (without `private_tags`), so it can be edited and imported again.

use std::borrow::Cow;
use std::collections::HashMap;

use kindred_core::import::{format_availability, Column};
use kindred_db::DbConnection;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::profiles::profile_view;

/// Profiles or matches read per query.
const PAGE: i64 = 500;

/// `cell` as a spreadsheet will show it, never as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

struct Writer(csv::Writer<Vec<u8>>);

impl Writer {
    fn new() -> Self {
        Writer(csv::Writer::from_writer(Vec::new()))
    }

    fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> ServiceResult<()> {
        self.0
            .write_record(cells.into_iter().map(|c| neutralise(c).into_owned()))
            .map_err(|e| ServiceError::Internal(format!("writing CSV: {e}")))
    }

    fn finish(self) -> ServiceResult<Vec<u8>> {
        self.0
            .into_inner()
            .map_err(|e| ServiceError::Internal(format!("writing CSV: {e}")))
    }
}

/// The participants' columns: the import's, without `private_tags`.
fn participant_columns() -> Vec<Column> {
    Column::ALL
        .into_iter()
        .filter(|c| *c != Column::PrivateTags)
        .collect()
}

/// One line per profile (a person with both roles has two), mentees first,
/// each kind in creation order. Erased people are left out.
pub fn participants_csv(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<Vec<u8>> {
    caller.require_coordinator()?;
    let columns = participant_columns();
    let mut out = Writer::new();
    out.row(columns.iter().map(|c| c.name()))?;
    for kind in ["mentee", "mentor"] {
        let mut after: Option<String> = None;
        loop {
            let page = kindred_db::profiles::list(conn, kind, after.as_deref(), PAGE)?;
            let Some(last) = page.last() else { break };
            after = Some(last.profile.user_id.clone());
            let ids: Vec<&str> = page.iter().map(|p| p.profile.user_id.as_str()).collect();
            let users: HashMap<String, kindred_db::models::User> =
                kindred_db::users::find_many(conn, &ids)?
                    .into_iter()
                    .map(|u| (u.id.clone(), u))
                    .collect();
            for p in &page {
                let Some(user) = users.get(&p.profile.user_id) else {
                    continue;
                };
                // `false`: no private tag; waiting tags are never in the lists.
                let v = profile_view(p, false)?.profile;
                let cell = |c: Column| -> String {
                    match c {
                        Column::Email => user.email.clone().unwrap_or_default(),
                        Column::DisplayName => user.display_name.clone(),
                        Column::Role => kind.to_string(),
                        Column::Pronouns => user.pronouns.clone().unwrap_or_default(),
                        Column::Languages => v.languages.join("; "),
                        Column::Timezone => v.timezone.name().to_string(),
                        Column::Tags => v.tags.join("; "),
                        Column::PrivateTags => String::new(),
                        Column::MeetingModes => v
                            .meeting_modes
                            .iter()
                            .map(|m| m.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                        Column::Region => v.region.clone().unwrap_or_default(),
                        Column::Availability => format_availability(&v.availability),
                        Column::Capacity => v.capacity.map(|c| c.to_string()).unwrap_or_default(),
                        Column::Goals => v.goals.clone().unwrap_or_default(),
                        Column::Bio => v.bio.clone(),
                    }
                };
                let cells: Vec<String> = columns.iter().map(|c| cell(*c)).collect();
                out.row(cells.iter().map(String::as_str))?;
            }
        }
    }
    out.finish()
}

/// The matches' columns.
const MATCH_COLUMNS: [&str; 12] = [
    "match_id",
    "state",
    "mentor_id",
    "mentor_name",
    "mentee_id",
    "mentee_name",
    "score",
    "created_at",
    "activated_at",
    "ended_at",
    "ended_reason",
    "request_id",
];

fn time(t: Option<chrono::NaiveDateTime>) -> String {
    t.map(|t| {
        t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    })
    .unwrap_or_default()
}

/// One line per match, in creation order: states, people by id and display
/// name (no contact details), the score and the times. Explanations are
/// left out (they are per viewer; coordinators read them in the API).
pub fn matches_csv(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<Vec<u8>> {
    caller.require_coordinator()?;
    let mut matches = kindred_db::matches::all_matches(conn)?;
    matches.sort_by(|a, b| a.id.cmp(&b.id));
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Writer::new();
    out.row(MATCH_COLUMNS)?;
    for m in &matches {
        for id in [&m.mentor_id, &m.mentee_id] {
            if !names.contains_key(id) {
                let name = kindred_db::users::find(conn, id)?
                    .map_or_else(|| "Deleted user".to_string(), |u| u.display_name);
                names.insert(id.clone(), name);
            }
        }
        let name = |id: &str| names.get(id).cloned().unwrap_or_default();
        let cells = [
            m.id.clone(),
            m.state.as_str().to_string(),
            m.mentor_id.clone(),
            name(&m.mentor_id),
            m.mentee_id.clone(),
            name(&m.mentee_id),
            m.score.to_string(),
            time(Some(m.created_at)),
            time(m.activated_at),
            time(m.ended_at),
            m.ended_reason.clone().unwrap_or_default(),
            m.request_id.clone(),
        ];
        out.row(cells.iter().map(String::as_str))?;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_nothing_else() {
        for bad in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in ["Ana", "", "a=b", "Europe/Madrid", "2026-12-07"] {
            assert_eq!(neutralise(ok), ok);
        }
    }
}
