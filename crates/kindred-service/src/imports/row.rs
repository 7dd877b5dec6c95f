//! One data row of an import: read it, validate it with the profile rules,
//! compare it with what is stored, and write only what changes. A new
//! address gets an invited account and an invitation email.

use std::collections::{HashMap, HashSet};

use kindred_config::Settings;
use kindred_core::import::{errors_by_column, profile_input, read_record, Header};
use kindred_core::{validate_profile, Consents, FieldErrors, ProfileInput, Role, TagInfo};
use kindred_db::models::{Profile, ProfileTag, User};
use kindred_db::profiles::ProfileWithTags;
use kindred_db::DbConnection;

use crate::error::{ServiceError, ServiceResult};
use crate::profiles::{profile_rows, profile_view};

/// What every row of one import shares.
pub(super) struct Context<'a> {
    pub settings: &'a Settings,
    pub header: &'a Header,
    pub taxonomy: &'a HashMap<String, TagInfo>,
}

/// What a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Created,
    Updated,
    Unchanged,
}

fn role_of(kind: kindred_core::ProfileKind) -> Role {
    match kind {
        kindred_core::ProfileKind::Mentee => Role::Mentee,
        kindred_core::ProfileKind::Mentor => Role::Mentor,
        kindred_core::ProfileKind::Facilitator => Role::Facilitator,
    }
}

/// The stored profile as the body that would store it again, with the tags
/// still waiting for consent in their lists.
fn stored_input(p: &ProfileWithTags) -> ServiceResult<ProfileInput> {
    let view = profile_view(p, true)?;
    let mut input = ProfileInput::from_valid(&view.profile);
    if let Some(pending) = view.pending_tags {
        input.tags.extend(pending.tags);
        input.private_tags.extend(pending.private_tags);
    }
    Ok(input)
}

/// Which stored tags are waiting: an imported tag is active only if it was
/// already active with the same privacy, or is public and not sensitive.
fn mark_pending(
    tags: &mut [ProfileTag],
    before: Option<&ProfileWithTags>,
    taxonomy: &HashMap<String, TagInfo>,
) {
    let active: HashSet<(&str, bool)> = before
        .iter()
        .flat_map(|p| &p.tags)
        .filter(|t| !t.pending)
        .map(|t| (t.tag_slug.as_str(), t.private))
        .collect();
    for t in tags {
        let sensitive = taxonomy.get(&t.tag_slug).is_some_and(|i| i.sensitive);
        t.pending = !active.contains(&(t.tag_slug.as_str(), t.private)) && (t.private || sensitive);
    }
}

fn tag_set(tags: &[ProfileTag]) -> Vec<(&str, bool, bool)> {
    let mut set: Vec<_> = tags
        .iter()
        .map(|t| (t.tag_slug.as_str(), t.private, t.pending))
        .collect();
    set.sort_unstable();
    set
}

/// Whether storing `row` and `tags` would change anything a person or the
/// matching can see (times aside; tag order aside).
fn same_profile(old: &ProfileWithTags, row: &Profile, tags: &[ProfileTag]) -> bool {
    let o = &old.profile;
    o.bio == row.bio
        && o.languages == row.languages
        && o.timezone == row.timezone
        && o.availability == row.availability
        && o.meeting_modes == row.meeting_modes
        && o.region == row.region
        && o.goals == row.goals
        && o.capacity == row.capacity
        && o.accepting == row.accepting
        && tag_set(&old.tags) == tag_set(tags)
}

/// Applies one row (`record`: its cells). A row that breaks a rule is
/// `Invalid` with its errors keyed by column, and writes nothing.
pub(super) fn apply(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    record: &[&str],
) -> ServiceResult<Outcome> {
    let rec = read_record(ctx.header, record)?;
    let mut errors = FieldErrors::new();
    let user = kindred_db::users::find_by_email(conn, rec.email.as_str())?;
    if let Some(u) = &user {
        if kindred_db::users::has_role(conn, &u.id, Role::Coordinator)? {
            errors.add(
                "email",
                "belongs to a coordinator account; only participants are imported",
            );
            return Err(errors.into());
        }
    }
    let kind = rec.role;
    let existing = match &user {
        Some(u) => kindred_db::profiles::get(conn, &u.id, kind.as_str())?,
        None => None,
    };
    let base = existing
        .as_ref()
        .map(stored_input)
        .transpose()?
        .unwrap_or_default();
    let valid = match profile_input(ctx.header, record, base) {
        Ok(mut input) => {
            // The import stands in for the consent; the tags it needs it for
            // are stored waiting until the person confirms.
            input.consents = Some(Consents {
                sensitive_tags: true,
            });
            let existing_tags: Vec<String> = existing
                .iter()
                .flat_map(|p| p.tags.iter().map(|t| t.tag_slug.clone()))
                .collect();
            let lookup = |slug: &str| ctx.taxonomy.get(slug).copied();
            validate_profile(&input, kind, &lookup, &existing_tags)
                .map_err(|e| errors.merge(errors_by_column(e)))
                .ok()
        }
        Err(e) => {
            errors.merge(e);
            None
        }
    };
    if user.is_none() && rec.display_name.is_none() {
        errors.add("display_name", "is required for a new account");
    }
    let (Some(valid), true) = (valid, errors.is_empty()) else {
        return Err(errors.into());
    };
    let pronouns = rec.pronouns.clone();
    let (user, created) = match user {
        Some(u) => (u, false),
        None => {
            let name = rec
                .display_name
                .as_ref()
                .map(|n| n.as_str())
                .unwrap_or_default();
            let p = pronouns
                .as_ref()
                .and_then(|p| p.as_ref())
                .map(|p| p.as_str());
            let user =
                kindred_db::users::create_invited(conn, rec.email.as_str(), name, p, role_of(kind))
                    .map_err(|e| {
                        if e.is_unique_violation() {
                            race_error()
                        } else {
                            e.into()
                        }
                    })?;
            (user, true)
        }
    };
    let (mut row, mut tags) = profile_rows(&user.id, kind, &valid, false)?;
    row.sensitive_consent_at = existing
        .as_ref()
        .and_then(|p| p.profile.sensitive_consent_at);
    mark_pending(&mut tags, existing.as_ref(), ctx.taxonomy);
    if created {
        kindred_db::profiles::insert_new(conn, &row, &tags)?;
        invite(conn, ctx.settings, &user, kind)?;
        return Ok(Outcome::Created);
    }
    let mut changed = false;
    if kindred_db::users::add_role(conn, &user.id, role_of(kind))? {
        changed = true;
    }
    let name = rec
        .display_name
        .as_ref()
        .map_or(user.display_name.as_str(), |n| n.as_str());
    let new_pronouns = match &pronouns {
        Some(p) => p.as_ref().map(|p| p.as_str()),
        None => user.pronouns.as_deref(),
    };
    if name != user.display_name || new_pronouns != user.pronouns.as_deref() {
        kindred_db::users::set_name_and_pronouns(conn, &user.id, name, new_pronouns)?;
        changed = true;
    }
    if !existing
        .as_ref()
        .is_some_and(|old| same_profile(old, &row, &tags))
    {
        kindred_db::profiles::put(conn, row, tags)?;
        changed = true;
    }
    Ok(if changed {
        Outcome::Updated
    } else {
        Outcome::Unchanged
    })
}

/// The invitation code of a new account (a password-reset code that lives
/// for `imports.invitation_ttl`) and its email.
fn invite(
    conn: &mut DbConnection,
    settings: &Settings,
    user: &User,
    kind: kindred_core::ProfileKind,
) -> ServiceResult<()> {
    let code = crate::credentials::new_verification_code();
    kindred_db::reset_codes::insert_invitation_code(
        conn,
        &user.id,
        &crate::accounts::passwords::reset_code_hash(&user.id, &code),
        kindred_db::now() + settings.imports.invitation_ttl.as_chrono(),
    )?;
    crate::emails::invitation(conn, settings, user, &code, kind)
}

/// A row that failed for a reason other than its cells: a lost race for
/// the address (someone registered it while the import ran).
fn race_error() -> ServiceError {
    ServiceError::field(
        "email",
        "was registered by someone else while the import ran; import this row again",
    )
}
