//! Candidate graph: per-request arc lists (mentor, score) in flat arrays.

/// Candidate pairs per mentee, sorted by mentor.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub start: Vec<u32>,
    pub mentor: Vec<u32>,
    pub score: Vec<i64>,
}

impl Graph {
    /// The graph of per-request lists (each sorted by mentor).
    pub fn from_lists(lists: &[Vec<(u32, i64)>]) -> Graph {
        let n: usize = lists.iter().map(Vec::len).sum();
        let mut g = Graph {
            start: Vec::with_capacity(lists.len() + 1),
            mentor: Vec::with_capacity(n),
            score: Vec::with_capacity(n),
        };
        g.start.push(0);
        for l in lists {
            for &(m, s) in l {
                g.mentor.push(m);
                g.score.push(s);
            }
            g.start
                .push(u32::try_from(g.mentor.len()).expect("fewer than 2^32 arcs"));
        }
        g
    }

    /// Adds `add[e]` (pairs not yet in row `e`, any order) to every row, in
    /// place: the arrays grow once and rows move back to front, so the graph
    /// never exists twice. Rows stay sorted by mentor.
    pub fn merge_in_place(&mut self, add: &[Vec<(u32, i64)>]) {
        let n_e = self.n_mentees();
        let extra: usize = add.iter().map(Vec::len).sum();
        if extra == 0 {
            return;
        }
        let old_len = self.mentor.len();
        let new_len = old_len + extra;
        self.mentor.resize(new_len, 0);
        self.score.resize(new_len, 0);
        let mut end = new_len;
        for e in (0..n_e).rev() {
            let (lo, hi) = (self.start[e] as usize, self.start[e + 1] as usize);
            let a = add.get(e).map_or(&[][..], Vec::as_slice);
            let new_lo = end - (hi - lo) - a.len();
            // rows only move towards the end: copy back to front
            self.mentor.copy_within(lo..hi, new_lo);
            self.score.copy_within(lo..hi, new_lo);
            if !a.is_empty() {
                let mut row: Vec<(u32, i64)> = (new_lo..new_lo + (hi - lo))
                    .map(|i| (self.mentor[i], self.score[i]))
                    .chain(a.iter().copied())
                    .collect();
                row.sort_unstable_by_key(|x| x.0);
                for (k, (m, sc)) in row.into_iter().enumerate() {
                    self.mentor[new_lo + k] = m;
                    self.score[new_lo + k] = sc;
                }
            }
            self.start[e + 1] = u32::try_from(end).expect("fewer than 2^32 arcs");
            end = new_lo;
        }
        debug_assert_eq!(end, 0);
    }

    /// Mentors of row `e` (sorted).
    #[inline]
    pub fn row_mentors(&self, e: usize) -> &[u32] {
        &self.mentor[self.arcs(e)]
    }

    #[inline]
    pub fn arcs(&self, e: usize) -> std::ops::Range<usize> {
        self.start[e] as usize..self.start[e + 1] as usize
    }

    pub fn n_mentees(&self) -> usize {
        self.start.len() - 1
    }

    pub fn n_arcs(&self) -> usize {
        self.mentor.len()
    }
}
