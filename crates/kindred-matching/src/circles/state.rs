//! The solution state: circles with their key intersections, who is
//! where, facilitator room, the key → circles index, incremental updates
//! with exact value bookkeeping, and the undo journal of one
//! iterated-local-search round.

use super::problem::{intersect_into, Inst, NONE};

#[derive(Debug, Clone, Default)]
pub(crate) struct Circle {
    /// `NONE` for a free (dissolved) circle slot.
    pub fac: u32,
    pub members: Vec<u32>,
    /// Keys every member and the facilitator hold (sorted, non-empty).
    pub keys: Vec<u32>,
    pub value: i64,
    /// Each member's contribution (aligned with `members`): its fit with
    /// the facilitator plus its pair scores with the other members. Kept
    /// up to date by every move, so a member's loss on leaving is a look-up.
    pub contrib: Vec<i64>,
    /// Per tag, how many members hold it (for the search's bounds: a
    /// person's pair scores with the members sum to at most its tags'
    /// topic weights times these counts).
    pub tags: Vec<u8>,
    /// Per member (aligned with `members`): the most it could contribute
    /// to any circle (`fit_max + pairs(max_size − 1)` of `reach.rs`), kept
    /// here beside `contrib` for the search's swap bounds.
    pub reach: Vec<i64>,
}

/// Undo journal of one perturbation round.
#[derive(Default)]
pub(crate) struct Journal {
    on: bool,
    pub circles: Vec<(u32, Circle)>,
    circle_seen: Vec<u32>,
    circ_of: Vec<(u32, u32)>,
    fac_left: Vec<(u32, u32)>,
    free: Vec<u32>,
    n_circles: usize,
    obj: i64,
    stamp: u32,
}

pub(crate) struct State<'a> {
    pub inst: &'a Inst,
    pub circ_of: Vec<u32>,
    pub circles: Vec<Circle>,
    free: Vec<u32>,
    pub fac_left: Vec<u32>,
    /// key → circles whose key set contains it.
    pub key_circles: Vec<Vec<u32>>,
    pub obj: i64,
    pub moves: u64,
    pub(crate) journal: Journal,
    /// Scratch stamps for de-duplicating candidate circles.
    seen: Vec<u32>,
    stamp: u32,
    /// Scratch per-participant values of one call (see [`Memo`]).
    pub(crate) memo: Memo,
    /// Buffers of the new-circle growth (see `form::GrowScratch`).
    pub(crate) grow: super::form::GrowScratch,
}

/// Per-participant values remembered for the length of one call (stamped,
/// so starting over is O(1)).
#[derive(Default)]
pub(crate) struct Memo {
    val: Vec<i64>,
    at: Vec<u32>,
    stamp: u32,
}

impl Memo {
    pub fn begin(&mut self, n: usize) {
        if self.at.len() < n {
            self.at.resize(n, 0);
            self.val.resize(n, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.at.fill(0);
            self.stamp = 1;
        }
    }

    #[inline]
    pub fn get_or(&mut self, i: usize, f: impl FnOnce() -> i64) -> i64 {
        if self.at[i] != self.stamp {
            self.at[i] = self.stamp;
            self.val[i] = f();
        }
        self.val[i]
    }
}

impl<'a> State<'a> {
    pub fn new(inst: &'a Inst) -> Self {
        State {
            inst,
            circ_of: vec![NONE; inst.n],
            circles: Vec::new(),
            free: Vec::new(),
            fac_left: inst.f_cap.clone(),
            key_circles: vec![Vec::new(); inst.n_keys()],
            obj: 0,
            moves: 0,
            journal: Journal::default(),
            seen: Vec::new(),
            stamp: 0,
            memo: Memo::default(),
            grow: Default::default(),
        }
    }

    fn save_circle(&mut self, c: u32) {
        if !self.journal.on {
            return;
        }
        let cs = &mut self.journal.circle_seen;
        if cs.len() <= c as usize {
            cs.resize(c as usize + 1, 0);
        }
        if cs[c as usize] != self.journal.stamp {
            cs[c as usize] = self.journal.stamp;
            let old = self.circles.get(c as usize).cloned().unwrap_or(Circle {
                fac: NONE,
                ..Default::default()
            });
            self.journal.circles.push((c, old));
        }
    }

    fn set_circ_of(&mut self, i: u32, c: u32) {
        if self.journal.on {
            self.journal.circ_of.push((i, self.circ_of[i as usize]));
        }
        self.circ_of[i as usize] = c;
    }

    fn set_fac_left(&mut self, f: u32, v: u32) {
        if self.journal.on {
            self.journal.fac_left.push((f, self.fac_left[f as usize]));
        }
        self.fac_left[f as usize] = v;
    }

    fn register(&mut self, c: u32, on: bool) {
        let keys = std::mem::take(&mut self.circles[c as usize].keys);
        for &k in &keys {
            let l = &mut self.key_circles[k as usize];
            if on {
                l.push(c);
            } else if let Some(p) = l.iter().position(|&x| x == c) {
                l.swap_remove(p);
            }
        }
        self.circles[c as usize].keys = keys;
    }

    pub(crate) fn begin(&mut self) {
        let j = &mut self.journal;
        j.on = true;
        j.stamp = j.stamp.wrapping_add(1).max(1);
        j.circles.clear();
        j.circ_of.clear();
        j.fac_left.clear();
        j.free = self.free.clone();
        j.n_circles = self.circles.len();
        j.obj = self.obj;
    }

    pub(crate) fn commit(&mut self) {
        self.journal.on = false;
    }

    pub(crate) fn rollback(&mut self) {
        self.journal.on = false;
        let circles = std::mem::take(&mut self.journal.circles);
        for &(c, _) in circles.iter().rev() {
            if (c as usize) < self.circles.len() && self.circles[c as usize].fac != NONE {
                self.register(c, false);
            }
        }
        for (c, old) in circles.into_iter().rev() {
            if (c as usize) < self.circles.len() {
                self.circles[c as usize] = old;
            }
        }
        let n_c = self.journal.n_circles;
        for c in n_c..self.circles.len() {
            if self.circles[c].fac != NONE {
                self.register(c as u32, false);
            }
        }
        self.circles.truncate(n_c);
        for &(i, c) in self.journal.circ_of.iter().rev() {
            self.circ_of[i as usize] = c;
        }
        for &(f, v) in self.journal.fac_left.iter().rev() {
            self.fac_left[f as usize] = v;
        }
        self.free = std::mem::take(&mut self.journal.free);
        self.obj = self.journal.obj;
    }

    /// Re-registers the circles restored by a rollback (called right after).
    pub(crate) fn reregister(&mut self, list: &[u32]) {
        for &c in list {
            if (c as usize) < self.circles.len() && self.circles[c as usize].fac != NONE {
                self.register(c, true);
            }
        }
    }

    /// Contribution of `i` to circle `c` if it were (or is) a member:
    /// fit + pair scores with the members other than `i` and `except`.
    pub fn gain(&self, i: usize, c: usize, except: u32) -> i64 {
        let cir = &self.circles[c];
        if except == NONE && self.circ_of[i] == c as u32 {
            return self.contrib(i);
        }
        let mut g = self.inst.fit(i, cir.fac as usize);
        for &j in &cir.members {
            if j != i as u32 && j != except {
                g += self.inst.w(i, j as usize);
            }
        }
        g
    }

    /// Upper bound on `i`'s pair scores with the members of circle `c`
    /// (`i` not counted if it is one): Σ over its tags of the topic weight
    /// times the members holding the tag.
    #[inline]
    pub fn tag_bound(&self, i: usize, c: usize) -> i64 {
        let inst = self.inst;
        let tags = &self.circles[c].tags;
        let own = i64::from(self.circ_of[i] == c as u32);
        inst.p_tags
            .row(i)
            .iter()
            .map(|&t| i64::from(inst.w_topic[t as usize]) * (i64::from(tags[t as usize]) - own))
            .sum()
    }

    /// The contribution of placed participant `i` to its circle (what the
    /// objective loses when it leaves).
    #[inline]
    pub fn contrib(&self, i: usize) -> i64 {
        let cir = &self.circles[self.circ_of[i] as usize];
        let p = cir
            .members
            .iter()
            .position(|&x| x == i as u32)
            .expect("member");
        cir.contrib[p]
    }

    /// Can `i` join circle `c` (after removing `except`)? Size not checked.
    pub fn can_join(&self, i: usize, c: usize, except: u32) -> bool {
        let inst = self.inst;
        let cir = &self.circles[c];
        if inst.forbidden_pf(i, cir.fac as usize) {
            return false;
        }
        for &j in &cir.members {
            if j != except && j != i as u32 && inst.forbidden_pp(i, j as usize) {
                return false;
            }
        }
        let pk = inst.p_keys.row(i);
        if Inst::meets(pk, &cir.keys) {
            return true;
        }
        except != NONE && Inst::meets(pk, &self.keys_without(c, except))
    }

    /// Can `i` join circle `c` once `except` leaves, given `keys` =
    /// `keys_without(c, except)` (computed once by the caller)?
    pub fn can_join_with(&self, i: usize, c: usize, except: u32, keys: &[u32]) -> bool {
        let inst = self.inst;
        let cir = &self.circles[c];
        if inst.forbidden_pf(i, cir.fac as usize) {
            return false;
        }
        for &j in &cir.members {
            if j != except && j != i as u32 && inst.forbidden_pp(i, j as usize) {
                return false;
            }
        }
        Inst::meets(inst.p_keys.row(i), keys)
    }

    /// Keys of circle `c` without member `except`.
    pub fn keys_without(&self, c: usize, except: u32) -> Vec<u32> {
        let cir = &self.circles[c];
        let mut k = self.inst.f_keys.row(cir.fac as usize).to_vec();
        for &j in &cir.members {
            if j != except {
                intersect_into(&mut k, self.inst.p_keys.row(j as usize));
            }
        }
        k
    }

    fn recompute_keys(&mut self, c: usize) {
        self.register(c as u32, false);
        let k = self.keys_without(c, NONE);
        self.circles[c].keys = k;
        self.register(c as u32, true);
    }

    pub fn open(&mut self, f: usize, members: &[u32]) -> u32 {
        let c = match self.free.pop() {
            Some(c) => c,
            None => {
                self.circles.push(Circle {
                    fac: NONE,
                    ..Default::default()
                });
                (self.circles.len() - 1) as u32
            }
        };
        self.save_circle(c);
        let mut value = 0;
        let mut contrib: Vec<i64> = members
            .iter()
            .map(|&i| self.inst.fit(i as usize, f))
            .collect();
        for (a, &i) in members.iter().enumerate() {
            value += contrib[a];
            for (b, &j) in members[..a].iter().enumerate() {
                let w = self.inst.w(i as usize, j as usize);
                value += w;
                contrib[a] += w;
                contrib[b] += w;
            }
            self.set_circ_of(i, c);
        }
        let mut tags = vec![0u8; self.inst.w_topic.len()];
        for &i in members {
            for &t in self.inst.p_tags.row(i as usize) {
                tags[t as usize] += 1;
            }
        }
        self.circles[c as usize] = Circle {
            fac: f as u32,
            members: members.to_vec(),
            keys: Vec::new(),
            value,
            contrib,
            tags,
            reach: members
                .iter()
                .map(|&i| self.inst.reach.most(i as usize))
                .collect(),
        };
        self.recompute_keys(c as usize);
        debug_assert!(!self.circles[c as usize].keys.is_empty());
        self.set_fac_left(f as u32, self.fac_left[f] - 1);
        self.obj += value;
        self.moves += 1;
        c
    }

    pub fn dissolve(&mut self, c: usize) {
        self.save_circle(c as u32);
        self.register(c as u32, false);
        let cir = std::mem::take(&mut self.circles[c]);
        for &i in &cir.members {
            self.set_circ_of(i, NONE);
        }
        self.set_fac_left(cir.fac, self.fac_left[cir.fac as usize] + 1);
        self.obj -= cir.value;
        self.circles[c].fac = NONE;
        self.free.push(c as u32);
        self.moves += 1;
    }

    pub fn add(&mut self, i: usize, c: usize) {
        debug_assert_eq!(self.circ_of[i], NONE);
        self.save_circle(c as u32);
        let inst = self.inst;
        let cir = &mut self.circles[c];
        let mut g = inst.fit(i, cir.fac as usize);
        for (a, &j) in cir.members.iter().enumerate() {
            let w = inst.w(i, j as usize);
            g += w;
            cir.contrib[a] += w;
        }
        cir.members.push(i as u32);
        cir.contrib.push(g);
        cir.reach.push(inst.reach.most(i));
        for &t in inst.p_tags.row(i) {
            cir.tags[t as usize] += 1;
        }
        self.circles[c].value += g;
        self.obj += g;
        self.set_circ_of(i as u32, c as u32);
        self.register(c as u32, false);
        intersect_into(&mut self.circles[c].keys, self.inst.p_keys.row(i));
        self.register(c as u32, true);
        self.moves += 1;
    }

    pub fn remove(&mut self, i: usize) {
        let c = self.circ_of[i] as usize;
        self.save_circle(c as u32);
        let inst = self.inst;
        let cir = &mut self.circles[c];
        let p = cir
            .members
            .iter()
            .position(|&x| x == i as u32)
            .expect("member");
        let g = cir.contrib[p];
        cir.members.remove(p);
        cir.contrib.remove(p);
        cir.reach.remove(p);
        for &t in inst.p_tags.row(i) {
            cir.tags[t as usize] -= 1;
        }
        for (a, &j) in cir.members.iter().enumerate() {
            cir.contrib[a] -= inst.w(i, j as usize);
        }
        self.circles[c].value -= g;
        self.obj -= g;
        self.set_circ_of(i as u32, NONE);
        self.recompute_keys(c);
        self.moves += 1;
    }

    pub fn set_fac(&mut self, c: usize, g: usize) {
        let old = self.circles[c].fac as usize;
        self.save_circle(c as u32);
        let inst = self.inst;
        let cir = &mut self.circles[c];
        let mut delta = 0;
        for (a, &i) in cir.members.iter().enumerate() {
            let d = inst.fit(i as usize, g) - inst.fit(i as usize, old);
            cir.contrib[a] += d;
            delta += d;
        }
        self.set_fac_left(old as u32, self.fac_left[old] + 1);
        self.set_fac_left(g as u32, self.fac_left[g] - 1);
        self.circles[c].fac = g as u32;
        self.circles[c].value += delta;
        self.obj += delta;
        self.recompute_keys(c);
        self.moves += 1;
    }

    /// Circles sharing a key with participant `i` (de-duplicated).
    pub fn candidate_circles(&mut self, i: usize) -> Vec<u32> {
        self.stamp = self.stamp.wrapping_add(1).max(1);
        if self.seen.len() < self.circles.len() {
            self.seen.resize(self.circles.len(), 0);
        }
        let mut out = Vec::new();
        for &k in self.inst.p_keys.row(i) {
            for &c in &self.key_circles[k as usize] {
                if self.seen[c as usize] != self.stamp {
                    self.seen[c as usize] = self.stamp;
                    out.push(c);
                }
            }
        }
        out.sort_unstable();
        out
    }

    pub fn size(&self, c: usize) -> usize {
        self.circles[c].members.len()
    }

    pub fn alive(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.circles.len()).filter(|&c| self.circles[c].fac != NONE)
    }
}
