//! `kindred admin seed-demo`: a realistic demo programme (≈200 mentors,
//! ≈500 mentees with open requests) so a new user can try a matching run in
//! minutes. Deterministic for a seed; refuses to run twice.

use kindred_db::models::{Profile, ProfileTag, Request};
use kindred_db::Pool;

use crate::error::{ServiceError, ServiceResult};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

pub const DEMO_PASSWORD: &str = "kindred-demo-password";
pub const DEMO_DOMAIN: &str = "demo.kindred.local";

const FIRST_NAMES: &[&str] = &[
    "Alex", "Sam", "Noor", "Kai", "Amara", "Jonas", "Lucía", "Mei", "Tariq", "Zoe", "Ravi", "Ines",
    "Dara", "Yusuf", "Ana", "Femi", "Hana", "Mateo", "Leila", "Ola", "Chidi", "Sofia", "Arjun",
    "Maya", "Elif", "Tomás", "Nia",
];
const PRONOUNS: &[Option<&str>] = &[
    Some("she/her"),
    Some("he/him"),
    Some("they/them"),
    None,
    None,
];
const LANGUAGES: &[&str] = &[
    "en", "en", "en", "es", "fr", "de", "ar", "pt", "pl", "tr", "uk", "it",
];
const ZONES: &[(&str, &str)] = &[
    ("Europe/London", "London"),
    ("Europe/Madrid", "Madrid"),
    ("Europe/Berlin", "Berlin"),
    ("Europe/Paris", "Paris"),
    ("Europe/Warsaw", "Warsaw"),
    ("Europe/Istanbul", "Istanbul"),
    ("America/New_York", "New York"),
    ("America/Chicago", "Chicago"),
    ("America/Los_Angeles", "Los Angeles"),
    ("America/Sao_Paulo", "São Paulo"),
    ("Africa/Lagos", "Lagos"),
    ("Asia/Kolkata", "Mumbai"),
];
const DAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn person(rng: &mut StdRng, i: usize) -> (String, Option<&'static str>) {
    let name = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    (
        format!("{name} {}", (b'A' + (i % 26) as u8) as char),
        PRONOUNS[rng.gen_range(0..PRONOUNS.len())],
    )
}

/// A plausible profile row and its tags for `user_id`.
fn profile(
    rng: &mut StdRng,
    user_id: &str,
    kind: &str,
    tags: &[kindred_db::models::Tag],
) -> ServiceResult<(Profile, Vec<ProfileTag>)> {
    let now = kindred_db::now();
    let (zone, city) = ZONES[rng.gen_range(0..ZONES.len())];
    let mut languages = vec![LANGUAGES[rng.gen_range(0..LANGUAGES.len())].to_string()];
    if rng.gen_bool(0.4) {
        languages.push("en".into());
    }
    languages.sort();
    languages.dedup();
    let mut days: Vec<&str> = DAYS.to_vec();
    days.shuffle(rng);
    let availability: Vec<serde_json::Value> = days[..rng.gen_range(1..=3)]
        .iter()
        .map(|d| {
            let start = rng.gen_range(8..=19) * 60;
            let end = start + rng.gen_range(1..=3) * 60;
            serde_json::json!({"day": d, "start": kindred_core::format_hhmm(start), "end": kindred_core::format_hhmm(end.min(1440))})
        })
        .collect();
    let modes = if rng.gen_bool(0.3) {
        vec!["online", "in_person"]
    } else {
        vec!["online"]
    };
    let how_many = rng.gen_range(3..=7);
    let mut chosen: Vec<&kindred_db::models::Tag> = tags.choose_multiple(rng, how_many).collect();
    chosen.sort_by(|a, b| a.slug.cmp(&b.slug));
    let private_count = if rng.gen_bool(0.3) { 1 } else { 0 };
    let sensitive = chosen.iter().any(|t| t.sensitive);
    let profile_tags = chosen
        .iter()
        .enumerate()
        .map(|(i, t)| ProfileTag {
            user_id: user_id.to_string(),
            kind: kind.to_string(),
            tag_slug: t.slug.clone(),
            private: i < private_count,
            position: i32::try_from(i).unwrap_or(0),
            pending: false,
        })
        .collect();
    let row = Profile {
        user_id: user_id.to_string(),
        kind: kind.to_string(),
        bio: if kind != "mentee" {
            "I have been where you are and would like to help.".into()
        } else {
            "Looking for someone who understands.".into()
        },
        languages: serde_json::to_string(&languages).map_err(ServiceError::internal)?,
        timezone: zone.to_string(),
        availability: serde_json::to_string(&availability).map_err(ServiceError::internal)?,
        meeting_modes: serde_json::to_string(&modes).map_err(ServiceError::internal)?,
        region: Some(city.to_string()),
        goals: (kind == "mentee").then(|| "Feel less alone and get practical advice.".to_string()),
        capacity: (kind == "mentor").then(|| rng.gen_range(1..=5)),
        accepting: kind == "mentor",
        sensitive_consent_at: sensitive.then_some(now),
        created_at: now,
        updated_at: now,
        max_circles: (kind == "facilitator").then_some(2),
    };
    Ok((row, profile_tags))
}

/// Loads the demo programme: `mentors` mentors and `mentees` mentees with
/// open requests, all with the password [`DEMO_PASSWORD`]. `Conflict` if it
/// is already loaded.
pub fn seed(pool: &Pool, mentors: usize, mentees: usize, seed: u64) -> ServiceResult<()> {
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    if kindred_db::users::find_by_email(&mut conn, &format!("mentor001@{DEMO_DOMAIN}"))?.is_some() {
        return Err(ServiceError::conflict(
            "the demo programme is already loaded in this database",
        ));
    }
    let hash = crate::credentials::hash_password(DEMO_PASSWORD).map_err(ServiceError::Internal)?;
    let tags: Vec<kindred_db::models::Tag> = kindred_db::tags::list(&mut conn, false)?;
    let mut rng = StdRng::seed_from_u64(seed);
    kindred_db::write_tx(&mut conn, |conn| -> ServiceResult<()> {
        for (kind, count) in [("mentor", mentors), ("mentee", mentees)] {
            for i in 1..=count {
                let (name, pronouns) = person(&mut rng, i);
                let email = format!("{kind}{i:03}@{DEMO_DOMAIN}");
                let role = kind
                    .parse::<kindred_core::Role>()
                    .map_err(ServiceError::internal)?;
                let user = kindred_db::users::create_verified(conn, &email, &name, &hash, role)?;
                if let Some(p) = pronouns {
                    kindred_db::users::set_pronouns(conn, &user.id, Some(p))?;
                }
                let (mut row, their_tags) = profile(&mut rng, &user.id, kind, &tags)?;
                if kind == "mentee" && i % 2 == 0 {
                    // Circle members: a Tuesday evening online in English too.
                    fit_for_circles(&mut row, &[("tue", 1080, 1200)])?;
                }
                kindred_db::profiles::put(conn, row, their_tags)?;
                if kind == "mentee" {
                    open_request(conn, &mut rng, &user.id)?;
                    if i % 2 == 0 {
                        let topics = row_topics(conn, &user.id)?;
                        circle_request(conn, &user.id, &topics)?;
                    }
                }
                if kind == "mentor" && i % 8 == 1 {
                    make_facilitator(conn, &mut rng, &user.id, &tags)?;
                }
            }
        }
        Ok(())
    })
}

/// Every eighth mentor is also a trained facilitator with a facilitator
/// profile (at most two circles).
fn make_facilitator(
    conn: &mut kindred_db::DbConnection,
    rng: &mut StdRng,
    user_id: &str,
    tags: &[kindred_db::models::Tag],
) -> ServiceResult<()> {
    let now = kindred_db::now();
    kindred_db::circles::facilitators::grant(
        conn,
        &kindred_db::circles::FacilitatorRecord {
            user_id: user_id.to_string(),
            trained_on: (now.date() - chrono::TimeDelta::days(90))
                .format("%Y-%m-%d")
                .to_string(),
            training: "Peer support group facilitation (demo)".into(),
            granted_by: None,
            created_at: now,
            updated_at: now,
            revoked_at: None,
        },
    )?;
    let (mut row, profile_tags) = profile(rng, user_id, "facilitator", tags)?;
    fit_for_circles(&mut row, &[("tue", 1020, 1260), ("thu", 1020, 1260)])?;
    kindred_db::profiles::put(conn, row, profile_tags)?;
    Ok(())
}

/// Adds English, online meetings and the given local windows (day, start
/// and end minutes) to a demo profile, so circles can form among people in
/// nearby time zones.
fn fit_for_circles(row: &mut Profile, windows: &[(&str, u16, u16)]) -> ServiceResult<()> {
    let mut languages: Vec<String> =
        serde_json::from_str(&row.languages).map_err(ServiceError::internal)?;
    if !languages.iter().any(|l| l == "en") {
        languages.push("en".into());
    }
    let mut modes: Vec<String> =
        serde_json::from_str(&row.meeting_modes).map_err(ServiceError::internal)?;
    if !modes.iter().any(|m| m == "online") {
        modes.insert(0, "online".into());
    }
    let mut availability: Vec<serde_json::Value> =
        serde_json::from_str(&row.availability).map_err(ServiceError::internal)?;
    let days: Vec<&str> = windows.iter().map(|w| w.0).collect();
    availability.retain(|w| !days.contains(&w["day"].as_str().unwrap_or("")));
    for (day, start, end) in windows {
        availability.push(serde_json::json!({"day": day, "start": kindred_core::format_hhmm(*start), "end": kindred_core::format_hhmm(*end)}));
    }
    row.languages = serde_json::to_string(&languages).map_err(ServiceError::internal)?;
    row.meeting_modes = serde_json::to_string(&modes).map_err(ServiceError::internal)?;
    row.availability = serde_json::to_string(&availability).map_err(ServiceError::internal)?;
    Ok(())
}

/// The mentee's first public tag, as the topic of their circle request.
fn row_topics(conn: &mut kindred_db::DbConnection, user_id: &str) -> ServiceResult<Vec<String>> {
    Ok(kindred_db::profiles::get(conn, user_id, "mentee")?
        .map(|p| {
            p.tags
                .into_iter()
                .filter(|t| !t.private)
                .take(1)
                .map(|t| t.tag_slug)
                .collect()
        })
        .unwrap_or_default())
}

/// Every other demo mentee also asks for a place in a circle.
fn circle_request(
    conn: &mut kindred_db::DbConnection,
    user_id: &str,
    topics: &[String],
) -> ServiceResult<()> {
    let now = kindred_db::now();
    kindred_db::circles::requests::insert(
        conn,
        &kindred_db::circles::CircleRequest {
            id: kindred_db::new_id(),
            user_id: user_id.to_string(),
            state: kindred_core::CircleRequestState::Open,
            topics: serde_json::to_string(topics).map_err(ServiceError::internal)?,
            note: None,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(())
}

/// An open request made some time in the last eight weeks, so waiting time matters.
fn open_request(
    conn: &mut kindred_db::DbConnection,
    rng: &mut StdRng,
    mentee_id: &str,
) -> ServiceResult<()> {
    let created = kindred_db::now() - chrono::TimeDelta::hours(rng.gen_range(0..24 * 56));
    kindred_db::requests::insert_request(
        conn,
        &Request {
            id: kindred_db::new_id(),
            mentee_id: mentee_id.to_string(),
            state: kindred_core::RequestState::Open,
            required_tags: "[]".into(),
            excluded_regions: "[]".into(),
            note: None,
            created_at: created,
            updated_at: created,
            matched_at: None,
        },
    )?;
    Ok(())
}
