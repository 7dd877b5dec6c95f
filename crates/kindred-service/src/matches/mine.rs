//! A person's own matches, for the web app's pages: the list of the
//! matches they take part in (a coordinator's list here is theirs too, not
//! the whole programme's), one match with what its participant may see of
//! the other person, and the summary of the signed-in home.
//!
//! Everything shown comes from the same views as the API's
//! (`views::match_view`, `profiles::mentor_card`), so a participant sees
//! exactly what `GET /matches/{id}` and `GET /mentors/{id}` show them.

use std::collections::{BTreeMap, BTreeSet};

use kindred_config::Settings;
use kindred_core::MatchState;
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matches::views::{match_view, visible_match, MatchView};
use crate::pagination::{Page, PageQuery};
use crate::profiles::MentorCard;
use crate::requests::RequestView;

/// One of the caller's matches as its participant sees it.
#[derive(Debug, Serialize)]
pub struct MyMatch {
    /// `"mentor"` or `"mentee"`: the caller's side of the match.
    pub role: &'static str,
    pub view: MatchView,
    /// The mentor's public card, for the mentee (as `GET /mentors/{id}`
    /// shows it to them; none once either blocked the other).
    pub mentor_card: Option<MentorCard>,
    /// The labels of the public tags shown (shared tags, the card's tags).
    pub tag_labels: BTreeMap<String, String>,
}

/// What the signed-in home summarises.
#[derive(Debug, Serialize)]
pub struct Overview {
    /// The caller's open or matched mentorship request, if any.
    pub request: Option<RequestView>,
    /// The caller's matches that are awaiting the mentor or active.
    pub current: Vec<MatchView>,
}

/// The matches the caller takes part in (as mentor or mentee), in the
/// states participants see, oldest first, paginated.
pub fn list_own(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    page: PageQuery,
) -> ServiceResult<Page<MatchView>> {
    let page = page.validate()?;
    let viewer = caller.id();
    let mut rows = kindred_db::matches::list_matches(
        conn,
        &kindred_db::matches::MatchFilter {
            participant: Some(viewer),
            state: None,
            after: page.after.as_deref(),
            limit: page.limit + 1,
        },
    )?;
    let next = page.next_cursor(&mut rows, |m| m.id.clone());
    let items = rows
        .iter()
        .map(|m| match_view(conn, settings, m, viewer, caller.is_coordinator()))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(Page {
        items,
        next_cursor: next,
    })
}

/// The caller's match `id` and their side of it, once it has left
/// coordinator review; `NotFound` for anyone who is not its mentor or
/// mentee (coordinators included: they review matches elsewhere).
fn own_match(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> ServiceResult<(kindred_db::models::Match, &'static str)> {
    let m = visible_match(conn, caller, id)?;
    let role = if m.mentor_id == caller.id() {
        "mentor"
    } else if m.mentee_id == caller.id() {
        "mentee"
    } else {
        return Err(ServiceError::NotFound);
    };
    if m.state.is_coordinator_only() {
        return Err(ServiceError::NotFound);
    }
    Ok((m, role))
}

/// One match of the caller's, as its participant sees it (see `own_match`).
pub fn detail(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<MyMatch> {
    let (m, role) = own_match(conn, caller, id)?;
    let view = match_view(conn, settings, &m, caller.id(), caller.is_coordinator())?;
    let mentor_card = if role == "mentee" {
        match crate::profiles::mentor_card(conn, caller, &m.mentor_id) {
            Ok(card) => Some(card),
            Err(ServiceError::NotFound) => None,
            Err(other) => return Err(other),
        }
    } else {
        None
    };
    let mut shown: BTreeSet<String> = view
        .explanation
        .get("shared_tags")
        .and_then(|t| t.as_array())
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if let Some(card) = &mentor_card {
        shown.extend(card.tags.iter().cloned());
    }
    let tag_labels = kindred_db::tags::list(conn, true)?
        .into_iter()
        .filter(|t| shown.contains(&t.slug))
        .map(|t| (t.slug, t.label))
        .collect();
    Ok(MyMatch {
        role,
        view,
        mentor_card,
        tag_labels,
    })
}

/// Blocks the other person of the caller's match `id` (`safety::block`: the
/// pair is never proposed again and an open match between them closes).
pub fn block_partner(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<crate::safety::BlockView> {
    let (m, role) = own_match(conn, caller, id)?;
    let user_id = if role == "mentor" {
        m.mentee_id
    } else {
        m.mentor_id
    };
    crate::safety::block(
        conn,
        settings,
        caller,
        &crate::safety::BlockInput { user_id },
    )
}

/// The caller's live request and current matches (the home page).
pub fn overview(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
) -> ServiceResult<Overview> {
    let request = kindred_db::requests::live_request_for(conn, caller.id())?
        .map(|r| crate::requests::request_view(&r));
    let rows = kindred_db::matches::matches_of_user(
        conn,
        caller.id(),
        &[MatchState::AwaitingMentor, MatchState::Active],
    )?;
    let current = rows
        .iter()
        .map(|m| match_view(conn, settings, m, caller.id(), caller.is_coordinator()))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(Overview { request, current })
}
