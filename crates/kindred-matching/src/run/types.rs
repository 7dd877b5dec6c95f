//! The result types of a run and of suggestions, and the solver options.

use serde::{Deserialize, Serialize};

use crate::model::Mode;
use crate::score::Explanation;

/// Tuning of candidate generation (does not change the answer, only speed:
/// the certificate makes the result optimal over all pairs regardless).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolverOptions {
    /// Candidates kept per request.
    pub top_k_per_request: usize,
    /// Candidates kept per mentor.
    pub top_k_per_mentor: usize,
    /// Safety bound on certify → re-solve rounds (each round adds every
    /// violating pair, so a handful always suffices in practice).
    pub max_rounds: usize,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            top_k_per_request: 24,
            top_k_per_mentor: 48,
            max_rounds: 50,
        }
    }
}

/// A proposed pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedPair {
    pub request_id: String,
    pub mentor_id: String,
    /// Pair score before the load term.
    pub score: i64,
    /// Score minus this pair's load penalty (= `explanation.total`).
    pub total: i64,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmatchedReason {
    /// No active mentor passes every hard rule for this request.
    NoFeasibleMentor,
    /// Feasible mentors exist, but giving them to others (or leaving the
    /// request open rather than overloading a mentor) scores higher.
    LostToHigherScoringPairs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    pub request_id: String,
    pub reason: UnmatchedReason,
}

/// The optimality certificate over all feasible pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// True when no feasible pair outside the final candidate graph has a
    /// negative reduced cost w.r.t. the final dual prices: the optimum over the
    /// candidates is the optimum over all pairs.
    pub held: bool,
    /// Exact solve rounds (1 = the first exact solve was already certified).
    /// Before it, a pre-round checks the candidate graph against the warm
    /// start's approximate prices and adds the pairs that violate them
    /// (counted in `added_pairs` and `rescored_requests`).
    pub rounds: usize,
    pub initial_arcs: usize,
    pub final_arcs: usize,
    /// Pairs added because their reduced cost was negative (or, for a
    /// request that had such a pair, within a small slack of negative).
    pub added_pairs: usize,
    /// Requests whose bound was not enough and were re-scored exactly
    /// (summed over rounds).
    pub rescored_requests: usize,
    /// (request, mentor) pairs scored while re-scoring those requests: only
    /// mentors whose dual price lets them come near violating are scored.
    #[serde(default)]
    pub rescored_pairs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryCounts {
    pub category: String,
    pub requests: usize,
    pub matched: usize,
    pub unmatched: usize,
}

/// Matched pairs whose score is in `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreBucket {
    pub from: i64,
    pub to: i64,
    pub count: usize,
}

impl ScoreBucket {
    /// `sorted` (ascending) in at most 10 buckets of equal width covering
    /// its range; none for no scores.
    pub fn histogram(sorted: &[i64]) -> Vec<ScoreBucket> {
        let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else {
            return Vec::new();
        };
        let width = ((hi - lo) / 10 + 1).max(1);
        let mut buckets: Vec<ScoreBucket> = Vec::new();
        let mut from = lo;
        while from <= hi {
            let to = from + width - 1;
            let start = sorted.partition_point(|&s| s < from);
            let end = sorted.partition_point(|&s| s <= to);
            buckets.push(ScoreBucket {
                from,
                to,
                count: end - start,
            });
            from = to + 1;
        }
        buckets
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FairnessReport {
    pub requests: usize,
    pub matched: usize,
    pub unmatched: usize,
    pub unmatched_no_feasible: usize,
    pub unmatched_lost: usize,
    /// Per tag category: requests with at least one tag (public, private or
    /// required) in it. Counts only, never names of private tags.
    pub per_category: Vec<CategoryCounts>,
    /// Active mentors (accepting, capacity > 0).
    pub active_mentors: usize,
    /// Active mentors with no mentee at all after this run.
    pub mentors_idle: usize,
    /// Active mentors whose remaining capacity this run filled.
    pub mentors_at_capacity: usize,
    /// Gini coefficient of active mentors' loads after this run (0 = equal).
    pub load_gini: f64,
    /// Histogram of new mentees per active mentor: index = count.
    pub new_load_histogram: Vec<usize>,
    pub min_matched_score: Option<i64>,
    pub p5_matched_score: Option<i64>,
    /// The matched scores in (at most) 10 buckets of equal width, from the
    /// lowest matched score to the highest.
    #[serde(default)]
    pub score_histogram: Vec<ScoreBucket>,
    pub optimal_total: i64,
    pub stable_total: i64,
    pub greedy_total: i64,
    pub stable_pct_of_optimal: f64,
    pub greedy_pct_of_optimal: f64,
    pub stable_blocking_pairs: u64,
}

/// Wall-clock milliseconds per phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseTimes {
    pub index_ms: f64,
    pub score_candidates_ms: f64,
    pub solve_ms: f64,
    pub certify_ms: f64,
    pub stable_ms: f64,
    pub greedy_ms: f64,
    pub explain_ms: f64,
    /// CPU time (user + system, all threads) of the scoring, solve and
    /// certify phases, when the platform reports it (Linux `/proc`), else 0.
    /// Unlike wall time it is not inflated by other processes on the machine.
    #[serde(default)]
    pub score_cpu_ms: f64,
    #[serde(default)]
    pub solve_cpu_ms: f64,
    #[serde(default)]
    pub certify_cpu_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub mode: Mode,
    /// Σ over proposed pairs of (score − load penalty), for `mode`.
    pub objective: i64,
    pub pairs: Vec<MatchedPair>,
    pub unmatched: Vec<Unmatched>,
    pub certificate: Certificate,
    pub fairness: FairnessReport,
    pub pairs_scored: u64,
    /// Of `pairs_scored`, pairs the candidate pass ruled out by the language
    /// rule a whole run of mentors at a time, without computing a score.
    #[serde(default)]
    pub pairs_skipped_by_language: u64,
    pub times: PhaseTimes,
}

/// One suggested mentor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub mentor_id: String,
    pub score: i64,
    /// Score minus the mentor's next load penalty; suggestions are ranked by it.
    pub total: i64,
    pub explanation: Explanation,
}

#[cfg(test)]
mod tests {
    use super::ScoreBucket;

    #[test]
    fn score_histogram_covers_the_range_in_at_most_ten_buckets() {
        assert!(ScoreBucket::histogram(&[]).is_empty());
        let one = ScoreBucket::histogram(&[7, 7]);
        assert_eq!(
            one,
            vec![ScoreBucket {
                from: 7,
                to: 7,
                count: 2
            }]
        );
        let scores: Vec<i64> = (0..=100).collect();
        let h = ScoreBucket::histogram(&scores);
        assert!(h.len() <= 10, "{h:?}");
        assert_eq!(h.first().map(|b| b.from), Some(0));
        assert!(h.last().is_some_and(|b| b.to >= 100));
        assert_eq!(h.iter().map(|b| b.count).sum::<usize>(), 101);
        for pair in h.windows(2) {
            assert_eq!(pair[0].to + 1, pair[1].from, "contiguous");
        }
        for n in 1..40 {
            let scores: Vec<i64> = (0..n).map(|i| i * 37 % 101).collect::<Vec<_>>();
            let mut sorted = scores.clone();
            sorted.sort_unstable();
            let h = ScoreBucket::histogram(&sorted);
            assert!(h.len() <= 10);
            assert_eq!(h.iter().map(|b| b.count).sum::<usize>(), sorted.len());
        }
    }
}
