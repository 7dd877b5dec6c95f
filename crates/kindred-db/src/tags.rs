//! The shared-experience taxonomy.

use diesel::prelude::*;

use crate::models::Tag;
use crate::schema::tags;
use crate::{now, DbConnection, DbResult};

pub fn list(conn: &mut DbConnection, include_retired: bool) -> DbResult<Vec<Tag>> {
    let mut query = tags::table.select(Tag::as_select()).into_boxed();
    if !include_retired {
        query = query.filter(tags::retired.eq(false));
    }
    Ok(query
        .order((tags::category.asc(), tags::slug.asc()))
        .load(conn)?)
}

/// How many tags there are and when one last changed (every write sets
/// `updated_at`; tags are never deleted): a stamp that changes whenever
/// the taxonomy does.
pub fn stamp(conn: &mut DbConnection) -> DbResult<(i64, Option<chrono::NaiveDateTime>)> {
    use diesel::dsl::{count_star, max};
    Ok(tags::table
        .select((count_star(), max(tags::updated_at)))
        .first(conn)?)
}

pub fn get(conn: &mut DbConnection, slug: &str) -> DbResult<Option<Tag>> {
    Ok(tags::table
        .find(slug)
        .select(Tag::as_select())
        .first(conn)
        .optional()?)
}

pub struct NewTag<'a> {
    pub slug: &'a str,
    pub label: &'a str,
    pub category: &'a str,
    pub sensitive: bool,
}

/// Inserts a tag; a duplicate slug surfaces as a unique violation.
pub fn insert(conn: &mut DbConnection, tag: &NewTag<'_>) -> DbResult<Tag> {
    let at = now();
    let row = Tag {
        slug: tag.slug.to_string(),
        label: tag.label.to_string(),
        category: tag.category.to_string(),
        sensitive: tag.sensitive,
        retired: false,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(tags::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

#[derive(Default)]
pub struct TagChanges {
    pub label: Option<String>,
    pub category: Option<String>,
    pub sensitive: Option<bool>,
    pub retired: Option<bool>,
}

pub fn update(conn: &mut DbConnection, slug: &str, changes: &TagChanges) -> DbResult<Option<Tag>> {
    let Some(mut tag) = get(conn, slug)? else {
        return Ok(None);
    };
    if let Some(label) = &changes.label {
        tag.label = label.clone();
    }
    if let Some(category) = &changes.category {
        tag.category = category.clone();
    }
    if let Some(sensitive) = changes.sensitive {
        tag.sensitive = sensitive;
    }
    if let Some(retired) = changes.retired {
        tag.retired = retired;
    }
    tag.updated_at = now();
    diesel::update(tags::table.find(slug))
        .set((
            tags::label.eq(&tag.label),
            tags::category.eq(&tag.category),
            tags::sensitive.eq(tag.sensitive),
            tags::retired.eq(tag.retired),
            tags::updated_at.eq(tag.updated_at),
        ))
        .execute(conn)?;
    Ok(Some(tag))
}

/// Seeds the default taxonomy into an empty tag table. Runs once: after that
/// the coordinators own the taxonomy and a restart never undoes their edits.
pub fn seed_if_empty(conn: &mut DbConnection, seeds: &[NewTag<'_>]) -> DbResult<usize> {
    crate::write_tx(conn, |conn| {
        let existing: i64 = tags::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(0);
        }
        for seed in seeds {
            insert(conn, seed)?;
        }
        Ok(seeds.len())
    })
}
