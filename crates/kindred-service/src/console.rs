//! What the coordinators' console shows, gathered in one call per page:
//! the queue with the mentees' names, one request with the mentee's whole
//! profile and the suggested mentors' cards, and the matches to review.
//! Coordinators only; everyone else gets `NotFound` (the console does not
//! say it exists).

use kindred_config::Settings;
use kindred_core::ProfileKind;
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matches::views::{self, MatchView};
use crate::pagination::{Page, PageQuery};
use crate::profiles::{self, MentorCard, ProfileView};
use crate::requests::{self, RequestView, SuggestionView};

/// `NotFound` unless the caller is a coordinator.
fn coordinators_only(caller: &Caller) -> ServiceResult<()> {
    if caller.is_coordinator() {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// A request in the queue, with who asked.
#[derive(Debug, Serialize)]
pub struct QueueItem {
    pub request: RequestView,
    pub mentee_name: String,
}

/// The open requests, oldest first, with the mentees' names.
pub fn queue(
    conn: &mut DbConnection,
    caller: &Caller,
    page: PageQuery,
) -> ServiceResult<Page<QueueItem>> {
    coordinators_only(caller)?;
    let found = requests::list(conn, caller, Some("open"), page)?;
    let items = found
        .items
        .into_iter()
        .map(|request| {
            let mentee_name = display_name(conn, &request.mentee_id)?;
            Ok(QueueItem {
                request,
                mentee_name,
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(Page {
        items,
        next_cursor: found.next_cursor,
    })
}

/// A suggested mentor: the score and its explanation, and their card.
#[derive(Debug, Serialize)]
pub struct Suggested {
    pub suggestion: SuggestionView,
    pub card: MentorCard,
}

/// One request as a coordinator reviews it.
#[derive(Debug, Serialize)]
pub struct RequestReview {
    pub request: RequestView,
    pub mentee_name: String,
    pub mentee_pronouns: Option<String>,
    /// The mentee's profile, private tags included (marked by the page).
    pub profile: Option<ProfileView>,
    /// Only while the request is open.
    pub suggestions: Vec<Suggested>,
}

/// The request `id` with its mentee's profile and, while open, the best
/// mentors for it (`limit`, default 5).
pub fn request_review(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<RequestReview> {
    coordinators_only(caller)?;
    let request = requests::get(conn, caller, id)?;
    let mentee =
        kindred_db::users::find(conn, &request.mentee_id)?.ok_or(ServiceError::NotFound)?;
    let profile = whole_profile(conn, &mentee.id, ProfileKind::Mentee)?;
    let suggestions = if request.state == "open" && profile.is_some() {
        requests::suggestions(conn, settings, caller, id, None)?
            .into_iter()
            .map(|suggestion| {
                let card = profiles::mentor_card(conn, caller, &suggestion.mentor_id)?;
                Ok(Suggested { suggestion, card })
            })
            .collect::<ServiceResult<Vec<_>>>()?
    } else {
        Vec::new()
    };
    Ok(RequestReview {
        request,
        mentee_name: mentee.display_name,
        mentee_pronouns: mentee.pronouns,
        profile,
        suggestions,
    })
}

/// Matches in `state` (default `proposed`: the ones waiting for review),
/// oldest first.
pub fn matches(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<MatchView>> {
    coordinators_only(caller)?;
    views::list(
        conn,
        settings,
        caller,
        Some(state.unwrap_or("proposed")),
        page,
    )
}

/// One match as a coordinator reviews it: the whole explanation
/// (`private_overlap` included) and both people's profiles.
#[derive(Debug, Serialize)]
pub struct MatchReview {
    pub view: MatchView,
    pub mentor: Option<ProfileView>,
    pub mentee: Option<ProfileView>,
}

pub fn match_review(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<MatchReview> {
    coordinators_only(caller)?;
    let view = views::get(conn, settings, caller, id)?;
    let mentor = whole_profile(conn, &view.mentor_id, ProfileKind::Mentor)?;
    let mentee = whole_profile(conn, &view.mentee_id, ProfileKind::Mentee)?;
    Ok(MatchReview {
        view,
        mentor,
        mentee,
    })
}

/// A profile as coordinators see it: private tags included, and whether
/// earlier (erased) accounts with the same email were reported.
fn whole_profile(
    conn: &mut DbConnection,
    user_id: &str,
    kind: ProfileKind,
) -> ServiceResult<Option<ProfileView>> {
    let Some(found) = kindred_db::profiles::get(conn, user_id, kind.as_str())? else {
        return Ok(None);
    };
    let mut view = profiles::profile_view(&found, true)?;
    view.earlier_reports = crate::safety::earlier_reports(conn, user_id)?;
    Ok(Some(view))
}

fn display_name(conn: &mut DbConnection, user_id: &str) -> ServiceResult<String> {
    Ok(kindred_db::users::find(conn, user_id)?
        .map(|u| u.display_name)
        .unwrap_or_default())
}
