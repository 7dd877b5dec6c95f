//! The shared-experience taxonomy: everyone reads it, coordinators curate it.

use chrono::{DateTime, Utc};
use kindred_core::{NewTagInput, TagPatchInput};
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagView {
    #[cfg_attr(feature = "openapi", schema(example = "coming-out-at-work"))]
    pub slug: String,
    #[cfg_attr(feature = "openapi", schema(example = "Coming out at work"))]
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(example = "experience"))]
    pub category: String,
    pub sensitive: bool,
    pub retired: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<kindred_db::models::Tag> for TagView {
    fn from(t: kindred_db::models::Tag) -> Self {
        TagView {
            slug: t.slug,
            label: t.label,
            category: t.category,
            sensitive: t.sensitive,
            retired: t.retired,
            updated_at: t.updated_at.and_utc(),
        }
    }
}

/// The taxonomy offered to profiles; retired tags only for coordinators who ask.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    include_retired: bool,
) -> ServiceResult<Vec<TagView>> {
    let include_retired = include_retired && caller.is_coordinator();
    Ok(kindred_db::tags::list(conn, include_retired)?
        .into_iter()
        .map(TagView::from)
        .collect())
}

/// The offered taxonomy ([`list`] without retired tags), kept between
/// calls: the profile and request forms read it on every page view, and it
/// changes only when coordinators edit it. Each call reads a stamp (the
/// number of tags and the latest `updated_at`, one aggregate row) and
/// reloads the list when the stamp differs or the copy is older than
/// [`TaxonomyCache::MAX_AGE`] (which bounds staleness even if instances'
/// clocks disagree about `updated_at`).
#[derive(Default)]
pub struct TaxonomyCache {
    kept: std::sync::Mutex<Option<Kept>>,
}

struct Kept {
    stamp: (i64, Option<chrono::NaiveDateTime>),
    at: std::time::Instant,
    tags: std::sync::Arc<Vec<TagView>>,
}

impl TaxonomyCache {
    pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(60);

    /// The offered taxonomy (any signed-in caller may read it).
    pub fn offered(
        &self,
        conn: &mut DbConnection,
        caller: &Caller,
    ) -> ServiceResult<std::sync::Arc<Vec<TagView>>> {
        let stamp = kindred_db::tags::stamp(conn)?;
        if let Ok(kept) = self.kept.lock() {
            if let Some(k) = kept
                .as_ref()
                .filter(|k| k.stamp == stamp && k.at.elapsed() < Self::MAX_AGE)
            {
                return Ok(std::sync::Arc::clone(&k.tags));
            }
        }
        let tags = std::sync::Arc::new(list(conn, caller, false)?);
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(Kept {
                stamp,
                at: std::time::Instant::now(),
                tags: std::sync::Arc::clone(&tags),
            });
        }
        Ok(tags)
    }
}

/// Adds a tag (coordinators). `Conflict` if the slug exists.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: NewTagInput,
) -> ServiceResult<TagView> {
    caller.require_coordinator()?;
    let tag = input.validate_all()?;
    let result = kindred_db::tags::insert(
        conn,
        &kindred_db::tags::NewTag {
            slug: tag.slug.as_str(),
            label: &tag.label,
            category: tag.category.as_str(),
            sensitive: tag.sensitive,
        },
    );
    match result {
        Ok(t) => Ok(TagView::from(t)),
        Err(e) if e.is_unique_violation() => Err(ServiceError::conflict(format!(
            "a tag with slug {:?} already exists",
            tag.slug.as_str()
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Relabels, recategorises, marks sensitive or retires a tag (coordinators).
/// Retired tags stay on profiles that have them but are no longer offered.
pub fn update(
    conn: &mut DbConnection,
    caller: &Caller,
    slug: &str,
    input: TagPatchInput,
) -> ServiceResult<TagView> {
    caller.require_coordinator()?;
    let patch = input.validate_all()?;
    let changes = kindred_db::tags::TagChanges {
        label: patch.label,
        category: patch.category.map(|c| c.as_str().to_string()),
        sensitive: patch.sensitive,
        retired: patch.retired,
    };
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        Ok(kindred_db::tags::update(conn, slug, &changes)?)
    })?
    .map(TagView::from)
    .ok_or(ServiceError::NotFound)
}
