//! A coordinator's manual circle (`POST /circles`) checked against the same
//! hard rules as the engine's, and scored and explained by the engine's own
//! code ([`super::explain`]) on the same compiled instance, so a circle
//! [`super::form_circles`] returns passes [`check_circle`] with the same
//! score, explanations and slot.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::explain::{key_slot, proposed_circle};
use super::problem::{intersect_into, Inst};
use super::{CircleError, CircleProblem, CircleSlot, ProposedCircle};
use crate::index::WEEK_MIN;
use crate::model::MeetingMode;
use crate::MatchError;

/// Why a manual circle breaks a hard rule. Serialized with a `kind` tag in
/// snake case, e.g. `{"kind": "blocked_pair", "a": "r7", "b": "f2"}`.
///
/// People are named by the ids the coordinator sent: a member by its
/// request id, the facilitator by `facilitator_id`. No variant names a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CircleViolation {
    /// The problem itself is invalid (configuration, time zone, window, …);
    /// nothing else was checked. The message names no tag.
    InvalidProblem { message: String },
    /// `facilitator_id` is not among the problem's facilitators.
    UnknownFacilitator { facilitator_id: String },
    /// The facilitator has no room (`max_circles` left is 0).
    FacilitatorFull { facilitator_id: String },
    /// Not an open circle request of the problem.
    UnknownRequest { request_id: String },
    /// The same request id given twice.
    DuplicateRequest { request_id: String },
    /// `size` request ids given, outside `[min, max]`.
    SizeOutOfBounds { size: usize, min: u32, max: u32 },
    /// Two requests of one person, or the facilitator's own request.
    SamePerson { a: String, b: String },
    /// One of the two people blocked the other.
    BlockedPair { a: String, b: String },
    /// No language every member and the facilitator speak. `language` is
    /// the one most of them speak (`None` when nobody lists one), `lacking`
    /// who does not speak it.
    NoCommonLanguage {
        language: Option<String>,
        lacking: Vec<String>,
    },
    /// No meeting mode everyone accepts (in person: in the same region).
    /// `meeting_mode`/`region` is the option most of them accept, `lacking`
    /// who does not accept it.
    NoCommonMeetingMode {
        meeting_mode: Option<MeetingMode>,
        region: Option<String>,
        lacking: Vec<String>,
    },
    /// The given slot's `start_min` is not below 1440.
    InvalidSlot,
    /// The given slot is shorter than the session length.
    SlotTooShort {
        length_min: u32,
        session_length_min: u32,
    },
    /// Who is not available (in their own time zone) for the whole session
    /// length from the given slot's start.
    SlotNotAvailable { unavailable: Vec<String> },
    /// No slot was given and the circle has no common weekly window of the
    /// session length.
    NoCommonSlot,
}

/// Checks a coordinator's manual circle (`POST /circles {facilitator_id,
/// request_ids, slot}`) against the hard rules of `p` and, if it meets them
/// all, returns it scored and explained exactly as [`super::form_circles`]
/// would propose it.
///
/// `p` is the problem a run would solve: the open circle requests (a
/// request already in a circle is not among them, so it is an
/// [`CircleViolation::UnknownRequest`]) and the facilitators with their
/// remaining `max_circles`. Tag weights depend on everyone in `p`, so pass
/// the whole problem, not just the circle's people.
///
/// `slot` is weekly in UTC. With a slot, every person must be available for
/// `session_length_min` from its start, and the returned circle keeps that
/// slot as given. Without one, the circle gets the slot the engine would
/// choose (the earliest common start of the week, for `session_length_min`).
/// The language and meeting mode are the engine's choice as well: the first
/// common language (by name) and online before in person.
///
/// Returns every violation found (not just the first); only an invalid
/// problem stops the checks. On success `request_ids` come back in the
/// problem's order, as in the engine's circles.
///
/// ```
/// use kindred_matching::*;
/// let w = Window { day: Weekday::Tue, start_min: 18 * 60, end_min: 21 * 60 };
/// let person = |id: &str| CircleRequest {
///     id: format!("r-{id}"),
///     person_id: id.to_owned(),
///     languages: vec!["en".into()],
///     timezone: "UTC".into(),
///     availability: vec![w],
///     meeting_modes: vec![MeetingMode::Online],
///     ..Default::default()
/// };
/// let p = CircleProblem {
///     requests: ["a", "b", "c", "d"].map(person).to_vec(),
///     facilitators: vec![Facilitator {
///         id: "f".into(),
///         languages: vec!["en".into()],
///         timezone: "UTC".into(),
///         availability: vec![w],
///         meeting_modes: vec![MeetingMode::Online],
///         max_circles: 1,
///         ..Default::default()
///     }],
///     ..Default::default()
/// };
/// let ids: Vec<String> = ["r-a", "r-b", "r-c", "r-d"].map(String::from).to_vec();
/// let c = check_circle(&p, "f", &ids, None).expect("a valid circle");
/// assert_eq!((c.slot.day, c.slot.start_min, c.slot.end_min), (Weekday::Tue, 1080, 1170));
///
/// let late = CircleSlot { day: Weekday::Tue, start_min: 20 * 60, end_min: 22 * 60 };
/// let v = check_circle(&p, "f", &ids[..3], Some(late)).unwrap_err();
/// assert!(v.contains(&CircleViolation::SizeOutOfBounds { size: 3, min: 4, max: 8 }));
/// assert!(matches!(&v[1], CircleViolation::SlotNotAvailable { unavailable } if unavailable.len() == 4));
/// ```
pub fn check_circle(
    p: &CircleProblem,
    facilitator_id: &str,
    request_ids: &[String],
    slot: Option<CircleSlot>,
) -> Result<ProposedCircle, Vec<CircleViolation>> {
    let inst = Inst::compile(p, false).map_err(|e| vec![invalid(&e)])?;
    let mut v = Vec::new();
    let fac = p.facilitators.iter().position(|f| f.id == facilitator_id);
    match fac {
        None => v.push(CircleViolation::UnknownFacilitator {
            facilitator_id: facilitator_id.to_owned(),
        }),
        Some(f) if inst.f_cap[f] == 0 => v.push(CircleViolation::FacilitatorFull {
            facilitator_id: facilitator_id.to_owned(),
        }),
        Some(_) => {}
    }
    let by_id: HashMap<&str, usize> = p
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut seen = HashSet::new();
    let mut members: Vec<u32> = Vec::new();
    for id in request_ids {
        match by_id.get(id.as_str()) {
            None => v.push(CircleViolation::UnknownRequest {
                request_id: id.clone(),
            }),
            Some(&i) if !seen.insert(i) => v.push(CircleViolation::DuplicateRequest {
                request_id: id.clone(),
            }),
            Some(&i) => members.push(i as u32),
        }
    }
    let cfg = p.config;
    let size = request_ids.len();
    if size < cfg.min_size as usize || size > cfg.max_size as usize {
        v.push(CircleViolation::SizeOutOfBounds {
            size,
            min: cfg.min_size,
            max: cfg.max_size,
        });
    }
    members.sort_unstable();
    let rid = |i: u32| p.requests[i as usize].id.clone();
    let person = |i: u32| p.requests[i as usize].person_id.as_str();
    for (a, &i) in members.iter().enumerate() {
        for &j in &members[a + 1..] {
            if inst.forbidden_pp(i as usize, j as usize) {
                v.push(if person(i) == person(j) {
                    CircleViolation::SamePerson {
                        a: rid(i),
                        b: rid(j),
                    }
                } else {
                    CircleViolation::BlockedPair {
                        a: rid(i),
                        b: rid(j),
                    }
                });
            }
        }
        if let Some(f) = fac {
            if inst.forbidden_pf(i as usize, f) {
                let b = facilitator_id.to_owned();
                v.push(if person(i) == facilitator_id {
                    CircleViolation::SamePerson { a: rid(i), b }
                } else {
                    CircleViolation::BlockedPair { a: rid(i), b }
                });
            }
        }
    }
    // Everyone known, the facilitator last.
    let mut people: Vec<Person<'_>> = members
        .iter()
        .map(|&i| {
            let (l, m) = &inst.p_lm[i as usize];
            (rid(i), &l[..], &m[..], &inst.p_runs[i as usize][..])
        })
        .collect();
    if let Some(f) = fac {
        let (l, m) = &inst.f_lm[f];
        people.push((facilitator_id.to_owned(), l, m, &inst.f_runs[f]));
    }
    let lang = common(&people, |x| x.1);
    if lang.is_err() {
        let (best, lacking) = closest(&people, |x| x.1);
        v.push(CircleViolation::NoCommonLanguage {
            language: best.map(|l| inst.lang_names[l as usize].clone()),
            lacking,
        });
    }
    let mode = common(&people, |x| x.2);
    if mode.is_err() {
        let (best, lacking) = closest(&people, |x| x.2);
        v.push(CircleViolation::NoCommonMeetingMode {
            meeting_mode: best.map(|m| {
                if m == 0 {
                    MeetingMode::Online
                } else {
                    MeetingMode::InPerson
                }
            }),
            region: best
                .filter(|&m| m > 0)
                .map(|m| inst.region_names[m as usize - 1].clone()),
            lacking,
        });
    }
    let session = inst.session_min;
    match slot {
        Some(s) => {
            let length = s.end_min.saturating_sub(s.start_min);
            if length < session {
                v.push(CircleViolation::SlotTooShort {
                    length_min: length,
                    session_length_min: session,
                });
            }
            if s.start_min >= 1440 {
                v.push(CircleViolation::InvalidSlot);
            } else {
                let start = s.day.index() * 1440 + s.start_min;
                let unavailable: Vec<String> = people
                    .iter()
                    .filter(|x| !available(&inst, x.3, start))
                    .map(|x| x.0.clone())
                    .collect();
                if !unavailable.is_empty() {
                    v.push(CircleViolation::SlotNotAvailable { unavailable });
                }
            }
        }
        None => {
            if !common_window(&inst, people.iter().map(|x| x.3)) {
                v.push(CircleViolation::NoCommonSlot);
            }
        }
    }
    if !v.is_empty() {
        return Err(v);
    }
    let (Some(f), Ok(lang), Ok(mode)) = (fac, lang, mode) else {
        unreachable!("checked above")
    };
    let slot = match slot {
        Some(s) => s,
        None => {
            // The engine's slot: the circle's first common key (keys are
            // exact, and a valid circle's keys survive the pruning).
            let mut keys = inst.f_keys.row(f).to_vec();
            for &i in &members {
                intersect_into(&mut keys, inst.p_keys.row(i as usize));
            }
            let Some(&k) = keys.first() else {
                debug_assert!(false, "a common window but no common key");
                return Err(vec![CircleViolation::NoCommonSlot]);
            };
            let k = inst.keys[k as usize];
            debug_assert_eq!((k.lang, k.mode), (lang, mode));
            key_slot(&inst, k)
        }
    };
    Ok(proposed_circle(p, &inst, f, &members, lang, mode, slot))
}

/// The problem's error as a violation, naming no tag.
fn invalid(e: &CircleError) -> CircleViolation {
    let message = match e {
        CircleError::Input(MatchError::UnknownTag(_, owner)) => format!("unknown tag on {owner:?}"),
        e => e.to_string(),
    };
    CircleViolation::InvalidProblem { message }
}

/// A person of the circle: (display id, language ids, mode codes, runs).
type Person<'a> = (String, &'a [u32], &'a [u32], &'a [(u32, u32)]);

/// The smallest value every person lists (`Err` when there is none or
/// nobody to ask).
fn common<'a>(people: &[Person<'a>], get: impl Fn(&Person<'a>) -> &'a [u32]) -> Result<u32, ()> {
    let Some(first) = people.first() else {
        return Err(());
    };
    let mut c = get(first).to_vec();
    for x in &people[1..] {
        intersect_into(&mut c, get(x));
    }
    c.first().copied().ok_or(())
}

/// The value most people list (the smallest on ties) and who lacks it.
fn closest<'a>(
    people: &[Person<'a>],
    get: impl Fn(&Person<'a>) -> &'a [u32],
) -> (Option<u32>, Vec<String>) {
    let mut count: HashMap<u32, usize> = HashMap::new();
    for x in people {
        for &l in get(x) {
            *count.entry(l).or_default() += 1;
        }
    }
    let best = count
        .into_iter()
        .max_by_key(|&(l, c)| (c, std::cmp::Reverse(l)))
        .map(|x| x.0);
    let lacking = people
        .iter()
        .filter(|x| best.is_none_or(|b| !get(x).contains(&b)))
        .map(|x| x.0.clone())
        .collect();
    (best, lacking)
}

/// Whether availability `runs` (slots) cover `session_min` minutes from
/// minute `start` of the UTC week (circular).
fn available(inst: &Inst, runs: &[(u32, u32)], start: u32) -> bool {
    let (sm, n_slots) = (inst.slot_min, WEEK_MIN / inst.slot_min);
    runs.iter().any(|&(a, l)| {
        l >= n_slots || (start + WEEK_MIN - a * sm) % WEEK_MIN + inst.session_min <= l * sm
    })
}

/// Whether everyone's availability has a common window of the session
/// length (circular week).
fn common_window<'a>(inst: &Inst, all: impl Iterator<Item = &'a [(u32, u32)]>) -> bool {
    let n_slots = (WEEK_MIN / inst.slot_min) as usize;
    let mut free = vec![true; n_slots];
    for runs in all {
        let mut mine = vec![false; n_slots];
        for &(a, l) in runs {
            for s in a..a + l.min(n_slots as u32) {
                mine[s as usize % n_slots] = true;
            }
        }
        for (x, m) in free.iter_mut().zip(mine) {
            *x &= m;
        }
    }
    let len = inst.session_min.div_ceil(inst.slot_min) as usize;
    // longest circular run of free slots
    let mut best = 0;
    let mut run = 0;
    for s in 0..2 * n_slots {
        if free[s % n_slots] {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best.min(n_slots) >= len
}
