//! Score tables built over the active mentors: tag weights (category weight
//! × IDF), the inverted indexes (tag → mentors, slot → mentors) with the
//! popular tags moved to per-mentor bits, the packed region/mode words and
//! the overlap points per number of common slots.

use super::{Csr, People, NOT_POP};
use crate::model::Weights;
use crate::MatchError;

/// Tag weights: category weight × smoothed IDF among all `n_mentors`
/// mentors (`df[t]`: mentors having tag `t`).
pub(crate) fn tag_weights(
    w: &Weights,
    categories: &[String],
    tag_cat: &[u32],
    df: &[u32],
    n_mentors: usize,
) -> Vec<u32> {
    let n_all_m = n_mentors as f64;
    (0..tag_cat.len())
        .map(|t| {
            let cw = f64::from(w.category_weight(&categories[tag_cat[t] as usize]));
            // Smoothed IDF: ln(1 + M/df) > 0 even for a tag every mentor
            // has (ln 2), still larger for rarer tags. A tag no mentor has
            // is never shared, so its weight is irrelevant (df := 1).
            let idf = (1.0 + n_all_m / f64::from(df[t].max(1))).ln();
            (cw * f64::from(w.idf_scale) * idf / 10.0).round().max(0.0) as u32
        })
        .collect()
}

/// The inverted indexes over the active mentors.
pub(super) struct Postings {
    pub post_tag: Csr<u32>,
    pub tag_neg: Vec<bool>,
    pub tag_pop_bit: Vec<u8>,
    pub m_pop: Vec<u32>,
    pub post_slot: Csr<u32>,
}

impl Postings {
    pub fn new(m: &People, n_tags: usize, n_slots: usize) -> Postings {
        let mut pt: Vec<Vec<u32>> = vec![Vec::new(); n_tags];
        let mut ps: Vec<Vec<u32>> = vec![Vec::new(); n_slots];
        for k in 0..m.orig.len() {
            let kk = u32::try_from(k).expect("fits");
            for &t in m.tag_list.row(k) {
                pt[t as usize].push(kk);
            }
            for &s in m.slots.row(k) {
                ps[s as usize].push(kk);
            }
        }
        let n_act = m.orig.len();
        let (tag_pop_bit, m_pop) = popular_tags(&mut pt, n_act);
        let tag_neg = complement_long_postings(&mut pt, n_act);
        Postings {
            post_tag: Csr::from_rows(pt),
            tag_neg,
            tag_pop_bit,
            m_pop,
            post_slot: Csr::from_rows(ps),
        }
    }
}

/// The 32 tags with the longest postings (min(df, M − df) over active
/// mentors) go to the dense pass's byte tables; their postings are
/// dropped. Only tags whose postings are long enough to matter.
/// Returns each tag's bit (or `NOT_POP`) and each mentor's bits.
fn popular_tags(pt: &mut [Vec<u32>], n_act: usize) -> (Vec<u8>, Vec<u32>) {
    let mut tag_pop_bit = vec![NOT_POP; pt.len()];
    let mut by_len: Vec<(usize, usize)> = pt
        .iter()
        .enumerate()
        .map(|(t, l)| (l.len().min(n_act - l.len()), t))
        .filter(|&(len, _)| len > 0 && len * 64 >= n_act)
        .collect();
    by_len.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut m_pop = vec![0u32; n_act];
    for (bit, &(_, t)) in by_len.iter().take(32).enumerate() {
        tag_pop_bit[t] = bit as u8;
        for &k in &pt[t] {
            m_pop[k as usize] |= 1u32 << bit;
        }
        pt[t] = Vec::new();
    }
    (tag_pop_bit, m_pop)
}

/// Complement lists for tags most active mentors have: fewer additions per
/// scan. Returns which tags' lists were complemented.
fn complement_long_postings(pt: &mut [Vec<u32>], n_act: usize) -> Vec<bool> {
    let mut tag_neg = vec![false; pt.len()];
    for (t, list) in pt.iter_mut().enumerate() {
        if list.len() * 2 > n_act {
            tag_neg[t] = true;
            let mut comp = Vec::with_capacity(n_act - list.len());
            let mut it = list.iter().peekable();
            for k in 0..n_act as u32 {
                if it.peek() == Some(&&k) {
                    it.next();
                } else {
                    comp.push(k);
                }
            }
            *list = comp;
        }
    }
    tag_neg
}

/// Packed `region << 2 | modes` per active mentor (dense pass).
pub(super) fn mentor_packs(m: &People) -> Vec<u32> {
    (0..m.orig.len())
        .map(|k| (m.region[k] & 0x3FFF_FFFF) << 2 | u32::from(m.modes[k]))
        .collect()
}

/// All score parts must fit comfortably in i32 (the dense pass).
pub(super) fn check_max_score(w: &Weights) -> Result<(), MatchError> {
    let max_score = u64::from(w.base)
        + u64::from(w.shared_experience_cap)
        + u64::from(w.overlap_cap_minutes) * u64::from(w.overlap_points_per_hour) / 60
        + u64::from(w.timezone_points)
        + u64::from(w.waiting_cap_days) * u64::from(w.waiting_points_per_day);
    if max_score > (i32::MAX / 4) as u64 {
        return Err(MatchError::WeightsTooLarge);
    }
    Ok(())
}

/// One entry per possible count of common slots, then the exclusion
/// mark (acc = u16::MAX is clamped onto it). Needs [`check_max_score`].
pub(super) fn overlap_points(w: &Weights, slot_min: u32, n_slots: usize) -> Vec<i32> {
    let min_slots = w.min_overlap_minutes.div_ceil(slot_min);
    let mut ov_points: Vec<i32> = (0..=n_slots as u32)
        .map(|o| {
            if o < min_slots {
                crate::score::INFEASIBLE_PART
            } else {
                let pts = u64::from((o * slot_min).min(w.overlap_cap_minutes))
                    * u64::from(w.overlap_points_per_hour)
                    / 60;
                i32::try_from(pts).expect("checked against WeightsTooLarge above")
            }
        })
        .collect();
    ov_points.push(crate::score::INFEASIBLE_PART);
    ov_points
}
