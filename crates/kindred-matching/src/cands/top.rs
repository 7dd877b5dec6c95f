//! Bounded top-K lists of the scoring pass: per mentee (best mentors) and
//! per mentor (mentees by regret), as min-heaps of packed (score, id) keys.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::sort_top;

/// Heap key: `(score, id)` packed so that a larger `u64` is a better entry
/// (higher score, then lower id) and one integer comparison orders two
/// entries; in the `Reverse` min-heap the top is the *worst* entry.
pub(super) type Key = Reverse<u64>;

#[inline]
pub(super) fn pack(score: i32, id: u32) -> u64 {
    (u64::from(score as u32 ^ 0x8000_0000) << 32) | u64::from(u32::MAX - id)
}

#[inline]
pub(super) fn unpack(key: u64) -> (i32, u32) {
    (
        ((key >> 32) as u32 ^ 0x8000_0000) as i32,
        u32::MAX - key as u32,
    )
}

/// Mentor-side bounded min-heaps (K′ best mentees per mentor).
pub(super) struct MentorTop {
    k: Vec<usize>,
    pub heaps: Vec<BinaryHeap<Key>>,
    /// Entry threshold per mentor (the current worst score once full).
    pub min32: Vec<i32>,
}

impl MentorTop {
    pub fn new(n_m: usize, k: Vec<usize>) -> Self {
        MentorTop {
            heaps: (0..n_m)
                .map(|m| BinaryHeap::with_capacity(k[m] + 1))
                .collect(),
            k,
            min32: vec![i32::MIN; n_m],
        }
    }

    /// `s`: the pair's regret (score − the request's best score, ≤ 0).
    #[inline]
    pub fn offer(&mut self, m: usize, s: i32, e: u32) {
        let h = &mut self.heaps[m];
        let key = Reverse(pack(s, e));
        let k = self.k[m];
        if h.len() < k {
            h.push(key);
        } else if let Some(mut worst) = h.peek_mut() {
            // better = higher score, then lower mentee; replacing the top
            // sifts once instead of pop + push
            if key < *worst {
                *worst = key;
            } else {
                return;
            }
        }
        if h.len() == k {
            if let Some(Reverse(w)) = h.peek() {
                self.min32[m] = unpack(*w).0;
            }
        }
    }
}

/// Bounded top-K of one mentee (mentors arrive in increasing order, so a
/// strict `>` keeps the lower mentor on ties).
pub(super) struct MenteeTop {
    k: usize,
    heap: BinaryHeap<Key>,
    pub min32: i32,
}

impl MenteeTop {
    pub fn new(k: usize) -> Self {
        MenteeTop {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
            min32: i32::MIN,
        }
    }

    pub fn clear(&mut self) {
        self.heap.clear();
        self.min32 = i32::MIN;
    }

    #[inline]
    pub fn push(&mut self, m: u32, s: i32) {
        let key = Reverse(pack(s, m));
        if self.heap.len() < self.k {
            self.heap.push(key);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            // callers only push entries better than the current worst
            *worst = key;
        }
        if self.heap.len() == self.k {
            if let Some(Reverse(w)) = self.heap.peek() {
                self.min32 = unpack(*w).0;
            }
        }
    }

    pub fn take(&mut self) -> Vec<(u32, i64)> {
        let mut v: Vec<(u32, i64)> = self
            .heap
            .drain()
            .map(|Reverse(key)| {
                let (s, m) = unpack(key);
                (m, i64::from(s))
            })
            .collect();
        sort_top(&mut v);
        self.min32 = i32::MIN;
        v
    }
}
