//! Helpers of the compiled instance: the circle problem as a matching
//! problem (so the matching index validates and indexes it), availability
//! runs and candidate start ranges.

use std::collections::HashSet;

use super::CircleProblem;
use crate::model::{MenteeRequest, Mentor, Problem, Taxonomy};
use crate::MatchError;

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

/// FNV-1a: the taxonomy pass hashes hundreds of short slugs per run, where
/// the default SipHash dominated a tiny instance's set-up.
#[derive(Default, Clone, Copy)]
pub(super) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(super) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// The taxonomy restricted to the tags the problem's people name (public,
/// private, topics), in taxonomy order, after the whole taxonomy's own
/// checks (too many tags, a duplicate slug: the same errors, in the same
/// order, as the index reports). Tags nobody names are never shared, and
/// their document frequency over the people is 0, so the compiled scores,
/// explanations and report are those of the whole taxonomy, while the index
/// hashes and the bitsets span only the tags in use (a few dozen of ~500 on
/// a small problem). A name missing from the taxonomy is still missing
/// here, so the index's unknown-tag error is unchanged.
pub(super) fn used_taxonomy(p: &CircleProblem) -> Result<Taxonomy, MatchError> {
    let tax = &p.taxonomy;
    if tax.tags.len() > usize::from(u16::MAX) {
        return Err(MatchError::TooManyTags);
    }
    let mut used: HashSet<&str, FnvBuild> = HashSet::default();
    for r in &p.requests {
        used.extend(r.public_tags.iter().map(String::as_str));
        used.extend(r.private_tags.iter().map(String::as_str));
        used.extend(r.topics.iter().map(String::as_str));
    }
    for f in &p.facilitators {
        used.extend(f.public_tags.iter().map(String::as_str));
        used.extend(f.private_tags.iter().map(String::as_str));
    }
    let mut seen: HashSet<&str, FnvBuild> =
        HashSet::with_capacity_and_hasher(tax.tags.len(), FnvBuild::default());
    let mut tags = Vec::with_capacity(used.len().min(tax.tags.len()));
    for t in &tax.tags {
        if !seen.insert(t.slug.as_str()) {
            return Err(MatchError::DuplicateTag(t.slug.clone()));
        }
        if used.contains(t.slug.as_str()) {
            tags.push(t.clone());
        }
    }
    Ok(Taxonomy { tags })
}
