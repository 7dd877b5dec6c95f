//! Helpers of the compiled instance: the circle problem as a matching
//! problem (so the matching index validates and indexes it), availability
//! runs and candidate start ranges.

use super::CircleProblem;
use crate::model::{MenteeRequest, Mentor, Problem};

pub(super) fn push_range(starts: &[u32], lo: u32, hi: u32, out: &mut Vec<u32>) {
    let a = starts.partition_point(|&s| s < lo);
    let b = starts.partition_point(|&s| s <= hi);
    out.extend_from_slice(&starts[a..b]);
}

/// Maximal runs `(start, length)` of consecutive slots, merged across the
/// end of the week; one run of length `n_slots` when available all week.
pub(super) fn runs(slots: &[u16], n_slots: u32) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &s in slots {
        let s = u32::from(s);
        match out.last_mut() {
            Some((a, l)) if *a + *l == s => *l += 1,
            _ => out.push((s, 1)),
        }
    }
    if out.len() > 1 {
        let (a0, l0) = out[0];
        let (al, ll) = *out.last().expect("non-empty");
        if a0 == 0 && al + ll == n_slots {
            out.pop();
            out[0] = (al, ll + l0);
        }
    }
    out
}

/// The circle problem as a matching problem (requests as mentees,
/// facilitators as mentors), so the matching index validates and indexes it
/// (without the taxonomy: pass `p.taxonomy` to `Index::with_taxonomy`).
pub(super) fn as_matching_problem(p: &CircleProblem) -> Problem {
    Problem {
        // the index takes the circle problem's own (`Index::with_taxonomy`)
        taxonomy: Default::default(),
        requests: p
            .requests
            .iter()
            .map(|r| {
                let mut private_tags = r.private_tags.clone();
                private_tags.extend(
                    r.topics
                        .iter()
                        .filter(|t| !r.public_tags.contains(t))
                        .cloned(),
                );
                MenteeRequest {
                    id: r.id.clone(),
                    mentee_id: r.person_id.clone(),
                    languages: r.languages.clone(),
                    timezone: r.timezone.clone(),
                    availability: r.availability.clone(),
                    meeting_modes: r.meeting_modes.clone(),
                    region: r.region.clone(),
                    public_tags: r.public_tags.clone(),
                    private_tags,
                    ..Default::default()
                }
            })
            .collect(),
        mentors: p
            .facilitators
            .iter()
            .map(|f| Mentor {
                id: f.id.clone(),
                languages: f.languages.clone(),
                timezone: f.timezone.clone(),
                availability: f.availability.clone(),
                meeting_modes: f.meeting_modes.clone(),
                region: f.region.clone(),
                public_tags: f.public_tags.clone(),
                private_tags: f.private_tags.clone(),
                // every facilitator enters the index; capacity is ours
                capacity_remaining: 1,
                current_load: 0,
                accepting: true,
            })
            .collect(),
        weights: p.weights.clone(),
        reference_monday: p.reference_monday,
        ..Default::default()
    }
}
