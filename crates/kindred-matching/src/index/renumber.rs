//! Mentor renumbering: a copy of the index with the active mentors in a
//! given order (language-mask order at construction, potential orders in
//! the certificate), and the language runs of that order.

use std::sync::Arc;

use super::{Csr, Index, People, MIN_AVG_LANG_RUN};

/// Runs of equal language masks `(mask, lo, hi)` covering `0..n` in order;
/// one run with an all-ones mask when the runs would be short on average.
fn language_runs(lang_mask: &[u64]) -> Vec<(u64, u32, u32)> {
    let n_m = lang_mask.len();
    let mut lang_runs: Vec<(u64, u32, u32)> = Vec::new();
    for (k, &mask) in lang_mask.iter().enumerate() {
        match lang_runs.last_mut() {
            Some(run) if run.0 == mask => run.2 += 1,
            _ => lang_runs.push((mask, k as u32, k as u32 + 1)),
        }
    }
    if lang_runs.len() * MIN_AVG_LANG_RUN > n_m.max(1) {
        lang_runs = vec![(u64::MAX, 0, n_m as u32)];
    }
    lang_runs
}

impl Index {
    /// A copy of this index whose active mentors are renumbered: new mentor
    /// `i` is old mentor `order[i]` (`order` a permutation). The certificate
    /// orders mentors by potential so that the mentors able to violate for
    /// a request form a prefix ([`Index::scan_scores_prefix`]).
    pub fn with_mentor_order(&self, order: &[u32]) -> Index {
        let n_m = self.n_mentors();
        assert_eq!(order.len(), n_m, "a permutation of the active mentors");
        let mut inv = vec![u32::MAX; n_m];
        for (i, &o) in order.iter().enumerate() {
            inv[o as usize] = u32::try_from(i).expect("fits");
        }
        let w = self.words;
        let gather = |v: &[u64], k: usize| -> Vec<u64> {
            let mut out = Vec::with_capacity(v.len());
            for &o in order {
                out.extend_from_slice(&v[o as usize * k..(o as usize + 1) * k]);
            }
            out
        };
        let pick = |v: &[u32]| -> Vec<u32> { order.iter().map(|&o| v[o as usize]).collect() };
        let rows_of = |c: &Csr<u32>| -> Csr<u32> {
            Csr::from_rows((0..c.rows()).map(|r| {
                let mut v: Vec<u32> = c.row(r).iter().map(|&m| inv[m as usize]).collect();
                v.sort_unstable();
                v
            }))
        };
        let lang_mask = gather(&self.m.lang_mask, 1);
        let lang_runs = language_runs(&lang_mask);
        let m = &self.m;
        let people = People {
            orig: pick(&m.orig),
            tags_all: gather(&m.tags_all, w),
            tags_pub: gather(&m.tags_pub, w),
            tag_list: Csr::from_slices(order.iter().map(|&o| m.tag_list.row(o as usize))),
            lang_mask,
            lang_list: Csr::from_slices(order.iter().map(|&o| m.lang_list.row(o as usize))),
            modes: order.iter().map(|&o| m.modes[o as usize]).collect(),
            region: pick(&m.region),
            tz: order.iter().map(|&o| m.tz[o as usize]).collect(),
            slots: Csr::from_slices(order.iter().map(|&o| m.slots.row(o as usize))),
        };
        // Mentee-side arrays are shared or small; mentor-side ones rebuilt.
        Index {
            words: self.words,
            tag_slug: self.tag_slug.clone(),
            tag_cat: self.tag_cat.clone(),
            categories: self.categories.clone(),
            tag_weight: self.tag_weight.clone(),
            lang_exact: self.lang_exact,
            slot_min: self.slot_min,
            tz_offsets: self.tz_offsets.clone(),
            tz_points: self.tz_points.clone(),
            n_tz: self.n_tz,
            e: Arc::clone(&self.e),
            e_req: Arc::clone(&self.e_req),
            e_has_req: self.e_has_req.clone(),
            e_excl_regions: self.e_excl_regions.clone(),
            e_excluded: rows_of(&self.e_excluded),
            e_wait_points: self.e_wait_points.clone(),
            e_waited_days: self.e_waited_days.clone(),
            m: people,
            m_cap: pick(&self.m_cap),
            m_load0: pick(&self.m_load0),
            post_tag: rows_of(&self.post_tag),
            tag_neg: self.tag_neg.clone(),
            tag_pop_bit: self.tag_pop_bit.clone(),
            m_pop: pick(&self.m_pop),
            m_pack: pick(&self.m_pack),
            post_slot: rows_of(&self.post_slot),
            ov_points: self.ov_points.clone(),
            lang_runs,
            w: self.w.clone(),
        }
    }
}
