//! The monotone priority queue of the shortest-path searches.

/// Monotone priority queue (radix heap) for Dijkstra on non-negative
/// integer reduced costs: keys pushed are never below the last key popped.
/// Bucket `b` holds keys whose highest bit differing from the last popped
/// key is `b − 1` (bucket 0: equal to it), so push is O(1) and pop amortised
/// O(log C). Ties pop in LIFO order.
pub(super) struct RadixHeap {
    last: i64,
    len: usize,
    buckets: Vec<Vec<(i64, u32)>>,
}

impl RadixHeap {
    pub(super) fn new() -> Self {
        RadixHeap {
            last: 0,
            len: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
        }
    }

    #[inline]
    fn bucket(&self, key: i64) -> usize {
        let x = (key ^ self.last) as u64;
        (64 - x.leading_zeros()) as usize
    }

    pub(super) fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }

    #[inline]
    pub(super) fn push(&mut self, key: i64, v: u32) {
        debug_assert!(key >= self.last, "radix heap keys must be monotone");
        // Reduced costs are never negative, so `key >= last`; the clamp only
        // guards the data structure, it never changes a correct search.
        let key = key.max(self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, v));
        self.len += 1;
    }

    pub(super) fn pop(&mut self) -> Option<(i64, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = (1..65)
                .find(|&i| !self.buckets[i].is_empty())
                .expect("len > 0");
            let mut items = std::mem::take(&mut self.buckets[i]);
            self.last = items.iter().map(|x| x.0).min().expect("non-empty");
            for &(k, v) in &items {
                let b = self.bucket(k);
                self.buckets[b].push((k, v));
            }
            items.clear();
            self.buckets[i] = items;
        }
        self.len -= 1;
        self.buckets[0].pop()
    }
}
