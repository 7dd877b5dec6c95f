//! Mentee and mentor profiles: read and write one's own, a mentor's public
//! card, and the coordinators' list.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use kindred_core::{
    validate_profile, AvailabilityWindow, Consents, MeetingMode, ProfileInput, ProfileKind, Role,
    TagInfo, ValidProfile,
};
use kindred_db::profiles::ProfileWithTags;
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageQuery};

/// A stored profile as returned to its owner and to coordinators.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileView {
    pub user_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "mentee"))]
    pub kind: String,
    #[serde(flatten)]
    pub profile: ValidProfile,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// `GET /profiles` only (coordinators): present when an earlier, erased
    /// account with the same email was reported — how many times, and when
    /// last. The erased account and the reports' text are not shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier_reports: Option<crate::safety::EarlierReports>,
    /// Tags a coordinator's import added that wait for the person's consent
    /// (`POST /me/consents`): not used for matching, not shown to anyone
    /// else. Shown to the person and to coordinators; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_tags: Option<PendingTags>,
}

/// Imported tags waiting for consent, public and private.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingTags {
    pub tags: Vec<String>,
    pub private_tags: Vec<String>,
}

/// The answer of `POST /me/consents`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentView {
    /// Waiting tags that now count for matching.
    pub activated: u32,
    /// Waiting tags that were removed.
    pub removed: u32,
}

/// What a mentee with a match (or a coordinator) may see of a mentor:
/// never private tags, never contact details.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentorCard {
    pub user_id: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    pub bio: String,
    pub tags: Vec<String>,
    pub languages: Vec<String>,
    pub timezone: String,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("stored profile {what} unreadable: {e}"))
}

/// Rebuilds the validated profile from its row. `include_private` is false
/// for anyone but the owner and coordinators.
pub fn profile_view(p: &ProfileWithTags, include_private: bool) -> ServiceResult<ProfileView> {
    let row = &p.profile;
    let languages: Vec<String> =
        serde_json::from_str(&row.languages).map_err(|e| corrupt("languages", e))?;
    let availability: Vec<AvailabilityWindow> =
        serde_json::from_str(&row.availability).map_err(|e| corrupt("availability", e))?;
    let meeting_modes: Vec<MeetingMode> =
        serde_json::from_str(&row.meeting_modes).map_err(|e| corrupt("meeting_modes", e))?;
    let timezone = chrono_tz::Tz::from_str(&row.timezone).map_err(|e| corrupt("timezone", e))?;
    let slugs = |private: bool, pending: bool| -> Vec<String> {
        p.tags
            .iter()
            .filter(|t| t.private == private && t.pending == pending)
            .map(|t| t.tag_slug.clone())
            .collect()
    };
    let pending = PendingTags {
        tags: slugs(false, true),
        private_tags: slugs(true, true),
    };
    let has_pending = !pending.tags.is_empty() || !pending.private_tags.is_empty();
    Ok(ProfileView {
        user_id: row.user_id.clone(),
        kind: row.kind.clone(),
        profile: ValidProfile {
            bio: row.bio.clone(),
            tags: slugs(false, false),
            private_tags: if include_private {
                slugs(true, false)
            } else {
                Vec::new()
            },
            languages,
            timezone,
            availability,
            meeting_modes,
            region: row.region.clone(),
            goals: row.goals.clone(),
            capacity: row.capacity.and_then(|c| u8::try_from(c).ok()),
            accepting: (row.kind == "mentor").then_some(row.accepting),
            max_circles: row.max_circles.and_then(|c| u8::try_from(c).ok()),
            consents: Consents {
                sensitive_tags: row.sensitive_consent_at.is_some(),
            },
            pronouns: None,
        },
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        earlier_reports: None,
        pending_tags: (include_private && has_pending).then_some(pending),
    })
}

fn stored_pronouns(raw: Option<&str>) -> Option<kindred_core::Pronouns> {
    raw.and_then(|p| kindred_core::Pronouns::parse_optional(p).ok().flatten())
}

/// The caller's own profile of `kind`, private tags and pronouns included.
pub fn read_own(
    conn: &mut DbConnection,
    caller: &Caller,
    kind: ProfileKind,
) -> ServiceResult<ProfileView> {
    let found = kindred_db::profiles::get(conn, caller.id(), kind.as_str())?
        .ok_or(ServiceError::NotFound)?;
    let mut view = profile_view(&found, true)?;
    view.profile.pronouns = stored_pronouns(caller.user.pronouns.as_deref());
    Ok(view)
}

/// A written profile and whether it was new.
pub struct Written {
    pub view: ProfileView,
    pub created: bool,
}

fn role_of(kind: ProfileKind) -> Role {
    match kind {
        ProfileKind::Mentee => Role::Mentee,
        ProfileKind::Mentor => Role::Mentor,
        ProfileKind::Facilitator => Role::Facilitator,
    }
}

pub(crate) fn taxonomy(conn: &mut DbConnection) -> ServiceResult<HashMap<String, TagInfo>> {
    Ok(kindred_db::tags::list(conn, true)?
        .into_iter()
        .map(|t| {
            let info = TagInfo {
                sensitive: t.sensitive,
                retired: t.retired,
            };
            (t.slug, info)
        })
        .collect())
}

pub(crate) fn to_json(value: &impl Serialize) -> ServiceResult<String> {
    serde_json::to_string(value)
        .map_err(|e| ServiceError::Internal(format!("serialising profile: {e}")))
}

/// The row and tag rows a validated profile is stored as (every tag active).
pub(crate) fn profile_rows(
    user_id: &str,
    kind: ProfileKind,
    valid: &ValidProfile,
    has_sensitive: bool,
) -> ServiceResult<(
    kindred_db::models::Profile,
    Vec<kindred_db::models::ProfileTag>,
)> {
    let now = kindred_db::now();
    let row = kindred_db::models::Profile {
        user_id: user_id.to_string(),
        kind: kind.as_str().to_string(),
        bio: valid.bio.clone(),
        languages: to_json(&valid.languages)?,
        timezone: valid.timezone.name().to_string(),
        availability: to_json(&valid.availability)?,
        meeting_modes: to_json(&valid.meeting_modes)?,
        region: valid.region.clone(),
        goals: valid.goals.clone(),
        capacity: valid.capacity.map(i32::from),
        accepting: valid.accepting.unwrap_or(false),
        sensitive_consent_at: (has_sensitive && valid.consents.sensitive_tags).then_some(now),
        created_at: now,
        updated_at: now,
        max_circles: valid.max_circles.map(i32::from),
    };
    let mut tags = Vec::new();
    let all = valid
        .tags
        .iter()
        .map(|s| (s, false))
        .chain(valid.private_tags.iter().map(|s| (s, true)));
    for (position, (slug, private)) in (0..).zip(all) {
        tags.push(kindred_db::models::ProfileTag {
            user_id: user_id.to_string(),
            kind: kind.as_str().to_string(),
            tag_slug: slug.clone(),
            private,
            position,
            pending: false,
        });
    }
    Ok((row, tags))
}

/// Creates or replaces the caller's profile of `kind` (they must hold the role).
pub fn write_own(
    conn: &mut DbConnection,
    caller: &Caller,
    kind: ProfileKind,
    input: &ProfileInput,
) -> ServiceResult<Written> {
    if kind == ProfileKind::Facilitator && !caller.has_role(Role::Facilitator) {
        return Err(ServiceError::Forbidden(
            "only facilitators have a facilitator profile; a coordinator records your training (POST /api/v1/facilitators)".into(),
        ));
    }
    if !caller.has_role(role_of(kind)) {
        return Err(ServiceError::Forbidden(format!(
            "add the {0} role first (POST /api/v1/me/roles {{\"role\": \"{0}\"}})",
            kind.as_str()
        )));
    }
    let user_id = caller.id();
    let taxonomy = taxonomy(conn)?;
    let existing = kindred_db::profiles::get(conn, user_id, kind.as_str())?;
    let existing_tags: Vec<String> = existing
        .as_ref()
        .map(|p| p.tags.iter().map(|t| t.tag_slug.clone()).collect())
        .unwrap_or_default();
    let lookup = |slug: &str| taxonomy.get(slug).copied();
    let valid = validate_profile(input, kind, &lookup, &existing_tags)?;
    let has_sensitive = valid
        .all_tags()
        .any(|slug| taxonomy.get(slug).is_some_and(|t| t.sensitive));
    let (row, mut tags) = profile_rows(user_id, kind, &valid, has_sensitive)?;
    // Imported tags still waiting for consent stay waiting, unless this body
    // names them: then the person chose them here (with consent where needed).
    let named: std::collections::HashSet<&str> = valid.all_tags().collect();
    let mut position = i32::try_from(tags.len()).unwrap_or(i32::MAX);
    for waiting in existing.iter().flat_map(|p| &p.tags) {
        if waiting.pending && !named.contains(waiting.tag_slug.as_str()) {
            tags.push(kindred_db::models::ProfileTag {
                position,
                ..waiting.clone()
            });
            position = position.saturating_add(1);
        }
    }
    let stored = kindred_db::write_tx(conn, |conn| -> kindred_db::DbResult<_> {
        if let Some(pronouns) = &valid.pronouns {
            kindred_db::users::set_pronouns(conn, user_id, Some(pronouns.as_str()))?;
        }
        kindred_db::profiles::put(conn, row, tags)
    })?;
    let mut view = profile_view(&stored, true)?;
    view.profile.pronouns = valid
        .pronouns
        .clone()
        .or_else(|| stored_pronouns(caller.user.pronouns.as_deref()));
    Ok(Written {
        view,
        created: existing.is_none(),
    })
}

/// A mentor's public card: coordinators, the mentor themself, and mentees
/// with a match involving the mentor that reached the mentor, unless either
/// of them blocked the other; anyone else `NotFound`.
pub fn mentor_card(
    conn: &mut DbConnection,
    caller: &Caller,
    mentor_id: &str,
) -> ServiceResult<MentorCard> {
    let allowed = caller.is_coordinator()
        || caller.id() == mentor_id
        || (kindred_db::matches::mentee_has_reviewed_match_with(conn, caller.id(), mentor_id)?
            && !kindred_db::safety::blocked_either_way(conn, caller.id(), mentor_id)?);
    if !allowed {
        return Err(ServiceError::NotFound);
    }
    let user = kindred_db::users::find(conn, mentor_id)?.ok_or(ServiceError::NotFound)?;
    let profile =
        kindred_db::profiles::get(conn, mentor_id, "mentor")?.ok_or(ServiceError::NotFound)?;
    let view = profile_view(&profile, false)?;
    Ok(MentorCard {
        user_id: user.id,
        display_name: user.display_name,
        pronouns: user.pronouns,
        bio: view.profile.bio,
        tags: view.profile.tags,
        languages: view.profile.languages,
        timezone: view.profile.timezone.name().to_string(),
    })
}

/// The kind named by a `role` filter.
fn parse_kind(raw: Option<&str>) -> ServiceResult<ProfileKind> {
    match raw {
        Some("mentor") => Ok(ProfileKind::Mentor),
        Some("mentee") => Ok(ProfileKind::Mentee),
        _ => Err(ServiceError::field("role", "must be mentor or mentee")),
    }
}

/// A page of profiles of one kind, for coordinators (private tags included).
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    role: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<ProfileView>> {
    caller.require_coordinator()?;
    let kind = parse_kind(role)?;
    let page = page.validate()?;
    let (rows, next) = page.load(
        conn,
        |c, after, n| kindred_db::profiles::list(c, kind.as_str(), after, n),
        |p| p.profile.user_id.clone(),
    )?;
    let mut items = rows
        .iter()
        .map(|p| profile_view(p, true))
        .collect::<ServiceResult<Vec<_>>>()?;
    for item in &mut items {
        item.earlier_reports = crate::safety::earlier_reports(conn, &item.user_id)?;
    }
    Ok(Page {
        items,
        next_cursor: next,
    })
}

/// The person's answer about imported tags waiting for consent: `true`
/// makes every waiting tag count for matching (and records the consent on
/// the profiles holding them), `false` removes them. Answering with nothing
/// waiting changes nothing.
pub fn answer_consent(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &kindred_core::ConsentInput,
) -> ServiceResult<ConsentView> {
    let consent = input.validate_all()?;
    let user_id = caller.id();
    kindred_db::write_tx(conn, |conn| -> ServiceResult<ConsentView> {
        let changed = if consent {
            kindred_db::profiles::confirm_pending(conn, user_id)?
        } else {
            kindred_db::profiles::discard_pending(conn, user_id)?
        };
        let changed = u32::try_from(changed).unwrap_or(u32::MAX);
        Ok(if consent {
            ConsentView {
                activated: changed,
                removed: 0,
            }
        } else {
            ConsentView {
                activated: 0,
                removed: changed,
            }
        })
    })
}

/// The caller's time zone: from their mentee profile, else their
/// facilitator profile, else their mentor profile (`None` without any).
pub fn own_timezone(
    conn: &mut DbConnection,
    caller: &Caller,
) -> ServiceResult<Option<chrono_tz::Tz>> {
    let profiles = kindred_db::profiles::for_user(conn, caller.id())?;
    for kind in ["mentee", "facilitator", "mentor"] {
        if let Some(p) = profiles.iter().find(|p| p.profile.kind == kind) {
            return Ok(p.profile.timezone.parse().ok());
        }
    }
    Ok(None)
}
