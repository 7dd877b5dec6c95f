//! Hard rules, pair scores and explanations.
//!
//! Two implementations of the same score: [`Index::pair`] (one pair, from the
//! bitsets; used for explanations and as the reference in tests) and
//! [`Index::scan_mentee`] (one mentee against every active mentor, via the
//! inverted indexes and a tight dense pass; used for candidate generation,
//! certification and suggestions). Tests check they agree.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::index::{Index, MODE_IN_PERSON, MODE_ONLINE, NOT_POP, NO_REGION};

/// Raw, uncapped parts of a feasible pair's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Parts {
    pub shared_public: u64,
    pub shared_private: u64,
    pub overlap_min: u32,
    pub tz: u32,
    pub wait: u32,
}

impl Index {
    #[inline]
    fn lang_ok(&self, e: usize, m: usize) -> bool {
        if self.e.lang_mask[e] & self.m.lang_mask[m] == 0 {
            return false;
        }
        self.lang_exact || sorted_intersect(self.e.lang_list.row(e), self.m.lang_list.row(m))
    }

    /// All hard rules except the overlap minimum, from first principles.
    pub(crate) fn feasible_basic(&self, e: usize, m: usize) -> bool {
        if !self.lang_ok(e, m) {
            return false;
        }
        let both = self.e.modes[e] & self.m.modes[m];
        let same_region = self.e.region[e] != NO_REGION && self.e.region[e] == self.m.region[m];
        if both & MODE_ONLINE == 0 && !(both & MODE_IN_PERSON != 0 && same_region) {
            return false;
        }
        let w = self.words;
        // Required tags are met by the mentor's public tags only: a private
        // tag adds to the score but never decides whether a pair is allowed
        // (a mentee must not learn a private tag from being matched).
        if self.e_has_req[e] {
            let req = &self.e_req[e * w..(e + 1) * w];
            let have = &self.m.tags_pub[m * w..(m + 1) * w];
            if req.iter().zip(have).any(|(r, h)| r & !h != 0) {
                return false;
            }
        }
        if self.m.region[m] != NO_REGION
            && self
                .e_excl_regions
                .row(e)
                .binary_search(&self.m.region[m])
                .is_ok()
        {
            return false;
        }
        let mm = u32::try_from(m).expect("mentor index fits u32");
        self.e_excluded.row(e).binary_search(&mm).is_err()
    }

    /// Score parts of a pair, or `None` if a hard rule forbids it.
    pub(crate) fn pair(&self, e: usize, m: usize) -> Option<Parts> {
        if !self.feasible_basic(e, m) {
            return None;
        }
        let overlap_min = count_common(self.e.slots.row(e), self.m.slots.row(m)) * self.slot_min;
        if overlap_min < self.w.min_overlap_minutes {
            return None;
        }
        let w = self.words;
        let (mut sp, mut sq) = (0u64, 0u64);
        for k in 0..w {
            let both_all = self.e.tags_all[e * w + k] & self.m.tags_all[m * w + k];
            let both_pub = self.e.tags_pub[e * w + k] & self.m.tags_pub[m * w + k];
            let mut bits = both_all;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let wt = u64::from(self.tag_weight[k * 64 + b]);
                if both_pub >> b & 1 == 1 {
                    sp += wt;
                } else {
                    sq += wt;
                }
            }
        }
        Some(Parts {
            shared_public: sp,
            shared_private: sq,
            overlap_min,
            tz: self.tz_points[self.e.tz[e] as usize * self.n_tz + self.m.tz[m] as usize],
            wait: self.e_wait_points[e],
        })
    }

    /// The pair score from its parts (before the mentor's load term).
    pub(crate) fn score_of(&self, p: &Parts) -> i64 {
        let w = &self.w;
        let shared = (p.shared_public + p.shared_private).min(u64::from(w.shared_experience_cap));
        let ov = u64::from(p.overlap_min.min(w.overlap_cap_minutes))
            * u64::from(w.overlap_points_per_hour)
            / 60;
        let total = u64::from(w.base) + shared + ov + u64::from(p.tz) + u64::from(p.wait);
        i64::try_from(total).unwrap_or(i64::MAX)
    }

    /// Scores mentee `e` against every active mentor, calling `f(m, score)` for
    /// each feasible pair in increasing mentor order.
    #[inline]
    pub(crate) fn scan_mentee<F: FnMut(u32, i64)>(
        &self,
        e: usize,
        scratch: &mut Scratch,
        mut f: F,
    ) {
        let sc = self.scan_scores(e, scratch);
        for (m, &s) in sc.iter().enumerate() {
            if s != INFEASIBLE {
                f(m as u32, i64::from(s));
            }
        }
    }

    /// Scores mentee `e` against every active mentor into `scratch.scores`
    /// ([`INFEASIBLE`] where a hard rule fails). Branch-free dense pass over
    /// the inverted-index accumulators.
    pub(crate) fn scan_scores<'s>(&self, e: usize, scratch: &'s mut Scratch) -> &'s [i32] {
        self.scan_scores_prefix(e, scratch, self.n_mentors())
    }

    /// [`Index::scan_scores`] against mentors `0..limit` only (the result has
    /// `limit` entries). Postings are sorted by mentor, so each is cut at
    /// `limit` by a binary search and the inner loops stay unchanged.
    pub(crate) fn scan_scores_prefix<'a, 's>(
        &'a self,
        e: usize,
        scratch: &'s mut Scratch,
        limit: usize,
    ) -> &'s [i32] {
        let n_m = limit.min(self.n_mentors());
        let full = n_m == self.n_mentors();
        let cut = |row: &'a [u32]| -> &'a [u32] {
            if full {
                row
            } else {
                &row[..row.partition_point(|&m| (m as usize) < n_m)]
            }
        };
        let Scratch {
            acc_tag,
            acc_ov,
            scores,
            tbl,
            skipped,
        } = scratch;
        let mut scratch_skipped = 0u64;
        let acc_tag = &mut acc_tag[..n_m];
        let acc_ov = &mut acc_ov[..n_m];
        let scores = &mut scores[..n_m];
        let mut tag_offset = 0u32;
        // Popular tags: tbl[j][b] = Σ weights of this mentee's popular tags
        // whose bits (8j..8j+8) are set in b.
        let mut pw = [0u32; 32];
        for &t in self.e.tag_list.row(e) {
            let bit = self.tag_pop_bit[t as usize];
            if bit != NOT_POP {
                pw[bit as usize] = self.tag_weight[t as usize];
            }
        }
        for (j, tj) in tbl.iter_mut().enumerate() {
            tj[0] = 0;
            for b in 1..256usize {
                let low = b.trailing_zeros() as usize;
                tj[b] = tj[b & (b - 1)].wrapping_add(pw[8 * j + low]);
            }
        }
        let [t0, t1, t2, t3] = &**tbl;
        for &t in self.e.tag_list.row(e) {
            let wt = self.tag_weight[t as usize];
            if self.tag_neg[t as usize] {
                tag_offset = tag_offset.wrapping_add(wt);
                for &m in cut(self.post_tag.row(t as usize)) {
                    acc_tag[m as usize] = acc_tag[m as usize].wrapping_sub(wt);
                }
            } else {
                for &m in cut(self.post_tag.row(t as usize)) {
                    acc_tag[m as usize] = acc_tag[m as usize].wrapping_add(wt);
                }
            }
        }
        for &s in self.e.slots.row(e) {
            for &m in cut(self.post_slot.row(s as usize)) {
                acc_ov[m as usize] += 1;
            }
        }
        for &m in cut(self.e_excluded.row(e)) {
            acc_ov[m as usize] = u16::MAX;
        }
        let w = &self.w;
        // Overlap points (and the overlap minimum / excluded pair) by table:
        // `ov_points[min(o, last)]`, negative when infeasible.
        let ov_points = &self.ov_points[..];
        let ov_last = (ov_points.len() - 1) as u16;
        let sh_cap = w.shared_experience_cap;
        let base = (w.base + self.e_wait_points[e]) as i32;
        let tz_row = &self.tz_points
            [self.e.tz[e] as usize * self.n_tz..(self.e.tz[e] as usize + 1) * self.n_tz];
        let e_lang = self.e.lang_mask[e];
        let e_modes = u32::from(self.e.modes[e]);
        // in person needs the same (known) region
        let e_pack = (self.e.region[e] & 0x3FFF_FFFF) << 2;
        let e_has_region = u32::from(self.e.region[e] != NO_REGION);
        let online = u32::from(MODE_ONLINE);
        let in_person = u32::from(MODE_IN_PERSON);
        for &(run_mask, lo, hi) in &self.lang_runs {
            let (lo, hi) = (lo as usize, (hi as usize).min(n_m));
            if lo >= hi {
                break;
            }
            if run_mask & e_lang == 0 {
                scratch_skipped += (hi - lo) as u64;
                // no shared language with anyone in this run: a hard rule
                // fails for all of it (with > 64 languages the masks are
                // filters, and disjoint filters still mean no shared language)
                acc_tag[lo..hi].fill(0);
                acc_ov[lo..hi].fill(0);
                scores[lo..hi].fill(INFEASIBLE);
                continue;
            }
            let it = scores[lo..hi]
                .iter_mut()
                .zip(acc_tag[lo..hi].iter_mut())
                .zip(acc_ov[lo..hi].iter_mut())
                .zip(self.m.lang_mask[lo..hi].iter())
                .zip(self.m_pack[lo..hi].iter())
                .zip(self.m.tz[lo..hi].iter())
                .zip(self.m_pop[lo..hi].iter());
            for ((((((out, at), ov), &ml), &mp), &mtz), &pop) in it {
                let a = at
                    .wrapping_add(tag_offset)
                    .wrapping_add(t0[pop as u8 as usize])
                    .wrapping_add(t1[(pop >> 8) as u8 as usize])
                    .wrapping_add(t2[(pop >> 16) as u8 as usize])
                    .wrapping_add(t3[(pop >> 24) as usize]);
                let o = (*ov).min(ov_last);
                *at = 0;
                *ov = 0;
                let both = e_modes & mp;
                let same_region = u32::from((e_pack ^ mp) >> 2 == 0) & e_has_region;
                let mode_ok = (both & online) | ((both & in_person) >> 1 & same_region);
                let ok = (e_lang & ml != 0) & (mode_ok != 0);
                // every part is < 2^29, the infeasible marks are −2^30 each;
                // arithmetic selects, no branches (feasibility is unpredictable)
                let score = base
                    + a.min(sh_cap) as i32
                    + ov_points[o as usize]
                    + tz_row[mtz as usize] as i32
                    + std::hint::select_unpredictable(ok, 0, INFEASIBLE_PART);
                *out = std::hint::select_unpredictable(score < 0, INFEASIBLE, score);
            }
        }
        *skipped += scratch_skipped;
        if !self.lang_exact {
            for (m, out) in scores.iter_mut().enumerate() {
                if *out != INFEASIBLE && !self.feasible_basic(e, m) {
                    *out = INFEASIBLE;
                }
            }
            return scores;
        }
        // Required tags (met by public tags only, as in `feasible_basic`) and
        // excluded regions as dense, branch-free masks.
        if self.e_has_req[e] {
            let w = self.words;
            for k in 0..w {
                let req = self.e_req[e * w + k];
                if req == 0 {
                    continue;
                }
                let have = self.m.tags_pub[k..].iter().step_by(w);
                for (out, &h) in scores.iter_mut().zip(have) {
                    if req & !h != 0 {
                        *out = INFEASIBLE;
                    }
                }
            }
        }
        for &r in self.e_excl_regions.row(e) {
            for (out, &mr) in scores.iter_mut().zip(self.m.region[..n_m].iter()) {
                if mr == r {
                    *out = INFEASIBLE;
                }
            }
        }
        scores
    }
}

/// Score marking a pair that breaks a hard rule.
pub(crate) const INFEASIBLE: i32 = i32::MIN;
/// Added to a pair's score in the dense pass for each broken rule: the sum
/// of at most two of them and the feasible parts (< 2^29) stays negative
/// without overflowing.
pub(crate) const INFEASIBLE_PART: i32 = -(1 << 30);

/// Per-thread accumulators for [`Index::scan_mentee`].
pub(crate) struct Scratch {
    acc_tag: Vec<u32>,
    acc_ov: Vec<u16>,
    scores: Vec<i32>,
    tbl: Box<[[u32; 256]; 4]>,
    /// Pairs marked infeasible without scoring because their whole language
    /// run shares no language with the request (summed over scans).
    pub skipped: u64,
}

impl Scratch {
    pub fn new(n_mentors: usize) -> Self {
        Scratch {
            acc_tag: vec![0; n_mentors],
            acc_ov: vec![0; n_mentors],
            scores: vec![0; n_mentors],
            tbl: Box::new([[0; 256]; 4]),
            skipped: 0,
        }
    }
}

fn sorted_intersect(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

fn count_common(a: &[u16], b: &[u16]) -> u32 {
    let (mut i, mut j, mut c) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                c += 1;
                i += 1;
                j += 1;
            }
        }
    }
    c
}

/// One named part of an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// A fixed name (`base`, `shared_experience`, …): borrowed, not allocated.
    pub name: Cow<'static, str>,
    pub points: i64,
    /// A sentence; the fixed ones are borrowed. A run explains every pair it
    /// proposes (10⁵ at benchmark scale), so this keeps the result small.
    pub detail: Cow<'static, str>,
}

/// Why a pair was proposed. Serializes exactly as
/// `{"total": n, "components": [{"name", "points", "detail"}], "shared_tags": [slug]}`.
///
/// Privacy: `shared_tags` and every `detail` name only tags that both people
/// show publicly; overlap involving anyone's private tag is folded into one
/// `private_overlap` component that names nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub total: i64,
    pub components: Vec<Component>,
    pub shared_tags: Vec<String>,
}

fn join_names(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

impl Index {
    /// Explanation of a feasible pair; `slot` is the 1-based position of this
    /// mentee among the mentor's new mentees (drives the load component).
    pub(crate) fn explain(&self, e: usize, m: usize, p: &Parts, slot: u32) -> Explanation {
        let w = &self.w;
        let mut shared_tags = Vec::new();
        let words = self.words;
        for k in 0..words {
            let mut bits = self.e.tags_pub[e * words + k] & self.m.tags_pub[m * words + k];
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                shared_tags.push(self.tag_slug[k * 64 + b].clone());
            }
        }
        let cap = u64::from(w.shared_experience_cap);
        let shared = (p.shared_public + p.shared_private).min(cap);
        let pub_pts = p.shared_public.min(shared);
        let priv_pts = shared - pub_pts;
        let mut components = vec![Component {
            name: "base".into(),
            points: i64::from(w.base),
            detail: "Both of you meet every hard rule (language, meeting mode, required tags, region, availability).".into(),
        }];
        components.push(Component {
            name: "shared_experience".into(),
            points: pub_pts as i64,
            detail: if shared_tags.is_empty() {
                "You have no publicly listed experience in common.".into()
            } else {
                format!(
                    "You both list {}; rarer shared experiences count more.",
                    join_names(&shared_tags)
                )
                .into()
            },
        });
        if priv_pts > 0 {
            components.push(Component {
                name: "private_overlap".into(),
                points: priv_pts as i64,
                detail: "You also share experience that at least one of you keeps private.".into(),
            });
        }
        let ov = p.overlap_min;
        let ov_pts =
            u64::from(ov.min(w.overlap_cap_minutes)) * u64::from(w.overlap_points_per_hour) / 60;
        components.push(Component {
            name: "availability_overlap".into(),
            points: ov_pts as i64,
            detail: format!(
                "Your weekly availability overlaps by {} h {:02} min.",
                ov / 60,
                ov % 60
            )
            .into(),
        });
        let d = {
            let a = self.tz_offsets[self.e.tz[e] as usize];
            let b = self.tz_offsets[self.m.tz[m] as usize];
            let d = (a - b).unsigned_abs() % 1440;
            d.min(1440 - d)
        };
        components.push(Component {
            name: "timezone".into(),
            points: i64::from(p.tz),
            detail: if d == 0 {
                "You are in the same UTC offset.".into()
            } else {
                format!("Your time zones are {} h {:02} min apart.", d / 60, d % 60).into()
            },
        });
        components.push(Component {
            name: "waiting".into(),
            points: i64::from(p.wait),
            detail: format!(
                "The request has been waiting {} days.",
                self.e_waited_days[e]
            )
            .into(),
        });
        let j = self.m_load0[m] + slot;
        components.push(Component {
            name: "load".into(),
            points: -self.pen(m, slot),
            detail: format!(
                "This would be the mentor's mentee number {j}; each extra mentee costs more."
            )
            .into(),
        });
        let total = components.iter().map(|c| c.points).sum();
        Explanation {
            total,
            components,
            shared_tags,
        }
    }
}
