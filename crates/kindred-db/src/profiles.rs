//! Mentee and mentor profiles and their tags.

use diesel::prelude::*;

use crate::models::{Profile, ProfileTag};
use crate::schema::{profile_tags, profiles, users};
use crate::{DbConnection, DbResult};

/// A profile row with its tags in the order the person gave them.
#[derive(Debug, Clone)]
pub struct ProfileWithTags {
    pub profile: Profile,
    pub tags: Vec<ProfileTag>,
}

pub fn get(
    conn: &mut DbConnection,
    user_id: &str,
    kind: &str,
) -> DbResult<Option<ProfileWithTags>> {
    let Some(profile) = profiles::table
        .find((user_id, kind))
        .select(Profile::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let tags = profile_tags::table
        .filter(profile_tags::user_id.eq(user_id))
        .filter(profile_tags::kind.eq(kind))
        .order(profile_tags::position.asc())
        .select(ProfileTag::as_select())
        .load(conn)?;
    Ok(Some(ProfileWithTags { profile, tags }))
}

/// Creates or replaces a profile and its tags in one transaction. Keeps the
/// original `created_at` on replacement.
pub fn put(
    conn: &mut DbConnection,
    mut profile: Profile,
    tags: Vec<ProfileTag>,
) -> DbResult<ProfileWithTags> {
    crate::write_tx(conn, |conn| {
        let existing: Option<Profile> = profiles::table
            .find((&profile.user_id, &profile.kind))
            .select(Profile::as_select())
            .first(conn)
            .optional()?;
        diesel::delete(
            profile_tags::table
                .filter(profile_tags::user_id.eq(&profile.user_id))
                .filter(profile_tags::kind.eq(&profile.kind)),
        )
        .execute(conn)?;
        if let Some(old) = existing {
            profile.created_at = old.created_at;
            if profile.sensitive_consent_at.is_some() && old.sensitive_consent_at.is_some() {
                profile.sensitive_consent_at = old.sensitive_consent_at;
            }
            diesel::delete(profiles::table.find((&profile.user_id, &profile.kind)))
                .execute(conn)?;
        }
        diesel::insert_into(profiles::table)
            .values(&profile)
            .execute(conn)?;
        for tag in &tags {
            diesel::insert_into(profile_tags::table)
                .values(tag)
                .execute(conn)?;
        }
        Ok(ProfileWithTags { profile, tags })
    })
}

/// Stores the first profile of an account made in this transaction (an
/// import's new account): plain inserts, nothing to replace.
pub fn insert_new(conn: &mut DbConnection, profile: &Profile, tags: &[ProfileTag]) -> DbResult<()> {
    diesel::insert_into(profiles::table)
        .values(profile)
        .execute(conn)?;
    for tag in tags {
        diesel::insert_into(profile_tags::table)
            .values(tag)
            .execute(conn)?;
    }
    Ok(())
}

/// One page of profiles of a kind, ordered by user id (ids are time-ordered),
/// starting after `after`.
pub fn list(
    conn: &mut DbConnection,
    kind: &str,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<ProfileWithTags>> {
    let mut query = profiles::table
        .inner_join(users::table.on(users::id.eq(profiles::user_id)))
        .filter(profiles::kind.eq(kind))
        .filter(users::deleted_at.is_null())
        .select(Profile::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(profiles::user_id.gt(after.to_string()));
    }
    let rows: Vec<Profile> = query
        .order(profiles::user_id.asc())
        .limit(limit)
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|p| p.user_id.as_str()).collect();
    let mut tags: Vec<ProfileTag> = profile_tags::table
        .filter(profile_tags::kind.eq(kind))
        .filter(profile_tags::user_id.eq_any(&ids))
        .order((profile_tags::user_id.asc(), profile_tags::position.asc()))
        .select(ProfileTag::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|profile| {
            let mine: Vec<ProfileTag> = tags
                .iter()
                .filter(|t| t.user_id == profile.user_id)
                .cloned()
                .collect();
            tags.retain(|t| t.user_id != profile.user_id);
            ProfileWithTags {
                profile,
                tags: mine,
            }
        })
        .collect())
}

pub fn for_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<ProfileWithTags>> {
    let mut out = Vec::new();
    for kind in ["mentee", "mentor"] {
        if let Some(p) = get(conn, user_id, kind)? {
            out.push(p);
        }
    }
    Ok(out)
}

/// Makes every pending tag of the person active and records the consent
/// time on the profiles that hold one. Returns how many tags changed.
pub fn confirm_pending(conn: &mut DbConnection, user_id: &str) -> DbResult<usize> {
    let kinds: Vec<String> = profile_tags::table
        .filter(profile_tags::user_id.eq(user_id))
        .filter(profile_tags::pending.eq(true))
        .select(profile_tags::kind)
        .distinct()
        .load(conn)?;
    let at = crate::now();
    diesel::update(
        profiles::table
            .filter(profiles::user_id.eq(user_id))
            .filter(profiles::kind.eq_any(&kinds))
            .filter(profiles::sensitive_consent_at.is_null()),
    )
    .set(profiles::sensitive_consent_at.eq(Some(at)))
    .execute(conn)?;
    Ok(diesel::update(
        profile_tags::table
            .filter(profile_tags::user_id.eq(user_id))
            .filter(profile_tags::pending.eq(true)),
    )
    .set(profile_tags::pending.eq(false))
    .execute(conn)?)
}

/// Deletes every pending tag of the person (they declined). Returns how many.
pub fn discard_pending(conn: &mut DbConnection, user_id: &str) -> DbResult<usize> {
    Ok(diesel::delete(
        profile_tags::table
            .filter(profile_tags::user_id.eq(user_id))
            .filter(profile_tags::pending.eq(true)),
    )
    .execute(conn)?)
}
