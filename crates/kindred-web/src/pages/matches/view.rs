//! A match as its pages show it: the state in words and what happens next
//! (message ids chosen here, by state and by the viewer's side), the other
//! person as the service's view gives them, and the public reasons for the
//! match. Everything comes from `kindred_service::matches::mine`; nothing
//! is added that the API would not show the same person.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use kindred_service::matches::mine::MyMatch;
use kindred_service::matches::views::{MatchView, BLOCK_REASON, CLOSED_REASON};
use serde::Serialize;

use crate::i18n::Lang;

/// Per state: its words, and what happens next for the mentee and for the
/// mentor. `proposed` and `rejected` never reach participants (the service
/// keeps them for coordinators) but have words all the same.
const STATES: &[(&str, &str, &str, &str)] = &[
    (
        "awaiting_mentor",
        "matches-state-awaiting",
        "matches-next-awaiting-mentee",
        "matches-next-awaiting-mentor",
    ),
    (
        "active",
        "matches-state-active",
        "matches-next-active-mentee",
        "matches-next-active-mentor",
    ),
    (
        "declined",
        "matches-state-declined",
        "matches-next-declined-mentee",
        "matches-next-declined-mentor",
    ),
    (
        "expired",
        "matches-state-expired",
        "matches-next-expired-mentee",
        "matches-next-expired-mentor",
    ),
    (
        "ended",
        "matches-state-ended",
        "matches-next-ended-mentee",
        "matches-next-ended-mentor",
    ),
    (
        "proposed",
        "matches-state-proposed",
        "matches-next-proposed",
        "matches-next-proposed",
    ),
    (
        "rejected",
        "matches-state-rejected",
        "matches-next-rejected",
        "matches-next-rejected",
    ),
];

const UNKNOWN_STATE: (&str, &str) = ("matches-state-unknown", "matches-next-unknown");

/// Reasons the service writes itself, shown in words; any other reason is
/// what a person typed and is shown as it is.
const KNOWN_REASONS: &[(&str, &str)] = &[
    (BLOCK_REASON, "matches-reason-safety"),
    (CLOSED_REASON, "matches-reason-closed"),
    ("account deleted", "matches-reason-account-deleted"),
];

/// The explanation's public components that are worth a sentence.
const WHY: &[(&str, &str)] = &[
    ("base", "matches-why-base"),
    ("shared_experience", "matches-why-shared"),
    ("availability_overlap", "matches-why-availability"),
    ("timezone", "matches-why-timezone"),
];

/// Every message id this module may choose (for the translation test).
pub fn message_ids() -> impl Iterator<Item = &'static str> {
    STATES
        .iter()
        .flat_map(|(_, a, b, c)| [*a, *b, *c])
        .chain([UNKNOWN_STATE.0, UNKNOWN_STATE.1])
        .chain(KNOWN_REASONS.iter().map(|(_, id)| *id))
        .chain(WHY.iter().map(|(_, id)| *id))
}

/// The other person, as the match view shows them to the viewer.
#[derive(Debug, Serialize)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub pronouns: String,
    /// Only while the match is active (the service leaves it out otherwise).
    pub email: String,
}

/// A match for a list or a page.
#[derive(Debug, Serialize)]
pub struct MatchItem {
    pub id: String,
    /// The viewer's side: `mentor` or `mentee`.
    pub role: &'static str,
    pub state: String,
    pub state_text: &'static str,
    pub next_text: &'static str,
    pub partner: Partner,
    /// Whole days left for the mentor's answer (awaiting_mentor).
    pub days: i64,
    /// The date the mentor must answer by, `YYYY-MM-DD` UTC (awaiting_mentor).
    pub date: String,
    /// The day the match was made.
    pub since: String,
    /// A reason a person gave for ending it (ended only).
    pub reason: String,
    /// A reason the service gave, as a message id (ended only).
    pub reason_text: &'static str,
    pub active: bool,
    pub current: bool,
    /// The mentor may accept or decline.
    pub can_answer: bool,
}

/// The mentor's public card, for the mentee.
#[derive(Debug, Serialize)]
pub struct Card {
    pub bio: String,
    pub tags: Vec<String>,
    pub languages: String,
    pub timezone: String,
}

/// One match's page values.
#[derive(Debug, Serialize)]
pub struct MatchPage {
    #[serde(rename = "match")]
    pub item: MatchItem,
    pub card: Option<Card>,
    /// Message ids of the public reasons for the match.
    pub why: Vec<&'static str>,
    /// Labels of the experiences both list publicly.
    pub shared: Vec<String>,
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `role` is the viewer's side of the match.
pub fn item(view: &MatchView, role: &'static str) -> MatchItem {
    let (state_text, next_text) = STATES
        .iter()
        .find(|(s, ..)| *s == view.state)
        .map(|(_, label, mentee, mentor)| {
            (*label, if role == "mentor" { *mentor } else { *mentee })
        })
        .unwrap_or(UNKNOWN_STATE);
    let party = if role == "mentor" {
        &view.mentee
    } else {
        &view.mentor
    };
    let (days, date) = match view.respond_by {
        Some(by) => {
            let left = by.timestamp() - now_secs();
            let days = if left <= 0 {
                0
            } else {
                (left + 86_399) / 86_400
            };
            (days, by.format("%Y-%m-%d").to_string())
        }
        None => (0, String::new()),
    };
    let ended = view.state == "ended";
    let given = if ended {
        view.ended_reason.as_deref()
    } else {
        None
    };
    let known = given.and_then(|r| KNOWN_REASONS.iter().find(|(k, _)| *k == r));
    MatchItem {
        id: view.id.clone(),
        role,
        state: view.state.clone(),
        state_text,
        next_text,
        partner: Partner {
            id: party.user_id.clone(),
            name: party.display_name.clone(),
            pronouns: party.pronouns.clone().unwrap_or_default(),
            email: party.email.clone().unwrap_or_default(),
        },
        days,
        date,
        since: view.created_at.format("%Y-%m-%d").to_string(),
        reason: if known.is_some() {
            String::new()
        } else {
            given.unwrap_or_default().to_string()
        },
        reason_text: known.map(|(_, id)| *id).unwrap_or(""),
        active: view.state == "active",
        current: matches!(view.state.as_str(), "active" | "awaiting_mentor"),
        can_answer: role == "mentor" && view.state == "awaiting_mentor",
    }
}

/// The viewer's side of a match in a list (the list holds only their own).
pub fn role_in(view: &MatchView, viewer: &str) -> &'static str {
    if view.mentor_id == viewer {
        "mentor"
    } else {
        "mentee"
    }
}

/// A tag's label in the page's language (a default tag's translation, else
/// the label the coordinators gave it).
fn label(lang: Lang, labels: &BTreeMap<String, String>, slug: &str) -> String {
    match labels.get(slug) {
        Some(stored) => crate::pages::profile::choices::tag_label(lang, slug, stored),
        None => slug.to_string(),
    }
}

/// The page values of one match.
pub fn page(my: &MyMatch, lang: Lang) -> MatchPage {
    let view = &my.view;
    let shared: Vec<String> = view
        .explanation
        .get("shared_tags")
        .and_then(|t| t.as_array())
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.as_str())
                .map(|slug| label(lang, &my.tag_labels, slug))
                .collect()
        })
        .unwrap_or_default();
    let mut why = Vec::new();
    if let Some(components) = view
        .explanation
        .get("components")
        .and_then(|c| c.as_array())
    {
        for c in components {
            let name = c.get("name").and_then(|n| n.as_str()).unwrap_or("");
            let points = c.get("points").and_then(|p| p.as_i64()).unwrap_or(0);
            if points <= 0 || (name == "shared_experience" && shared.is_empty()) {
                continue;
            }
            if let Some((_, id)) = WHY.iter().find(|(n, _)| *n == name) {
                why.push(*id);
            }
        }
    }
    MatchPage {
        item: item(view, my.role),
        card: my.mentor_card.as_ref().map(|c| Card {
            bio: c.bio.clone(),
            tags: c
                .tags
                .iter()
                .map(|s| label(lang, &my.tag_labels, s))
                .collect(),
            languages: c.languages.join(", "),
            timezone: c.timezone.clone(),
        }),
        why,
        shared,
    }
}
