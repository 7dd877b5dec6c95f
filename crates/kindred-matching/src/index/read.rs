//! Reading and validating the problem: the taxonomy, every person's profile
//! (tags, languages, zone, availability, modes, region), the requests'
//! required tags, exclusions and waiting time.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::people::{People, RawPerson};
use super::tz::{gcd, utc_offset_minutes, windows_to_utc, TzMemo};
use super::{MODE_IN_PERSON, MODE_ONLINE, NO_REGION, WEEK_MIN};
use crate::model::{MeetingMode, MenteeRequest, Mentor, Problem, Taxonomy, Weights, Window};
use crate::MatchError;

/// Dense ids for names, in order of first appearance.
pub(super) struct Interner {
    pub map: HashMap<String, u32>,
}

impl Interner {
    fn new() -> Self {
        Interner {
            map: HashMap::new(),
        }
    }
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id; // no allocation for a name seen before
        }
        let n = u32::try_from(self.map.len()).expect("fewer than 2^32 names");
        self.map.insert(s.to_owned(), n);
        n
    }
}

/// The validated taxonomy: tag ids by slug, each tag's category.
pub(super) struct TagTable<'p> {
    tag_id: HashMap<&'p str, u16>,
    pub tag_cat: Vec<u32>,
    pub tag_slug: Vec<String>,
    pub categories: Vec<String>,
}

impl<'p> TagTable<'p> {
    pub fn new(taxonomy: &'p Taxonomy) -> Result<Self, MatchError> {
        let mut tag_id: HashMap<&str, u16> = HashMap::with_capacity(taxonomy.tags.len());
        let mut cats = Interner::new();
        let mut tag_cat = Vec::with_capacity(taxonomy.tags.len());
        let mut tag_slug = Vec::with_capacity(taxonomy.tags.len());
        if taxonomy.tags.len() > usize::from(u16::MAX) {
            return Err(MatchError::TooManyTags);
        }
        for (i, t) in taxonomy.tags.iter().enumerate() {
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
        Ok(TagTable {
            tag_id,
            tag_cat,
            tag_slug,
            categories,
        })
    }

    pub fn len(&self) -> usize {
        self.tag_slug.len()
    }

    /// u64 words of a tag bitset.
    pub fn words(&self) -> usize {
        self.len().div_ceil(64).max(1)
    }

    /// Sorted, de-duplicated ids of the tags `list` names (`who` lists them).
    pub fn ids(&self, list: &[String], who: &str) -> Result<Vec<u16>, MatchError> {
        let mut v = list
            .iter()
            .map(|s| {
                self.tag_id
                    .get(s.as_str())
                    .copied()
                    .ok_or_else(|| MatchError::UnknownTag(s.clone(), who.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        v.sort_unstable();
        v.dedup();
        Ok(v)
    }
}

/// The profile fields mentees and mentors share, borrowed.
struct Profile<'a> {
    languages: &'a [String],
    timezone: &'a str,
    availability: &'a [Window],
    meeting_modes: &'a [MeetingMode],
    region: &'a Option<String>,
    public_tags: &'a [String],
    private_tags: &'a [String],
    who: &'a str,
}

impl<'a> From<&'a MenteeRequest> for Profile<'a> {
    fn from(r: &'a MenteeRequest) -> Self {
        Profile {
            languages: &r.languages,
            timezone: &r.timezone,
            availability: &r.availability,
            meeting_modes: &r.meeting_modes,
            region: &r.region,
            public_tags: &r.public_tags,
            private_tags: &r.private_tags,
            who: &r.id,
        }
    }
}

impl<'a> From<&'a Mentor> for Profile<'a> {
    fn from(m: &'a Mentor) -> Self {
        Profile {
            languages: &m.languages,
            timezone: &m.timezone,
            availability: &m.availability,
            meeting_modes: &m.meeting_modes,
            region: &m.region,
            public_tags: &m.public_tags,
            private_tags: &m.private_tags,
            who: &m.id,
        }
    }
}

/// Reads profiles into [`RawPerson`]s, interning languages, regions and
/// time-zone offset classes across both sides.
pub(super) struct PersonReader {
    monday: NaiveDate,
    pub langs: Interner,
    pub regions: Interner,
    tzs: HashMap<String, (Tz, i32)>,
    /// UTC offset of each time-zone class.
    pub offsets: Vec<i32>,
    offset_class: HashMap<i32, u16>,
    /// gcd of every UTC interval boundary and the week length.
    pub all_bounds_gcd: u32,
    tz_memo: TzMemo,
}

impl PersonReader {
    pub fn new(monday: NaiveDate) -> Self {
        PersonReader {
            monday,
            langs: Interner::new(),
            regions: Interner::new(),
            tzs: HashMap::new(),
            offsets: Vec::new(),
            offset_class: HashMap::new(),
            all_bounds_gcd: WEEK_MIN,
            tz_memo: TzMemo::new(),
        }
    }

    fn read(&mut self, tags: &TagTable<'_>, p: &Profile<'_>) -> Result<RawPerson, MatchError> {
        let who = p.who;
        let pubt = tags.ids(p.public_tags, who)?;
        let privt = tags.ids(p.private_tags, who)?;
        let mut all: Vec<u16> = pubt.iter().chain(privt.iter()).copied().collect();
        all.sort_unstable();
        all.dedup();
        // A tag listed both publicly and privately is treated as private.
        let pubt: Vec<u16> = pubt
            .into_iter()
            .filter(|t| privt.binary_search(t).is_err())
            .collect();
        let mut l: Vec<u32> = p.languages.iter().map(|s| self.langs.id(s)).collect();
        l.sort_unstable();
        l.dedup();
        let (tz, tzc) = self.zone(p.timezone, who)?;
        let intervals = windows_to_utc(tz, p.availability, self.monday, who, &mut self.tz_memo)?;
        for &(a, b) in &intervals {
            self.all_bounds_gcd = gcd(self.all_bounds_gcd, gcd(a, b));
        }
        let mut modes = 0u8;
        for m in p.meeting_modes {
            modes |= match m {
                MeetingMode::Online => MODE_ONLINE,
                MeetingMode::InPerson => MODE_IN_PERSON,
            };
        }
        let region = p
            .region
            .as_deref()
            .map_or(NO_REGION, |r| self.regions.id(r));
        Ok(RawPerson {
            tags_all: all,
            tags_pub: pubt,
            langs: l,
            modes,
            region,
            tz: tzc,
            intervals,
        })
    }

    /// The zone named `tz_s` and its offset class (zone parsed and its
    /// reference-week offset computed once per distinct name).
    fn zone(&mut self, tz_s: &str, who: &str) -> Result<(Tz, u16), MatchError> {
        let (tz, off) = match self.tzs.get(tz_s) {
            Some(t) => *t,
            None => {
                let t: Tz = tz_s
                    .parse()
                    .map_err(|_| MatchError::UnknownTimezone(tz_s.to_owned(), who.to_owned()))?;
                let off = utc_offset_minutes(t, self.monday);
                self.tzs.insert(tz_s.to_owned(), (t, off));
                (t, off)
            }
        };
        let next = u16::try_from(self.offsets.len()).expect("fewer than 65536 offsets");
        let offsets = &mut self.offsets;
        let tzc = *self.offset_class.entry(off).or_insert_with(|| {
            offsets.push(off);
            next
        });
        Ok((tz, tzc))
    }

    /// Interns each request's excluded regions (sorted, de-duplicated ids).
    pub fn excluded_regions(&mut self, lists: Vec<&Vec<String>>) -> Vec<Vec<u32>> {
        lists
            .into_iter()
            .map(|list| {
                let mut ex: Vec<u32> = list.iter().map(|s| self.regions.id(s)).collect();
                ex.sort_unstable();
                ex.dedup();
                ex
            })
            .collect()
    }
}

/// The requests as read: profiles, required tags, excluded region names.
pub(super) struct MenteesRead<'p> {
    pub raw: Vec<RawPerson>,
    pub required: Vec<Vec<u16>>,
    pub excluded_regions: Vec<&'p Vec<String>>,
}

/// Reads every request (ids must be unique).
pub(super) fn read_mentees<'p>(
    p: &'p Problem,
    tags: &TagTable<'_>,
    reader: &mut PersonReader,
) -> Result<MenteesRead<'p>, MatchError> {
    let mut seen = BTreeSet::new();
    let mut out = MenteesRead {
        raw: Vec::with_capacity(p.requests.len()),
        required: Vec::with_capacity(p.requests.len()),
        excluded_regions: Vec::with_capacity(p.requests.len()),
    };
    for r in &p.requests {
        if !seen.insert(r.id.as_str()) {
            return Err(MatchError::DuplicateId(r.id.clone()));
        }
        out.raw.push(reader.read(tags, &Profile::from(r))?);
        out.required.push(tags.ids(&r.required_tags, &r.id)?);
        out.excluded_regions.push(&r.excluded_regions);
    }
    Ok(out)
}

/// The mentors as read: only active ones (accepting, with capacity left)
/// enter the index, but every mentor counts in the tag frequencies.
pub(super) struct MentorsRead {
    pub raw: Vec<RawPerson>,
    /// Original index of each active mentor.
    pub orig: Vec<u32>,
    /// Per tag: number of mentors (active or not) having it.
    pub df: Vec<u32>,
}

/// Reads every mentor (ids must be unique).
pub(super) fn read_mentors(
    p: &Problem,
    tags: &TagTable<'_>,
    reader: &mut PersonReader,
) -> Result<MentorsRead, MatchError> {
    let mut seen_m = BTreeSet::new();
    let mut out = MentorsRead {
        raw: Vec::new(),
        orig: Vec::new(),
        df: vec![0u32; tags.len()],
    };
    for (i, m) in p.mentors.iter().enumerate() {
        if !seen_m.insert(m.id.as_str()) {
            return Err(MatchError::DuplicateId(m.id.clone()));
        }
        let rp = reader.read(tags, &Profile::from(m))?;
        for &t in &rp.tags_all {
            out.df[t as usize] += 1;
        }
        if m.accepting && m.capacity_remaining > 0 {
            out.raw.push(rp);
            out.orig
                .push(u32::try_from(i).expect("fewer than 2^32 mentors"));
        }
    }
    Ok(out)
}

/// Required tags as bitsets of `words` u64 per request, and whether a
/// request has any.
pub(super) fn required_bitsets(required: &[Vec<u16>], words: usize) -> (Vec<u64>, Vec<bool>) {
    let n_e = required.len();
    let mut e_req = vec![0u64; n_e * words];
    let mut e_has_req = vec![false; n_e];
    for (i, req) in required.iter().enumerate() {
        for &t in req {
            e_req[i * words + t as usize / 64] |= 1u64 << (t % 64);
            e_has_req[i] = true;
        }
    }
    (e_req, e_has_req)
}

/// Per request: the active mentors (dense numbers in `m`) it may never be
/// paired with, sorted: excluded pairs by id (request or mentee id),
/// excluded positions, and the mentee's own mentor profile.
pub(super) fn excluded_mentors(p: &Problem, m: &People) -> Result<Vec<Vec<u32>>, MatchError> {
    let n_e = p.requests.len();
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
    Ok(excl)
}

/// Waiting-time points per request (capped days × points per day).
pub(super) fn wait_points(p: &Problem, w: &Weights) -> Vec<u32> {
    p.requests
        .iter()
        .map(|r| {
            r.waited_days
                .min(w.waiting_cap_days)
                .saturating_mul(w.waiting_points_per_day)
        })
        .collect()
}
