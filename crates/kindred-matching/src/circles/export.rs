//! `--export DIR`: the compiled instance the engine solved and its solution,
//! in the contract's "instance format for external solvers"
//! (`DIR/instance.json`, `DIR/solution.json`). Only with the `bench` feature.
//!
//! Keys are the engine's key ids (one per language × meeting mode/region ×
//! weekly start slot, only keys some facilitator with room and at least
//! `min_size` participants hold). `weights` lists every pair of
//! participants who share a key, are not forbidden and score above 0;
//! `facilitator_weights` every (facilitator, participant) sharing a key and
//! not forbidden (the fit, which includes the per-member base and waiting
//! points, so it is always positive); `forbidden` the blocked pairs (and
//! two requests of one person) that share a key, participant–participant
//! and participant–facilitator. Pairs that share no key can never meet, so
//! they are left out.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::problem::{intersect_into, Inst};
use super::{CircleProblem, CircleResult};

/// A JSON string literal.
fn js(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn list(v: &[u32]) -> String {
    let items: Vec<String> = v.iter().map(|k| k.to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// Participants sharing a key with `keys`' holders, sorted (`i` excluded).
fn partners(inst: &Inst, keys: &[u32], skip: Option<usize>) -> Vec<u32> {
    let mut v: Vec<u32> = keys
        .iter()
        .flat_map(|&k| inst.key_p.row(k as usize).iter().copied())
        .filter(|&j| Some(j as usize) != skip)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The instance as the contract's JSON.
pub(crate) fn instance_json(p: &CircleProblem, inst: &Inst) -> String {
    let rid = |i: usize| js(&p.requests[i].id);
    let fid = |f: usize| js(&p.facilitators[f].id);
    let mut o = String::new();
    let _ = write!(
        o,
        "{{\"min_size\": {}, \"max_size\": {},\n \"participants\": [",
        inst.min_size, inst.max_size
    );
    for i in 0..inst.n {
        let sep = if i == 0 { "\n  " } else { ",\n  " };
        let keys = list(inst.p_keys.row(i));
        let _ = write!(o, "{sep}{{\"id\": {}, \"keys\": {keys}}}", rid(i));
    }
    o.push_str("],\n \"facilitators\": [");
    for f in 0..inst.nf {
        let sep = if f == 0 { "\n  " } else { ",\n  " };
        let keys = list(inst.f_keys.row(f));
        let _ = write!(
            o,
            "{sep}{{\"id\": {}, \"keys\": {keys}, \"max_circles\": {}}}",
            fid(f),
            inst.f_cap[f]
        );
    }
    let (mut weights, mut forbidden) = (Vec::new(), Vec::new());
    for i in 0..inst.n {
        for j in partners(inst, inst.p_keys.row(i), Some(i)) {
            let j = j as usize;
            if j < i {
                continue;
            }
            if inst.forbidden_pp(i, j) {
                forbidden.push(format!("[{}, {}]", rid(i), rid(j)));
                continue;
            }
            let w = inst.w(i, j);
            if w > 0 {
                weights.push(format!("[{}, {}, {w}]", rid(i), rid(j)));
            }
        }
    }
    let mut fw = Vec::new();
    for f in 0..inst.nf {
        for i in partners(inst, inst.f_keys.row(f), None) {
            let i = i as usize;
            if inst.forbidden_pf(i, f) {
                forbidden.push(format!("[{}, {}]", rid(i), fid(f)));
            } else {
                fw.push(format!("[{}, {}, {}]", fid(f), rid(i), inst.fit(i, f)));
            }
        }
    }
    for (name, v) in [
        ("weights", weights),
        ("facilitator_weights", fw),
        ("forbidden", forbidden),
    ] {
        let _ = write!(o, "],\n \"{name}\": [");
        for (a, x) in v.iter().enumerate() {
            o.push_str(if a == 0 { "\n  " } else { ",\n  " });
            o.push_str(x);
        }
    }
    o.push_str("]}\n");
    o
}

/// Kindred's solution as the contract's JSON; checks on the way that every
/// circle has a common key and that the weights add up to the objective.
pub(crate) fn solution_json(
    p: &CircleProblem,
    inst: &Inst,
    res: &CircleResult,
) -> Result<String, String> {
    let req: HashMap<&str, usize> = p
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let fac: HashMap<&str, usize> = p
        .facilitators
        .iter()
        .enumerate()
        .map(|(f, x)| (x.id.as_str(), f))
        .collect();
    let mut o = format!("{{\"objective\": {}, \"circles\": [", res.objective);
    let mut total = 0i64;
    for (a, c) in res.circles.iter().enumerate() {
        let f = fac[c.facilitator_id.as_str()];
        let ms: Vec<usize> = c.request_ids.iter().map(|r| req[r.as_str()]).collect();
        let mut keys = inst.f_keys.row(f).to_vec();
        for &i in &ms {
            intersect_into(&mut keys, inst.p_keys.row(i));
        }
        let Some(&key) = keys.first() else {
            return Err(format!("circle {a} has no common key"));
        };
        for (x, &i) in ms.iter().enumerate() {
            total += inst.fit(i, f);
            total += ms[..x].iter().map(|&j| inst.w(i, j)).sum::<i64>();
        }
        let members: Vec<String> = c.request_ids.iter().map(|r| js(r)).collect();
        let sep = if a == 0 { "\n  " } else { ",\n  " };
        let _ = write!(
            o,
            "{sep}{{\"facilitator\": {}, \"key\": {key}, \"members\": [{}]}}",
            js(&c.facilitator_id),
            members.join(", ")
        );
    }
    o.push_str("]}\n");
    if total != res.objective {
        return Err(format!(
            "exported weights add up to {total}, the engine reported {}",
            res.objective
        ));
    }
    Ok(o)
}

/// Writes `dir/instance.json` and `dir/solution.json`.
pub(crate) fn write(
    dir: &Path,
    p: &CircleProblem,
    inst: &Inst,
    res: &CircleResult,
) -> Result<(), String> {
    let err = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(err)?;
    let sol = solution_json(p, inst, res)?;
    std::fs::write(dir.join("instance.json"), instance_json(p, inst)).map_err(err)?;
    std::fs::write(dir.join("solution.json"), sol).map_err(err)?;
    Ok(())
}
