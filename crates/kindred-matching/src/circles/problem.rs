//! The compiled formation instance: keys (language × meeting mode/region ×
//! weekly start slot), who holds which key, pair scores and fits computed on
//! demand from tag bitsets, and the forbidden (blocked) pairs.
//!
//! Validation, tag bitsets and the DST-correct UTC slots come from the
//! matching [`Index`]'s reader ([`Index::people_only`]: requests as mentees,
//! facilitators as mentors, none of the matching tables); tag
//! weights use the matching formula with the document frequency taken over
//! everyone in this problem (requests and facilitators).
//!
//! **Keys are exact.** A circle's common availability is the intersection of
//! its people's UTC intervals; if it contains a window of `session_length`,
//! the window can start at the latest start among the intervals containing
//! it, which is the start of *someone's* interval. So the candidate start
//! slots are the interval starts of all people (and slot 0 for anyone
//! available all week), and a set of people has a common session window iff
//! they hold a common (language, mode, start) key.

use std::collections::{HashMap, HashSet};

use super::input::{as_matching_problem, push_range, runs, used_taxonomy, FnvBuild};
use super::reach::Reach;
use super::{CircleError, CircleProblem};
use crate::index::{postings, Csr, Index, MODE_IN_PERSON, MODE_ONLINE, WEEK_MIN};
use crate::model::MeetingMode;

pub(crate) const NONE: u32 = u32::MAX;

/// One key: `mode` is 0 for online, `1 + region` for in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key {
    pub lang: u32,
    pub mode: u32,
    pub start: u32,
}

pub(crate) struct Inst {
    pub n: usize,
    pub nf: usize,
    pub min_size: usize,
    pub max_size: usize,
    pub slot_min: u32,
    pub session_min: u32,
    pub keys: Vec<Key>,
    pub lang_names: Vec<String>,
    pub region_names: Vec<String>,
    /// Sorted key ids per participant / facilitator (only keys that some
    /// facilitator with room and at least `min_size` participants hold).
    pub p_keys: Csr<u32>,
    pub f_keys: Csr<u32>,
    /// Participants / facilitators per key (sorted).
    pub key_p: Csr<u32>,
    pub key_f: Csr<u32>,
    /// Before pruning: does the participant share a language and a mode with
    /// some unblocked facilitator with room (for the unplaced reasons)?
    pub p_lang_mode_fac: Vec<bool>,
    /// Before pruning: does the participant also share a session slot with
    /// such a facilitator (a key both hold)?
    pub p_slot_fac: Vec<bool>,
    pub member_base: i64,
    pub f_cap: Vec<u32>,
    pub words: usize,
    pub tag_slug: Vec<String>,
    pub tag_cat: Vec<u32>,
    pub categories: Vec<String>,
    /// Per tag: points when shared, and when shared as a topic of either.
    pub w_tag: Vec<u32>,
    pub w_topic: Vec<u32>,
    pub cap: u64,
    /// Bitsets (`words` u64 per person): all tags, public tags, topics.
    pub p_all: Vec<u64>,
    pub p_pub: Vec<u64>,
    pub p_topic: Vec<u64>,
    pub p_tags: Csr<u16>,
    pub f_all: Vec<u64>,
    pub f_pub: Vec<u64>,
    /// member_base + waiting points per participant.
    pub p_base: Vec<i64>,
    /// Forbidden partners (sorted): participants, and facilitators.
    pub forb_pp: Csr<u32>,
    pub forb_pf: Csr<u32>,
    /// Per participant / facilitator: its language ids and mode codes
    /// (0 online, `1 + region` in person), sorted.
    pub p_lm: Vec<(Vec<u32>, Vec<u32>)>,
    pub f_lm: Vec<(Vec<u32>, Vec<u32>)>,
    /// Per participant / facilitator: availability runs `(start, length)`
    /// in UTC slots of `slot_min` minutes (circular; see `input::runs`).
    pub p_runs: Vec<Vec<(u32, u32)>>,
    pub f_runs: Vec<Vec<(u32, u32)>>,
    /// Per key: the first key with the same participants (`key_p` row), so
    /// a facilitator's keys with one pool are grown from once.
    pub key_pool: Vec<u32>,
    /// Best fits and pair-score sums each participant can reach.
    pub reach: Reach,
    /// Pair scores and fits computed so far (the search's work measure).
    pub work: std::cell::Cell<u64>,
}

/// A pair's shared-experience points split by privacy (before the cap).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shared {
    pub public: u64,
    pub private: u64,
}

impl Inst {
    pub fn new(p: &CircleProblem) -> Result<Inst, CircleError> {
        Self::compile(p, true)
    }

    /// The instance; `with_reach: false` skips the [`Reach`] scan (only the
    /// search's pruning and the bound use it; `check_circle` does not).
    pub fn compile(p: &CircleProblem, with_reach: bool) -> Result<Inst, CircleError> {
        let cfg = p.config;
        if cfg.min_size == 0 || cfg.min_size > cfg.max_size {
            return Err(CircleError::Config("need 1 <= min_size <= max_size"));
        }
        if cfg.max_size > 64 {
            return Err(CircleError::Config("max_size above 64"));
        }
        if cfg.session_length_min == 0 || cfg.session_length_min > WEEK_MIN {
            return Err(CircleError::Config(
                "session_length must be 1 minute .. 1 week",
            ));
        }
        let mp = as_matching_problem(p);
        let taxonomy = used_taxonomy(p)?;
        let mut ix = Index::people_only(&mp, &taxonomy)?;
        let n = p.requests.len();
        let nf = p.facilitators.len();
        let words = ix.words;
        // Facilitators in input order (the index numbers mentors by language).
        let mut fpos = vec![0usize; nf];
        for (pos, &o) in ix.m.orig.iter().enumerate() {
            fpos[o as usize] = pos;
        }
        let slice = |v: &[u64], i: usize| v[i * words..(i + 1) * words].to_vec();
        let p_all = std::mem::take(&mut ix.e.tags_all);
        let p_pub = std::mem::take(&mut ix.e.tags_pub);
        let f_all: Vec<u64> = (0..nf)
            .flat_map(|f| slice(&ix.m.tags_all, fpos[f]))
            .collect();
        let f_pub: Vec<u64> = (0..nf)
            .flat_map(|f| slice(&ix.m.tags_pub, fpos[f]))
            .collect();
        let tag_id: HashMap<&str, u16, FnvBuild> = ix
            .tag_slug
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u16))
            .collect();
        let mut p_topic = vec![0u64; n * words];
        for (i, r) in p.requests.iter().enumerate() {
            for t in &r.topics {
                let t = tag_id[t.as_str()]; // validated by the index
                p_topic[i * words + t as usize / 64] |= 1 << (t % 64);
            }
        }
        // Tag weights: the matching formula, df over everyone here.
        let mut df = vec![0u32; ix.tag_slug.len()];
        for b in p_all.chunks(words).chain(f_all.chunks(words)) {
            for (k, &wd) in b.iter().enumerate() {
                let mut bits = wd;
                while bits != 0 {
                    df[k * 64 + bits.trailing_zeros() as usize] += 1;
                    bits &= bits - 1;
                }
            }
        }
        let w_tag = postings::tag_weights(&p.weights, &ix.categories, &ix.tag_cat, &df, n + nf);
        let bonus = u64::from(p.circle_weights.topic_bonus_percent);
        let w_topic = w_tag
            .iter()
            .map(|&w| u32::try_from(u64::from(w) + u64::from(w) * bonus / 100).unwrap_or(u32::MAX))
            .collect();

        // Languages and regions, interned in sorted order (deterministic ids).
        let mut langs: Vec<String> = p
            .requests
            .iter()
            .flat_map(|r| r.languages.iter())
            .chain(p.facilitators.iter().flat_map(|f| f.languages.iter()))
            .cloned()
            .collect();
        langs.sort_unstable();
        langs.dedup();
        let mut regions: Vec<String> = p
            .requests
            .iter()
            .filter_map(|r| r.region.clone())
            .chain(p.facilitators.iter().filter_map(|f| f.region.clone()))
            .collect();
        regions.sort_unstable();
        regions.dedup();
        let lang_ids = |l: &[String]| -> Vec<u32> {
            let mut v: Vec<u32> = l
                .iter()
                .map(|s| langs.binary_search(s).expect("interned") as u32)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mode_codes = |modes: &[MeetingMode], region: &Option<String>| -> Vec<u32> {
            let mut v = Vec::new();
            let mut bits = 0u8;
            for m in modes {
                bits |= match m {
                    MeetingMode::Online => MODE_ONLINE,
                    MeetingMode::InPerson => MODE_IN_PERSON,
                };
            }
            if bits & MODE_ONLINE != 0 {
                v.push(0);
            }
            if bits & MODE_IN_PERSON != 0 {
                if let Some(r) = region {
                    v.push(1 + regions.binary_search(r).expect("interned") as u32);
                }
            }
            v
        };
        let p_lm: Vec<(Vec<u32>, Vec<u32>)> = p
            .requests
            .iter()
            .map(|r| {
                (
                    lang_ids(&r.languages),
                    mode_codes(&r.meeting_modes, &r.region),
                )
            })
            .collect();
        let f_lm: Vec<(Vec<u32>, Vec<u32>)> = p
            .facilitators
            .iter()
            .map(|f| {
                (
                    lang_ids(&f.languages),
                    mode_codes(&f.meeting_modes, &f.region),
                )
            })
            .collect();

        // Availability runs (circular) in slots, then candidate starts.
        let slot_min = ix.slot_min;
        let n_slots = WEEK_MIN / slot_min;
        let len = cfg.session_length_min.div_ceil(slot_min);
        let p_runs: Vec<Vec<(u32, u32)>> =
            (0..n).map(|i| runs(ix.e.slots.row(i), n_slots)).collect();
        let f_runs: Vec<Vec<(u32, u32)>> = (0..nf)
            .map(|f| runs(ix.m.slots.row(fpos[f]), n_slots))
            .collect();
        let mut starts: Vec<u32> = p_runs
            .iter()
            .chain(f_runs.iter())
            .flat_map(|r| r.iter().map(|&(a, _)| a))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let valid = |rs: &[(u32, u32)]| -> Vec<u32> {
            let mut out = Vec::new();
            for &(a, l) in rs {
                if l < len {
                    continue;
                }
                if l >= n_slots {
                    return starts.clone();
                }
                // starts s with (s - a) mod n_slots <= l - len
                let hi = a + (l - len);
                push_range(&starts, a, hi.min(n_slots - 1), &mut out);
                if hi >= n_slots {
                    push_range(&starts, 0, hi - n_slots, &mut out);
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        };

        // Blocks, by person id.
        let mut req_of: HashMap<&str, Vec<u32>, FnvBuild> = HashMap::default();
        for (i, r) in p.requests.iter().enumerate() {
            req_of
                .entry(r.person_id.as_str())
                .or_default()
                .push(i as u32);
        }
        let mut fac_of: HashMap<&str, Vec<u32>, FnvBuild> = HashMap::default();
        for (f, fa) in p.facilitators.iter().enumerate() {
            fac_of.entry(fa.id.as_str()).or_default().push(f as u32);
        }
        let mut forb_pp: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut forb_pf: Vec<Vec<u32>> = vec![Vec::new(); n];
        let none: Vec<u32> = Vec::new();
        for b in &p.blocked_pairs {
            for (x, y) in [(&b.a, &b.b), (&b.b, &b.a)] {
                let xs = req_of.get(x.as_str()).unwrap_or(&none);
                for &i in xs {
                    for &j in req_of.get(y.as_str()).unwrap_or(&none) {
                        if i != j {
                            forb_pp[i as usize].push(j);
                        }
                    }
                    for &f in fac_of.get(y.as_str()).unwrap_or(&none) {
                        forb_pf[i as usize].push(f);
                    }
                }
            }
        }
        // The same person twice in one circle (two requests, or a
        // facilitator's own request) is never allowed.
        for ids in req_of.values() {
            for &i in ids {
                forb_pp[i as usize].extend(ids.iter().filter(|&&j| j != i));
            }
        }
        for (i, r) in p.requests.iter().enumerate() {
            forb_pf[i].extend(fac_of.get(r.person_id.as_str()).unwrap_or(&none));
        }
        for v in forb_pp.iter_mut().chain(forb_pf.iter_mut()) {
            v.sort_unstable();
            v.dedup();
        }
        let f_cap: Vec<u32> = p.facilitators.iter().map(|f| f.max_circles).collect();

        // Keys: facilitator keys first (only facilitators with room), then
        // participants' keys among them, pruned to keys with >= min_size holders.
        let tuples = |lm: &(Vec<u32>, Vec<u32>), st: &[u32]| -> Vec<Key> {
            let mut v = Vec::new();
            for &lang in &lm.0 {
                for &mode in &lm.1 {
                    for &start in st {
                        v.push(Key { lang, mode, start });
                    }
                }
            }
            v
        };
        let mut fk: Vec<Key> = Vec::new();
        let f_tuples: Vec<Vec<Key>> = (0..nf)
            .map(|f| {
                if f_cap[f] == 0 {
                    Vec::new()
                } else {
                    tuples(&f_lm[f], &valid(&f_runs[f]))
                }
            })
            .collect();
        for t in &f_tuples {
            fk.extend_from_slice(t);
        }
        fk.sort_unstable();
        fk.dedup();
        let mut count = vec![0usize; fk.len()];
        let p_cand: Vec<Vec<u32>> = (0..n)
            .map(|i| {
                let mut v: Vec<u32> = tuples(&p_lm[i], &valid(&p_runs[i]))
                    .iter()
                    .filter_map(|k| fk.binary_search(k).ok().map(|x| x as u32))
                    .collect();
                v.sort_unstable();
                for &k in &v {
                    count[k as usize] += 1;
                }
                v
            })
            .collect();
        // Which facilitators hold each (unpruned) key tuple.
        let mut fk_facs: Vec<Vec<u32>> = vec![Vec::new(); fk.len()];
        for (f, t) in f_tuples.iter().enumerate() {
            for k in t {
                fk_facs[fk.binary_search(k).expect("facilitator key")].push(f as u32);
            }
        }
        let p_slot_fac = (0..n)
            .map(|i| {
                p_cand[i].iter().any(|&k| {
                    fk_facs[k as usize]
                        .iter()
                        .any(|f| forb_pf[i].binary_search(f).is_err())
                })
            })
            .collect();
        let mut remap = vec![NONE; fk.len()];
        let mut keys = Vec::new();
        for (k, &c) in count.iter().enumerate() {
            if c >= cfg.min_size as usize {
                remap[k] = keys.len() as u32;
                keys.push(fk[k]);
            }
        }
        let p_keys_v: Vec<Vec<u32>> = p_cand
            .iter()
            .map(|v| {
                v.iter()
                    .map(|&k| remap[k as usize])
                    .filter(|&k| k != NONE)
                    .collect()
            })
            .collect();
        let f_keys_v: Vec<Vec<u32>> = f_tuples
            .iter()
            .map(|t| {
                let mut v: Vec<u32> = t
                    .iter()
                    .map(|k| remap[fk.binary_search(k).expect("facilitator key")])
                    .filter(|&k| k != NONE)
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let mut key_p = vec![Vec::new(); keys.len()];
        let mut key_f = vec![Vec::new(); keys.len()];
        for (i, v) in p_keys_v.iter().enumerate() {
            for &k in v {
                key_p[k as usize].push(i as u32);
            }
        }
        for (f, v) in f_keys_v.iter().enumerate() {
            for &k in v {
                key_f[k as usize].push(f as u32);
            }
        }
        // Language + mode compatibility with an unblocked facilitator with
        // room, ignoring slots (for the unplaced reasons).
        let mut lm_set: HashSet<(u32, u32), FnvBuild> = HashSet::default();
        let mut lm_fac: HashMap<(u32, u32), Vec<u32>, FnvBuild> = HashMap::default();
        for f in 0..nf {
            if f_cap[f] == 0 {
                continue;
            }
            for &l in &f_lm[f].0 {
                for &m in &f_lm[f].1 {
                    lm_set.insert((l, m));
                    lm_fac.entry((l, m)).or_default().push(f as u32);
                }
            }
        }
        let p_lang_mode_fac = (0..n)
            .map(|i| {
                p_lm[i].0.iter().any(|&l| {
                    p_lm[i].1.iter().any(|&m| {
                        lm_set.contains(&(l, m))
                            && lm_fac[&(l, m)]
                                .iter()
                                .any(|f| forb_pf[i].binary_search(f).is_err())
                    })
                })
            })
            .collect();
        let wts = &p.weights;
        let p_base = p
            .requests
            .iter()
            .map(|r| {
                i64::from(p.circle_weights.member_base)
                    + i64::from(
                        r.waited_days
                            .min(wts.waiting_cap_days)
                            .saturating_mul(wts.waiting_points_per_day),
                    )
            })
            .collect();
        let key_pool = {
            let mut first: HashMap<&[u32], u32, FnvBuild> = HashMap::default();
            (0..key_p.len())
                .map(|k| *first.entry(&key_p[k][..]).or_insert(k as u32))
                .collect()
        };
        let mut inst = Inst {
            n,
            nf,
            min_size: cfg.min_size as usize,
            max_size: cfg.max_size as usize,
            slot_min,
            session_min: cfg.session_length_min,
            keys,
            lang_names: langs,
            region_names: regions,
            p_keys: Csr::from_rows(p_keys_v),
            f_keys: Csr::from_rows(f_keys_v),
            key_p: Csr::from_rows(key_p),
            key_pool,
            key_f: Csr::from_rows(key_f),
            p_lang_mode_fac,
            p_slot_fac,
            member_base: i64::from(p.circle_weights.member_base),
            f_cap,
            words,
            tag_slug: std::mem::take(&mut ix.tag_slug),
            tag_cat: std::mem::take(&mut ix.tag_cat),
            categories: std::mem::take(&mut ix.categories),
            w_tag,
            w_topic,
            cap: u64::from(wts.shared_experience_cap),
            p_tags: std::mem::take(&mut ix.e.tag_list),
            p_all,
            p_pub,
            p_topic,
            f_all,
            f_pub,
            p_base,
            forb_pp: Csr::from_rows(forb_pp),
            forb_pf: Csr::from_rows(forb_pf),
            p_lm,
            f_lm,
            p_runs,
            f_runs,
            reach: Reach::default(),
            work: std::cell::Cell::new(0),
        };
        if with_reach {
            inst.reach = Reach::scan(&inst);
        }
        Ok(inst)
    }

    pub fn n_keys(&self) -> usize {
        self.keys.len()
    }

    #[inline]
    pub fn forbidden_pp(&self, i: usize, j: usize) -> bool {
        self.forb_pp.row(i).binary_search(&(j as u32)).is_ok()
    }

    #[inline]
    pub fn forbidden_pf(&self, i: usize, f: usize) -> bool {
        self.forb_pf.row(i).binary_search(&(f as u32)).is_ok()
    }

    /// Whether sorted key lists intersect.
    #[inline]
    pub fn meets(a: &[u32], b: &[u32]) -> bool {
        let (mut x, mut y) = (0, 0);
        while x < a.len() && y < b.len() {
            match a[x].cmp(&b[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// Inserts `x` into sorted `seen`; false if it was there already.
pub(crate) fn first_time(seen: &mut Vec<u32>, x: u32) -> bool {
    match seen.binary_search(&x) {
        Ok(_) => false,
        Err(p) => {
            seen.insert(p, x);
            true
        }
    }
}

/// In-place intersection of sorted `a` with sorted `b`.
pub(crate) fn intersect_into(a: &mut Vec<u32>, b: &[u32]) {
    let mut y = 0;
    a.retain(|&k| {
        while y < b.len() && b[y] < k {
            y += 1;
        }
        y < b.len() && b[y] == k
    });
}
