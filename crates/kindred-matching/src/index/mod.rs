//! Dense, validated representation of a [`Problem`]: people indexed densely,
//! tag sets as bitsets, availability as UTC slot lists, inverted indexes
//! (tag → mentors, slot → mentors) for the scoring pass.

//!
//! [`Index::new`] reads and validates the problem ([`read`]: taxonomy,
//! profiles, exclusions), converts availability to UTC slots ([`tz`]),
//! builds the dense per-person arrays ([`people`]) and the score tables
//! over the active mentors ([`postings`]), then numbers the mentors by
//! language mask ([`renumber`]).

mod csr;
mod people;
pub(crate) mod postings;
mod read;
mod renumber;
mod tz;

use std::sync::Arc;

use chrono::NaiveDate;

pub(crate) use csr::Csr;
pub(crate) use people::People;

use crate::model::{Problem, Taxonomy};
use crate::MatchError;

pub(crate) const NO_REGION: u32 = u32::MAX;
/// `tag_pop_bit` of a tag scored through postings.
pub(crate) const NOT_POP: u8 = u8::MAX;
pub(crate) const MODE_ONLINE: u8 = 1;
pub(crate) const MODE_IN_PERSON: u8 = 2;
pub(crate) const WEEK_MIN: u32 = 7 * 24 * 60;
/// Language runs are used when they average at least this many mentors
/// (a run costs a check per mentee; very short runs are not worth it).
pub(crate) const MIN_AVG_LANG_RUN: usize = 8;

#[derive(Debug, Clone)]
pub(crate) struct Index {
    pub words: usize,
    pub tag_slug: Vec<String>,
    pub tag_cat: Vec<u32>,
    pub categories: Vec<String>,
    pub tag_weight: Vec<u32>,
    pub lang_exact: bool,
    /// Minutes per availability slot (gcd of all UTC boundaries and the week).
    pub slot_min: u32,
    /// UTC offset (minutes) of each time-zone class.
    pub tz_offsets: Vec<i32>,
    /// `tz_points[a * n_tz + b]`.
    pub tz_points: Vec<u32>,
    pub n_tz: usize,

    /// Shared (not copied) by the mentor-renumbered copies the certificate makes.
    pub e: Arc<People>,
    pub e_req: Arc<Vec<u64>>,
    pub e_has_req: Vec<bool>,
    pub e_excl_regions: Csr<u32>,
    /// Active mentors this request may never be paired with (sorted).
    pub e_excluded: Csr<u32>,
    pub e_wait_points: Vec<u32>,
    pub e_waited_days: Vec<u32>,

    pub m: People,
    pub m_cap: Vec<u32>,
    pub m_load0: Vec<u32>,

    /// tag → active mentors having it (public or private), or for tags most
    /// active mentors have (`tag_neg`), the mentors *without* it.
    pub post_tag: Csr<u32>,
    pub tag_neg: Vec<bool>,
    /// Up to 32 "popular" tags (longest postings): they are scored in the
    /// dense pass through per-mentee byte tables instead of scattered adds.
    /// `tag_pop_bit[t]` is the tag's bit in `m_pop` (or `NOT_POP`).
    pub tag_pop_bit: Vec<u8>,
    /// Per active mentor: bit `i` set when it has popular tag `i`.
    pub m_pop: Vec<u32>,
    /// Packed `region << 2 | modes` per active mentor (dense pass).
    pub m_pack: Vec<u32>,
    /// slot → active mentors available in it.
    pub post_slot: Csr<u32>,
    /// Overlap points by number of common slots `o` (index `min(o, last)`;
    /// the last entry stands for an excluded pair): [`crate::score::INFEASIBLE_PART`]
    /// below the minimum overlap and for exclusions.
    pub ov_points: Vec<i32>,
    /// Runs of active mentors with the same language mask, `(mask, lo, hi)`,
    /// covering `0..n_mentors` in order. [`Index::new`] numbers mentors by
    /// language mask so the runs are long and the dense pass skips a whole
    /// run sharing no language with the mentee (that hard rule fails for
    /// all of it). One run with an all-ones mask when runs would be short.
    pub lang_runs: Vec<(u64, u32, u32)>,

    pub w: crate::model::Weights,
}
impl Index {
    pub fn new(p: &Problem) -> Result<Index, MatchError> {
        Self::with_taxonomy(p, &p.taxonomy)
    }

    /// The index of `p` with `taxonomy` in place of `p.taxonomy` (the circle
    /// engine's problem lends its own instead of cloning it).
    pub fn with_taxonomy(p: &Problem, taxonomy: &Taxonomy) -> Result<Index, MatchError> {
        let monday = p
            .reference_monday
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(2025, 1, 6).expect("valid date"));
        let w = p.weights.clone();

        let tags = read::TagTable::new(taxonomy)?;
        let n_tags = tags.len();
        let words = tags.words();
        let mut reader = read::PersonReader::new(monday);
        let mentees = read::read_mentees(p, &tags, &mut reader)?;
        let mentors = read::read_mentors(p, &tags, &mut reader)?;
        let e_excl_reg = reader.excluded_regions(mentees.excluded_regions);

        let lang_exact = reader.langs.map.len() <= 64;
        let slot_min = reader.all_bounds_gcd.max(1);
        let n_slots = (WEEK_MIN / slot_min) as usize;
        let e_orig = (0..p.requests.len())
            .map(|i| u32::try_from(i).expect("fewer than 2^32 requests"))
            .collect();
        let e = People::build(&mentees.raw, e_orig, words, slot_min);
        let m = People::build(&mentors.raw, mentors.orig, words, slot_min);

        let (e_req, e_has_req) = read::required_bitsets(&mentees.required, words);
        let excl = read::excluded_mentors(p, &m)?;
        let e_wait_points = read::wait_points(p, &w);
        let e_waited_days = p.requests.iter().map(|r| r.waited_days).collect();

        let tag_weight = postings::tag_weights(
            &w,
            &tags.categories,
            &tags.tag_cat,
            &mentors.df,
            p.mentors.len(),
        );
        let post = postings::Postings::new(&m, n_tags, n_slots);
        let m_pack = postings::mentor_packs(&m);
        postings::check_max_score(&w)?;
        let ov_points = postings::overlap_points(&w, slot_min, n_slots);

        let offsets = reader.offsets;
        let n_tz = offsets.len();
        let tz_points = tz::tz_points(&offsets, w.timezone_points);

        let m_cap = m
            .orig
            .iter()
            .map(|&o| p.mentors[o as usize].capacity_remaining)
            .collect();
        let m_load0 = m
            .orig
            .iter()
            .map(|&o| p.mentors[o as usize].current_load)
            .collect();

        let read::TagTable {
            tag_slug,
            tag_cat,
            categories,
            ..
        } = tags;
        let ix = Index {
            words,
            tag_slug,
            tag_cat,
            categories,
            tag_weight,
            lang_exact,
            slot_min,
            tz_offsets: offsets,
            tz_points,
            n_tz,
            e: Arc::new(e),
            e_req: Arc::new(e_req),
            e_has_req,
            e_excl_regions: Csr::from_rows(e_excl_reg),
            e_excluded: Csr::from_rows(excl),
            e_wait_points,
            e_waited_days,
            m,
            m_cap,
            m_load0,
            post_tag: post.post_tag,
            tag_neg: post.tag_neg,
            tag_pop_bit: post.tag_pop_bit,
            m_pop: post.m_pop,
            m_pack,
            post_slot: post.post_slot,
            ov_points,
            lang_runs: Vec::new(),
            w,
        };
        // Number mentors by language mask (then input order): long runs of
        // one mask let the dense pass skip mentors sharing no language.
        let mut order: Vec<u32> = (0..ix.n_mentors() as u32).collect();
        order.sort_by_key(|&k| ix.m.lang_mask[k as usize]);
        Ok(ix.with_mentor_order(&order))
    }

    /// Only what the circle engine reads of an index: the validated tag
    /// table, both sides' people (mentors in input order, all of them when
    /// all are active) and the slot length. The same validation as
    /// [`Index::with_taxonomy`], in the same order and with the same errors;
    /// none of the matching tables (postings, packs, overlap and time-zone
    /// points, mentor renumbering) is built.
    pub fn people_only(p: &Problem, taxonomy: &Taxonomy) -> Result<PeopleIndex, MatchError> {
        let monday = p
            .reference_monday
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(2025, 1, 6).expect("valid date"));
        let tags = read::TagTable::new(taxonomy)?;
        let words = tags.words();
        let mut reader = read::PersonReader::new(monday);
        let mentees = read::read_mentees(p, &tags, &mut reader)?;
        let mentors = read::read_mentors(p, &tags, &mut reader)?;
        let slot_min = reader.all_bounds_gcd.max(1);
        let e_orig = (0..p.requests.len())
            .map(|i| u32::try_from(i).expect("fewer than 2^32 requests"))
            .collect();
        let e = People::build(&mentees.raw, e_orig, words, slot_min);
        let m = People::build(&mentors.raw, mentors.orig, words, slot_min);
        read::excluded_mentors(p, &m)?;
        postings::check_max_score(&p.weights)?;
        let read::TagTable {
            tag_slug,
            tag_cat,
            categories,
            ..
        } = tags;
        Ok(PeopleIndex {
            words,
            tag_slug,
            tag_cat,
            categories,
            slot_min,
            e,
            m,
        })
    }

    pub fn n_mentees(&self) -> usize {
        self.e.orig.len()
    }

    pub fn n_mentors(&self) -> usize {
        self.m.orig.len()
    }

    /// Marginal load penalty of mentor `m`'s `k`-th new mentee in this run (1-based).
    #[inline]
    pub fn pen(&self, m: usize, k: u32) -> i64 {
        self.w.load_penalty(self.m_load0[m] + k)
    }
}

/// See [`Index::people_only`].
pub(crate) struct PeopleIndex {
    pub words: usize,
    pub tag_slug: Vec<String>,
    pub tag_cat: Vec<u32>,
    pub categories: Vec<String>,
    pub slot_min: u32,
    pub e: People,
    pub m: People,
}
