//! Dual-feasibility self-check of a solved flow (tests).

use super::{Flow, Graph, UNMATCHED};
use crate::index::Csr;

/// Checks that `f` is dual-feasible on `g` (all residual reduced costs ≥ 0)
/// and complementary: a self-check used in tests and debug builds.
pub(crate) fn check_duals(g: &Graph, pens: &Csr<i64>, f: &Flow) -> Result<(), String> {
    for e in 0..g.n_mentees() {
        let pe = f.p_e[e];
        for a in g.arcs(e) {
            let m = g.mentor[a] as usize;
            let rc = -g.score[a] + pe - f.p_m[m];
            if f.assign[e] == m as u32 {
                if rc != 0 {
                    return Err(format!("used arc {e}->{m} rc {rc}"));
                }
            } else if rc < 0 {
                return Err(format!("arc {e}->{m} rc {rc}"));
            }
        }
        let pe = pe - f.p_t;
        if f.assign[e] == UNMATCHED && !g.arcs(e).is_empty() && pe > 0 {
            return Err(format!("unmatched {e} with p {pe} > 0"));
        }
        if f.assign[e] != UNMATCHED && pe < 0 {
            return Err(format!("matched {e} with p {pe} < 0"));
        }
    }
    for m in 0..pens.rows() {
        let l = f.load[m] as usize;
        let row = pens.row(m);
        if l < row.len() && row[l] + f.p_m[m] - f.p_t < 0 {
            return Err(format!("mentor {m} free slot rc < 0"));
        }
        if l > 0 && -row[l - 1] - f.p_m[m] + f.p_t < 0 {
            return Err(format!("mentor {m} used slot reverse rc < 0"));
        }
    }
    Ok(())
}
