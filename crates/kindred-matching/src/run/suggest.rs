//! Suggestions: the top-K mentors of one request.

use super::{Engine, Suggestion};
use crate::score::Scratch;

impl Engine<'_> {
    /// Top-`k` mentors for request `request` (its index in `problem.requests`),
    /// ranked by score minus the mentor's next load penalty, with explanations.
    pub fn suggest(&self, request: usize, k: usize) -> Vec<Suggestion> {
        let ix = &self.ix;
        if request >= ix.n_mentees() || k == 0 {
            return Vec::new();
        }
        let mut scratch = Scratch::new(ix.n_mentors());
        let mut best: Vec<(i64, u32, i64)> = Vec::with_capacity(k + 1);
        let mut min = i64::MIN;
        ix.scan_mentee(request, &mut scratch, |m, s| {
            let total = s - ix.pen(m as usize, 1);
            if best.len() < k || total > min {
                best.push((total, m, s));
                if best.len() > k {
                    // drop the worst (lowest total, then highest mentor)
                    let mut wi = 0;
                    for i in 1..best.len() {
                        if best[i].0 < best[wi].0
                            || (best[i].0 == best[wi].0 && best[i].1 > best[wi].1)
                        {
                            wi = i;
                        }
                    }
                    best.swap_remove(wi);
                }
                if best.len() == k {
                    min = best.iter().map(|x| x.0).min().unwrap_or(i64::MIN);
                }
            }
        });
        best.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        best.into_iter()
            .map(|(total, m, s)| {
                let m = m as usize;
                let parts = ix.pair(request, m).expect("scanned pairs are feasible");
                Suggestion {
                    mentor_id: self.problem.mentors[ix.m.orig[m] as usize].id.clone(),
                    score: s,
                    total,
                    explanation: ix.explain(request, m, &parts, 1),
                }
            })
            .collect()
    }
}
