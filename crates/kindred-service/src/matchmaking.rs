//! Builds the matching engine's input from a consistent database snapshot.

use std::collections::{HashMap, HashSet};

use kindred_core::{AvailabilityWindow, MeetingMode};
use kindred_db::models::Request;
use kindred_db::profiles::ProfileWithTags;
use kindred_db::DbConnection;
use kindred_matching as km;

use crate::error::{ServiceError, ServiceResult};

pub(crate) fn weekday(d: chrono::Weekday) -> km::Weekday {
    match d {
        chrono::Weekday::Mon => km::Weekday::Mon,
        chrono::Weekday::Tue => km::Weekday::Tue,
        chrono::Weekday::Wed => km::Weekday::Wed,
        chrono::Weekday::Thu => km::Weekday::Thu,
        chrono::Weekday::Fri => km::Weekday::Fri,
        chrono::Weekday::Sat => km::Weekday::Sat,
        chrono::Weekday::Sun => km::Weekday::Sun,
    }
}

/// Profile fields the engine needs, parsed from the row.
pub(crate) struct Parsed {
    pub languages: Vec<String>,
    pub timezone: String,
    pub availability: Vec<km::Window>,
    pub meeting_modes: Vec<km::MeetingMode>,
    pub region: Option<String>,
    pub public_tags: Vec<String>,
    pub private_tags: Vec<String>,
}

pub(crate) fn parse(p: &ProfileWithTags) -> ServiceResult<Parsed> {
    let row = &p.profile;
    let bad =
        |what: &str, e: serde_json::Error| ServiceError::Internal(format!("profile {what}: {e}"));
    let languages: Vec<String> =
        serde_json::from_str(&row.languages).map_err(|e| bad("languages", e))?;
    let windows: Vec<AvailabilityWindow> =
        serde_json::from_str(&row.availability).map_err(|e| bad("availability", e))?;
    let modes: Vec<MeetingMode> =
        serde_json::from_str(&row.meeting_modes).map_err(|e| bad("meeting_modes", e))?;
    // Phone and video calls are both remote meetings for matching purposes.
    let mut meeting_modes: Vec<km::MeetingMode> = modes
        .iter()
        .map(|m| match m {
            MeetingMode::InPerson => km::MeetingMode::InPerson,
            MeetingMode::Online | MeetingMode::Phone => km::MeetingMode::Online,
        })
        .collect();
    meeting_modes.dedup();
    Ok(Parsed {
        languages,
        timezone: row.timezone.clone(),
        availability: windows
            .iter()
            .map(|w| km::Window {
                day: weekday(w.day),
                start_min: w.start_min,
                end_min: w.end_min,
            })
            .collect(),
        meeting_modes,
        region: row.region.clone(),
        // Imported tags waiting for the person's consent never count.
        public_tags: p
            .tags
            .iter()
            .filter(|t| !t.private && !t.pending)
            .map(|t| t.tag_slug.clone())
            .collect(),
        private_tags: p
            .tags
            .iter()
            .filter(|t| t.private && !t.pending)
            .map(|t| t.tag_slug.clone())
            .collect(),
    })
}

/// The matching weights from `[matching.weights]`.
pub fn weights(settings: &kindred_config::Settings) -> ServiceResult<km::Weights> {
    settings
        .matching
        .weights_as::<km::Weights>()
        .map_err(|e| ServiceError::Internal(format!("matching weights: {e}")))
}

/// The whole taxonomy (retired tags included: they stay on profiles).
pub(crate) fn taxonomy(conn: &mut DbConnection) -> ServiceResult<km::Taxonomy> {
    Ok(km::Taxonomy {
        tags: kindred_db::tags::list(conn, true)?
            .into_iter()
            .map(|t| km::Tag {
                slug: t.slug,
                category: t.category,
                sensitive: t.sensitive,
            })
            .collect(),
    })
}

/// Everything a run or a suggestion needs. `requests` limits which requests
/// are included (`None` = every open request without an open match).
pub fn snapshot(
    conn: &mut DbConnection,
    weights: km::Weights,
    only_request: Option<&Request>,
) -> ServiceResult<km::Problem> {
    let taxonomy = taxonomy(conn)?;
    let open: Vec<Request> = match only_request {
        Some(r) => vec![r.clone()],
        None => kindred_db::requests::unmatched_open_requests(conn)?,
    };
    let now = kindred_db::now();
    let mut requests = Vec::with_capacity(open.len());
    for r in &open {
        let Some(profile) = kindred_db::profiles::get(conn, &r.mentee_id, "mentee")? else {
            continue;
        };
        let p = parse(&profile)?;
        let waited_days = u32::try_from((now - r.created_at).num_days().max(0)).unwrap_or(u32::MAX);
        requests.push(km::MenteeRequest {
            id: r.id.clone(),
            mentee_id: r.mentee_id.clone(),
            languages: p.languages,
            timezone: p.timezone,
            availability: p.availability,
            meeting_modes: p.meeting_modes,
            region: p.region,
            public_tags: p.public_tags,
            private_tags: p.private_tags,
            required_tags: serde_json::from_str(&r.required_tags).unwrap_or_default(),
            excluded_regions: serde_json::from_str(&r.excluded_regions).unwrap_or_default(),
            waited_days,
        });
    }
    // Capacity already promised: proposals, awaiting answers and active matches.
    let load: HashMap<String, i64> =
        kindred_db::matches::loads(conn, &kindred_db::matches::open_states())?
            .into_iter()
            .collect();
    let mut mentors = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = kindred_db::profiles::list(conn, "mentor", after.as_deref(), 500)?;
        let Some(last) = page.last() else { break };
        after = Some(last.profile.user_id.clone());
        for profile in &page {
            let p = parse(profile)?;
            let used = load.get(&profile.profile.user_id).copied().unwrap_or(0);
            let capacity = i64::from(profile.profile.capacity.unwrap_or(0));
            mentors.push(km::Mentor {
                id: profile.profile.user_id.clone(),
                languages: p.languages,
                timezone: p.timezone,
                availability: p.availability,
                meeting_modes: p.meeting_modes,
                region: p.region,
                public_tags: p.public_tags,
                private_tags: p.private_tags,
                capacity_remaining: u32::try_from((capacity - used).max(0)).unwrap_or(0),
                current_load: u32::try_from(used.max(0)).unwrap_or(0),
                accepting: profile.profile.accepting,
            });
        }
    }
    let mentee_ids: HashSet<&str> = requests.iter().map(|r| r.mentee_id.as_str()).collect();
    let mut excluded_pairs: Vec<km::ExcludedPair> = kindred_db::matches::excluded_pairs(conn)?
        .into_iter()
        .filter(|(mentee, _)| mentee_ids.contains(mentee.as_str()))
        .map(|(mentee, mentor)| km::ExcludedPair { mentee, mentor })
        .collect();
    // Someone who is both mentee and mentor is never matched with themself.
    excluded_pairs.extend(mentee_ids.iter().map(|id| km::ExcludedPair {
        mentee: id.to_string(),
        mentor: id.to_string(),
    }));
    Ok(km::Problem {
        taxonomy,
        requests,
        mentors,
        excluded_pairs,
        excluded_positions: Vec::new(),
        weights,
        reference_monday: None,
    })
}
