//! The result: circles with privacy-safe explanations, unplaced requests
//! with reasons, and the fairness report.
//!
//! Privacy: a tag is named only when two people of the circle both show it
//! publicly (a member's explanation names only tags the member and another
//! person of the circle both show publicly). Any shared tag that someone
//! keeps private scores in the single `private_overlap` component, which
//! names nothing; [`Explanation::without_private_overlap`] is the view for
//! members and facilitators.

use std::collections::{BTreeMap, BTreeSet};

use super::problem::{Inst, Key, Shared, NONE};
use super::search::State;
use super::{
    CircleCategoryCounts, CircleProblem, CircleReport, CircleResult, CircleSlot, MemberExplanation,
    ProposedCircle, SearchStats, Unplaced, UnplacedReason,
};
use crate::model::{MeetingMode, Weekday};
use crate::score::{Component, Explanation};

impl Explanation {
    /// The explanation as members and facilitators see it: without the
    /// `private_overlap` component, `total` the sum of what is shown.
    pub fn without_private_overlap(&self) -> Explanation {
        let components: Vec<Component> = self
            .components
            .iter()
            .filter(|c| c.name != "private_overlap")
            .cloned()
            .collect();
        Explanation {
            total: components.iter().map(|c| c.points).sum(),
            components,
            shared_tags: self.shared_tags.clone(),
        }
    }
}

/// Capped points split into (public, private), as in matching: the public
/// part first.
fn split(s: Shared, cap: u64) -> (i64, i64) {
    let capped = (s.public + s.private).min(cap);
    let public = s.public.min(capped);
    (public as i64, (capped - public) as i64)
}

fn join(names: &[&str]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].to_owned(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// Tags both bitsets have publicly.
fn common_pub(a: &[u64], b: &[u64], out: &mut BTreeSet<u16>) {
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        let mut bits = x & y;
        while bits != 0 {
            out.insert((k * 64) as u16 + bits.trailing_zeros() as u16);
            bits &= bits - 1;
        }
    }
}

fn components(
    inst: &Inst,
    base: i64,
    wait: i64,
    shared: (i64, &[&str], &'static str),
    fac: (i64, &[&str]),
    private: i64,
) -> Vec<Component> {
    let mut c = vec![Component {
        name: "base".into(),
        points: base,
        detail: "Every member shares the circle's language, meeting mode and weekly slot with the facilitator.".into(),
    }];
    c.push(Component {
        name: "shared_experience".into(),
        points: shared.0,
        detail: if shared.1.is_empty() {
            "No publicly listed experience in common.".into()
        } else {
            format!(
                "{} {}; rarer shared experiences count more.",
                shared.2,
                join(shared.1)
            )
            .into()
        },
    });
    c.push(Component {
        name: "facilitator_fit".into(),
        points: fac.0,
        detail: if fac.1.is_empty() {
            "The facilitator lists no experience publicly in common.".into()
        } else {
            format!("The facilitator also lists {}.", join(fac.1)).into()
        },
    });
    if private > 0 {
        c.push(Component {
            name: "private_overlap".into(),
            points: private,
            detail: "There is also shared experience that someone keeps private.".into(),
        });
    }
    c.push(Component {
        name: "waiting".into(),
        points: wait,
        detail: "Points for the time the requests have waited.".into(),
    });
    let _ = inst;
    c
}

/// The slot of key `k`: its start, for `session_length`.
pub(crate) fn key_slot(inst: &Inst, k: Key) -> CircleSlot {
    let start = k.start * inst.slot_min;
    CircleSlot {
        day: Weekday::ALL[(start / 1440) as usize],
        start_min: start % 1440,
        end_min: start % 1440 + inst.session_min,
    }
}

/// The circle of facilitator `fac` and `members` (sorted participant
/// indices) under language `lang` and mode code `mode` (0 online, `1 +
/// region` in person) at `slot`, scored and explained. Used for the
/// engine's circles and by `check_circle`.
pub(crate) fn proposed_circle(
    p: &CircleProblem,
    inst: &Inst,
    fac: usize,
    members: &[u32],
    lang: u32,
    mode: u32,
    slot: CircleSlot,
) -> ProposedCircle {
    let mut c = explain_circle(p, inst, fac, members);
    c.language = inst.lang_names[lang as usize].clone();
    if mode == 0 {
        c.meeting_mode = MeetingMode::Online;
    } else {
        c.meeting_mode = MeetingMode::InPerson;
        c.region = Some(inst.region_names[mode as usize - 1].clone());
    }
    c.slot = slot;
    c
}

fn explain_circle(p: &CircleProblem, inst: &Inst, fac: usize, members: &[u32]) -> ProposedCircle {
    let w = inst.words;
    let slug = |t: &u16| inst.tag_slug[*t as usize].as_str();
    let fpub = &inst.f_pub[fac * w..(fac + 1) * w];
    let ppub = |i: u32| &inst.p_pub[i as usize * w..(i as usize + 1) * w];
    let (mut pair_pub, mut fac_pub, mut private, mut score) = (0i64, 0i64, 0i64, 0i64);
    let mut named_pairs = BTreeSet::new();
    let mut named_fac = BTreeSet::new();
    let mut member_ex = Vec::with_capacity(members.len());
    let (mut base_sum, mut wait_sum) = (0i64, 0i64);
    for &i in members {
        let iu = i as usize;
        let (mut m_pub, mut m_priv) = (0i64, 0i64);
        let mut m_named = BTreeSet::new();
        let mut m_fac_named = BTreeSet::new();
        for &j in members {
            if j == i {
                continue;
            }
            let (pb, pv) = split(inst.shared_pp(iu, j as usize), inst.cap);
            m_pub += pb;
            m_priv += pv;
            common_pub(ppub(i), ppub(j), &mut m_named);
        }
        let (fb, fv) = split(inst.shared_pf(iu, fac), inst.cap);
        common_pub(ppub(i), fpub, &mut m_fac_named);
        let wait = inst.p_base[iu] - inst.member_base;
        let names: Vec<&str> = m_named.iter().map(slug).collect();
        let fnames: Vec<&str> = m_fac_named.iter().map(slug).collect();
        let comps = components(
            inst,
            inst.member_base,
            wait,
            (m_pub, &names, "You and other members list"),
            (fb, &fnames),
            m_priv + fv,
        );
        let mut shared_tags: BTreeSet<u16> = m_named.clone();
        shared_tags.extend(m_fac_named.iter());
        member_ex.push(MemberExplanation {
            request_id: p.requests[iu].id.clone(),
            explanation: Explanation {
                total: comps.iter().map(|c| c.points).sum(),
                components: comps,
                shared_tags: shared_tags.iter().map(|t| slug(t).to_owned()).collect(),
            },
        });
        // circle totals: each pair once
        for &j in members {
            if j > i {
                let (pb, pv) = split(inst.shared_pp(iu, j as usize), inst.cap);
                pair_pub += pb;
                private += pv;
                score += pb + pv;
            }
        }
        fac_pub += fb;
        private += fv;
        score += inst.fit(iu, fac);
        named_pairs.extend(m_named);
        named_fac.extend(m_fac_named);
        base_sum += inst.member_base;
        wait_sum += wait;
    }
    let names: Vec<&str> = named_pairs.iter().map(slug).collect();
    let fnames: Vec<&str> = named_fac.iter().map(slug).collect();
    let comps = components(
        inst,
        base_sum,
        wait_sum,
        (pair_pub, &names, "Members list"),
        (fac_pub, &fnames),
        private,
    );
    let total: i64 = comps.iter().map(|c| c.points).sum();
    debug_assert_eq!(total, score);
    // Topics: tags two or more people show publicly, most holders first.
    let mut all: BTreeSet<u16> = named_pairs.clone();
    all.extend(named_fac.iter());
    let holders = |t: u16| {
        let (k, b) = (t as usize / 64, t % 64);
        members
            .iter()
            .filter(|&&i| ppub(i)[k] >> b & 1 == 1)
            .count()
            + usize::from(fpub[k] >> b & 1 == 1)
    };
    let mut topics: Vec<u16> = all.iter().copied().collect();
    topics.sort_by_key(|&t| (std::cmp::Reverse(holders(t)), t));
    ProposedCircle {
        facilitator_id: p.facilitators[fac].id.clone(),
        request_ids: members
            .iter()
            .map(|&i| p.requests[i as usize].id.clone())
            .collect(),
        language: String::new(),
        meeting_mode: MeetingMode::Online,
        region: None,
        slot: CircleSlot {
            day: Weekday::Mon,
            start_min: 0,
            end_min: 0,
        },
        topics: topics.iter().map(|t| slug(t).to_owned()).collect(),
        score,
        explanation: Explanation {
            total,
            components: comps,
            shared_tags: all.iter().map(|t| slug(t).to_owned()).collect(),
        },
        members: member_ex,
    }
}

fn reason(inst: &Inst, i: usize) -> UnplacedReason {
    if !inst.p_lang_mode_fac[i] {
        return UnplacedReason::NoCompatibleFacilitator;
    }
    if !inst.p_slot_fac[i] {
        return UnplacedReason::NoCommonSlot;
    }
    for &k in inst.p_keys.row(i) {
        for &f in inst.key_f.row(k as usize) {
            let f = f as usize;
            if inst.f_cap[f] == 0 || inst.forbidden_pf(i, f) {
                continue;
            }
            let ok = inst
                .key_p
                .row(k as usize)
                .iter()
                .map(|&j| j as usize)
                .filter(|&j| j == i || (!inst.forbidden_pp(i, j) && !inst.forbidden_pf(j, f)))
                .count();
            if ok >= inst.min_size {
                return UnplacedReason::LostToHigherScoringCircles;
            }
        }
    }
    UnplacedReason::TooFewCompatiblePeople
}

pub(crate) fn result(
    p: &CircleProblem,
    inst: &Inst,
    st: &State<'_>,
    upper_bound: i64,
    search: SearchStats,
) -> CircleResult {
    let mut alive: Vec<(u32, Vec<u32>, u32)> = st
        .alive()
        .map(|c| {
            let cir = &st.circles[c];
            let mut m = cir.members.clone();
            m.sort_unstable();
            (cir.fac, m, cir.keys[0])
        })
        .collect();
    alive.sort_unstable();
    let mut circles = Vec::with_capacity(alive.len());
    let mut min_member: Option<i64> = None;
    let mut hist = vec![0usize; inst.max_size + 1];
    for (fac, members, key) in &alive {
        let k = inst.keys[*key as usize];
        let c = proposed_circle(
            p,
            inst,
            *fac as usize,
            members,
            k.lang,
            k.mode,
            key_slot(inst, k),
        );
        for m in &c.members {
            let t = m.explanation.total;
            min_member = Some(min_member.map_or(t, |x| x.min(t)));
        }
        hist[members.len()] += 1;
        circles.push(c);
    }
    let objective: i64 = circles.iter().map(|c| c.score).sum();
    debug_assert_eq!(objective, st.obj);
    let mut unplaced = Vec::new();
    let mut by_reason = BTreeMap::new();
    let mut per_category: BTreeMap<String, CircleCategoryCounts> = BTreeMap::new();
    for i in 0..inst.n {
        let placed = st.circ_of[i] != NONE;
        if !placed {
            let r = reason(inst, i);
            *by_reason.entry(r).or_insert(0) += 1;
            unplaced.push(Unplaced {
                request_id: p.requests[i].id.clone(),
                reason: r,
            });
        }
        let cats: BTreeSet<u32> = inst
            .p_tags
            .row(i)
            .iter()
            .map(|&t| inst.tag_cat[t as usize])
            .collect();
        for c in cats {
            let e = per_category
                .entry(inst.categories[c as usize].clone())
                .or_default();
            e.requests += 1;
            if placed {
                e.placed += 1;
            } else {
                e.unplaced += 1;
            }
        }
    }
    let gap_percent = if upper_bound > 0 {
        100.0 * (upper_bound - objective) as f64 / upper_bound as f64
    } else {
        0.0
    };
    let used: BTreeSet<u32> = alive.iter().map(|x| x.0).collect();
    let report = CircleReport {
        requests: inst.n,
        placed: inst.n - unplaced.len(),
        unplaced: unplaced.len(),
        unplaced_by_reason: by_reason,
        circles: circles.len(),
        facilitators: inst.nf,
        facilitators_used: used.len(),
        size_histogram: hist,
        per_category,
        min_member_score: min_member,
        objective,
        upper_bound,
        gap_percent,
        search,
    };
    CircleResult {
        circles,
        unplaced,
        objective,
        upper_bound,
        report,
    }
}
