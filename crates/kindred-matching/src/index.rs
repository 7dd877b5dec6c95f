//! Dense, validated representation of a [`Problem`]: people indexed densely,
//! tag sets as bitsets, availability as UTC slot lists, inverted indexes
//! (tag → mentors, slot → mentors) for the scoring pass.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{Duration, LocalResult, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::model::{MeetingMode, Problem, Window};
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

/// Compressed sparse rows: `rows[i]` is `data[start[i]..start[i+1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr<T> {
    pub start: Vec<u32>,
    pub data: Vec<T>,
}

impl<T: Copy> Csr<T> {
    pub fn from_rows<I: IntoIterator<Item = Vec<T>>>(rows: I) -> Self {
        let mut start = vec![0u32];
        let mut data = Vec::new();
        for r in rows {
            data.extend_from_slice(&r);
            start.push(u32::try_from(data.len()).expect("CSR data fits in u32"));
        }
        Csr { start, data }
    }

    /// Like [`Csr::from_rows`], from borrowed rows (no per-row allocation).
    pub fn from_slices<'a, I: IntoIterator<Item = &'a [T]>>(rows: I) -> Self
    where
        T: 'a,
    {
        let mut start = vec![0u32];
        let mut data = Vec::new();
        for r in rows {
            data.extend_from_slice(r);
            start.push(u32::try_from(data.len()).expect("CSR data fits in u32"));
        }
        Csr { start, data }
    }

    #[inline]
    pub fn row(&self, i: usize) -> &[T] {
        &self.data[self.start[i] as usize..self.start[i + 1] as usize]
    }

    pub fn rows(&self) -> usize {
        self.start.len() - 1
    }
}

/// One side's people (mentees or active mentors) in structure-of-arrays form.
#[derive(Debug, Clone, Default)]
pub(crate) struct People {
    /// Index into the original `requests` / `mentors` vector.
    pub orig: Vec<u32>,
    /// All tags (public ∪ private), `words` u64 per person.
    pub tags_all: Vec<u64>,
    /// Public tags only.
    pub tags_pub: Vec<u64>,
    /// All tags as a list (sorted tag ids).
    pub tag_list: Csr<u16>,
    /// Language mask; exact when the problem has ≤ 64 languages, otherwise a
    /// filter (bit = id mod 64) confirmed with `lang_list`.
    pub lang_mask: Vec<u64>,
    pub lang_list: Csr<u32>,
    pub modes: Vec<u8>,
    pub region: Vec<u32>,
    /// Time-zone class (distinct UTC offsets in the reference week).
    pub tz: Vec<u16>,
    /// Sorted UTC slot ids of the reference week.
    pub slots: Csr<u16>,
}

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

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

struct Interner {
    map: HashMap<String, u32>,
}

impl Interner {
    fn new() -> Self {
        Interner {
            map: HashMap::new(),
        }
    }
    fn id(&mut self, s: &str) -> u32 {
        let n = u32::try_from(self.map.len()).expect("fewer than 2^32 names");
        *self.map.entry(s.to_owned()).or_insert(n)
    }
}

/// Converts local weekly windows to sorted, merged UTC minute intervals in
/// `[0, WEEK_MIN)` for the reference week, DST-correct. Nonexistent local
/// times (spring-forward gap) move forward to the first valid instant;
/// ambiguous ones (fall-back) take the earlier instant.
/// Memo of local (zone, day, minute) → UTC minute since the reference Monday.
type TzMemo = HashMap<(Tz, u8, u16), i64>;

fn windows_to_utc(
    tz: Tz,
    windows: &[Window],
    monday: NaiveDate,
    who: &str,
    memo: &mut TzMemo,
) -> Result<Vec<(u32, u32)>, MatchError> {
    let week_start = monday.and_time(NaiveTime::MIN).and_utc();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for w in windows {
        if w.start_min >= w.end_min || w.end_min > 1440 {
            return Err(MatchError::InvalidWindow(who.to_owned()));
        }
        let day = monday + Duration::days(i64::from(w.day.index()));
        let to_utc_uncached = |minute: u16| -> i64 {
            let local = day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
            // In a DST gap: advance to the first valid local minute (gaps are ≤ 3 h).
            for step in 0..=180 {
                let probe = local + Duration::minutes(step);
                match tz.from_local_datetime(&probe) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                        return (t.naive_utc().and_utc() - week_start).num_minutes();
                    }
                    LocalResult::None => {}
                }
            }
            (local.and_utc() - week_start).num_minutes()
        };
        let mut to_utc = |minute: u16| -> i64 {
            *memo
                .entry((tz, w.day.index() as u8, minute))
                .or_insert_with(|| to_utc_uncached(minute))
        };
        let s = to_utc(w.start_min);
        let e = to_utc(w.end_min);
        if e <= s {
            continue;
        }
        let wk = i64::from(WEEK_MIN);
        let mut a = s.rem_euclid(wk);
        let mut len = e - s;
        while len > 0 {
            let take = len.min(wk - a);
            out.push((a as u32, (a + take) as u32));
            len -= take;
            a = 0;
        }
    }
    out.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(out.len());
    for (a, b) in out {
        if let Some(last) = merged.last_mut() {
            if a <= last.1 {
                last.1 = last.1.max(b);
                continue;
            }
        }
        merged.push((a, b));
    }
    Ok(merged)
}

fn utc_offset_minutes(tz: Tz, monday: NaiveDate) -> i32 {
    let noon = monday.and_time(NaiveTime::MIN).and_utc() + Duration::hours(12);
    let local = noon.with_timezone(&tz).naive_local();
    i32::try_from((local - noon.naive_utc()).num_minutes()).unwrap_or(0)
}

struct RawPerson {
    tags_all: Vec<u16>,
    tags_pub: Vec<u16>,
    langs: Vec<u32>,
    modes: u8,
    region: u32,
    tz: u16,
    intervals: Vec<(u32, u32)>,
}

impl Index {
    pub fn new(p: &Problem) -> Result<Index, MatchError> {
        let monday = p
            .reference_monday
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(2025, 1, 6).expect("valid date"));
        let w = p.weights.clone();

        // --- taxonomy
        let mut tag_id: HashMap<&str, u16> = HashMap::new();
        let mut cats = Interner::new();
        let mut tag_cat = Vec::new();
        let mut tag_slug = Vec::new();
        if p.taxonomy.tags.len() > usize::from(u16::MAX) {
            return Err(MatchError::TooManyTags);
        }
        for (i, t) in p.taxonomy.tags.iter().enumerate() {
            let id = u16::try_from(i).expect("checked above");
            if tag_id.insert(t.slug.as_str(), id).is_some() {
                return Err(MatchError::DuplicateTag(t.slug.clone()));
            }
            tag_cat.push(cats.id(&t.category));
            tag_slug.push(t.slug.clone());
        }
        let mut categories = vec![String::new(); cats.map.len()];
        for (name, id) in &cats.map {
            categories[*id as usize] = name.clone();
        }
        let n_tags = tag_slug.len();
        let words = n_tags.div_ceil(64).max(1);
        let tags_of = |list: &[String], who: &str| -> Result<Vec<u16>, MatchError> {
            let mut v = list
                .iter()
                .map(|s| {
                    tag_id
                        .get(s.as_str())
                        .copied()
                        .ok_or_else(|| MatchError::UnknownTag(s.clone(), who.to_owned()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            v.sort_unstable();
            v.dedup();
            Ok(v)
        };

        let mut langs = Interner::new();
        let mut regions = Interner::new();
        let mut tzs: HashMap<String, (Tz, i32)> = HashMap::new();
        let mut offsets: Vec<i32> = Vec::new();
        let mut offset_class: HashMap<i32, u16> = HashMap::new();
        let mut all_bounds_gcd = WEEK_MIN;
        let mut tz_memo = TzMemo::new();

        let mut raw = |langs_s: &[String],
                       tz_s: &str,
                       avail: &[Window],
                       modes_s: &[MeetingMode],
                       region_s: &Option<String>,
                       pub_s: &[String],
                       priv_s: &[String],
                       who: &str|
         -> Result<RawPerson, MatchError> {
            let pubt = tags_of(pub_s, who)?;
            let privt = tags_of(priv_s, who)?;
            let mut all: Vec<u16> = pubt.iter().chain(privt.iter()).copied().collect();
            all.sort_unstable();
            all.dedup();
            // A tag listed both publicly and privately is treated as private.
            let pubt: Vec<u16> = pubt
                .into_iter()
                .filter(|t| privt.binary_search(t).is_err())
                .collect();
            let mut l: Vec<u32> = langs_s.iter().map(|s| langs.id(s)).collect();
            l.sort_unstable();
            l.dedup();
            // zone and its reference-week offset, once per distinct name
            let (tz, off) = match tzs.get(tz_s) {
                Some(t) => *t,
                None => {
                    let t: Tz = tz_s.parse().map_err(|_| {
                        MatchError::UnknownTimezone(tz_s.to_owned(), who.to_owned())
                    })?;
                    let off = utc_offset_minutes(t, monday);
                    tzs.insert(tz_s.to_owned(), (t, off));
                    (t, off)
                }
            };
            let next = u16::try_from(offsets.len()).expect("fewer than 65536 offsets");
            let tzc = *offset_class.entry(off).or_insert_with(|| {
                offsets.push(off);
                next
            });
            let intervals = windows_to_utc(tz, avail, monday, who, &mut tz_memo)?;
            for &(a, b) in &intervals {
                all_bounds_gcd = gcd(all_bounds_gcd, gcd(a, b));
            }
            let mut modes = 0u8;
            for m in modes_s {
                modes |= match m {
                    MeetingMode::Online => MODE_ONLINE,
                    MeetingMode::InPerson => MODE_IN_PERSON,
                };
            }
            let region = region_s.as_deref().map_or(NO_REGION, |r| regions.id(r));
            Ok(RawPerson {
                tags_all: all,
                tags_pub: pubt,
                langs: l,
                modes,
                region,
                tz: tzc,
                intervals,
            })
        };

        // --- mentees
        let mut seen = BTreeSet::new();
        let mut e_raw = Vec::with_capacity(p.requests.len());
        let mut e_req_l = Vec::with_capacity(p.requests.len());
        let mut e_excl_reg = Vec::with_capacity(p.requests.len());
        for r in &p.requests {
            if !seen.insert(r.id.as_str()) {
                return Err(MatchError::DuplicateId(r.id.clone()));
            }
            e_raw.push(raw(
                &r.languages,
                &r.timezone,
                &r.availability,
                &r.meeting_modes,
                &r.region,
                &r.public_tags,
                &r.private_tags,
                &r.id,
            )?);
            e_req_l.push(tags_of(&r.required_tags, &r.id)?);
            e_excl_reg.push(&r.excluded_regions);
        }
        // --- mentors (only active ones enter the index)
        let mut seen_m = BTreeSet::new();
        let mut m_raw = Vec::new();
        let mut m_orig = Vec::new();
        let mut df = vec![0u32; n_tags];
        for (i, m) in p.mentors.iter().enumerate() {
            if !seen_m.insert(m.id.as_str()) {
                return Err(MatchError::DuplicateId(m.id.clone()));
            }
            let rp = raw(
                &m.languages,
                &m.timezone,
                &m.availability,
                &m.meeting_modes,
                &m.region,
                &m.public_tags,
                &m.private_tags,
                &m.id,
            )?;
            for &t in &rp.tags_all {
                df[t as usize] += 1;
            }
            if m.accepting && m.capacity_remaining > 0 {
                m_raw.push(rp);
                m_orig.push(u32::try_from(i).expect("fewer than 2^32 mentors"));
            }
        }
        let e_excl_reg: Vec<Vec<u32>> = e_excl_reg
            .into_iter()
            .map(|list| {
                let mut ex: Vec<u32> = list.iter().map(|s| regions.id(s)).collect();
                ex.sort_unstable();
                ex.dedup();
                ex
            })
            .collect();

        let lang_exact = langs.map.len() <= 64;
        let slot_min = all_bounds_gcd.max(1);
        let n_slots = (WEEK_MIN / slot_min) as usize;

        let build = |raws: &[RawPerson], orig: Vec<u32>| -> People {
            let n = raws.len();
            let mut pe = People {
                orig,
                tags_all: vec![0; n * words],
                tags_pub: vec![0; n * words],
                ..Default::default()
            };
            for (i, r) in raws.iter().enumerate() {
                for &t in &r.tags_all {
                    pe.tags_all[i * words + t as usize / 64] |= 1u64 << (t % 64);
                }
                for &t in &r.tags_pub {
                    pe.tags_pub[i * words + t as usize / 64] |= 1u64 << (t % 64);
                }
                pe.lang_mask
                    .push(r.langs.iter().fold(0u64, |acc, &l| acc | 1u64 << (l % 64)));
                pe.modes.push(r.modes);
                pe.region.push(r.region);
                pe.tz.push(r.tz);
            }
            pe.tag_list = Csr::from_slices(raws.iter().map(|r| r.tags_all.as_slice()));
            pe.lang_list = Csr::from_slices(raws.iter().map(|r| r.langs.as_slice()));
            pe.slots = Csr::from_rows(raws.iter().map(|r| {
                let mut v = Vec::new();
                for &(a, b) in &r.intervals {
                    let mut s = a / slot_min;
                    while s < b / slot_min {
                        v.push(u16::try_from(s).expect("slot id < 10080"));
                        s += 1;
                    }
                }
                v
            }));
            pe
        };
        let e_orig = (0..p.requests.len())
            .map(|i| u32::try_from(i).expect("fewer than 2^32 requests"))
            .collect();
        let e = build(&e_raw, e_orig);
        let m = build(&m_raw, m_orig);

        // --- per-request extras
        let n_e = p.requests.len();
        let mut e_req = vec![0u64; n_e * words];
        let mut e_has_req = vec![false; n_e];
        for (i, req) in e_req_l.iter().enumerate() {
            for &t in req {
                e_req[i * words + t as usize / 64] |= 1u64 << (t % 64);
                e_has_req[i] = true;
            }
        }
        let mentor_by_id: HashMap<&str, u32> = m
            .orig
            .iter()
            .enumerate()
            .map(|(k, &o)| {
                (
                    p.mentors[o as usize].id.as_str(),
                    u32::try_from(k).expect("fits"),
                )
            })
            .collect();
        let mut req_by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in p.requests.iter().enumerate() {
            req_by_key.entry(r.id.as_str()).or_default().push(i);
            if !r.mentee_id.is_empty() && r.mentee_id != r.id {
                req_by_key.entry(r.mentee_id.as_str()).or_default().push(i);
            }
        }
        let mut excl: Vec<Vec<u32>> = vec![Vec::new(); n_e];
        for ep in &p.excluded_pairs {
            if let (Some(rs), Some(&mi)) = (
                req_by_key.get(ep.mentee.as_str()),
                mentor_by_id.get(ep.mentor.as_str()),
            ) {
                for &r in rs {
                    excl[r].push(mi);
                }
            }
        }
        if !p.excluded_positions.is_empty() {
            let mut active = vec![u32::MAX; p.mentors.len()];
            for (k, &o) in m.orig.iter().enumerate() {
                active[o as usize] = u32::try_from(k).expect("fits");
            }
            for &[r, mo] in &p.excluded_positions {
                let (r, mo) = (r as usize, mo as usize);
                if r >= n_e || mo >= p.mentors.len() {
                    return Err(MatchError::ExcludedPositionOutOfRange(r, mo));
                }
                if active[mo] != u32::MAX {
                    excl[r].push(active[mo]);
                }
            }
        }
        for (i, r) in p.requests.iter().enumerate() {
            if let Some(&mi) = mentor_by_id.get(r.mentee_id.as_str()) {
                excl[i].push(mi);
            }
        }
        for x in &mut excl {
            x.sort_unstable();
            x.dedup();
        }
        let e_wait_points = p
            .requests
            .iter()
            .map(|r| {
                r.waited_days
                    .min(w.waiting_cap_days)
                    .saturating_mul(w.waiting_points_per_day)
            })
            .collect();
        let e_waited_days = p.requests.iter().map(|r| r.waited_days).collect();

        // --- tag weights: category weight × IDF among mentors.
        let n_all_m = p.mentors.len() as f64;
        let tag_weight = (0..n_tags)
            .map(|t| {
                let cw = f64::from(w.category_weight(&categories[tag_cat[t] as usize]));
                // Smoothed IDF: ln(1 + M/df) > 0 even for a tag every mentor
                // has (ln 2), still larger for rarer tags. A tag no mentor has
                // is never shared, so its weight is irrelevant (df := 1).
                let idf = (1.0 + n_all_m / f64::from(df[t].max(1))).ln();
                (cw * f64::from(w.idf_scale) * idf / 10.0).round().max(0.0) as u32
            })
            .collect();

        // --- inverted indexes over active mentors
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
        // The 32 tags with the longest postings (min(df, M − df) over active
        // mentors) go to the dense pass's byte tables; their postings are
        // dropped. Only tags whose postings are long enough to matter.
        let n_act = m.orig.len();
        let mut tag_pop_bit = vec![NOT_POP; n_tags];
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
        // Complement lists for popular tags: fewer additions per scan.
        let mut tag_neg = vec![false; n_tags];
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
        let post_tag = Csr::from_rows(pt);
        let m_pack = (0..n_act)
            .map(|k| (m.region[k] & 0x3FFF_FFFF) << 2 | u32::from(m.modes[k]))
            .collect();
        // All score parts must fit comfortably in i32 (the dense pass).
        let max_score = u64::from(w.base)
            + u64::from(w.shared_experience_cap)
            + u64::from(w.overlap_cap_minutes) * u64::from(w.overlap_points_per_hour) / 60
            + u64::from(w.timezone_points)
            + u64::from(w.waiting_cap_days) * u64::from(w.waiting_points_per_day);
        if max_score > (i32::MAX / 4) as u64 {
            return Err(MatchError::WeightsTooLarge);
        }
        let post_slot = Csr::from_rows(ps);
        // One entry per possible count of common slots, then the exclusion
        // mark (acc = u16::MAX is clamped onto it).
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

        // --- time-zone points between offset classes
        let n_tz = offsets.len();
        let mut tz_points = vec![0u32; n_tz * n_tz];
        for a in 0..n_tz {
            for b in 0..n_tz {
                let d = (offsets[a] - offsets[b]).unsigned_abs() % 1440;
                let d = d.min(1440 - d);
                tz_points[a * n_tz + b] = w.timezone_points * (720 - d) / 720;
            }
        }

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
            post_tag,
            tag_neg,
            tag_pop_bit,
            m_pop,
            m_pack,
            post_slot,
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
