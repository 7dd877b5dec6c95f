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

/// Which open requests the queue shows (all when empty).
#[derive(Debug, Default, Clone)]
pub struct QueueFilter {
    /// The mentee has a tag (public or private) of this category.
    pub category: Option<String>,
    /// The mentee speaks this language (a language code, e.g. `es`).
    pub language: Option<String>,
    /// Waiting longer than this many days.
    pub waiting_days: Option<i64>,
}

impl QueueFilter {
    /// Reads the raw filter values (empty = not filtered); every bad one
    /// is a field error.
    pub fn parse(
        conn: &mut DbConnection,
        category: &str,
        language: &str,
        waiting_days: &str,
    ) -> ServiceResult<QueueFilter> {
        let mut errors = kindred_core::FieldErrors::default();
        let category = Some(category.trim()).filter(|c| !c.is_empty());
        if let Some(c) = category {
            let known = kindred_db::tags::list(conn, true)?
                .iter()
                .any(|t| t.category == c);
            if !known {
                errors.add("category", "must be a category of the taxonomy");
            }
        }
        let language = Some(language.trim()).filter(|l| !l.is_empty());
        if let Some(l) = language {
            let ok = l.len() <= 35 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !ok {
                errors.add("language", "must be a language code, e.g. es or pt-BR");
            }
        }
        let waiting = Some(waiting_days.trim()).filter(|w| !w.is_empty());
        let waiting_days = match waiting.map(str::parse::<i64>) {
            None => None,
            Some(Ok(n)) if (0..=3650).contains(&n) => Some(n),
            Some(_) => {
                errors.add(
                    "waiting_days",
                    "must be a whole number of days from 0 to 3650",
                );
                None
            }
        };
        errors.into_result(())?;
        Ok(QueueFilter {
            category: category.map(str::to_string),
            language: language.map(|l| l.to_ascii_lowercase()),
            waiting_days,
        })
    }

    fn is_empty(&self) -> bool {
        self.category.is_none() && self.language.is_none() && self.waiting_days.is_none()
    }
}

/// Whether request `r` passes `filter` (`categories`: tag slug → category).
fn passes(
    conn: &mut DbConnection,
    filter: &QueueFilter,
    categories: &std::collections::HashMap<String, String>,
    r: &RequestView,
) -> ServiceResult<bool> {
    if let Some(days) = filter.waiting_days {
        if r.waiting_seconds.unwrap_or(0) <= days * 86_400 {
            return Ok(false);
        }
    }
    if filter.category.is_none() && filter.language.is_none() {
        return Ok(true);
    }
    let Some(profile) = whole_profile(conn, &r.mentee_id, ProfileKind::Mentee)? else {
        return Ok(false);
    };
    let p = &profile.profile;
    if let Some(c) = &filter.category {
        let has = p
            .tags
            .iter()
            .chain(&p.private_tags)
            .any(|t| categories.get(t) == Some(c));
        if !has {
            return Ok(false);
        }
    }
    if let Some(l) = &filter.language {
        let speaks = p.languages.iter().any(|x| {
            let x = x.to_ascii_lowercase();
            x == *l || x.split('-').next() == Some(l.as_str())
        });
        if !speaks {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The open requests that pass `filter`, oldest first, with the mentees'
/// names. Filtering reads each candidate's profile, a batch at a time,
/// until the page is full.
pub fn queue(
    conn: &mut DbConnection,
    caller: &Caller,
    filter: &QueueFilter,
    page: PageQuery,
) -> ServiceResult<Page<QueueItem>> {
    coordinators_only(caller)?;
    let found = if filter.is_empty() {
        requests::list(conn, caller, Some("open"), page)?
    } else {
        filtered(conn, filter, page)?
    };
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

fn filtered(
    conn: &mut DbConnection,
    filter: &QueueFilter,
    page: PageQuery,
) -> ServiceResult<Page<RequestView>> {
    let page = page.validate()?;
    let categories: std::collections::HashMap<String, String> = kindred_db::tags::list(conn, true)?
        .into_iter()
        .map(|t| (t.slug, t.category))
        .collect();
    let mut items: Vec<RequestView> = Vec::new();
    let mut after = page.after.clone();
    let want = usize::try_from(page.limit).unwrap_or(50) + 1;
    loop {
        let batch = kindred_db::requests::list_requests(
            conn,
            kindred_core::RequestState::Open,
            after.as_deref(),
            200,
        )?;
        let done = batch.len() < 200;
        for r in &batch {
            let view = requests::request_view(r);
            if passes(conn, filter, &categories, &view)? {
                items.push(view);
                if items.len() == want {
                    break;
                }
            }
        }
        after = batch.last().map(|r| r.id.clone());
        if done || items.len() == want {
            break;
        }
    }
    let next = page.next_cursor(&mut items, |r| r.id.clone());
    Ok(Page {
        items,
        next_cursor: next,
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

/// One of a person's matches, as their page lists it.
#[derive(Debug, Serialize)]
pub struct PersonMatch {
    pub id: String,
    pub state: String,
    /// `mentor` or `mentee`: the person's side.
    pub side: &'static str,
    pub partner: String,
}

/// A person as coordinators see them: who they are, both profiles, their
/// matches. An erased account shows only that it was erased.
#[derive(Debug, Serialize)]
pub struct PersonReview {
    pub id: String,
    pub display_name: String,
    pub pronouns: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub erased: bool,
    pub mentee: Option<ProfileView>,
    pub mentor: Option<ProfileView>,
    pub matches: Vec<PersonMatch>,
}

pub fn person(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<PersonReview> {
    coordinators_only(caller)?;
    let user = kindred_db::users::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    let erased = user.deleted_at.is_some();
    let roles = kindred_db::users::roles(conn, id)?
        .iter()
        .map(|r| r.as_str().to_string())
        .collect();
    let (mentee, mentor) = if erased {
        (None, None)
    } else {
        (
            whole_profile(conn, id, ProfileKind::Mentee)?,
            whole_profile(conn, id, ProfileKind::Mentor)?,
        )
    };
    let mut matches = Vec::new();
    for m in kindred_db::matches::matches_of_user(conn, id, &[])? {
        let (side, partner_id) = if m.mentor_id == id {
            ("mentor", &m.mentee_id)
        } else {
            ("mentee", &m.mentor_id)
        };
        matches.push(PersonMatch {
            id: m.id.clone(),
            state: m.state.to_string(),
            side,
            partner: display_name(conn, partner_id)?,
        });
    }
    Ok(PersonReview {
        id: user.id,
        display_name: user.display_name,
        pronouns: user.pronouns.filter(|_| !erased),
        email: user.email.filter(|_| !erased),
        roles,
        erased,
        mentee,
        mentor,
        matches,
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
