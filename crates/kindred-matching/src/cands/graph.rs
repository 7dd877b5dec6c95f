//! The first candidate graph: per mentee, top-K ∪ mentor top-K′.

use super::Candidates;
use crate::flow::Graph;

/// The candidate graph: per mentee, top-K ∪ mentor top-K′, sorted by mentor.
/// Built straight into the graph's flat arrays (counted, filled, then each
/// row sorted and de-duplicated in place): no per-mentee lists in between.
pub(crate) fn candidate_graph(c: &Candidates) -> Graph {
    let n_e = c.top.len();
    let mut count: Vec<u32> = c.top.iter().map(|l| l.len() as u32).collect();
    for l in &c.mtop {
        for &(_, e) in l {
            count[e as usize] += 1;
        }
    }
    let mut start = Vec::with_capacity(n_e + 1);
    start.push(0u32);
    let mut total = 0u32;
    for &k in &count {
        total = total.checked_add(k).expect("fewer than 2^32 arcs");
        start.push(total);
    }
    let mut mentor = vec![0u32; total as usize];
    let mut score = vec![0i64; total as usize];
    // cursor per row, reusing `count`
    for (e, l) in c.top.iter().enumerate() {
        let at = start[e] as usize;
        for (k, &(m, s)) in l.iter().enumerate() {
            mentor[at + k] = m;
            score[at + k] = s;
        }
        count[e] = l.len() as u32;
    }
    for (m, l) in c.mtop.iter().enumerate() {
        for &(r, e) in l {
            let e = e as usize;
            let at = (start[e] + count[e]) as usize;
            mentor[at] = m as u32;
            score[at] = r + c.best[e];
            count[e] += 1;
        }
    }
    drop(count);
    // sort each row by mentor, drop duplicates, compact towards the front
    let mut row: Vec<(u32, i64)> = Vec::new();
    let mut w = 0usize;
    for e in 0..n_e {
        let (lo, hi) = (start[e] as usize, start[e + 1] as usize);
        row.clear();
        row.extend((lo..hi).map(|i| (mentor[i], score[i])));
        row.sort_unstable_by_key(|x| x.0);
        row.dedup_by_key(|x| x.0);
        start[e] = w as u32;
        for &(m, s) in &row {
            mentor[w] = m;
            score[w] = s;
            w += 1;
        }
    }
    start[n_e] = w as u32;
    mentor.truncate(w);
    score.truncate(w);
    mentor.shrink_to_fit();
    score.shrink_to_fit();
    Graph {
        start,
        mentor,
        score,
    }
}
